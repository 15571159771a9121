// The four workloads on ADOL-C, for comparison: each gradient traces the
// function with adoubles (trace_on ... trace_off, keeping the Taylor values)
// and runs one first-order reverse sweep (fos_reverse), as ADOL-C's manual
// recommends for a gradient. The buffers are sized so the tape stays in memory.
#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <vector>

#include <adolc/adolc.h>

#include "alloc_counter.hpp"
#include "problems.hpp"
#include "workloads.hpp"

namespace bench {

namespace {
/// One ADOL-C tape per workload: a tape keeps the buffer sizes of its first trace.
enum Tag : short { mlp_tag = 1, chain_tag, seed_tag, poly_tag };

adouble sigmoid(const adouble& z) { return 1.0 / (1.0 + exp(-z)); }

/// Starts a trace whose buffers hold `ops` operations without spilling to disk.
void start_trace(short tag, std::size_t ops) {
  const auto size = static_cast<uint>(std::min<std::size_t>(ops, 1u << 30));
  trace_on(tag, 1, size, 3 * size, size, size);
}

/// Traces f (a callable from the adouble inputs to the adouble result) at x,
/// then writes df/dx into g.
template <class F>
double adolc_gradient(short tag, std::span<const double> x, std::span<double> g,
                      std::vector<adouble>& ax, std::size_t ops, F&& f) {
  start_trace(tag, ops);
  for (std::size_t i = 0; i < x.size(); ++i) ax[i] <<= x[i];
  double y = 0.0;
  f(ax) >>= y;
  trace_off();
  double weight = 1.0;
  fos_reverse(tag, 1, static_cast<int>(x.size()), &weight, g.data());
  return y;
}

adouble chain(const std::vector<adouble>& x) {
  adouble f = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i)
    f += log(1.0 + exp(x[i] * x[i + 1])) * sigmoid(x[i]);
  return f;
}

adouble poly(const std::vector<adouble>& x) {
  adouble f = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const adouble a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i];
    f += 100.0 * a * a + b * b;
  }
  return f;
}

/// Parameters w1, b1, w2, b2; x and y are constants.
adouble seed_loss(const std::vector<adouble>& p) {
  const Seed s;
  const adouble a1 = sigmoid(p[0] * s.x + p[1]);
  const adouble y_hat = sigmoid(p[2] * a1 + p[3]);
  return -(s.y * log(y_hat) + (1 - s.y) * log(1 - y_hat));
}

adouble mlp_loss(const std::vector<adouble>& p, const Moons& data) {
  using L = MlpLayout;
  constexpr std::size_t H = mlp_hidden;
  adouble loss = 0.0, squares = 0.0;
  std::vector<adouble> h1(H), h2(H);
  for (std::size_t n = 0; n < mlp_points; ++n) {
    for (std::size_t j = 0; j < H; ++j)
      h1[j] =
          fmax(p[L::b1 + j] + p[L::w1 + 2 * j] * data.x[n][0] + p[L::w1 + 2 * j + 1] * data.x[n][1],
               0.0);
    for (std::size_t j = 0; j < H; ++j) {
      adouble z = p[L::b2 + j];
      for (std::size_t k = 0; k < H; ++k) z += p[L::w2 + H * j + k] * h1[k];
      h2[j] = fmax(z, 0.0);
    }
    adouble score = p[L::b3];
    for (std::size_t k = 0; k < H; ++k) score += p[L::w3 + k] * h2[k];
    loss += fmax(1.0 - data.y[n] * score, 0.0);
  }
  for (const adouble& pi : p) squares += pi * pi;
  return loss / static_cast<double>(mlp_points) + mlp_l2 * squares;
}

/// Operations each trace holds, with room to spare.
std::size_t chain_ops() { return 16 * problem_size() + 1024; }
std::size_t poly_ops() { return 16 * problem_size() + 1024; }
constexpr std::size_t mlp_ops = 1 << 20, seed_ops = 1 << 14;

