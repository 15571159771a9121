# Makes gdb load tapegrad's pretty-printers by itself in every program that
# links tapegrad::autodiff: each such executable also compiles a generated
# tapegrad_gdb_autoload.cpp (gdb/gdb_autoload.cpp.in with gdb/*.py
# pasted in), which puts the printers into the program's .debug_gdb_scripts
# section (an inline script, so the binary needs no path to any source tree).
# gdb runs it once the program's folder is in its auto-load safe-path: the one
# `add-auto-load-safe-path` line of docs/backprop-in-gdb.md.
#
# This holds for tapegrad's own programs, for a project that embeds tapegrad
# (add_subdirectory, FetchContent) and, through the installed package, for
# find_package(tapegrad) users (cmake/TapegradInstall.cmake installs the file).
# Executables only: libraries stay free of it. TAPEGRAD_GDB_AUTOLOAD=OFF
# leaves every program without it (load the printers with `source` instead).
option(TAPEGRAD_GDB_AUTOLOAD
  "Put the gdb pretty-printers into every executable that links tapegrad::autodiff" ON)

# The script is tapegrad_tape_view.py, tapegrad_sweep.py, then
# tapegrad_printers.py, one text (each file sees the names of those before it
# already defined and imports nothing), as C initializer bytes, regenerated
# whenever one of the files changes.
set(tapegrad_gdb_files "${CMAKE_CURRENT_LIST_DIR}/tapegrad_tape_view.py"
                       "${CMAKE_CURRENT_LIST_DIR}/tapegrad_sweep.py"
                       "${CMAKE_CURRENT_LIST_DIR}/tapegrad_printers.py")
set(tapegrad_gdb_template "${CMAKE_CURRENT_LIST_DIR}/gdb_autoload.cpp.in")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${tapegrad_gdb_files} "${tapegrad_gdb_template}")
set(tapegrad_gdb_script "")
foreach(file IN LISTS tapegrad_gdb_files)
  file(READ "${file}" bytes HEX)
  string(APPEND tapegrad_gdb_script "${bytes}0a") # a newline between the files
endforeach()
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," tapegrad_gdb_script "${tapegrad_gdb_script}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" tapegrad_gdb_script "${tapegrad_gdb_script}")
# The bytes pasted into the template: one file that compiles on its own, in
# any project, with no include path.
file(READ "${tapegrad_gdb_template}" tapegrad_gdb_source)
string(REGEX REPLACE "^(//[^\n]*\n)+" "" tapegrad_gdb_source "${tapegrad_gdb_source}")
string(REPLACE "#include \"tapegrad_gdb_script.inc\"" "${tapegrad_gdb_script}"
       tapegrad_gdb_source "${tapegrad_gdb_source}")
file(CONFIGURE OUTPUT "${PROJECT_BINARY_DIR}/gdb/tapegrad_gdb_autoload.cpp"
     CONTENT "// tapegrad's gdb pretty-printers, in this program's .debug_gdb_scripts section\n// (gdb/autoload.cmake). Generated from gdb/gdb_autoload.cpp.in and gdb/*.py:\n// do not edit.\n@tapegrad_gdb_source@"
     @ONLY)
unset(bytes)
unset(tapegrad_gdb_files)
unset(tapegrad_gdb_template)
unset(tapegrad_gdb_script)
unset(tapegrad_gdb_source)

# tapegrad_add_gdb_autoload(target): the section for one more program (for
# programs that compile the engine's sources themselves, like tests/gdb's).
function(tapegrad_add_gdb_autoload target)
  target_sources(${target} PRIVATE "${PROJECT_BINARY_DIR}/gdb/tapegrad_gdb_autoload.cpp")
endfunction()

if(TAPEGRAD_GDB_AUTOLOAD)
  target_sources(tapegrad_autodiff INTERFACE
    "$<BUILD_INTERFACE:$<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:${PROJECT_BINARY_DIR}/gdb/tapegrad_gdb_autoload.cpp>>")
endif()
