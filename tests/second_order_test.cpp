// Every op's second derivative, from hessian(), against a hyper-dual
// evaluation (tests/hyper_dual.hpp) at many points, on both sides of every kink.
#include <cmath>
#include <numbers>
#include <span>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

#include "hyper_dual.hpp"

using check::HD;
using tapegrad::Value;

namespace {

/// Relative agreement, with an absolute floor of 1e-9 for values near 0.
bool close(double engine, double oracle, double tolerance = 1e-9) {
  if (std::isinf(oracle)) return engine == oracle;
  return std::abs(engine - oracle) <= tolerance * std::max(1.0, std::abs(oracle));
}

/// hessian(f, x) against f evaluated on hyper-duals seeded with e_i and e_j.
/// `f` is generic: it takes a span of Values or of HDs and returns one.
template <class F> void check_hessian(F f, std::vector<double> x, double tolerance = 1e-9) {
  const std::size_t n = x.size();
  const std::vector<double> h =
      tapegrad::hessian([&](std::span<const Value> v) { return Value(f(v)); }, x);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      std::vector<HD> seeds(n);
      for (std::size_t k = 0; k < n; ++k)
        seeds[k] = {x[k], k == i ? 1.0 : 0.0, k == j ? 1.0 : 0.0, 0.0};
      const double oracle = f(std::span<const HD>(seeds)).d12;
      INFO("at x = ", x[0], n > 1 ? x[1] : 0.0, ", H[", i, "][", j, "] = ", h[i * n + j],
           " vs hyper-dual ", oracle);
      CHECK(close(h[i * n + j], oracle, tolerance));
    }
}

/// check_hessian for a one-argument f at each point.
template <class F> void check_unary(F f, std::initializer_list<double> points, double tol = 1e-9) {
  for (const double x : points) check_hessian([&](auto v) { return f(v[0]); }, {x}, tol);
}

const std::initializer_list<double> anywhere = {-7.5, -2.0, -0.7, -0.1, 0.05, 0.3, 1.0, 2.5, 6.0};
const std::initializer_list<double> positive = {1e-3, 0.05, 0.3, 1.0, 2.5, 6.0, 40.0};
const std::initializer_list<double> inside_one = {-0.95, -0.5, -0.1, 0.05, 0.3, 0.7, 0.99};

} // namespace

TEST_CASE("the exponentials' and logarithms' second derivatives match hyper-duals") {
  using namespace tapegrad;
  using namespace check;
  check_unary([](auto a) { return exp(a); }, anywhere);
  check_unary([](auto a) { return log(a); }, positive);
  check_unary([](auto a) { return sqrt(a); }, positive);
  check_unary([](auto a) { return cbrt(a); }, {-8.0, -0.3, 0.02, 0.5, 27.0});
  check_unary([](auto a) { return log1p(a); }, {-0.9, -0.2, 0.0, 1e-6, 0.5, 30.0});
  check_unary([](auto a) { return expm1(a); }, anywhere);
  check_unary([](auto a) { return exp2(a); }, anywhere);
  check_unary([](auto a) { return log2(a); }, positive);
  check_unary([](auto a) { return log10(a); }, positive);
  check_unary([](auto a) { return 3.0 / a; }, {-4.0, -0.2, 0.1, 2.0});
  check_unary([](auto a) { return a / 4.0 + 1.0; }, anywhere);
  check_unary([](auto a) { return 2.0 - 3.0 * a; }, anywhere);
  check_unary([](auto a) { return -a; }, anywhere);
}

TEST_CASE("pow's second derivatives match hyper-duals, the exponent recovered from the tape") {
  using namespace tapegrad;
  using namespace check;
  for (const double c : {2.0, 3.0, 0.5, 1.0, -1.5, 2.7, -2.0, 0.0})
    check_unary([c](auto a) { return pow(a, c); }, positive);
  for (const double c : {2.0, 3.0, -1.0, 4.0})
    check_unary([c](auto a) { return pow(a, c); }, {-3.0, -0.4, -0.01});
  for (const double c : {2.0, 0.5, 10.0}) check_unary([c](auto a) { return pow(c, a); }, anywhere);
  check_hessian([](auto v) { return pow(v[0], v[1]); }, {1.7, 2.3});
  check_hessian([](auto v) { return pow(v[0], v[1]); }, {0.3, -1.2});
  check_hessian([](auto v) { return pow(v[0], v[1]); }, {2.0, 0.5});
}

