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
ctest --preset clang -j "$jobs"

step "shared libraries (BUILD_SHARED_LIBS=ON): build and test"
cmake --preset dev -B build/shared -DBUILD_SHARED_LIBS=ON >/dev/null
cmake --build build/shared -j "$jobs"
# The embedding consumers do not depend on this build's linkage: the dev build ran them.
ctest --test-dir build/shared -j "$jobs" --output-on-failure \
  -E '^consumer\.(add_subdirectory|fetchcontent)'
for lib in build/shared/autodiff/libtapegrad_autodiff.so build/shared/nn/libtapegrad_nn.so; do
  [ -f "$lib" ] || continue
  echo "$lib exports $(nm -D --defined-only -C "$lib" | grep -c ' tapegrad::') tapegrad:: symbols"
done

step "done"
