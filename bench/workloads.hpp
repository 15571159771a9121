// What every workload file provides to bench_main.cpp: a check of its
// gradients against the hand-derived ones, and the registration of its
// benchmarks. Also the counters the benchmarks attach to their results.
//
// Benchmark names are "<workload>/<kind>", kind one of
//   primal    the computation in plain doubles (the ratio's denominator)
//   gradient  the whole derivative computation (for the *_step workloads: one
//             training step: record, backward, SGD update, rewind)
//   record    recording the tape only (then rewinding it)
//   reverse   backward() only, on a tape recorded once
//   tape_traffic  (chain, chain_literal, poly) writing and reading back as many bytes as one
//             step's tape holds, no arithmetic: the memory floor of any tape
//             that size
//   adolc     the gradient with ADOL-C (when it was found)
//   first, warm   (grow only) recording on a new Tape, and on a cleared one
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <benchmark/benchmark.h>

#include <tapegrad/tape.hpp>

namespace bench {

/// n for chain, chain_literal, poly and grow (10^6 unless the command line says --n=...).
std::size_t problem_size();

/// Prints "<workload> <backend>: max relative error e" and returns whether
/// e <= tolerance.
bool report_check(std::string_view workload, std::string_view backend, double error,
                  double tolerance);

/// What one step puts on the tape: nodes, and the bytes they occupy
/// (Tape::bytes_used() after recording minus before).
struct TapeUse {
  std::size_t nodes = 0;
  std::size_t bytes = 0;
};
/// Measures what `record` (a callable returning nothing) adds to `tape`.
template <class Record> TapeUse measure_tape_use(const tapegrad::Tape& tape, Record&& record);

/// Attaches the counters the summary table reads: nodes one step records, tape
/// bytes per node, and heap allocations per iteration counted since
/// `allocations_before` (taken just before the timed loop).
void set_tape_counters(benchmark::State& state, TapeUse use, std::uint64_t allocations_before);
/// Just the allocations per iteration (for the primal and ADOL-C benchmarks).
void set_allocation_counter(benchmark::State& state, std::uint64_t allocations_before);

template <class Record> TapeUse measure_tape_use(const tapegrad::Tape& tape, Record&& record) {
  const std::size_t nodes = tape.size(), bytes = tape.bytes_used();
  record();
  return {tape.size() - nodes, tape.bytes_used() - bytes};
}

bool verify_mlp_step();
void register_mlp_step();
bool verify_chain();
void register_chain();
bool verify_seed_step();
void register_seed_step();
bool verify_poly();
void register_poly();
bool verify_mlp_scalar();
void register_mlp_scalar();
bool verify_chain_literal();
void register_chain_literal();
/// hvp and hessian against the gradient (second_order.cpp).
bool verify_second_order();
void register_second_order();
/// grow/first and grow/warm (grow.cpp); nothing to verify: no gradient is read.
void register_grow();

// Untimed runs for counting instructions (tapegrad_bench --run=<workload>
// --steps=K, and bench/count_instructions.sh): the same set-up, warm-up step
// and gradient steps as the workload's /gradient benchmark, `steps` of them.
// Each returns a number the steps computed, so none can be optimised away.
double run_mlp_step(std::size_t steps);
double run_chain(std::size_t steps);
double run_seed_step(std::size_t steps);
double run_poly(std::size_t steps);
double run_mlp_scalar(std::size_t steps);
double run_chain_literal(std::size_t steps);
/// Prints hvp/backward on chain and the MLP loss, and hessian/(n gradients)
/// on a dense n = 100 function, each a median of `steps` runs.
double run_second_order(std::size_t steps);
/// grow's warm-up step also prints its memory and first/warm report (grow.cpp);
/// each step grows a fresh tape to problem_size() nodes.
double run_grow(std::size_t steps);

/// The ADOL-C side (adolc_workloads.cpp, built only when ADOL-C is found).
bool verify_adolc();
void register_adolc();

} // namespace bench