TEST_CASE("pow(a, c) at a = 0: the second derivative the tape still determines") {
  using namespace tapegrad;
  const auto at_zero = [](double c) {
    return hessian([c](std::span<const Value> v) { return pow(v[0], c); }, std::vector{0.0})[0];
  };
  CHECK(at_zero(0.0) == 0.0);       // a^0 = 1
  CHECK(at_zero(1.0) == 0.0);       // a
  CHECK(at_zero(0.5) == -INFINITY); // sqrt-like
  CHECK(at_zero(-1.0) == INFINITY); // 1/a
  // c > 1: y = 0 and p = 0 whatever c is, so c (c-1) 0^(c-2) (inf, 2 or 0) is
  // unknown: NaN, never a guess. Write a*a for a square that can be 0.
  CHECK(std::isnan(at_zero(2.0)));
  CHECK(hessian([](std::span<const Value> v) { return v[0] * v[0]; }, std::vector{0.0})[0] == 2.0);
}

TEST_CASE("the activations' second derivatives match hyper-duals, far out included") {
  using namespace tapegrad;
  using namespace check;
  check_unary([](auto a) { return sigmoid(a); }, {-30.0, -5.0, -0.5, 0.0, 0.2, 3.0, 30.0});
  check_unary([](auto a) { return log_sigmoid(a); }, {-30.0, -5.0, -0.5, 0.0, 0.2, 3.0, 30.0});
  check_unary([](auto a) { return softplus(a); }, {-30.0, -5.0, -0.5, 0.0, 0.2, 3.0, 30.0});
  check_unary([](auto a) { return tanh(a); }, {-8.0, -1.0, -0.1, 0.0, 0.4, 2.0, 8.0});
}

TEST_CASE("relu, abs and the steps have second derivative 0 on both sides of their kinks") {
  using namespace tapegrad;
  using namespace check;
  const std::initializer_list<double> sides = {-2.0, -1e-9, 1e-9, 2.0};
  check_unary([](auto a) { return relu(a) * relu(a); }, sides); // 2 on the right, 0 left
  check_unary([](auto a) { return abs(a) * a; }, sides);        // ±2
  for (const double x : {-2.0, -1e-9, 0.0, 1e-9, 2.0}) {
    for (const auto& op :
         {+[](Value a) { return relu(a); }, +[](Value a) { return abs(a); },
          +[](Value a) { return floor(a); }, +[](Value a) { return ceil(a); },
          +[](Value a) { return round(a); }, +[](Value a) { return trunc(a); },
          +[](Value a) { return fmin(a, 0.0); }, +[](Value a) { return fmax(a, 0.0); },
          +[](Value a) { return clamp(a, -1e-9, 1.0); }})
      CHECK(hessian([&](std::span<const Value> v) { return op(v[0]); }, std::vector{x})[0] == 0.0);
  }
}

TEST_CASE("the trigonometric functions' second derivatives match hyper-duals") {
  using namespace tapegrad;
  using namespace check;
  check_unary([](auto a) { return sin(a); }, anywhere);
  check_unary([](auto a) { return cos(a); }, anywhere);
  check_unary([](auto a) { return tan(a); }, {-1.4, -0.5, 0.0, 0.3, 1.2});
  check_unary([](auto a) { return asin(a); }, inside_one);
  check_unary([](auto a) { return acos(a); }, inside_one);
  check_unary([](auto a) { return atan(a); }, anywhere);
  check_unary([](auto a) { return sinh(a); }, anywhere);
  check_unary([](auto a) { return cosh(a); }, anywhere);
  check_unary([](auto a) { return asinh(a); }, anywhere);
  check_unary([](auto a) { return acosh(a); }, {1.001, 1.5, 3.0, 40.0});
  check_unary([](auto a) { return atanh(a); }, inside_one);
  for (const double c : {-2.0, -0.1, 0.3, 5.0}) {
    check_unary([c](auto a) { return atan2(a, c); }, anywhere);
    check_unary([c](auto a) { return atan2(c, a); }, anywhere);
    check_unary([c](auto a) { return hypot(a, c); }, anywhere, 1e-7);
  }
  const std::vector<std::vector<double>> points = {{1.0, 2.0},   {-0.3, 0.8}, {2.0, -1.5},
                                                   {-1.0, -1.0}, {1e-3, 4.0}, {5.0, 1e-2}};
  for (const auto& p : points) {
    check_hessian([](auto v) { return atan2(v[0], v[1]); }, p);
    check_hessian([](auto v) { return hypot(v[0], v[1]); }, p);
  }
}

