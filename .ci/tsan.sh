#!/usr/bin/env bash
# ThreadSanitizer: builds the `tsan` preset (tests only) into build/tsan and
# runs the threads test (independent tapes on four threads at once) and the
# data-parallel Trainer's test (nn_trainer_threads), then the whole suite
# unless --threads-only is given.
# usage: .ci/tsan.sh [--threads-only]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset tsan -B build/tsan >/dev/null
if [ "${1:-}" = "--threads-only" ]; then
  cmake --build build/tsan -j "$(nproc)" --target threads_test nn_trainer_threads_test # the whole suite takes ~12 min
else
  cmake --build build/tsan -j "$(nproc)"
fi
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
ctest --test-dir build/tsan --output-on-failure -R '^(threads|nn_trainer_threads)$'
if [ "${1:-}" != "--threads-only" ]; then
  ctest --test-dir build/tsan --output-on-failure -j "$(nproc)" -E '^(threads|nn_trainer_threads)$|consumer'
fi
