// The workloads in plain doubles, and their gradients derived by hand. See
// problems.hpp.
#include "problems.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace bench {

namespace {
/// splitmix64: a tiny deterministic generator, the same on every platform.
class Random {
public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return lo + (hi - lo) * static_cast<double>(z >> 11) * 0x1.0p-53;
  }

private:
  std::uint64_t state_;
};

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double relu(double x) { return x > 0.0 ? x : 0.0; }

std::vector<double> uniform_vector(std::size_t n, double lo, double hi, std::uint64_t seed) {
  Random random(seed);
  std::vector<double> x(n);
  for (double& xi : x) xi = random.uniform(lo, hi);
  return x;
}
} // namespace

std::vector<double> chain_inputs(std::size_t n) { return uniform_vector(n, -1.0, 1.0, 1); }

double chain_primal(std::span<const double> x) {
  double f = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i)
    f += std::log(1.0 + std::exp(x[i] * x[i + 1])) * sigmoid(x[i]);
  return f;
}

void chain_gradient(std::span<const double> x, std::span<double> g) {
  std::fill(g.begin(), g.end(), 0.0);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    // term = L(x_i x_(i+1)) S(x_i) with L = log(1 + e^u), L' = sigmoid(u), S' = S(1 - S)
    const double u = x[i] * x[i + 1];
    const double l = std::log(1.0 + std::exp(u)), dl = sigmoid(u), s = sigmoid(x[i]);
    g[i] += dl * x[i + 1] * s + l * s * (1.0 - s);
    g[i + 1] += dl * x[i] * s;
  }
}

std::vector<double> poly_inputs(std::size_t n) { return uniform_vector(n, -1.5, 1.5, 2); }

double poly_primal(std::span<const double> x) {
  double f = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i];
    f += 100.0 * a * a + b * b;
  }
  return f;
}

void poly_gradient(std::span<const double> x, std::span<double> g) {
  std::fill(g.begin(), g.end(), 0.0);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i];
    g[i] += -400.0 * x[i] * a - 2.0 * b; // d/dx_i [100 a^2 + b^2]
    g[i + 1] += 200.0 * a;               // d/dx_(i+1) [100 a^2]
  }
}

double seed_primal(const Seed& s) {
  const double a1 = sigmoid(s.w1 * s.x + s.b1);
  const double y_hat = sigmoid(s.w2 * a1 + s.b2);
  return -(s.y * std::log(y_hat) + (1.0 - s.y) * std::log(1.0 - y_hat));
}

std::array<double, 4> seed_gradient(const Seed& s) {
  const double a1 = sigmoid(s.w1 * s.x + s.b1);
  const double y_hat = sigmoid(s.w2 * a1 + s.b2);
  const double dz2 = y_hat - s.y;                // dL/dz2 for BCE after a sigmoid
  const double dz1 = dz2 * s.w2 * a1 * (1 - a1); // back through w2 and the first sigmoid
  return {dz1 * s.x, dz1, dz2 * a1, dz2};        // w1, b1, w2, b2
}

Moons make_moons() {
  Moons m;
  Random random(3);
  const std::size_t half = mlp_points / 2;
  for (std::size_t i = 0; i < mlp_points; ++i) {
    const bool upper = i < half;
    const double t = std::numbers::pi * static_cast<double>(i % half) / (half - 1);
    const double px = upper ? std::cos(t) : 1.0 - std::cos(t);
    const double py = upper ? std::sin(t) : 0.5 - std::sin(t);
    m.x.push_back({px + random.uniform(-0.1, 0.1), py + random.uniform(-0.1, 0.1)});
    m.y.push_back(upper ? -1.0 : 1.0);
  }
  return m;
}

std::vector<double> mlp_initial_parameters() {
  return uniform_vector(mlp_parameters, -1.0, 1.0, 4);
}

double mlp_primal(std::span<const double> p, const Moons& data) {
  using L = MlpLayout;
  constexpr std::size_t H = mlp_hidden;
  double loss = 0.0;
  for (std::size_t n = 0; n < mlp_points; ++n) {
    std::array<double, H> h1, h2;
    for (std::size_t j = 0; j < H; ++j)
      h1[j] = relu(p[L::b1 + j] + p[L::w1 + 2 * j] * data.x[n][0] +
                   p[L::w1 + 2 * j + 1] * data.x[n][1]);
    for (std::size_t j = 0; j < H; ++j) {
      double z = p[L::b2 + j];
      for (std::size_t k = 0; k < H; ++k) z += p[L::w2 + H * j + k] * h1[k];
      h2[j] = relu(z);
    }
    double score = p[L::b3];
    for (std::size_t k = 0; k < H; ++k) score += p[L::w3 + k] * h2[k];
    loss += relu(1.0 - data.y[n] * score); // max-margin (hinge) loss
  }
  double squares = 0.0;
  for (double pi : p) squares += pi * pi;
  return loss / mlp_points + mlp_l2 * squares;
}

std::vector<double> mlp_reference_gradient(std::span<const double> params, const Moons& data) {
  std::vector<double> p(params.begin(), params.end()), g;
  const double h = 1e-5;
  for (double& pi : p) {
    const double saved = pi;
    pi = saved + h;
    const double up = mlp_primal(p, data);
    pi = saved - h;
    const double down = mlp_primal(p, data);
    pi = saved;
    g.push_back((up - down) / (2 * h));
  }
  return g;
}

double max_relative_error(std::span<const double> a, std::span<const double> b) {
  double worst = a.size() == b.size() ? 0.0 : INFINITY;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    worst = std::max(worst, std::abs(a[i] - b[i]) / std::max(1.0, std::abs(b[i])));
  return worst;
}

} // namespace bench
