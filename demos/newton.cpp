// Newton's method with tapegrad::hessian against gradient descent: logistic
// regression on the moons with cubic polynomial features (10 weights and a
// bias), from the same start. Prints both convergence tables and draws the
// gradient norm per iteration, log scale, as an SVG.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <span>
#include <vector>

#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>
#include <tapegrad/nn.hpp>

#include "support/args.hpp"
#include "support/svg.hpp"

using namespace tapegrad;

namespace {

constexpr std::size_t features = 9; // x, y, x², xy, y², x³, x²y, xy², y³
constexpr double l2 = 1e-2;         // makes the Hessian positive definite

std::vector<double> polynomial_features(const nn::Dataset& data) {
  std::vector<double> out;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const double x = data.input(i)[0], y = data.input(i)[1];
    for (const double f : {x, y, x * x, x * y, y * y, x * x * x, x * x * y, x * y * y, y * y * y})
      out.push_back(f);
  }
  return out;
}

/// Mean logistic loss, softplus(z) - t z with z = w·φ + b, plus l2/2 |w|².
/// The squares are products: pow(w, 2.0) at w = 0 has no second derivative
/// the tape can recover (docs/second-derivatives.md).
struct Loss {
  const std::vector<double>& phi;
  const std::vector<int>& labels;
  Value operator()(std::span<const Value> p) const {
    const std::span<const Value> w = p.first(features);
    std::vector<Value> terms;
    terms.reserve(labels.size() + features);
    const double inv_n = 1.0 / static_cast<double>(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const Value z = dot(w, std::span(phi).subspan(i * features, features), p[features]);
      terms.push_back((softplus(z) - labels[i] * z) * inv_n);
    }
    for (const Value& wi : w) terms.push_back(0.5 * l2 * wi * wi);
    return sum(terms);
  }
};

double norm(std::span<const double> g) {
  double s = 0;
  for (const double gi : g) s += gi * gi;
  return std::sqrt(s);
}

/// Solves H d = g for symmetric positive definite H (n×n, row-major) by Cholesky.
std::vector<double> solve(std::vector<double> h, std::vector<double> g) {
  const std::size_t n = g.size();
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t k = 0; k < j; ++k) h[j * n + j] -= h[j * n + k] * h[j * n + k];
    h[j * n + j] = std::sqrt(h[j * n + j]);
    for (std::size_t i = j + 1; i < n; ++i) {
      for (std::size_t k = 0; k < j; ++k) h[i * n + j] -= h[i * n + k] * h[j * n + k];
      h[i * n + j] /= h[j * n + j];
    }
  }
  for (std::size_t i = 0; i < n; ++i) { // L y = g
    for (std::size_t k = 0; k < i; ++k) g[i] -= h[i * n + k] * g[k];
    g[i] /= h[i * n + i];
  }
  for (std::size_t i = n; i-- > 0;) { // Lᵀ d = y
    for (std::size_t k = i + 1; k < n; ++k) g[i] -= h[k * n + i] * g[k];
    g[i] /= h[i * n + i];
  }
  return g;
}

void plot(std::span<const double> newton, std::span<const double> descent,
          const std::filesystem::path& path) {
  constexpr double width = 640, height = 360, left = 60, right = 20, top = 40, bottom = 40;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  double lo = 0, hi = 0; // log10 range, whole decades
  for (const auto* series : {&newton, &descent})
    for (const double g : *series) {
      const double e = std::log10(std::max(g, 1e-300));
      lo = std::min(lo, std::floor(e));
      hi = std::max(hi, std::ceil(e));
    }
  const double last = static_cast<double>(
      std::max<std::size_t>({newton.size(), descent.size(), std::size_t{2}}) - 1);
  const auto py = [&](double g) {
    return top + plot_h * (hi - std::log10(std::max(g, 1e-300))) / (hi - lo);
  };
  demo::Svg svg(width, height);
  for (double e = lo; e <= hi; e += std::max(1.0, std::ceil((hi - lo) / 8))) {
    svg.line(left, py(std::pow(10, e)), left + plot_w, py(std::pow(10, e)), "#ddd");
    svg.text(left - 6, py(std::pow(10, e)) + 4, fmt::format("1e{}", e), 11, "end");
  }
  const auto series = [&](std::span<const double> s, std::string_view colour) {
    std::vector<std::pair<double, double>> points;
    for (std::size_t k = 0; k < s.size(); ++k)
      points.emplace_back(left + plot_w * static_cast<double>(k) / last, py(s[k]));
    svg.polyline(points, colour);
  };
  series(descent, "#1f5fa8");
  series(newton, "#c0392b");
  for (std::size_t k = 0; k < newton.size(); ++k) // its few iterations, visible at this scale
    svg.circle(left + plot_w * static_cast<double>(k) / last, py(newton[k]), 3, "#c0392b", "white");
  svg.line(left, top + plot_h, left + plot_w, top + plot_h, "#444");
  svg.text(left, top - 16, "logistic regression on the moons: gradient norm", 15);
  svg.text(left + plot_w, top - 16, "Newton (hessian)", 12, "end", "#c0392b");
  svg.text(left + plot_w, top - 4, "gradient descent", 12, "end", "#1f5fa8");
  svg.text(left + plot_w / 2, height - 10, fmt::format("iteration (0 to {})", last), 12, "middle");
  svg.save(path);
}

} // namespace