/// One ADOL-C gradient of a function of n inputs per iteration.
template <class F>
void bench_gradient(benchmark::State& state, short tag, std::vector<double> x, std::size_t ops,
                    F f) {
  std::vector<double> g(x.size());
  std::vector<adouble> ax(x.size());
  adolc_gradient(tag, x, g, ax, ops, f); // warm-up
  const auto allocations = allocation_count();
  for (auto _ : state) benchmark::DoNotOptimize(adolc_gradient(tag, x, g, ax, ops, f));
  set_allocation_counter(state, allocations);
}

/// A training step: gradient, then the SGD update of the parameters.
template <class F>
void bench_step(benchmark::State& state, short tag, std::vector<double> p, double rate,
                std::size_t ops, F f) {
  std::vector<double> g(p.size());
  std::vector<adouble> ap(p.size());
  const auto allocations = allocation_count();
  for (auto _ : state) {
    adolc_gradient(tag, p, g, ap, ops, f);
    for (std::size_t i = 0; i < p.size(); ++i) p[i] -= rate * g[i];
  }
  set_allocation_counter(state, allocations);
}
} // namespace

bool verify_adolc() {
  // At most 1000 inputs: ADOL-C's cost per trace grows with the most adoubles
  // ever alive at once, so the check must not inflate it for the timed runs.
  const std::size_t n = std::min<std::size_t>(problem_size(), 1000);
  const std::vector<double> xc = chain_inputs(n), xp = poly_inputs(n);
  std::vector<double> g(n), expected(n);
  std::vector<adouble> ax(n);
  adolc_gradient(chain_tag, xc, g, ax, chain_ops(), chain);
  chain_gradient(xc, expected);
  bool ok = report_check("chain", "ADOL-C gradient", max_relative_error(g, expected), 1e-12);
  adolc_gradient(poly_tag, xp, g, ax, poly_ops(), poly);
  poly_gradient(xp, expected);
  ok = report_check("poly", "ADOL-C gradient", max_relative_error(g, expected), 1e-12) && ok;

  const Seed s;
  const std::vector<double> seed_params{s.w1, s.b1, s.w2, s.b2};
  std::vector<double> gs(4);
  std::vector<adouble> as(4);
  adolc_gradient(seed_tag, seed_params, gs, as, seed_ops, seed_loss);
  ok = report_check("seed_step", "ADOL-C gradient", max_relative_error(gs, seed_gradient(s)),
                    1e-14) &&
       ok;

  const Moons data = make_moons();
  const std::vector<double> p = mlp_initial_parameters();
  std::vector<double> gm(p.size());
  std::vector<adouble> am(p.size());
  adolc_gradient(mlp_tag, p, gm, am, mlp_ops, [&](const auto& v) { return mlp_loss(v, data); });
  return report_check("mlp_step", "ADOL-C gradient",
                      max_relative_error(gm, mlp_reference_gradient(p, data)), 1e-6) &&
         ok;
}

void register_adolc() {
  // The small workloads first, for the reason given in verify_adolc().
  benchmark::RegisterBenchmark("seed_step/adolc", [](benchmark::State& state) {
    const Seed s;
    bench_step(state, seed_tag, {s.w1, s.b1, s.w2, s.b2}, seed_learning_rate, seed_ops, seed_loss);
  })->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("mlp_step/adolc", [](benchmark::State& state) {
    const Moons data = make_moons();
    bench_step(state, mlp_tag, mlp_initial_parameters(), mlp_learning_rate, mlp_ops,
               [&](const auto& p) { return mlp_loss(p, data); });
  })->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("chain/adolc", [](benchmark::State& state) {
    bench_gradient(state, chain_tag, chain_inputs(problem_size()), chain_ops(), chain);
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("poly/adolc", [](benchmark::State& state) {
    bench_gradient(state, poly_tag, poly_inputs(problem_size()), poly_ops(), poly);
  })->Unit(benchmark::kMillisecond);
}

} // namespace bench
