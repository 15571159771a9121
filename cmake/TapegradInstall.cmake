# Install rules and the exported package (included when TAPEGRAD_INSTALL is on).
#
#   include/tapegrad/...                    the public headers, generated ones included
#   lib/libtapegrad_{autodiff,nn}.{a,so}    the libraries
#   lib/cmake/tapegrad/                     tapegradConfig.cmake, tapegradConfigVersion.cmake,
#                                           tapegradTargets.cmake (tapegrad::autodiff, tapegrad::nn)
#   lib/pkgconfig/tapegrad.pc               for pkg-config users
#   share/tapegrad/gdb/                     the gdb pretty-printers, and
#                                           tapegrad_gdb_autoload.cpp, which tapegrad::autodiff
#                                           adds to each executable that links it (gdb/autoload.cmake)
#   share/doc/tapegrad/                     LICENSE, README.md, CHANGELOG.md
#
# Components: tapegrad_runtime (shared libraries only) and tapegrad_development
# (everything else); a plain `cmake --install` installs both.
include(CMakePackageConfigHelpers)

set(TAPEGRAD_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/tapegrad"
    CACHE STRING "Where tapegradConfig.cmake is installed, relative to the prefix")
set(TAPEGRAD_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
    CACHE STRING "Where tapegrad.pc is installed, relative to the prefix")
set(TAPEGRAD_INSTALL_GDBDIR "${CMAKE_INSTALL_DATADIR}/tapegrad/gdb"
    CACHE STRING "Where the gdb pretty-printers are installed, relative to the prefix")
mark_as_advanced(TAPEGRAD_INSTALL_CMAKEDIR TAPEGRAD_INSTALL_PKGCONFIGDIR TAPEGRAD_INSTALL_GDBDIR)

# --- Libraries and headers ----------------------------------------------------

set(tapegrad_install_targets tapegrad_autodiff)
if(TARGET tapegrad_nn)
  list(APPEND tapegrad_install_targets tapegrad_nn)
endif()

install(TARGETS ${tapegrad_install_targets}
  EXPORT tapegradTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT tapegrad_development
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT tapegrad_runtime
          NAMELINK_COMPONENT tapegrad_development
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT tapegrad_runtime)

# Every header of each library's include/tapegrad/ tree (nn has a subfolder),
# then the generated ones (export macros, version). Templates (*.in) stay behind.
foreach(library IN ITEMS autodiff nn)
  if(IS_DIRECTORY "${PROJECT_SOURCE_DIR}/${library}/include/tapegrad")
    install(DIRECTORY "${PROJECT_SOURCE_DIR}/${library}/include/tapegrad/"
      DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/tapegrad"
      COMPONENT tapegrad_development
      FILES_MATCHING PATTERN "*.hpp")
  endif()
endforeach()
install(DIRECTORY "${PROJECT_BINARY_DIR}/include/tapegrad/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/tapegrad"
  COMPONENT tapegrad_development
  FILES_MATCHING PATTERN "*.hpp")

# --- The CMake package: find_package(tapegrad) --------------------------------

# fmt is a public dependency (print.hpp specialises fmt::formatter). The package
# asks for the fmt major version it was built against: fmt's own version file
# accepts any newer version, but fmt changes its ABI (inline namespace
# fmt::vN) with every major version, so a newer one would not link.
set(TAPEGRAD_FMT_VERSION "${fmt_VERSION}")
if(NOT TAPEGRAD_FMT_VERSION AND TARGET fmt)
  # fmt came from FetchContent: its real target carries the version.
  get_target_property(TAPEGRAD_FMT_VERSION fmt VERSION)
endif()
if(TAPEGRAD_FMT_VERSION MATCHES "^([0-9]+)")
  math(EXPR tapegrad_fmt_next_major "${CMAKE_MATCH_1} + 1")
  set(TAPEGRAD_FMT_REQUIREMENT "${CMAKE_MATCH_1}...<${tapegrad_fmt_next_major}")
else()
  set(TAPEGRAD_FMT_REQUIREMENT "")
endif()
# If fmt was downloaded (FetchContent, no libfmt-dev on the machine), its target
# `fmt` is part of this build, not an imported one. TapegradDependencies.cmake
# then sets FMT_INSTALL to TAPEGRAD_INSTALL, so fmt installs its own package
# (lib/cmake/fmt) next to ours; tapegradTargets.cmake names it as fmt::fmt and
# find_dependency(fmt) finds that copy in the same prefix.

# nn links zlib (the IDX reader) and the threads library (the Trainer's
# workers) privately. A shared libtapegrad_nn carries them by itself; a static
# one leaves them to the consumer, so the package looks for the targets
# Threads::Threads and ZLIB::ZLIB that tapegradTargets.cmake names.
set(TAPEGRAD_CONFIG_STATIC_DEPENDENCIES "")
if(TARGET tapegrad_nn AND NOT BUILD_SHARED_LIBS)
  set(TAPEGRAD_CONFIG_STATIC_DEPENDENCIES "find_dependency(Threads)\nfind_dependency(ZLIB)")
endif()

install(EXPORT tapegradTargets
  NAMESPACE tapegrad::
  DESTINATION "${TAPEGRAD_INSTALL_CMAKEDIR}"
  COMPONENT tapegrad_development)

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/tapegradConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/tapegradConfig.cmake"
  INSTALL_DESTINATION "${TAPEGRAD_INSTALL_CMAKEDIR}"
  PATH_VARS TAPEGRAD_INSTALL_GDBDIR)

