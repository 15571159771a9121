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

// Plain double versions, for finite differences and expected values.
inline double relu(double x) { return x > 0 ? x : 0.0; }
inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
inline double softplus(double x) { return std::log1p(std::exp(x)); }
inline double log_sigmoid(double x) { return -softplus(-x); }

/// |a - b| <= tol * max(1, |a|, |b|): relative for large numbers, absolute near 0.
inline bool close(double a, double b, double tol) {
  if (a == b) return true; // also equal infinities
  return std::abs(a - b) <= tol * std::fmax(1.0, std::fmax(std::abs(a), std::abs(b)));
}

/// Checks f at `point` three ways: tapegrad's value equals the double
/// evaluation, and each partial from backward() equals forward mode (to
/// `dual_tol`) and central finite differences (to `fd_tol`). f must be a
/// generic callable taking N arguments of type double, Dual and Value.
template <std::size_t N, class F>
void check_gradient(F f, std::array<double, N> point, double fd_tol = 1e-6,
                    double dual_tol = 1e-12) {
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

    const double h = 1e-6 * std::fmax(1.0, std::abs(point[i]));
    auto up = point, down = point;
    up[i] += h;
    down[i] -= h;
    const double central = (std::apply(f, up) - std::apply(f, down)) / (2 * h);

    const double reverse = xs[i].grad();
    CAPTURE(reverse);
    CAPTURE(forward);
    CAPTURE(central);
    CHECK(close(reverse, forward, dual_tol));
    CHECK(close(reverse, central, fd_tol));
  }
}

} // namespace check
