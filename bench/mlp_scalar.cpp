// mlp_scalar: mlp_step's moons training step written the way the seed, the
// tutorial and micrograd write it (issue 13): every neuron is `a = b; a = a +
// w_i * x_i` with scalar operators (no dot, linear or sum), the tape is cleared
// and the 337 parameters are recorded afresh with var() each step, then
// backward() and an SGD update of the plain-double parameters. Same network,
// data, loss and primal (mlp_primal) as mlp_step.
#include <array>
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

/// The parameters as plain doubles, and the scratch a step records into (so a
/// steady step allocates nothing).
class ScalarNetwork {
public:
  explicit ScalarNetwork(Tape& tape) : tape_(tape), values_(mlp_initial_parameters()) {}

  /// Clears the tape, records the parameters as leaves and the loss over
  /// `data`, every operation a scalar one.
  Value record_loss(const Moons& data) {
    using L = MlpLayout;
    constexpr std::size_t H = mlp_hidden;
    tape_.clear();
    for (std::size_t i = 0; i < mlp_parameters; ++i) p_[i] = tape_.var(values_[i]);
    Value total = tape_.var(0.0);
    for (std::size_t n = 0; n < mlp_points; ++n) {
      for (std::size_t j = 0; j < H; ++j) {
        Value a = p_[L::b1 + j];
        for (std::size_t k = 0; k < 2; ++k) a = a + p_[L::w1 + 2 * j + k] * data.x[n][k];
        h1_[j] = relu(a);
      }
      for (std::size_t j = 0; j < H; ++j) {
        Value a = p_[L::b2 + j];
        for (std::size_t k = 0; k < H; ++k) a = a + p_[L::w2 + H * j + k] * h1_[k];
        h2_[j] = relu(a);
      }
      Value score = p_[L::b3];
      for (std::size_t k = 0; k < H; ++k) score = score + p_[L::w3 + k] * h2_[k];
      total = total + relu(1.0 - data.y[n] * score); // max-margin (hinge) loss
    }
    Value squares = tape_.var(0.0);
    for (const Value& p : p_) squares = squares + p * p;
    return total / static_cast<double>(mlp_points) + mlp_l2 * squares;
  }

  /// One training step: record, backward, SGD update of the doubles.
  void step(const Moons& data) {
    tape_.backward(record_loss(data));
    for (std::size_t i = 0; i < mlp_parameters; ++i) values_[i] -= mlp_learning_rate * p_[i].grad();
  }

  /// d(loss)/d(parameters) from the last backward().
  [[nodiscard]] std::vector<double> gradient() const {
    std::vector<double> g;
    for (const Value& p : p_) g.push_back(p.grad());
    return g;
  }
  [[nodiscard]] const std::vector<double>& parameters() const { return values_; }

private:
  Tape& tape_;
  std::vector<double> values_;
  std::array<Value, mlp_parameters> p_;
  std::array<Value, mlp_hidden> h1_, h2_;
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
  ScalarNetwork net(tape);
  const TapeUse use = measure_tape_use(tape, [&] { net.record_loss(data); });
  net.step(data); // warm-up: the first backward() sizes the gradient array
  const auto allocations = allocation_count();
  for (auto _ : state) net.step(data);
  set_tape_counters(state, use, allocations);
}

void record(benchmark::State& state) {
  const Moons data = make_moons();
  Tape tape;
  ScalarNetwork net(tape);
  const TapeUse use = measure_tape_use(tape, [&] { net.record_loss(data); });
  const auto allocations = allocation_count();
  for (auto _ : state) benchmark::DoNotOptimize(net.record_loss(data));
  set_tape_counters(state, use, allocations);
}

void reverse(benchmark::State& state) {
  const Moons data = make_moons();
  Tape tape;
  ScalarNetwork net(tape);
  Value loss;
  const TapeUse use = measure_tape_use(tape, [&] { loss = net.record_loss(data); });
  tape.backward(loss);
  const auto allocations = allocation_count();
  for (auto _ : state) tape.backward(loss);
  set_tape_counters(state, use, allocations);
}
} // namespace

bool verify_mlp_scalar() {
  const Moons data = make_moons();
  const std::vector<double> params = mlp_initial_parameters();
  Tape tape;
  ScalarNetwork net(tape);
  const Value loss = net.record_loss(data);
  tape.backward(loss);
  // Central differences on the plain-double loss: independent of the tape.
  const double value_error = std::abs(loss.value() - mlp_primal(params, data));
  return report_check("mlp_scalar", "tapegrad value", value_error, 1e-12) &&
         report_check("mlp_scalar", "tapegrad gradient",
                      max_relative_error(net.gradient(), mlp_reference_gradient(params, data)),
                      1e-6);
}

double run_mlp_scalar(std::size_t steps) {
  const Moons data = make_moons();
  Tape tape;
  ScalarNetwork net(tape);
  net.step(data); // the benchmark's warm-up
  for (std::size_t i = 0; i < steps; ++i) net.step(data);
  return net.parameters()[0];
}

void register_mlp_scalar() {
  benchmark::RegisterBenchmark("mlp_scalar/primal", primal)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("mlp_scalar/gradient", gradient)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("mlp_scalar/record", record)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("mlp_scalar/reverse", reverse)->Unit(benchmark::kMicrosecond);
}

} // namespace bench
