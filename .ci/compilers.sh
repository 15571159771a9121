#!/usr/bin/env bash
# CI: the other compiler and the other linkage.
#   1. clang++ 14 (the `clang` preset: warnings as errors), every test.
#   2. g++ with BUILD_SHARED_LIBS=ON (dev flags, warnings as errors), every
#      test: the tests and the installed-package consumers then link the shared
#      libraries, so a declaration missing its TAPEGRAD_*_EXPORT fails to link.
# The static g++ build is scripts/test's; its consumer tests already build an
# embedded tapegrad both shared and static.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
start=$SECONDS
step() { printf '\n=== %s (%ds)\n' "$*" $((SECONDS - start)); }

step "clang++: build (warnings as errors) and test"
cmake --preset clang >/dev/null
cmake --build --preset clang -j "$jobs"
# The gdb tests follow g++'s -O0 line table (where `break` lands in a function,
# which lines `next` visits); the dev and asan runs cover them.
ctest --preset clang -j "$jobs" -E '^gdb_'

step "shared libraries (BUILD_SHARED_LIBS=ON): build and test"
cmake --preset dev -B build/shared -DBUILD_SHARED_LIBS=ON >/dev/null
cmake --build build/shared -j "$jobs"
# The embedding consumers do not depend on this build's linkage: the dev build ran them.
ctest --test-dir build/shared -j "$jobs" --output-on-failure \
  -E '^consumer\.(add_subdirectory|fetchcontent)'

step "shared libraries: every tapegrad:: function the sources define is exported"
# Objects are built with -fvisibility=hidden; a function defined out of line
# whose declaration lacks TAPEGRAD_*_EXPORT (or whose class does) is in the
# objects but not in the .so's dynamic symbols: users would get undefined
# references. (tapegrad::...::detail:: is internal by convention.)
missing=0
for name in autodiff nn; do
  lib=build/shared/$name/libtapegrad_$name.so
  [ -f "$lib" ] || continue
  mapfile -t objects < <(find build/shared/$name -path "*tapegrad_$name.dir*" -name '*.o')
  hidden=$(comm -23 \
    <(nm --defined-only -C "${objects[@]}" | awk '$2 == "T"' | cut -d' ' -f3- |
      grep '^tapegrad::' | grep -v '::detail::' | sort -u) \
    <(nm -D --defined-only -C "$lib" | awk '$2 == "T" || $2 == "W"' | cut -d' ' -f3- | sort -u))
  echo "$lib exports $(nm -D --defined-only -C "$lib" | grep -c ' tapegrad::') tapegrad:: symbols"
  if [ -n "$hidden" ]; then
    echo "defined but not exported from $lib (add TAPEGRAD_${name^^}_EXPORT):"
    echo "$hidden" | sed 's/^/  /'
    missing=1
  fi
done
[ "$missing" -eq 0 ]

step "done"
