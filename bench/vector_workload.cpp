// The benchmarks and the start-up check of a VectorWorkload (chain, poly).
// The inputs are recorded once; each gradient records f above a mark, runs
// backward(), copies the n partial derivatives out, and rewinds.
#include "vector_workload.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include <benchmark/benchmark.h>

#include "alloc_counter.hpp"
#include "problems.hpp"
#include "workloads.hpp"

namespace bench {

namespace {
using tapegrad::Tape;
using tapegrad::Value;

/// The inputs as leaves on a tape, and a mark above them.
struct Inputs {
  Inputs(Tape& tape, const VectorWorkload& w) {
    for (double xi : w.inputs(problem_size())) x.push_back(tape.var(xi));
    mark = tape.mark();
  }
  std::vector<Value> x;
  Tape::Mark mark;
};

/// One full gradient: record, backward, copy df/dx into g, rewind.
void gradient_step(const VectorWorkload& w, Tape& tape, const Inputs& in, std::vector<double>& g) {
  tape.backward(w.on_tape(in.x));
  for (std::size_t i = 0; i < g.size(); ++i) g[i] = in.x[i].grad();
  tape.rewind(in.mark);
}

void primal(benchmark::State& state, const VectorWorkload& w) {
  const std::vector<double> x = w.inputs(problem_size());
  const auto allocations = allocation_count();
  for (auto _ : state) benchmark::DoNotOptimize(w.primal(x));
  set_allocation_counter(state, allocations);
}

void gradient(benchmark::State& state, const VectorWorkload& w) {
  Tape tape;
  const Inputs in(tape, w);
  std::vector<double> g(in.x.size());
  const TapeUse use = measure_tape_use(tape, [&] { w.on_tape(in.x); });
  tape.rewind(in.mark);
  gradient_step(w, tape, in, g); // warm-up: sizes the gradient array
  const auto allocations = allocation_count();
  for (auto _ : state) gradient_step(w, tape, in, g);
  set_tape_counters(state, use, allocations);
}

void record(benchmark::State& state, const VectorWorkload& w) {
  Tape tape;
  const Inputs in(tape, w);
  const TapeUse use = measure_tape_use(tape, [&] { w.on_tape(in.x); });
  tape.rewind(in.mark);
  w.on_tape(in.x); // warm-up, as in gradient(): the first pass after growing is slow
  tape.rewind(in.mark);
  const auto allocations = allocation_count();
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.on_tape(in.x));
    tape.rewind(in.mark);
  }
  set_tape_counters(state, use, allocations);
}

/// The memory traffic alone of one gradient: writes as many bytes as a step's
/// tape holds, then reads them back, as recording and backward() do, with no
/// arithmetic. No tape of this size can take less (the gradient also writes
/// and reads the n gradients, and computes the primal while recording).
void tape_traffic(benchmark::State& state, const VectorWorkload& w) {
  Tape tape;
  const Inputs in(tape, w);
  const TapeUse use = measure_tape_use(tape, [&] { w.on_tape(in.x); });
  std::vector<std::uint64_t> tape_bytes(use.bytes / sizeof(std::uint64_t));
  std::uint64_t step = 0;
  const auto allocations = allocation_count();
  for (auto _ : state) {
    std::fill(tape_bytes.begin(), tape_bytes.end(), ++step); // recording writes the tape
    std::uint64_t total = 0;
    for (const std::uint64_t word : tape_bytes) total += word; // backward() reads it back
    benchmark::DoNotOptimize(total);
  }
  set_tape_counters(state, use, allocations);
}

void reverse(benchmark::State& state, const VectorWorkload& w) {
  Tape tape;
  const Inputs in(tape, w);
  Value f;
  const TapeUse use = measure_tape_use(tape, [&] { f = w.on_tape(in.x); });
  tape.backward(f);
  const auto allocations = allocation_count();
  for (auto _ : state) tape.backward(f);
  set_tape_counters(state, use, allocations);
}

} // namespace

bool verify_vector_workload(const VectorWorkload& w) {
  Tape tape;
  const Inputs in(tape, w);
  std::vector<double> g(in.x.size()), expected(in.x.size());
  const std::vector<double> x = w.inputs(problem_size());
  const double value = w.on_tape(in.x).value();
  tape.rewind(in.mark);
  gradient_step(w, tape, in, g);
  w.gradient(x, expected);
  return report_check(w.name, "tapegrad value",
                      std::abs(value - w.primal(x)) / std::abs(w.primal(x)), 1e-12) &&
         report_check(w.name, "tapegrad gradient", max_relative_error(g, expected), 1e-12);
}

double run_vector_workload(const VectorWorkload& w, std::size_t steps) {
  Tape tape;
  const Inputs in(tape, w);
  std::vector<double> g(in.x.size());
  gradient_step(w, tape, in, g); // the benchmark's warm-up
  double total = 0;
  for (std::size_t i = 0; i < steps; ++i) {
    gradient_step(w, tape, in, g);
    total += g[0];
  }
  return total;
}

void register_vector_workload(const VectorWorkload& w) {
  using Benchmark = void (*)(benchmark::State&, const VectorWorkload&);
  for (const auto& [kind, run] : {std::pair<const char*, Benchmark>{"primal", primal},
                                  {"gradient", gradient},
                                  {"record", record},
                                  {"reverse", reverse},
                                  {"tape_traffic", tape_traffic}})
    benchmark::RegisterBenchmark((w.name + "/" + kind).c_str(), [&w, run = run](
                                                                    benchmark::State& state) {
      run(state, w);
    })->Unit(benchmark::kMillisecond);
}

} // namespace bench