int main(int argc, char** argv) {
  demo::Args args{.steps = 300, .seed = 7, .out = "newton-out", .help = false};
  if (const std::string error = demo::parse_args(argc, argv, args); !error.empty()) {
    fmt::print(stderr, "newton: {}. Try --help.\n", error);
    return 2;
  }
  if (args.help) {
    fmt::print(R"(usage: newton [--steps N] [--seed N] [--out DIR]
Fits logistic regression (cubic features of the moons) by Newton's method with
tapegrad::hessian and by gradient descent, from the same start.
  --steps N   gradient-descent iterations (default 300); Newton stops at |g| <= 1e-10
  --seed N    the data set's seed (default 7)
  --out DIR   folder for newton-convergence.svg (default newton-out)
)");
    return 0;
  }
  const nn::Dataset data = nn::make_moons(200, 0.1, args.seed);
  const std::vector<double> phi = polynomial_features(data);
  const Loss loss{phi, data.labels};
  const std::vector<double> start(features + 1, 0.0);

  fmt::print("Newton's method: w <- w - H^-1 g, H = tapegrad::hessian(loss, w) ({0}x{0})\n",
             features + 1);
  fmt::print("{:>5} {:>22} {:>12}\n", "iter", "loss", "|gradient|");
  std::vector<double> w = start, newton_norms;
  const auto t0 = std::chrono::steady_clock::now();
  for (int k = 0; k <= 30; ++k) {
    const std::vector<double> g = gradient(loss, w);
    newton_norms.push_back(norm(g));
    Tape tape; // the loss's value, for the table
    std::vector<Value> p;
    for (const double wi : w) p.push_back(tape.var(wi));
    fmt::print("{:>5} {:>22.17f} {:>12.3e}\n", k, loss(p).value(), newton_norms.back());
    if (newton_norms.back() <= 1e-10) break;
    const std::vector<double> step = solve(hessian(loss, w), g);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] -= step[i];
  }
  const double newton_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

  constexpr double rate = 1.0;
  fmt::print("\nGradient descent: w <- w - {} g, {} iterations\n", rate, args.steps);
  fmt::print("{:>5} {:>22} {:>12}\n", "iter", "loss", "|gradient|");
  std::vector<double> descent_norms;
  w = start;
  const std::size_t every = std::max<std::size_t>(1, args.steps / 10);
  for (std::size_t k = 0; k <= args.steps; ++k) {
    const std::vector<double> g = gradient(loss, w);
    descent_norms.push_back(norm(g));
    if (k % every == 0 || k == args.steps) {
      Tape tape;
      std::vector<Value> p;
      for (const double wi : w) p.push_back(tape.var(wi));
      fmt::print("{:>5} {:>22.17f} {:>12.3e}\n", k, loss(p).value(), descent_norms.back());
    }
    for (std::size_t i = 0; i < w.size(); ++i) w[i] -= rate * g[i];
  }

  std::filesystem::create_directories(args.out);
  const auto svg = args.out / "newton-convergence.svg";
  plot(newton_norms, descent_norms, svg);
  fmt::print("\nNewton: |g| = {:.1e} after {} iterations ({:.1f} ms); gradient descent: {:.1e} "
             "after {}.\nWrote {}\n",
             newton_norms.back(), newton_norms.size() - 1, newton_ms, descent_norms.back(),
             args.steps, svg.string());
  return newton_norms.back() <= 1e-10 ? 0 : 1;
}
