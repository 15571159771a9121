// poly: the n-dimensional Rosenbrock function, multiply-add heavy, n = 10^6:
// f(x) = sum_i 100 (x_(i+1) - x_i^2)^2 + (1 - x_i)^2, and its full gradient, on
// tapegrad. The inputs are recorded once; each gradient records f above a
// mark, runs backward(), copies the n partial derivatives out, and rewinds.
#include <cmath>
#include <span>
#include <vector>

#include <tapegrad/autodiff.hpp>

#include "alloc_counter.hpp"
#include "problems.hpp"
#include "workloads.hpp"

namespace bench {

namespace {
using tapegrad::Tape;
using tapegrad::Value;

/// One term 100 (b - a^2)^2 + (1 - a)^2, written as a user would.
Value rosenbrock_term(Value a, Value b) {
  const Value d = b - a * a, e = 1.0 - a;
  return 100.0 * (d * d) + e * e;
}

/// f(x) recorded on x's tape.
Value poly_on_tape(std::span<const Value> x) {
  Value f = rosenbrock_term(x[0], x[1]);
  for (std::size_t i = 1; i + 1 < x.size(); ++i) f += rosenbrock_term(x[i], x[i + 1]);
  return f;
}

/// The inputs as leaves on a tape, and a mark above them.
struct Inputs {
  explicit Inputs(Tape& tape) {
    for (double xi : poly_inputs(problem_size())) x.push_back(tape.var(xi));
    mark = tape.mark();
  }
  std::vector<Value> x;
  Tape::Mark mark;
};

/// One full gradient: record, backward, copy df/dx into g, rewind.
void gradient_step(Tape& tape, const Inputs& in, std::vector<double>& g) {
  tape.backward(poly_on_tape(in.x));
  for (std::size_t i = 0; i < g.size(); ++i) g[i] = in.x[i].grad();
  tape.rewind(in.mark);
}

void primal(benchmark::State& state) {
  const std::vector<double> x = poly_inputs(problem_size());
  const auto allocations = allocation_count();
  for (auto _ : state) benchmark::DoNotOptimize(poly_primal(x));
  set_allocation_counter(state, allocations);
}

void gradient(benchmark::State& state) {
  Tape tape;
  const Inputs in(tape);
  std::vector<double> g(in.x.size());
  const TapeUse use = measure_tape_use(tape, [&] { poly_on_tape(in.x); });
  tape.rewind(in.mark);
  gradient_step(tape, in, g); // warm-up: sizes the gradient array
  const auto allocations = allocation_count();
  for (auto _ : state) gradient_step(tape, in, g);
  set_tape_counters(state, use, allocations);
}

void record(benchmark::State& state) {
  Tape tape;
  const Inputs in(tape);
  const TapeUse use = measure_tape_use(tape, [&] { poly_on_tape(in.x); });
  tape.rewind(in.mark);
  poly_on_tape(in.x); // warm-up, as in gradient(): the first pass after growing is slow
  tape.rewind(in.mark);
  const auto allocations = allocation_count();
  for (auto _ : state) {
    benchmark::DoNotOptimize(poly_on_tape(in.x));
    tape.rewind(in.mark);
  }
  set_tape_counters(state, use, allocations);
}

void reverse(benchmark::State& state) {
  Tape tape;
  const Inputs in(tape);
  Value f;
  const TapeUse use = measure_tape_use(tape, [&] { f = poly_on_tape(in.x); });
  tape.backward(f);
  const auto allocations = allocation_count();
  for (auto _ : state) tape.backward(f);
  set_tape_counters(state, use, allocations);
}
} // namespace

bool verify_poly() {
  Tape tape;
  const Inputs in(tape);
  std::vector<double> g(in.x.size()), expected(in.x.size());
  const std::vector<double> x = poly_inputs(problem_size());
  const double value = poly_on_tape(in.x).value();
  tape.rewind(in.mark);
  gradient_step(tape, in, g);
  poly_gradient(x, expected);
  return report_check("poly", "tapegrad value",
                      std::abs(value - poly_primal(x)) / std::abs(poly_primal(x)), 1e-12) &&
         report_check("poly", "tapegrad gradient", max_relative_error(g, expected), 1e-12);
}

void register_poly() {
  benchmark::RegisterBenchmark("poly/primal", primal)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("poly/gradient", gradient)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("poly/record", record)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("poly/reverse", reverse)->Unit(benchmark::kMillisecond);
}

} // namespace bench
