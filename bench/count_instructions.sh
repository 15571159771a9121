#!/bin/sh
# Instructions per gradient step of each workload, counted by callgrind: the
# count of a run of K steps minus that of a run of none, divided by K, so the
# set-up and the warm-up step (both runs do them) cancel out. Unlike a timing
# on a shared machine, the count repeats to within a few instructions: it is
# how engine changes are judged (bench/README.md, "What the safety checks
# cost").
#
#   bench/count_instructions.sh [build dir] [K]     (defaults: build/callgrind, 5)
#
# Builds the `callgrind` preset (-O3 -march=x86-64-v3 -g: valgrind cannot run
# AVX-512, which -march=native may pick) when the build dir does not exist.
# chain, chain_literal and poly run at n = 10^5, grow grows a fresh tape to
# 10^5 nodes per step; needs valgrind (apt-get install valgrind).
set -eu
cd "$(dirname "$0")/.."
build=${1:-build/callgrind}
steps=${2:-5}
if ! command -v valgrind >/dev/null; then
  echo "count_instructions: valgrind not found (apt-get install valgrind)" >&2
  exit 1
fi
if [ ! -d "$build" ]; then
  cmake --preset callgrind -B "$build" >/dev/null
fi
cmake --build "$build" -j2 --target tapegrad_bench >/dev/null
bench="$build/bench/tapegrad_bench"

# instructions WORKLOAD STEPS: callgrind's total instruction count of one run.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" --n=100000 \
      --run="$1" --steps="$2" 2>&1 >/dev/null |
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}

for workload in mlp_step mlp_scalar chain chain_literal seed_step poly grow; do
  none=$(instructions "$workload" 0)
  some=$(instructions "$workload" "$steps")
  echo "$workload $(( (some - none) / steps )) instructions per step"
done
