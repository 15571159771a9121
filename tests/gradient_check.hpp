// Test helpers: an independent forward-mode (dual number) evaluation, plain
// double versions of tapegrad's activations, and check_gradient(), which
// compares tapegrad's reverse sweep with both forward mode and central finite
// differences for one function at one point.
//
// The dual numbers are written from the textbook derivatives, not from
// tapegrad's code, so a wrong partial in tapegrad disagrees with them.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <tuple>
#include <utility>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

namespace check {

/// A number with one tangent: v + d·ε, ε² = 0.
struct Dual {
  double v = 0.0;
  double d = 0.0;
};

inline Dual operator+(Dual a, Dual b) { return {a.v + b.v, a.d + b.d}; }
inline Dual operator-(Dual a, Dual b) { return {a.v - b.v, a.d - b.d}; }
inline Dual operator*(Dual a, Dual b) { return {a.v * b.v, a.d * b.v + a.v * b.d}; }
// (a/b)' = (a' - q b')/b with q = a/b: the textbook (a'b - ab')/b² loses every
// digit when b² underflows (|b| < 1e-154) or overflows (|b| > 1e154).
inline Dual operator/(Dual a, Dual b) {
  const double q = a.v / b.v;
  return {q, (a.d - q * b.d) / b.v};
}
inline Dual operator-(Dual a) { return {-a.v, -a.d}; }
inline Dual operator+(Dual a, double c) { return a + Dual{c, 0}; }
inline Dual operator+(double c, Dual a) { return Dual{c, 0} + a; }
inline Dual operator-(Dual a, double c) { return a - Dual{c, 0}; }
inline Dual operator-(double c, Dual a) { return Dual{c, 0} - a; }
inline Dual operator*(Dual a, double c) { return a * Dual{c, 0}; }
inline Dual operator*(double c, Dual a) { return Dual{c, 0} * a; }
inline Dual operator/(Dual a, double c) { return a / Dual{c, 0}; }
inline Dual operator/(double c, Dual a) { return Dual{c, 0} / a; }
inline Dual& operator+=(Dual& a, Dual b) { return a = a + b; }
inline Dual& operator-=(Dual& a, Dual b) { return a = a - b; }
inline Dual& operator*=(Dual& a, Dual b) { return a = a * b; }
inline Dual& operator/=(Dual& a, Dual b) { return a = a / b; }
inline Dual& operator+=(Dual& a, double c) { return a = a + c; }
inline Dual& operator-=(Dual& a, double c) { return a = a - c; }
inline Dual& operator*=(Dual& a, double c) { return a = a * c; }
inline Dual& operator/=(Dual& a, double c) { return a = a / c; }

inline Dual exp(Dual a) { return {std::exp(a.v), std::exp(a.v) * a.d}; }
inline Dual log(Dual a) { return {std::log(a.v), a.d / a.v}; }
inline Dual sqrt(Dual a) { return {std::sqrt(a.v), a.d / (2 * std::sqrt(a.v))}; }
inline Dual pow(Dual a, double c) { return {std::pow(a.v, c), c * std::pow(a.v, c - 1) * a.d}; }
inline Dual pow(double c, Dual a) {
  return {std::pow(c, a.v), std::pow(c, a.v) * std::log(c) * a.d};
}
inline Dual pow(Dual a, Dual b) { return exp(b * log(a)); } // a > 0 only
inline Dual sin(Dual a) { return {std::sin(a.v), std::cos(a.v) * a.d}; }
inline Dual cos(Dual a) { return {std::cos(a.v), -std::sin(a.v) * a.d}; }
inline Dual abs(Dual a) { return a.v < 0 ? -a : a; }
inline Dual relu(Dual a) { return a.v > 0 ? a : Dual{0, 0}; }
// Textbook forms: sigmoid = 1/(1+e^-x), tanh = (e^2x - 1)/(e^2x + 1).
inline Dual sigmoid(Dual a) { return 1.0 / (1.0 + exp(-a)); }
inline Dual tanh(Dual a) { return (exp(2.0 * a) - 1.0) / (exp(2.0 * a) + 1.0); }
inline Dual softplus(Dual a) { return log(1.0 + exp(a)); }
inline Dual log_sigmoid(Dual a) { return log(sigmoid(a)); }

// The functions of special.hpp, exponential.hpp, trigonometric.hpp and
// piecewise.hpp, from the textbook derivatives. Where a textbook form cancels
// it is factored, not rewritten: 1 - x² as (1 - x)(1 + x).
inline constexpr double two_over_sqrt_pi = 1.1283791670955126; // 2/√π
inline constexpr double inv_sqrt_2pi = 0.3989422804014327;     // 1/√(2π)
inline Dual erf(Dual a) { return {std::erf(a.v), two_over_sqrt_pi * std::exp(-a.v * a.v) * a.d}; }
inline Dual erfc(Dual a) {
  return {std::erfc(a.v), -two_over_sqrt_pi * std::exp(-a.v * a.v) * a.d};
}
/// Φ(x) = erfc(-x/√2)/2, Φ' = e^(-x²/2)/√(2π).
inline Dual normal_cdf(Dual a) {
  return {0.5 * std::erfc(-a.v / std::sqrt(2.0)), inv_sqrt_2pi * std::exp(-a.v * a.v / 2) * a.d};
}
inline Dual log1p(Dual a) { return {std::log1p(a.v), a.d / (1 + a.v)}; }
inline Dual expm1(Dual a) { return {std::expm1(a.v), std::exp(a.v) * a.d}; }
inline Dual exp2(Dual a) { return {std::exp2(a.v), std::exp2(a.v) * std::log(2.0) * a.d}; }
inline Dual log2(Dual a) { return {std::log2(a.v), a.d / (a.v * std::log(2.0))}; }
inline Dual log10(Dual a) { return {std::log10(a.v), a.d / (a.v * std::log(10.0))}; }
/// (x^(1/3))' = x^(-2/3)/3, for either sign of x.
inline Dual cbrt(Dual a) { return {std::cbrt(a.v), std::pow(std::abs(a.v), -2.0 / 3) / 3 * a.d}; }
inline Dual tan(Dual a) { return {std::tan(a.v), a.d / (std::cos(a.v) * std::cos(a.v))}; }
inline Dual asin(Dual a) { return {std::asin(a.v), a.d / std::sqrt((1 - a.v) * (1 + a.v))}; }
inline Dual acos(Dual a) { return {std::acos(a.v), -a.d / std::sqrt((1 - a.v) * (1 + a.v))}; }
inline Dual atan(Dual a) { return {std::atan(a.v), a.d / (1 + a.v * a.v)}; }
inline Dual sinh(Dual a) { return {std::sinh(a.v), std::cosh(a.v) * a.d}; }
inline Dual cosh(Dual a) { return {std::cosh(a.v), std::sinh(a.v) * a.d}; }
inline Dual asinh(Dual a) { return {std::asinh(a.v), a.d / std::sqrt(1 + a.v * a.v)}; }
inline Dual acosh(Dual a) { return {std::acosh(a.v), a.d / std::sqrt((a.v - 1) * (a.v + 1))}; }
inline Dual atanh(Dual a) { return {std::atanh(a.v), a.d / ((1 - a.v) * (1 + a.v))}; }
/// atan2(y, x)' = (x y' - y x')/(x² + y²).
inline Dual atan2(Dual y, Dual x) {
  return {std::atan2(y.v, x.v), (x.v * y.d - y.v * x.d) / (x.v * x.v + y.v * y.v)};
}
inline Dual atan2(Dual y, double c) { return atan2(y, Dual{c, 0}); }
inline Dual atan2(double c, Dual x) { return atan2(Dual{c, 0}, x); }
/// hypot(a, b)' = (a a' + b b')/h.
inline Dual hypot(Dual a, Dual b) {
  const double h = std::hypot(a.v, b.v);
  return {h, (a.v * a.d + b.v * b.d) / h};
}
inline Dual hypot(Dual a, double c) { return hypot(a, Dual{c, 0}); }
inline Dual hypot(double c, Dual a) { return hypot(Dual{c, 0}, a); }
// The kinks by the engine's documented rule (PyTorch's): a tie shares the
// tangent evenly, a NaN argument is ignored, clamp is inclusive.
inline Dual fmax(Dual a, Dual b) {
  if (std::isnan(b.v) || a.v > b.v) return a;
  if (std::isnan(a.v) || b.v > a.v) return b;
  return {a.v, (a.d + b.d) / 2};
}
inline Dual fmin(Dual a, Dual b) {
  if (std::isnan(b.v) || a.v < b.v) return a;
  if (std::isnan(a.v) || b.v < a.v) return b;
  return {a.v, (a.d + b.d) / 2};
}
inline Dual fmax(Dual a, double c) { return fmax(a, Dual{c, 0}); }
inline Dual fmax(double c, Dual a) { return fmax(Dual{c, 0}, a); }
inline Dual fmin(Dual a, double c) { return fmin(a, Dual{c, 0}); }
inline Dual fmin(double c, Dual a) { return fmin(Dual{c, 0}, a); }
/// torch.clamp: a where lo <= a <= hi; lo where a < lo < hi; else hi, whose
/// tangent passes where a > hi or hi < lo (nothing where lo == hi).
inline Dual clamp(Dual a, Dual lo, Dual hi) {
  if (a.v >= lo.v && a.v <= hi.v) return a;
  if (a.v < lo.v && lo.v < hi.v) return lo;
  if (a.v > hi.v || hi.v < lo.v) return hi;
  return {lo.v, 0};
}
inline Dual clamp(Dual a, double lo, double hi) { return clamp(a, Dual{lo, 0}, Dual{hi, 0}); }
inline Dual floor(Dual a) { return {std::floor(a.v), 0}; }
inline Dual ceil(Dual a) { return {std::ceil(a.v), 0}; }
inline Dual round(Dual a) { return {std::round(a.v), 0}; }
inline Dual trunc(Dual a) { return {std::trunc(a.v), 0}; }

// Plain double versions, for finite differences and expected values.
inline double relu(double x) { return x > 0 ? x : 0.0; }
inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
inline double softplus(double x) { return std::log1p(std::exp(x)); }
inline double log_sigmoid(double x) { return -softplus(-x); }

/// A finite-difference step for x, `distance` away from a kink, a step or a
/// domain edge: 1e-4 of the distance, at most the default 1e-6 max(1, |x|).
inline double step_within(double x, double distance) {
  return std::fmin(1e-6 * std::fmax(1.0, std::abs(x)), 1e-4 * distance);
}

/// |a - b| <= tol * max(1, |a|, |b|): relative for large numbers, absolute near 0.
inline bool close(double a, double b, double tol) {
  if (a == b) return true; // also equal infinities
  return std::abs(a - b) <= tol * std::fmax(1.0, std::fmax(std::abs(a), std::abs(b)));
}

/// Checks f at `point` three ways: tapegrad's value equals the double
/// evaluation, and each partial from backward() equals forward mode (to
/// `dual_tol`) and central finite differences (to `fd_tol`). f must be a
/// generic callable taking N arguments of type double, Dual and Value.
/// The finite-difference step is 1e-6 max(1, |x_i|), or `fd_step` if given
/// (a point next to a kink or a domain edge needs a step well inside it).
template <std::size_t N, class F>
void check_gradient(F f, std::array<double, N> point, double fd_tol = 1e-6, double dual_tol = 1e-12,
                    double fd_step = 0) {
  CAPTURE(point);
  tapegrad::Tape tape;
  std::array<tapegrad::Value, N> xs;
  for (std::size_t i = 0; i < N; ++i) xs[i] = tape.var(point[i]);
  const tapegrad::Value y = std::apply(f, xs);
  y.backward();
  CHECK(close(y.value(), std::apply(f, point), 1e-14));

  for (std::size_t i = 0; i < N; ++i) {
    CAPTURE(i);
    std::array<Dual, N> duals;
    for (std::size_t j = 0; j < N; ++j) duals[j] = Dual{point[j], i == j ? 1.0 : 0.0};
    const double forward = std::apply(f, duals).d;

    const double step = fd_step > 0 ? fd_step : 1e-6 * std::fmax(1.0, std::abs(point[i]));
    const double h = (point[i] + step) - point[i]; // the step x + h really takes
    auto up = point, down = point;
    up[i] += h;
    down[i] -= h;
    const double f_up = std::apply(f, up), f_down = std::apply(f, down);
    const double central = (f_up - f_down) / (2 * h);
    // What rounding f(x +- h) can do to the quotient: tiny steps need it.
    const double noise = 4 * 0x1.0p-52 * std::fmax(std::abs(f_up), std::abs(f_down)) / h;

    const double reverse = xs[i].grad();
    CAPTURE(reverse);
    CAPTURE(forward);
    CAPTURE(central);
    CHECK(close(reverse, forward, dual_tol));
    if (h > 0) // else x is next to an edge: no step fits, forward mode alone checks
      CHECK((close(reverse, central, fd_tol) || std::abs(reverse - central) <= noise));
  }
}

} // namespace check
