#!/usr/bin/env bash
# Fails if any tracked C++ file differs from what clang-format (the
# repository's .clang-format) would write. To fix: clang-format -i FILE...
set -euo pipefail
cd "$(dirname "$0")/.."
format=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$format" ] || { echo "clang-format not found (Debian: apt-get install clang-format)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.cc')
echo "clang-format on ${#files[@]} files"
"$format" --dry-run --Werror "${files[@]}"
echo "clang-format: all files formatted"
