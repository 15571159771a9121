// seed_step: the seed homework's 1-1-1 network on tapegrad, one training step
// (forward, binary cross-entropy, backward, SGD update, rewind). Eleven nodes:
// this measures the engine's fixed overhead per step on a tiny graph.
#include <array>
#include <cmath>

#include <tapegrad/autodiff.hpp>

#include "alloc_counter.hpp"
#include "problems.hpp"
#include "workloads.hpp"

namespace bench {

namespace {
using tapegrad::Tape;
using tapegrad::Value;

/// x, y and the four parameters recorded once as leaves, as in the homework.
class SeedNetwork {
public:
  explicit SeedNetwork(Tape& tape, const Seed& s = {})
      : tape_(tape), y_(s.y), x_(tape.var(s.x, "x")), w1_(tape.var(s.w1, "w1")),
        b1_(tape.var(s.b1, "b1")), w2_(tape.var(s.w2, "w2")), b2_(tape.var(s.b2, "b2")),
        mark_(tape.mark()) {}

  /// The loss, written exactly as in the homework.
  Value record_loss() const {
    const Value a1 = sigmoid(w1_ * x_ + b1_);
    const Value y_hat = sigmoid(w2_ * a1 + b2_);
    return -(y_ * log(y_hat) + (1 - y_) * log(1 - y_hat));
  }

  void step() {
    tape_.backward(record_loss());
    for (const Value& p : parameters()) p.set_value(p.value() - seed_learning_rate * p.grad());
    tape_.rewind(mark_);
  }

  [[nodiscard]] std::array<Value, 4> parameters() const { return {w1_, b1_, w2_, b2_}; }
  [[nodiscard]] Tape::Mark mark() const { return mark_; }

private:
  Tape& tape_;
  double y_;
  Value x_, w1_, b1_, w2_, b2_;
  Tape::Mark mark_;
};

void primal(benchmark::State& state) {
  Seed s;
  const auto allocations = allocation_count();
  for (auto _ : state) {
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(seed_primal(s));
  }
  set_allocation_counter(state, allocations);
}

void gradient(benchmark::State& state) {
  Tape tape;
  SeedNetwork net(tape);
  const TapeUse use = measure_tape_use(tape, [&] { net.record_loss(); });
  tape.rewind(net.mark());
  net.step(); // warm-up: the first backward() sizes the gradient array
  const auto allocations = allocation_count();
  for (auto _ : state) net.step();
  set_tape_counters(state, use, allocations);
}

void record(benchmark::State& state) {
  Tape tape;
  SeedNetwork net(tape);
  const TapeUse use = measure_tape_use(tape, [&] { net.record_loss(); });
  tape.rewind(net.mark());
  const auto allocations = allocation_count();
  for (auto _ : state) {
    benchmark::DoNotOptimize(net.record_loss());
    tape.rewind(net.mark());
  }
  set_tape_counters(state, use, allocations);
}

void reverse(benchmark::State& state) {
  Tape tape;
  SeedNetwork net(tape);
  Value loss;
  const TapeUse use = measure_tape_use(tape, [&] { loss = net.record_loss(); });
  tape.backward(loss);
  const auto allocations = allocation_count();
  for (auto _ : state) tape.backward(loss);
  set_tape_counters(state, use, allocations);
}
} // namespace

bool verify_seed_step() {
  Tape tape;
  SeedNetwork net(tape);
  const Value loss = net.record_loss();
  tape.backward(loss);
  std::array<double, 4> grads{};
  for (std::size_t i = 0; i < 4; ++i) grads[i] = net.parameters()[i].grad();
  // The hand gradient, and the seed's exact figures from DESIGN.md.
  const std::array<double, 4> exact{-0.019630, -0.039259, -0.218027, -0.396533};
  return report_check("seed_step", "tapegrad value", std::abs(loss.value() - seed_primal({})),
                      1e-15) &&
         report_check("seed_step", "tapegrad gradient",
                      max_relative_error(grads, seed_gradient({})), 1e-14) &&
         report_check("seed_step", "tapegrad vs DESIGN.md", max_relative_error(grads, exact), 5e-7);
}

double run_seed_step(std::size_t steps) {
  Tape tape;
  SeedNetwork net(tape);
  net.step(); // the benchmark's warm-up
  for (std::size_t i = 0; i < steps; ++i) net.step();
  return net.parameters()[0].value();
}

void register_seed_step() {
  benchmark::RegisterBenchmark("seed_step/primal", primal)->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("seed_step/gradient", gradient)->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("seed_step/record", record)->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("seed_step/reverse", reverse)->Unit(benchmark::kNanosecond);
}

} // namespace bench
