// second_order: Hessian-vector products and Hessians against the gradient, on
// one recorded tape, in the same run: hvp on chain and on the moons MLP's loss
// (ratio to backward()), and the Hessian of a dense function of n = 100
// (ratio to n gradients). Also the memory the sweeps take per node.
//
//   tapegrad_bench --run=second_order --steps=K   the table, K timed repetitions
//   tapegrad_bench --benchmark_filter=second_order   the same as Google benchmarks
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <span>
#include <vector>

#include <tapegrad/autodiff.hpp>

#include "problems.hpp"
#include "workloads.hpp"

namespace bench {
namespace {
using tapegrad::Tape;
using tapegrad::Value;

Value chain_loss(std::span<const Value> x) {
  Value f = log(1.0 + exp(x[0] * x[1])) * sigmoid(x[0]);
  for (std::size_t i = 1; i + 1 < x.size(); ++i)
    f += log(1.0 + exp(x[i] * x[i + 1])) * sigmoid(x[i]);
  return f;
}

/// mlp_step's loss (2 -> 16 -> 16 -> 1, relu, hinge, 1e-4 L2) with scalar ops.
Value mlp_loss(std::span<const Value> p, const Moons& data) {
  using L = MlpLayout;
  std::vector<Value> h1(mlp_hidden), h2(mlp_hidden), terms;
  for (std::size_t n = 0; n < data.x.size(); ++n) {
    for (std::size_t j = 0; j < mlp_hidden; ++j)
      h1[j] = relu(p[L::b1 + j] + p[L::w1 + 2 * j] * data.x[n][0] +
                   p[L::w1 + 2 * j + 1] * data.x[n][1]);
    for (std::size_t j = 0; j < mlp_hidden; ++j) {
      Value a = p[L::b2 + j];
      for (std::size_t i = 0; i < mlp_hidden; ++i) a = a + p[L::w2 + mlp_hidden * j + i] * h1[i];
      h2[j] = relu(a);
    }
    Value score = p[L::b3];
    for (std::size_t i = 0; i < mlp_hidden; ++i) score = score + p[L::w3 + i] * h2[i];
    terms.push_back(relu(1.0 - data.y[n] * score) / static_cast<double>(data.x.size()));
  }
  for (const Value& q : p) terms.push_back(mlp_l2 * q * q);
  return sum(terms);
}

/// A function of n inputs whose Hessian is dense: softplus(c·x) |x|²/n + Σ sin(x_i).
Value dense_loss(std::span<const Value> x) {
  std::vector<Value> squares, sines;
  std::vector<double> c(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    c[i] = std::cos(static_cast<double>(i));
    squares.push_back(x[i] * x[i]);
    sines.push_back(sin(x[i]));
  }
  return softplus(dot(x, c, Value(0.0))) * sum(squares) / static_cast<double>(x.size()) +
         sum(sines);
}

/// A recorded function: the tape, its leaves, its output.
struct Recorded {
  Tape tape;
  std::vector<Value> inputs;
  Value out;
  template <class F> Recorded(std::span<const double> x, F&& f) {
    for (const double xi : x) inputs.push_back(tape.var(xi));
    out = f(std::span<const Value>(inputs));
  }
};

std::vector<double> direction(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::sin(1.0 + static_cast<double>(i));
  return v;
}

template <class F> double median_seconds(std::size_t reps, F&& f) {
  std::vector<double> times;
  for (std::size_t r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::vector<double> chain_point(std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = std::sin(0.37 * static_cast<double>(i));
  return x;
}

struct Problem {
  const char* name;
  std::vector<double> x;
  Value (*f)(std::span<const Value>);
};

const Moons& moons() {
  static const Moons data = make_moons();
  return data;
}
Value mlp_on(std::span<const Value> p) { return mlp_loss(p, moons()); }

} // namespace

bool verify_second_order() {
  // hvp against central differences of the gradient, on a small chain and the MLP.
  double worst = 0;
  for (const Problem& p : {Problem{"chain", chain_point(200), chain_loss},
                           Problem{"mlp", mlp_initial_parameters(), mlp_on}}) {
    const std::vector<double> v = direction(p.x.size());
    const std::vector<double> hv = tapegrad::hvp(p.f, p.x, v);
    const double h = 1e-6;
    std::vector<double> plus = p.x, minus = p.x;
    for (std::size_t i = 0; i < v.size(); ++i) plus[i] += h * v[i], minus[i] -= h * v[i];
    const std::vector<double> gp = tapegrad::gradient(p.f, plus),
                              gm = tapegrad::gradient(p.f, minus);
    std::vector<double> fd(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) fd[i] = (gp[i] - gm[i]) / (2 * h);
    worst = std::max(worst, max_relative_error(hv, fd));
  }
  return report_check("second_order", "hvp vs central diffs", worst, 1e-5);
}

double run_second_order(std::size_t steps) {
  const std::size_t reps = std::max<std::size_t>(steps, 1);
  std::printf("second_order: medians of %zu runs on one recorded tape each\n", reps);
  std::printf("%-10s %9s %12s %12s %12s %8s\n", "function", "nodes", "backward ms", "gradient_on",
              "hvp_on ms", "hvp/bwd");
  double checksum = 0;
  for (const Problem& p : {Problem{"chain", chain_point(problem_size()), chain_loss},
                           Problem{"mlp", mlp_initial_parameters(), mlp_on}}) {
    Recorded r(p.x, p.f);
    const std::vector<double> v = direction(p.x.size());
    tapegrad::SweepMemory memory; // reused, as backward() reuses the tape's gradients
    const double backward = median_seconds(reps, [&] { r.tape.backward(r.out); });
    const double gradient = median_seconds(
        reps, [&] { checksum += tapegrad::gradient_on(r.tape, r.out, r.inputs, memory)[0]; });
    const double hvp = median_seconds(
        reps, [&] { checksum += tapegrad::hvp_on(r.tape, r.out, r.inputs, v, memory)[0]; });
    std::printf("%-10s %9zu %12.3f %12.3f %12.3f %8.2f %8.1f\n", p.name, r.tape.size(),
                1e3 * backward, 1e3 * gradient, 1e3 * hvp, hvp / backward,
                static_cast<double>(memory.bytes()) / static_cast<double>(r.tape.size()));
  }
  {
    const std::size_t n = 100;
    Recorded r(chain_point(n), dense_loss);
    const double gradient = median_seconds(reps, [&] { r.tape.backward(r.out); });
    const double hessian =
        median_seconds(reps, [&] { checksum += tapegrad::hessian_on(r.tape, r.out, r.inputs)[0]; });
    std::printf("dense n=%zu: %zu nodes, hessian_on %.3f ms = %.2f x %zu gradients (%.4f ms "
                "each)\n",
                n, r.tape.size(), 1e3 * hessian, hessian / (static_cast<double>(n) * gradient), n,
                1e3 * gradient);
  }
  std::printf("B/node: the SweepMemory's bytes per tape node (a tangent, an adjoint and its "
              "tangent), beside the tape's own\n");
  return checksum;
}

void register_second_order() {
  static const std::vector<double> chain_x = chain_point(problem_size());
  benchmark::RegisterBenchmark("second_order/chain_hvp", [](benchmark::State& state) {
    Recorded r(chain_x, chain_loss);
    const std::vector<double> v = direction(chain_x.size());
    tapegrad::SweepMemory memory;
    for (auto _ : state)
      benchmark::DoNotOptimize(tapegrad::hvp_on(r.tape, r.out, r.inputs, v, memory));
    state.counters["nodes"] = static_cast<double>(r.tape.size());
  });
  benchmark::RegisterBenchmark("second_order/mlp_hvp", [](benchmark::State& state) {
    Recorded r(mlp_initial_parameters(), mlp_on);
    const std::vector<double> v = direction(mlp_parameters);
    tapegrad::SweepMemory memory;
    for (auto _ : state)
      benchmark::DoNotOptimize(tapegrad::hvp_on(r.tape, r.out, r.inputs, v, memory));
    state.counters["nodes"] = static_cast<double>(r.tape.size());
  });
  benchmark::RegisterBenchmark("second_order/dense100_hessian", [](benchmark::State& state) {
    Recorded r(chain_point(100), dense_loss);
    for (auto _ : state) benchmark::DoNotOptimize(tapegrad::hessian_on(r.tape, r.out, r.inputs));
    state.counters["nodes"] = static_cast<double>(r.tape.size());
  });
}

} // namespace bench
