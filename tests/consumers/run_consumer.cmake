# Runs one consumer test step (cmake -P), the way a user would do it by hand:
#
#   MODE=install           cmake --install BUILD_TREE --prefix PREFIX, then check the layout
#   MODE=find_package      configure project/ with CMAKE_PREFIX_PATH=PREFIX, build, run
#   MODE=add_subdirectory  configure project/ embedding TAPEGRAD_SOURCE_DIR, build, run
#   MODE=fetchcontent      configure project/ fetching TAPEGRAD_SOURCE_DIR, build, run
#   MODE=pkg_config        compile project/main.cpp with `pkg-config --cflags --libs tapegrad`
#
# The parent build passes its compiler, generator, build type and flags (so a
# sanitizer build's installed library links) and WORK_DIR, a scratch folder.
# With GDB (the three CMake modes), the project's look_in_gdb program is then
# debugged the way docs/backprop-in-gdb.md tells a user to: gdb must load the
# pretty-printers from the program itself, given only the one line
# `add-auto-load-safe-path <the build folder>`.
cmake_minimum_required(VERSION 3.25)

function(run)
  execute_process(COMMAND ${ARGV} COMMAND_ECHO STDOUT RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "consumer test step failed (${result})")
  endif()
endfunction()

set(config_args)
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()

if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${PREFIX}")
  run("${CMAKE_COMMAND}" --install "${BUILD_TREE}" --prefix "${PREFIX}" ${config_args})
  file(GLOB_RECURSE config_files RELATIVE "${PREFIX}" "${PREFIX}/*/tapegradConfig*.cmake")
  file(GLOB_RECURSE pc_files RELATIVE "${PREFIX}" "${PREFIX}/*/tapegrad.pc")
  foreach(expected IN ITEMS include/tapegrad/autodiff.hpp include/tapegrad/autodiff_export.hpp
                            include/tapegrad/version.hpp)
    if(NOT EXISTS "${PREFIX}/${expected}")
      message(FATAL_ERROR "install did not put ${expected} in ${PREFIX}")
    endif()
  endforeach()
  list(LENGTH config_files n_config)
  list(LENGTH pc_files n_pc)
  if(NOT n_config EQUAL 2 OR NOT n_pc EQUAL 1)
    message(FATAL_ERROR "install gave config files '${config_files}' and pkg-config files '${pc_files}'")
  endif()
  file(GLOB_RECURSE templates "${PREFIX}/*.in")
  if(templates)
    message(FATAL_ERROR "install copied templates: ${templates}")
  endif()
  return()
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

if(MODE STREQUAL "pkg_config")
  file(GLOB pc_dirs LIST_DIRECTORIES true "${PREFIX}/lib*/pkgconfig" "${PREFIX}/lib/*/pkgconfig")
  string(REPLACE ";" ":" pc_path "${pc_dirs}")
  set(ENV{PKG_CONFIG_PATH} "${pc_path}")
  foreach(query IN ITEMS cflags libs)
    execute_process(COMMAND "${PKG_CONFIG}" --${query} tapegrad
      OUTPUT_VARIABLE ${query} OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
      message(FATAL_ERROR "pkg-config --${query} tapegrad failed (PKG_CONFIG_PATH=${pc_path})")
    endif()
    separate_arguments(${query} UNIX_COMMAND "${${query}}")
  endforeach()
  execute_process(COMMAND "${PKG_CONFIG}" --variable=libdir tapegrad
    OUTPUT_VARIABLE libdir OUTPUT_STRIP_TRAILING_WHITESPACE)
  separate_arguments(flags UNIX_COMMAND "${CXX_FLAGS} ${EXE_LINKER_FLAGS}")
  set(nn)
  if(EXISTS "${PREFIX}/include/tapegrad/nn.hpp")
    set(nn -DCONSUMER_WITH_NN)
  endif()
  # What a Makefile user writes:  $(CXX) -std=c++20 main.cpp $(pkg-config --cflags --libs tapegrad)
  run("${CXX}" -std=c++20 ${flags} ${nn} -Wall -Wextra -Werror ${cflags}
      "${PROJECT_DIR}/main.cpp" -o "${WORK_DIR}/consumer" ${libs} "-Wl,-rpath,${libdir}")
  run("${WORK_DIR}/consumer")
  return()
endif()

if(NOT MODE STREQUAL "find_package")
  # The embedding tests check how tapegrad builds inside another project, not
  # its memory safety (the test suite does that): they leave out a sanitizer
  # build's instrumentation, which would cost minutes to rebuild the library.
  foreach(flags IN ITEMS CXX_FLAGS EXE_LINKER_FLAGS SHARED_LINKER_FLAGS)
    string(REGEX REPLACE "-f(no-)?sanitize[-=a-z,]*" "" ${flags} "${${flags}}")
    string(REGEX REPLACE " +" " " ${flags} "${${flags}}")
  endforeach()
endif()

set(configure_args
  -S "${PROJECT_DIR}" -B "${WORK_DIR}" -G "${GENERATOR}"
  "-DCMAKE_CXX_COMPILER=${CXX}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
  "-DCMAKE_SHARED_LINKER_FLAGS=${SHARED_LINKER_FLAGS}"
  "-DTAPEGRAD_CONSUMER_MODE=${MODE}"
  "-DTAPEGRAD_EXPECT_NN=${EXPECT_NN}")
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(BUILD_TYPE)
  list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()
if(MODE STREQUAL "find_package")
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${PREFIX}" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
else()
  list(APPEND configure_args "-DTAPEGRAD_SOURCE_DIR=${TAPEGRAD_SOURCE_DIR}"
                             "-DBUILD_SHARED_LIBS=${SHARED}")
endif()

run("${CMAKE_COMMAND}" ${configure_args})
run("${CMAKE_COMMAND}" --build "${WORK_DIR}" --parallel 2 ${config_args})
run("${CTEST}" --test-dir "${WORK_DIR}" --output-on-failure ${config_args})

if(GDB)
  # The one line the tutorial documents, and nothing else (-nx: no gdbinit).
  execute_process(
    COMMAND "${GDB}" -batch -nx -iex "set debuginfod enabled off"
            -iex "add-auto-load-safe-path ${WORK_DIR}"
            -ex "break look" -ex run -ex "print y" -ex "print tape" -ex "tapegrad-node 1"
            "${WORK_DIR}/look_in_gdb"
    OUTPUT_VARIABLE gdb_output ERROR_VARIABLE gdb_output RESULT_VARIABLE result)
  message(STATUS "gdb printed:\n${gdb_output}")
  foreach(expected IN ITEMS
      "= #1 sigmoid(#0) value=0.6224593312018546 grad=0 \"y\""
      "= tapegrad::Tape with 2 nodes = {"
      "    1  sigmoid(#0)                   0.622459             0  y"
      "  operand #0 \"x\": partial 0.23500371220159452")
    string(FIND "${gdb_output}" "${expected}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "gdb did not print the pretty form `${expected}`: the printers did "
                          "not load from look_in_gdb's .debug_gdb_scripts section")
    endif()
  endforeach()
endif()
