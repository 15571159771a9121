#!/usr/bin/env bash
# Epoch times of the fashion demo on 1 and 2 threads, alternating, and of the
# same model in PyTorch on one thread (bench/fashion_torch.py), each run
# REPEATS times; prints every run's epoch time and CPU time, then the best
# of each. On a shared machine the best is the least disturbed run.
# usage: bench/fashion_epochs.sh [BUILD_DIR] [REPEATS]   (default build/release 3)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
repeats=${2:-3}
demo=$build/demos/fashion
[ -x "$demo" ] || { echo "build $demo first: cmake --preset release && cmake --build build/release --target fashion"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A best
note() { # name seconds
  if [ -z "${best[$1]:-}" ] || awk -v a="$2" -v b="${best[$1]}" 'BEGIN { exit !(a < b) }'; then best[$1]=$2; fi
}
for ((r = 1; r <= repeats; ++r)); do
  for threads in 1 2; do
    line=$(/usr/bin/time -f "cpu %U" "$demo" --epochs 1 --test-limit 1 --threads "$threads" --out "$out" 2>&1 |
      grep -E "^epoch 1/1:|^cpu" | tr '\n' ' ')
    echo "tapegrad $threads thread(s): $line"
    note "tapegrad-$threads" "$(sed -E 's/^epoch 1\/1: ([0-9.]+) s.*/\1/' <<<"$line")"
  done
  if /usr/bin/python3 -c "import torch" 2>/dev/null; then
    line=$(/usr/bin/python3 bench/fashion_torch.py --epochs 1 | grep "^epoch 1/1:")
    echo "pytorch 1 thread: $line"
    note pytorch-1 "$(sed -E 's/^epoch 1\/1: ([0-9.]+) s.*/\1/' <<<"$line")"
  fi
done
echo "best epoch times (s): tapegrad 1 thread ${best[tapegrad-1]}, 2 threads ${best[tapegrad-2]}," \
  "pytorch 1 thread ${best[pytorch-1]:-n/a}"
awk -v a="${best[tapegrad-1]}" -v b="${best[tapegrad-2]}" 'BEGIN { printf "speedup with 2 threads: %.2fx\n", a / b }'
[ -n "${best[pytorch-1]:-}" ] && awk -v a="${best[tapegrad-1]}" -v b="${best[pytorch-1]}" \
  'BEGIN { printf "tapegrad 1 thread / pytorch 1 thread: %.2fx\n", a / b }'
exit 0
