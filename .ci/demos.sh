#!/usr/bin/env bash
# Runs every demo of a build folder once, quickly, as a smoke test.
# usage: .ci/demos.sh BUILD_DIR [WRAPPER...]   (e.g. a valgrind command line)
set -euo pipefail
build=$1
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for demo in "$build"/demos/*; do
  [ -x "$demo" ] && [ -f "$demo" ] || continue
  name=$(basename "$demo")
  args=()
  # Demos that train or write files take flags: keep them short, write to $out.
  usage=$("$demo" --help 2>/dev/null || true)
  if grep -q -- "--steps" <<<"$usage"; then args+=(--steps 5); fi
  # Demos on a real data set: a small slice of it, one pass.
  if grep -q -- "--limit" <<<"$usage"; then args+=(--limit 500 --epochs 1); fi
  if grep -q -- "--test-limit" <<<"$usage"; then args+=(--test-limit 500); fi
  if grep -q -- "--out" <<<"$usage"; then args+=(--out "$out/$name"); fi
  echo "--- $name ${args[*]}"
  "$@" "$demo" "${args[@]}" >"$out/$name.log" 2>&1 || { cat "$out/$name.log"; echo "demo $name failed"; exit 1; }
  tail -n 3 "$out/$name.log"
done
