// The functions the differential fuzzer interprets a graph with, overloaded
// for double (values and finite differences), check::Dual (the forward-mode
// oracle) and tapegrad::Value (the engine under test).
//
// The oracle is check::Dual's textbook rule wherever that rule is numerically
// sound. Outside that range the textbook forms overflow (sigmoid(x) =
// 1/(1+e^-x) at x < -709 gives inf/inf) or cancel (tanh' by the quotient rule
// loses e^2|x| ulps), so the Dual falls back to the derivative written as a
// stable identity, e.g. s'(x) = e^-|x| / (1 + e^-|x|)^2. Points where the
// derivative is a convention are set to the engine's documented choice:
// relu'(0) = 0, |x|'(0) = 0, d/dx x^0 = 0, fmin/fmax share at a tie, floor'
// and its kind = 0.
#pragma once

#include <cmath>
#include <span>
#include <vector>

#include <tapegrad/autodiff.hpp>

#include "gradient_check.hpp"

namespace fz::math {

using check::Dual;
using tapegrad::Value;

// --- double: stable forms, written from the definitions ----------------------

inline double relu(double x) { return check::relu(x); }
inline double abs(double x) { return std::abs(x); }
/// 1/(1+e^-x) for x >= 0, e^x/(1+e^x) below: e is never above 1.
inline double sigmoid(double x) {
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}
/// ln s(x) = -ln(1+e^-x) for x >= 0, x - ln(1+e^x) below.
inline double log_sigmoid(double x) {
  return x >= 0 ? -std::log1p(std::exp(-x)) : x - std::log1p(std::exp(x));
}
/// ln(1+e^x) = x + ln(1+e^-x) for x > 0.
inline double softplus(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
inline double tanh(double x) { return std::tanh(x); }
inline double pow_c(double x, double c) { return std::pow(x, c); }
inline double c_pow(double c, double x) { return std::pow(c, x); }
inline double pow(double x, double y) { return std::pow(x, y); }

// The C library's functions as std:: has them, but Φ and ∛ as the engine
// computes them: erfc(-x/√2)/2 and glibc's cbrt are an ulp or two off, and a
// later x - c that cancels (Φ(-1) - 0.158655253930) would magnify that into
// a different point for every later op (accuracy_test measures both against
// long double instead).
inline double erf(double x) { return std::erf(x); }
inline double erfc(double x) { return std::erfc(x); }
inline double normal_cdf(double x) { return tapegrad::normal_cdf(x); }
inline double log1p(double x) { return std::log1p(x); }
inline double expm1(double x) { return std::expm1(x); }
inline double exp2(double x) { return std::exp2(x); }
inline double log2(double x) { return std::log2(x); }
inline double log10(double x) { return std::log10(x); }
inline double cbrt(double x) { return tapegrad::detail::cbrt(x); }
inline double tan(double x) { return std::tan(x); }
inline double asin(double x) { return std::asin(x); }
inline double acos(double x) { return std::acos(x); }
inline double atan(double x) { return std::atan(x); }
inline double sinh(double x) { return std::sinh(x); }
inline double cosh(double x) { return std::cosh(x); }
inline double asinh(double x) { return std::asinh(x); }
inline double acosh(double x) { return std::acosh(x); }
inline double atanh(double x) { return std::atanh(x); }
inline double floor(double x) { return std::floor(x); }
inline double ceil(double x) { return std::ceil(x); }
inline double round(double x) { return std::round(x); }
inline double trunc(double x) { return std::trunc(x); }
inline double atan2(double y, double x) { return std::atan2(y, x); }
inline double hypot(double x, double y) { return std::hypot(x, y); }
inline double fmin(double x, double y) { return std::fmin(x, y); }
inline double fmax(double x, double y) { return std::fmax(x, y); }

/// s'(x) = s(x) s(-x) = e^-|x| / (1 + e^-|x|)^2.
inline double sigmoid_slope(double x) {
  const double e = std::exp(-std::abs(x));
  return e / ((1 + e) * (1 + e));
}

// --- Dual: the textbook rule where sound, a stable identity elsewhere -------

inline Dual relu(Dual a) { return check::relu(a); }
inline Dual abs(Dual a) { return a.v == 0 ? Dual{0, 0} : check::abs(a); }
/// The textbook tangent with the stable value: check::Dual's value of, e.g.,
/// log(sigmoid(19)) loses 8 digits to cancellation, and later partials use it.
inline Dual with_value(Dual a, double v) { return {v, a.d}; }
inline Dual sigmoid(Dual a) {
  if (std::abs(a.v) <= 30) return with_value(check::sigmoid(a), sigmoid(a.v));
  return {sigmoid(a.v), sigmoid_slope(a.v) * a.d};
}
inline Dual log_sigmoid(Dual a) {
  if (std::abs(a.v) <= 30) return with_value(check::log_sigmoid(a), log_sigmoid(a.v));
  return {log_sigmoid(a.v), sigmoid(-a.v) * a.d}; // (ln s)' = s'/s = s(-x)
}
inline Dual softplus(Dual a) {
  if (std::abs(a.v) <= 30) return with_value(check::softplus(a), softplus(a.v));
  return {softplus(a.v), sigmoid(a.v) * a.d}; // softplus' = s
}
inline Dual tanh(Dual a) {
  if (std::abs(a.v) <= 3) return with_value(check::tanh(a), std::tanh(a.v));
  const double e = std::exp(-2 * std::abs(a.v)); // tanh' = 1/cosh^2 = 4e^-2|x| / (1+e^-2|x|)^2
  return {std::tanh(a.v), 4 * e / ((1 + e) * (1 + e)) * a.d};
}
inline Dual pow_c(Dual a, double c) {
  return c == 0 ? Dual{std::pow(a.v, 0.0), 0} : check::pow(a, c);
}
inline Dual c_pow(double c, Dual a) { return check::pow(c, a); } // c > 0
/// check::pow(a, b) is exp(b ln a): where a^b underflows its tangent is lost
/// with it, though b a^(b-1) may be far above 0. There the partials directly.
inline Dual pow(Dual a, Dual b) { // a > 0
  const double y = std::pow(a.v, b.v);
  if (std::abs(y) >= 0x1.0p-1022) return with_value(check::pow(a, b), y);
  return {y, b.v * std::pow(a.v, b.v - 1) * a.d + y * std::log(a.v) * b.d};
}

// check::Dual's textbook rules are sound over the range the generator keeps
// (values below 1e150, so x² stays finite), with two exceptions: atan2's
// (x y' - y x')/(x² + y²) and hypot's (a a' + b b')/h, whose products
// underflow for tiny arguments and tangents (hypot(0, 1e-300) with tangent
// 1e-215 gave 0). Those take the same rule divided by h first: x/h, a/h.
inline Dual erf(Dual a) { return check::erf(a); }
inline Dual erfc(Dual a) { return check::erfc(a); }
inline Dual normal_cdf(Dual a) { return with_value(check::normal_cdf(a), normal_cdf(a.v)); }
inline Dual log1p(Dual a) { return check::log1p(a); }
inline Dual expm1(Dual a) { return check::expm1(a); }
inline Dual exp2(Dual a) { return check::exp2(a); }
inline Dual log2(Dual a) { return check::log2(a); }
inline Dual log10(Dual a) { return check::log10(a); }
inline Dual cbrt(Dual a) { return with_value(check::cbrt(a), cbrt(a.v)); }
inline Dual tan(Dual a) { return check::tan(a); }
inline Dual asin(Dual a) { return check::asin(a); }
inline Dual acos(Dual a) { return check::acos(a); }
inline Dual atan(Dual a) { return check::atan(a); }
inline Dual sinh(Dual a) { return check::sinh(a); }
inline Dual cosh(Dual a) { return check::cosh(a); }
inline Dual asinh(Dual a) { return check::asinh(a); }
inline Dual acosh(Dual a) { return check::acosh(a); }
inline Dual atanh(Dual a) { return check::atanh(a); }
inline Dual floor(Dual a) { return check::floor(a); }
inline Dual ceil(Dual a) { return check::ceil(a); }
inline Dual round(Dual a) { return check::round(a); }
inline Dual trunc(Dual a) { return check::trunc(a); }
inline Dual atan2(Dual y, Dual x) {
  const double h = std::hypot(y.v, x.v);
  return {std::atan2(y.v, x.v), (x.v / h * y.d - y.v / h * x.d) / h};
}
inline Dual hypot(Dual a, Dual b) {
  const double h = std::hypot(a.v, b.v);
  return {h, a.v / h * a.d + b.v / h * b.d};
}
inline Dual fmin(Dual a, Dual b) { return check::fmin(a, b); }
inline Dual fmax(Dual a, Dual b) { return check::fmax(a, b); }

// --- Value: the engine ------------------------------------------------------

inline Value relu(Value a) { return tapegrad::relu(a); }
inline Value abs(Value a) { return tapegrad::abs(a); }
inline Value sigmoid(Value a) { return tapegrad::sigmoid(a); }
inline Value log_sigmoid(Value a) { return tapegrad::log_sigmoid(a); }
inline Value softplus(Value a) { return tapegrad::softplus(a); }
inline Value tanh(Value a) { return tapegrad::tanh(a); }
inline Value pow_c(Value a, double c) { return tapegrad::pow(a, c); }
inline Value c_pow(double c, Value a) { return tapegrad::pow(c, a); }
inline Value pow(Value a, Value b) { return tapegrad::pow(a, b); }
inline Value erf(Value a) { return tapegrad::erf(a); }
inline Value erfc(Value a) { return tapegrad::erfc(a); }
inline Value normal_cdf(Value a) { return tapegrad::normal_cdf(a); }
inline Value log1p(Value a) { return tapegrad::log1p(a); }
inline Value expm1(Value a) { return tapegrad::expm1(a); }
inline Value exp2(Value a) { return tapegrad::exp2(a); }
inline Value log2(Value a) { return tapegrad::log2(a); }
inline Value log10(Value a) { return tapegrad::log10(a); }
inline Value cbrt(Value a) { return tapegrad::cbrt(a); }
inline Value tan(Value a) { return tapegrad::tan(a); }
inline Value asin(Value a) { return tapegrad::asin(a); }
inline Value acos(Value a) { return tapegrad::acos(a); }
inline Value atan(Value a) { return tapegrad::atan(a); }
inline Value sinh(Value a) { return tapegrad::sinh(a); }
inline Value cosh(Value a) { return tapegrad::cosh(a); }
inline Value asinh(Value a) { return tapegrad::asinh(a); }
inline Value acosh(Value a) { return tapegrad::acosh(a); }
inline Value atanh(Value a) { return tapegrad::atanh(a); }
inline Value floor(Value a) { return tapegrad::floor(a); }
inline Value ceil(Value a) { return tapegrad::ceil(a); }
inline Value round(Value a) { return tapegrad::round(a); }
inline Value trunc(Value a) { return tapegrad::trunc(a); }
inline Value atan2(Value y, Value x) { return tapegrad::atan2(y, x); }
inline Value hypot(Value a, Value b) { return tapegrad::hypot(a, b); }
inline Value fmin(Value a, Value b) { return tapegrad::fmin(a, b); }
inline Value fmax(Value a, Value b) { return tapegrad::fmax(a, b); }

/// sum (mode 0), dot with constant inputs (1), dot with Value inputs (2), over
/// the operands in `v` (weights, then inputs for mode 2, then the bias last).
template <class T> T reduce(int mode, const std::vector<T>& v, std::span<const double> c) {
  if (mode == 0) {
    T s = v[0];
    for (std::size_t i = 1; i < v.size(); ++i) s = s + v[i];
    return s;
  }
  const std::size_t n = mode == 1 ? v.size() - 1 : (v.size() - 1) / 2;
  T s = v.back();
  for (std::size_t i = 0; i < n; ++i) s = s + (mode == 1 ? v[i] * c[i] : v[i] * v[n + i]);
  return s;
}

inline Value reduce(int mode, const std::vector<Value>& v, std::span<const double> c) {
  const std::span<const Value> all(v);
  if (mode == 0) return tapegrad::sum(all);
  if (mode == 1) return tapegrad::dot(all.first(v.size() - 1), c, v.back());
  const std::size_t n = (v.size() - 1) / 2;
  return tapegrad::dot(all.first(n), all.subspan(n, n), v.back());
}

} // namespace fz::math

#include "fuzz_hyper_dual.hpp" // the same functions for hyper-duals
