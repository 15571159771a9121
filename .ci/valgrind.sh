#!/usr/bin/env bash
# Runs every demo of a build folder once under valgrind memcheck, with short
# arguments (training demos: --steps 5); fails on any memory error or any
# definite or indirect leak.
# usage: .ci/valgrind.sh BUILD_DIR     (e.g. build/dev; not a sanitizer build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: .ci/valgrind.sh BUILD_DIR}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
demos=$(find "$build/demos" -maxdepth 1 -type f -executable 2>/dev/null | wc -l)
[ "$demos" -gt 0 ] || { echo "no demos in $build/demos: build them first"; exit 1; }
exec .ci/demos.sh "$build" valgrind --quiet --error-exitcode=1 --leak-check=full \
  --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
