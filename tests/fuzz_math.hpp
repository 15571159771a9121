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
// relu'(0) = 0, |x|'(0) = 0, d/dx x^0 = 0.
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
