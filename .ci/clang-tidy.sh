#!/usr/bin/env bash
# Runs clang-tidy (the repository's .clang-tidy) on the library sources,
# autodiff/src and nn/src, and through them on the public headers; any finding
# fails. Uses BUILD_DIR/compile_commands.json, configuring BUILD_DIR with the
# dev preset first if it has none.
# usage: .ci/clang-tidy.sh [BUILD_DIR]      (default: build/dev)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
[ -n "$tidy" ] || { echo "clang-tidy not found (Debian: apt-get install clang-tidy)" >&2; exit 1; }

if [ ! -f "$build/compile_commands.json" ]; then
  cmake --preset dev -B "$build" >/dev/null
fi
# Generated headers (export macros, version) come from the configure step.
mapfile -t sources < <(git ls-files 'autodiff/src/*.cpp' 'nn/src/*.cpp')
[ ${#sources[@]} -gt 0 ] || { echo "no sources to check" >&2; exit 1; }

echo "clang-tidy on ${#sources[@]} files, with $build/compile_commands.json"
printf '%s\n' "${sources[@]}" |
  xargs -P "$(nproc)" -n 1 "$tidy" -p "$build" --quiet 2> >(grep -v '^[0-9]* warnings\? generated\.$' >&2)
echo "clang-tidy: no findings"
