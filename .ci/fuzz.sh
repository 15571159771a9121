#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan) into
# build/fuzz and runs each for a fixed time with a seed corpus assembled in the
# build folder (fuzz/corpus/<target>/ plus generated seeds). Any crash,
# sanitizer report or failed invariant fails the script.
# usage: .ci/fuzz.sh [SECONDS_PER_TARGET]   (default 20; see docs/testing.md)
# libFuzzer's random seed is fixed (FUZZ_SEED, default 1) so that a CI failure
# replays; FUZZ_SEED=0 lets libFuzzer pick one (for long local runs).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
seed=${FUZZ_SEED:-1}
cmake --preset fuzz -B build/fuzz >/dev/null
cmake --build build/fuzz -j "$(nproc)"

work=build/fuzz/fuzz-run
rm -rf "$work"
mkdir -p "$work"
# Engine seeds: a few byte strings that decode into small graphs.
mkdir -p "$work/seeds/engine_fuzz"
printf '\x01\x03\x07\x00\x01\x1b\x02\x16\x03' >"$work/seeds/engine_fuzz/a"
printf '\x03\x00\x08\x04\x02\x00\x01\x02\x1b\x03\x1c\x04\x23\x02\x00\x01\x02\x24\x01\x02\x03\x04' \
  >"$work/seeds/engine_fuzz/b"
printf '\x02\x0c\x0d\x1a\x00\x01\x15\x02\x17\x03\x21\x04\x13\x05\x06' >"$work/seeds/engine_fuzz/c"

# IDX seeds: the first byte picks images (even) or labels (odd); then a raw
# file of two 2x3 images, a label file, and both gzipped.
mkdir -p "$work/seeds/idx_fuzz"
printf '\x00\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x03\x00\x10\x20\x30\x40\x50\x60\x70\x80\x90\xa0\xff' \
  >"$work/seeds/idx_fuzz/images"
printf '\x01\x00\x00\x08\x01\x00\x00\x00\x03\x07\x00\x09' >"$work/seeds/idx_fuzz/labels"
for kind in images labels; do
  { head -c 1 "$work/seeds/idx_fuzz/$kind"; tail -c +2 "$work/seeds/idx_fuzz/$kind" | gzip -9n; } \
    >"$work/seeds/idx_fuzz/$kind.gz"
done

status=0
for target in engine_fuzz model_loader_fuzz csv_fuzz idx_fuzz; do
  binary=build/fuzz/fuzz/$target
  [ -x "$binary" ] || { echo "missing $binary"; exit 1; }
  corpus=$work/corpus/$target
  mkdir -p "$corpus"
  seeds=()
  [ -d "fuzz/corpus/$target" ] && seeds+=("fuzz/corpus/$target")
  [ -d "$work/seeds/$target" ] && seeds+=("$work/seeds/$target")
  echo "--- $target for ${seconds}s"
  if "$binary" -max_total_time="$seconds" -seed="$seed" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/$target-" "$corpus" "${seeds[@]}" >"$work/$target.log" 2>&1; then
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$work/$target.log" | tail -n 2
  else
    tail -n 40 "$work/$target.log"
    echo "$target FAILED (crash input: $work/$target-*)"
    status=1
  fi
done
exit $status
