# Third-party code comes from the system (Debian: libfmt-dev, doctest-dev) and,
# only where it is missing and the machine has internet, from a download.
# Nothing third-party is kept in the tree.
include(FetchContent)

find_package(fmt 9 QUIET)
if(NOT fmt_FOUND)
  message(STATUS "tapegrad: fmt not installed (Debian: apt-get install libfmt-dev); downloading it")
  FetchContent_Declare(fmt
    GIT_REPOSITORY https://github.com/fmtlib/fmt.git
    GIT_TAG 10.2.1
    GIT_SHALLOW TRUE)
  set(FMT_INSTALL ${TAPEGRAD_INSTALL} CACHE BOOL "" FORCE)
  FetchContent_MakeAvailable(fmt)
endif()

if(TAPEGRAD_BUILD_TESTS)
  find_package(doctest 2.4 QUIET)
  if(NOT doctest_FOUND)
    message(STATUS "tapegrad: doctest not installed (Debian: apt-get install doctest-dev); downloading it")
    FetchContent_Declare(doctest
      GIT_REPOSITORY https://github.com/doctest/doctest.git
      GIT_TAG v2.4.11
      GIT_SHALLOW TRUE)
    FetchContent_MakeAvailable(doctest)
    list(APPEND CMAKE_MODULE_PATH "${doctest_SOURCE_DIR}/scripts/cmake")
  endif()
endif()