# SameMinorVersion: tapegrad is 0.x, and under semantic versioning 0.y releases
# may break the API, so find_package(tapegrad 0.1) accepts 0.1.z (z >= the
# requested patch) and refuses 0.2. This matches the libraries' SOVERSION
# (major.minor). At 1.0 both move to the major version (SameMajorVersion).
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/tapegradConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMinorVersion)

install(FILES
  "${PROJECT_BINARY_DIR}/tapegradConfig.cmake"
  "${PROJECT_BINARY_DIR}/tapegradConfigVersion.cmake"
  DESTINATION "${TAPEGRAD_INSTALL_CMAKEDIR}"
  COMPONENT tapegrad_development)

# --- pkg-config: tapegrad.pc ----------------------------------------------------

# Paths are relative to the .pc file (${pcfiledir}), so an installed tree can
# be moved, and `cmake --install --prefix <elsewhere>` still gives a right file.
function(tapegrad_pc_path out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "\${prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()
if(IS_ABSOLUTE "${TAPEGRAD_INSTALL_PKGCONFIGDIR}")
  set(TAPEGRAD_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH tapegrad_pc_up "/${TAPEGRAD_INSTALL_PKGCONFIGDIR}" "/")
  string(REGEX REPLACE "/$" "" tapegrad_pc_up "${tapegrad_pc_up}")
  set(TAPEGRAD_PC_PREFIX "\${pcfiledir}/${tapegrad_pc_up}")
endif()
tapegrad_pc_path(TAPEGRAD_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
tapegrad_pc_path(TAPEGRAD_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")

set(TAPEGRAD_PC_LIBS "-ltapegrad_autodiff")
set(TAPEGRAD_PC_CFLAGS "")
if(TARGET tapegrad_nn)
  set(TAPEGRAD_PC_LIBS "-ltapegrad_nn ${TAPEGRAD_PC_LIBS}") # nn needs autodiff: first
endif()
if(NOT BUILD_SHARED_LIBS)
  # What the targets' INTERFACE_COMPILE_DEFINITIONS say for a static build.
  set(TAPEGRAD_PC_CFLAGS " -DTAPEGRAD_AUTODIFF_STATIC_DEFINE")
  if(TARGET tapegrad_nn)
    string(APPEND TAPEGRAD_PC_CFLAGS " -DTAPEGRAD_NN_STATIC_DEFINE")
  endif()
endif()
set(TAPEGRAD_PC_REQUIRES "fmt")
if(TAPEGRAD_FMT_VERSION MATCHES "^([0-9]+)")
  set(TAPEGRAD_PC_REQUIRES "fmt >= ${CMAKE_MATCH_1}, fmt < ${tapegrad_fmt_next_major}")
endif()
# zlib and threads: private to a shared libtapegrad_nn; a static one needs -lz
# and -pthread on every link line (plain `pkg-config --libs` gives only
# Requires' flags).
set(TAPEGRAD_PC_REQUIRES_PRIVATE "")
if(TARGET tapegrad_nn)
  if(BUILD_SHARED_LIBS)
    set(TAPEGRAD_PC_REQUIRES_PRIVATE "zlib")
  else()
    string(APPEND TAPEGRAD_PC_REQUIRES ", zlib")
    string(APPEND TAPEGRAD_PC_LIBS " -pthread")
  endif()
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/tapegrad.pc.in" "${PROJECT_BINARY_DIR}/tapegrad.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/tapegrad.pc"
  DESTINATION "${TAPEGRAD_INSTALL_PKGCONFIGDIR}"
  COMPONENT tapegrad_development)

# --- gdb pretty-printers and documents ---------------------------------------------

# Whatever gdb/*.py exists at install time (the printers are plain Python).
if(IS_DIRECTORY "${PROJECT_SOURCE_DIR}/gdb")
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/gdb/"
    DESTINATION "${TAPEGRAD_INSTALL_GDBDIR}"
    COMPONENT tapegrad_development
    FILES_MATCHING PATTERN "*.py"
    PATTERN "__pycache__" EXCLUDE)
endif()
# The printers inside every find_package(tapegrad) user's program, as inside
# the build tree's: the exported tapegrad::autodiff compiles the installed
# file into each executable that links it, so gdb loads them from the
# program's .debug_gdb_scripts section.
if(TAPEGRAD_GDB_AUTOLOAD)
  install(FILES "${PROJECT_BINARY_DIR}/gdb/tapegrad_gdb_autoload.cpp"
    DESTINATION "${TAPEGRAD_INSTALL_GDBDIR}"
    COMPONENT tapegrad_development)
  set(tapegrad_gdb_autoload "${TAPEGRAD_INSTALL_GDBDIR}/tapegrad_gdb_autoload.cpp")
  if(NOT IS_ABSOLUTE "${TAPEGRAD_INSTALL_GDBDIR}")
    set(tapegrad_gdb_autoload "$<INSTALL_PREFIX>/${tapegrad_gdb_autoload}")
  endif()
  target_sources(tapegrad_autodiff INTERFACE
    "$<INSTALL_INTERFACE:$<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:${tapegrad_gdb_autoload}>>")
  unset(tapegrad_gdb_autoload)
endif()

foreach(document IN ITEMS LICENSE README.md CHANGELOG.md docs/api.md)
  if(EXISTS "${PROJECT_SOURCE_DIR}/${document}")
    install(FILES "${PROJECT_SOURCE_DIR}/${document}"
      DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/tapegrad"
      COMPONENT tapegrad_development)
  endif()
endforeach()
