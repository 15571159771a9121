// mlp_step: micrograd's moons training step on tapegrad. An MLP 2 -> 16 -> 16
// -> 1 (ReLU hidden, linear output), 100 points, loss mean relu(1 - y score)
// + 1e-4 sum p^2, backward, SGD update, rewind. Each neuron is one dot() node,
// and linear() records a whole layer's.
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

/// The network on a tape: its parameters recorded once as leaves, and the
/// scratch each step refills (so a step allocates nothing).
class Network {
public:
  explicit Network(Tape& tape) : tape_(tape) {
    for (double p : mlp_initial_parameters()) params_.push_back(tape.var(p));
    mark_ = tape.mark();
  }

  /// Records the loss over `data` above the mark.
  Value record_loss(const Moons& data) {
    using L = MlpLayout;
    constexpr std::size_t H = mlp_hidden;
    const std::span<const Value> p(params_);
    for (std::size_t n = 0; n < mlp_points; ++n) {
      linear(p.subspan(L::w1, 2 * H), data.x[n], p.subspan(L::b1, H), hidden1_);
      for (Value& h : hidden1_) h = relu(h);
      linear(p.subspan(L::w2, H * H), hidden1_, p.subspan(L::b2, H), hidden2_);
      for (Value& h : hidden2_) h = relu(h);
      const Value score = dot(p.subspan(L::w3, H), hidden2_, p[L::b3]);
      losses_[n] = relu(1.0 - data.y[n] * score); // max-margin (hinge) loss
    }
    for (std::size_t i = 0; i < mlp_parameters; ++i) squares_[i] = p[i] * p[i];
    return sum(losses_) / static_cast<double>(mlp_points) + mlp_l2 * sum(squares_);
  }

  /// One training step: forward, backward, SGD update, rewind.
  void step(const Moons& data) {
    tape_.backward(record_loss(data));
    for (const Value& p : params_) p.set_value(p.value() - mlp_learning_rate * p.grad());
    tape_.rewind(mark_);
  }

  [[nodiscard]] std::span<const Value> parameters() const { return params_; }
  [[nodiscard]] Tape::Mark mark() const { return mark_; }

private:
  Tape& tape_;
  std::vector<Value> params_;
  Tape::Mark mark_;
  std::vector<Value> hidden1_ = std::vector<Value>(mlp_hidden);
  std::vector<Value> hidden2_ = std::vector<Value>(mlp_hidden);
  std::vector<Value> losses_ = std::vector<Value>(mlp_points);
  std::vector<Value> squares_ = std::vector<Value>(mlp_parameters);
};

void primal(benchmark::State& state) {
  const Moons data = make_moons();
  const std::vector<double> params = mlp_initial_parameters();
  const auto allocations = allocation_count();
  for (auto _ : state) benchmark::DoNotOptimize(mlp_primal(params, data));
  set_allocation_counter(state, allocations);
}

void gradient(benchmark::State& state) {
  const Moons data = make_moons();
  Tape tape;
  Network net(tape);
  const TapeUse use = measure_tape_use(tape, [&] { net.record_loss(data); });
  tape.rewind(net.mark());
  net.step(data); // warm-up: the first backward() sizes the gradient array
  const auto allocations = allocation_count();
  for (auto _ : state) net.step(data);
  set_tape_counters(state, use, allocations);
}

void record(benchmark::State& state) {
  const Moons data = make_moons();
  Tape tape;
  Network net(tape);
  const TapeUse use = measure_tape_use(tape, [&] { net.record_loss(data); });
  tape.rewind(net.mark());
  const auto allocations = allocation_count();
  for (auto _ : state) {
    benchmark::DoNotOptimize(net.record_loss(data));
    tape.rewind(net.mark());
  }
  set_tape_counters(state, use, allocations);
}

void reverse(benchmark::State& state) {
  const Moons data = make_moons();
  Tape tape;
  Network net(tape);
  Value loss;
  const TapeUse use = measure_tape_use(tape, [&] { loss = net.record_loss(data); });
  tape.backward(loss);
  const auto allocations = allocation_count();
  for (auto _ : state) tape.backward(loss);
  set_tape_counters(state, use, allocations);
}
} // namespace

bool verify_mlp_step() {
  const Moons data = make_moons();
  const std::vector<double> params = mlp_initial_parameters();
  Tape tape;
  Network net(tape);
  const Value loss = net.record_loss(data);
  tape.backward(loss);
  std::vector<double> grads;
  for (const Value& p : net.parameters()) grads.push_back(p.grad());
  const double value_error = std::abs(loss.value() - mlp_primal(params, data));
  return report_check("mlp_step", "tapegrad value", value_error, 1e-12) &&
         report_check("mlp_step", "tapegrad gradient",
                      max_relative_error(grads, mlp_reference_gradient(params, data)), 1e-6);
}

double run_mlp_step(std::size_t steps) {
  const Moons data = make_moons();
  Tape tape;
  Network net(tape);
  net.step(data); // the benchmark's warm-up
  for (std::size_t i = 0; i < steps; ++i) net.step(data);
  return net.parameters()[0].value();
}

void register_mlp_step() {
  benchmark::RegisterBenchmark("mlp_step/primal", primal)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("mlp_step/gradient", gradient)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("mlp_step/record", record)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("mlp_step/reverse", reverse)->Unit(benchmark::kMicrosecond);
}

} // namespace bench
