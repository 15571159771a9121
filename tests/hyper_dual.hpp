// A hyper-dual number (a dual number of dual numbers): v + d1 e1 + d2 e2 +
// d12 e1e2 with e1² = e2² = 0. Evaluating f at x + e_i e1 + e_j e2 gives
// d12 = d²f/dx_i dx_j exactly (no step, no truncation): the independent oracle
// the second derivatives of the engine are checked against.
//
// The functions are composed from + - * / exp log sqrt where that is sound, and
// otherwise written from their textbook derivatives (f, f', f'') in one place,
// chain(); nothing here reads the engine's rules.
#pragma once

#include <cmath>
#include <numbers>

namespace check {

struct HyperDual {
  double v = 0, d1 = 0, d2 = 0, d12 = 0;
};
using HD = HyperDual;

/// f(a) from f, f' and f'' at a.v.
inline HD chain(HD a, double f, double f1, double f2) {
  return {f, f1 * a.d1, f1 * a.d2, f1 * a.d12 + f2 * a.d1 * a.d2};
}
inline HD constant(double c) { return {c, 0, 0, 0}; }

inline HD operator+(HD a, HD b) { return {a.v + b.v, a.d1 + b.d1, a.d2 + b.d2, a.d12 + b.d12}; }
inline HD operator-(HD a, HD b) { return {a.v - b.v, a.d1 - b.d1, a.d2 - b.d2, a.d12 - b.d12}; }
inline HD operator-(HD a) { return {-a.v, -a.d1, -a.d2, -a.d12}; }
inline HD operator*(HD a, HD b) {
  return {a.v * b.v, a.d1 * b.v + a.v * b.d1, a.d2 * b.v + a.v * b.d2,
          a.d12 * b.v + a.d1 * b.d2 + a.d2 * b.d1 + a.v * b.d12};
}
inline HD reciprocal(HD a) { return chain(a, 1 / a.v, -1 / (a.v * a.v), 2 / (a.v * a.v * a.v)); }
/// q = a/b from a = q b: the parts of q by the product rule solved for them
/// (so x/x has parts exactly 0, as the engine's 1/b and -q/b give).
inline HD operator/(HD a, HD b) {
  const double q = a.v / b.v;
  const double d1 = (a.d1 - q * b.d1) / b.v, d2 = (a.d2 - q * b.d2) / b.v;
  return {q, d1, d2, (a.d12 - q * b.d12 - d1 * b.d2 - d2 * b.d1) / b.v};
}
inline HD operator+(HD a, double c) { return a + constant(c); }
inline HD operator+(double c, HD a) { return constant(c) + a; }
inline HD operator-(HD a, double c) { return a - constant(c); }
inline HD operator-(double c, HD a) { return constant(c) - a; }
inline HD operator*(HD a, double c) { return a * constant(c); }
inline HD operator*(double c, HD a) { return constant(c) * a; }
inline HD operator/(HD a, double c) { return a * constant(1 / c); }
inline HD operator/(double c, HD a) { return constant(c) * reciprocal(a); }

inline HD exp(HD a) {
  const double e = std::exp(a.v);
  return chain(a, e, e, e);
}
inline HD log(HD a) { return chain(a, std::log(a.v), 1 / a.v, -1 / (a.v * a.v)); }
inline HD sqrt(HD a) {
  const double s = std::sqrt(a.v);
  return chain(a, s, 0.5 / s, -0.25 / (s * a.v));
}
inline HD pow(HD a, double c) {
  return chain(a, std::pow(a.v, c), c * std::pow(a.v, c - 1), c * (c - 1) * std::pow(a.v, c - 2));
}
inline HD pow(double c, HD a) { return exp(a * std::log(c)); }
inline HD pow(HD a, HD b) { return exp(b * log(a)); } // a > 0
inline HD sin(HD a) { return chain(a, std::sin(a.v), std::cos(a.v), -std::sin(a.v)); }
inline HD cos(HD a) { return chain(a, std::cos(a.v), -std::sin(a.v), -std::cos(a.v)); }
inline HD tan(HD a) { return sin(a) / cos(a); }
/// Away from the kink: the linear piece the point is on.
inline HD relu(HD a) { return a.v > 0 ? a : constant(0); }
inline HD abs(HD a) { return a.v < 0 ? -a : (a.v > 0 ? a : constant(0)); }
inline HD sigmoid(HD a) { return 1.0 / (1.0 + exp(-a)); }
inline HD tanh(HD a) { return (exp(2.0 * a) - 1.0) / (exp(2.0 * a) + 1.0); }
inline HD softplus(HD a) { return log(1.0 + exp(a)); }
inline HD log_sigmoid(HD a) { return -log(1.0 + exp(-a)); }
inline HD sinh(HD a) { return 0.5 * (exp(a) - exp(-a)); }
inline HD cosh(HD a) { return 0.5 * (exp(a) + exp(-a)); }
inline HD asinh(HD a) { return log(a + sqrt(a * a + 1.0)); }
inline HD acosh(HD a) { return log(a + sqrt(a * a - 1.0)); }
inline HD atanh(HD a) { return 0.5 * log((1.0 + a) / (1.0 - a)); }
inline HD log1p(HD a) { return log(1.0 + a); }
inline HD expm1(HD a) { return exp(a) - 1.0; }
inline HD exp2(HD a) { return exp(a * std::numbers::ln2); }
inline HD log2(HD a) { return log(a) / std::numbers::ln2; }
inline HD log10(HD a) { return log(a) / std::numbers::ln10; }
inline HD cbrt(HD a) {
  const double y = std::cbrt(a.v);
  return chain(a, y, 1 / (3 * y * y), -2 / (9 * y * y * y * y * y));
}
inline HD erf(HD a) {
  const double g = 2 / std::sqrt(std::numbers::pi) * std::exp(-a.v * a.v);
  return chain(a, std::erf(a.v), g, -2 * a.v * g);
}
inline HD erfc(HD a) { return 1.0 - erf(a); }
inline HD normal_cdf(HD a) { return 0.5 * (1.0 + erf(a / std::numbers::sqrt2)); }
inline HD asin(HD a) {
  const double r = 1 / std::sqrt(1 - a.v * a.v);
  return chain(a, std::asin(a.v), r, a.v * r * r * r);
}
inline HD acos(HD a) { return std::numbers::pi / 2 - asin(a); }
inline HD atan(HD a) {
  const double r = 1 / (1 + a.v * a.v);
  return chain(a, std::atan(a.v), r, -2 * a.v * r * r);
}
/// atan2(a, b) = atan(a/b) plus the quadrant's constant (b ≠ 0), or, near
/// b = 0, π/2 - atan(b/a): the same derivatives.
inline HD atan2(HD a, HD b) {
  const double angle = std::atan2(a.v, b.v);
  const HD base = std::abs(b.v) >= std::abs(a.v) ? atan(a / b) : -atan(b / a);
  return base + (angle - base.v);
}
inline HD atan2(HD a, double c) { return atan2(a, constant(c)); }
inline HD atan2(double c, HD a) { return atan2(constant(c), a); }
inline HD hypot(HD a, HD b) { return sqrt(a * a + b * b); }
inline HD hypot(HD a, double c) { return hypot(a, constant(c)); }
inline HD fmax(HD a, HD b) { return a.v >= b.v ? a : b; } // away from ties
inline HD fmin(HD a, HD b) { return a.v <= b.v ? a : b; }
inline HD max_of(HD a, HD b) { return fmax(a, b); }

} // namespace check

namespace check {
inline HD& operator+=(HD& a, HD b) { return a = a + b; }
inline HD& operator-=(HD& a, HD b) { return a = a - b; }
inline HD& operator*=(HD& a, HD b) { return a = a * b; }
inline HD& operator/=(HD& a, HD b) { return a = a / b; }
inline HD& operator+=(HD& a, double c) { return a = a + c; }
inline HD& operator-=(HD& a, double c) { return a = a - c; }
inline HD& operator*=(HD& a, double c) { return a = a * c; }
inline HD& operator/=(HD& a, double c) { return a = a / c; }

/// f(a, b) from its value, gradient (fa, fb) and Hessian (faa, fab, fbb).
inline HD chain2(HD a, HD b, double f, double fa, double fb, double faa, double fab, double fbb) {
  return {f, fa * a.d1 + fb * b.d1, fa * a.d2 + fb * b.d2,
          fa * a.d12 + fb * b.d12 + faa * a.d1 * a.d2 + fab * (a.d1 * b.d2 + a.d2 * b.d1) +
              fbb * b.d1 * b.d2};
}
} // namespace check