TEST_CASE("the error functions' second derivatives match hyper-duals") {
  using namespace tapegrad;
  using namespace check;
  check_unary([](auto a) { return erf(a); }, anywhere);
  check_unary([](auto a) { return erfc(a); }, anywhere);
  check_unary([](auto a) { return normal_cdf(a); }, anywhere);
}

TEST_CASE("the binary arithmetic's Hessians match hyper-duals") {
  using namespace tapegrad;
  using namespace check;
  const std::vector<std::vector<double>> points = {
      {1.0, 2.0}, {-0.3, 0.8}, {2.0, -1.5}, {3.0, 2.5}};
  for (const auto& p : points) {
    check_hessian([](auto v) { return v[0] * v[1]; }, p);
    check_hessian([](auto v) { return v[0] / v[1]; }, p);
    check_hessian([](auto v) { return (v[0] + v[1]) * (v[0] - v[1]); }, p);
    check_hessian([](auto v) { return v[0] * v[0] * v[1]; }, p);
    check_hessian([](auto v) { return sin(v[0] * v[1]) / (1.0 + v[0] * v[0]); }, p);
    // fmin, fmax and clamp pick a side: the Hessian of the side picked.
    check_hessian([](auto v) { return fmax(v[0] * v[0], v[1]) * v[1]; }, p);
    check_hessian([](auto v) { return fmin(v[0] * v[1], v[1] * v[1]); }, p);
  }
}

TEST_CASE("the reductions' Hessians match hyper-duals: sum, dot, max, logsumexp, linear") {
  using namespace tapegrad;
  const std::vector<double> x = {0.3, -1.2, 2.0, 0.7, -0.4};
  // Written out for hyper-duals, as a reduction for Values.
  const auto lse = [](auto v) {
    using T = std::remove_cvref_t<decltype(v[0])>;
    if constexpr (std::is_same_v<T, Value>) {
      return logsumexp(std::vector<Value>(v.begin(), v.end())) * v[0];
    } else {
      T total = check::exp(v[0]);
      for (std::size_t i = 1; i < v.size(); ++i) total = total + check::exp(v[i]);
      return check::log(total) * v[0];
    }
  };
  check_hessian(lse, x);
  const auto dotted = [](auto v) {
    using T = std::remove_cvref_t<decltype(v[0])>;
    if constexpr (std::is_same_v<T, Value>) {
      // w = (v0, v1), x = (v2, v3), b = v4; and with one constant factor too
      const std::vector<Value> w = {v[0], v[1], Value(2.0)}, in = {v[2], v[3], v[0]};
      return dot(w, in, v[4]) * v[4] + sum(std::vector<Value>{v[0], v[1]}) * v[2];
    } else {
      return (v[0] * v[2] + v[1] * v[3] + 2.0 * v[0] + v[4]) * v[4] + (v[0] + v[1]) * v[2];
    }
  };
  check_hessian(dotted, x);
  const auto maxed = [](auto v) {
    using T = std::remove_cvref_t<decltype(v[0])>;
    if constexpr (std::is_same_v<T, Value>) {
      return max(std::vector<Value>{v[0] * v[1], v[2] * v[2], v[3]});
    } else {
      return check::max_of(check::max_of(v[0] * v[1], v[2] * v[2]), v[3]);
    }
  };
  check_hessian(maxed, x);
  // A dot of constant inputs (a layer's first dot) is linear in the weights,
  // whatever its values: zero weights times zero inputs included.
  const std::vector<double> h = hessian(
      [](std::span<const Value> v) {
        const std::vector<double> in = {0.0, 0.0};
        return dot(std::vector<Value>{v[0], v[1]}, in, v[2]);
      },
      std::vector{0.0, 0.0, 0.0});
  for (const double hij : h) CHECK(hij == 0.0);
}
