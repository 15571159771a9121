// The differential fuzzer's functions for check::HyperDual, the oracle of its
// second derivatives: each written from its definition as f, f' and f'' in a
// form that stays finite and accurate over the generator's range (e.g.
// sigmoid'' = s(x) s(-x) (s(-x) - s(x)), never through 1/(1 + e^-x)).
// Included by fuzz_math.hpp, before fuzz_support.hpp's apply() names them.
#pragma once

#include <cmath>
#include <numbers>

#include <tapegrad/special.hpp>

#include "hyper_dual.hpp"

namespace fz::math {

using check::chain;
using check::HD;

inline double logistic(double x) {
  const double e = std::exp(-std::abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

inline HD relu(HD a) { return a.v > 0 ? a : check::constant(0); }
inline HD abs(HD a) { return a.v > 0 ? a : (a.v < 0 ? -a : check::constant(0)); }
inline HD sigmoid(HD a) {
  const double s = logistic(a.v), m = logistic(-a.v);
  return chain(a, s, s * m, s * m * (m - s));
}
inline HD log_sigmoid(HD a) {
  const double s = logistic(a.v), m = logistic(-a.v);
  const double f = a.v >= 0 ? -std::log1p(std::exp(-a.v)) : a.v - std::log1p(std::exp(a.v));
  return chain(a, f, m, -s * m);
}
inline HD softplus(HD a) {
  const double s = logistic(a.v), m = logistic(-a.v);
  const double f = a.v > 0 ? a.v + std::log1p(std::exp(-a.v)) : std::log1p(std::exp(a.v));
  return chain(a, f, s, s * m);
}
inline HD tanh(HD a) {
  const double t = std::tanh(a.v), e = std::exp(-2 * std::abs(a.v));
  const double slope = 4 * e / ((1 + e) * (1 + e)); // 1/cosh²
  return chain(a, t, slope, -2 * t * slope);
}
inline HD pow_c(HD a, double c) {
  if (c == 0) return check::constant(std::pow(a.v, 0.0));
  return chain(a, std::pow(a.v, c), c * std::pow(a.v, c - 1), c * (c - 1) * std::pow(a.v, c - 2));
}
inline HD c_pow(double c, HD a) {
  const double y = std::pow(c, a.v), l = std::log(c);
  return chain(a, y, y * l, y * l * l);
}
inline HD pow(HD a, HD b) { // a > 0: y = a^b
  const double y = std::pow(a.v, b.v), l = std::log(a.v);
  return check::chain2(a, b, y, b.v * std::pow(a.v, b.v - 1), y * l,
                       b.v * (b.v - 1) * std::pow(a.v, b.v - 2),
                       std::pow(a.v, b.v - 1) * (1 + b.v * l), y * l * l);
}
inline HD erf(HD a) {
  const double g = 2 / std::sqrt(std::numbers::pi) * std::exp(-a.v * a.v);
  return chain(a, std::erf(a.v), g, -2 * a.v * g);
}
inline HD erfc(HD a) {
  const double g = 2 / std::sqrt(std::numbers::pi) * std::exp(-a.v * a.v);
  return chain(a, std::erfc(a.v), -g, 2 * a.v * g);
}
inline HD normal_cdf(HD a) {
  const double phi = std::exp(-0.5 * a.v * a.v) / std::sqrt(2 * std::numbers::pi);
  return chain(a, tapegrad::normal_cdf(a.v), phi, -a.v * phi);
}
inline HD log1p(HD a) {
  const double r = 1 / (1 + a.v);
  return chain(a, std::log1p(a.v), r, -r * r);
}
inline HD expm1(HD a) {
  const double e = std::exp(a.v);
  return chain(a, std::expm1(a.v), e, e);
}
inline HD exp2(HD a) {
  const double y = std::exp2(a.v), l = std::numbers::ln2;
  return chain(a, y, y * l, y * l * l);
}
inline HD log2(HD a) {
  return chain(a, std::log2(a.v), 1 / (a.v * std::numbers::ln2),
               -1 / (a.v * a.v * std::numbers::ln2));
}
inline HD log10(HD a) {
  return chain(a, std::log10(a.v), 1 / (a.v * std::numbers::ln10),
               -1 / (a.v * a.v * std::numbers::ln10));
}
inline HD cbrt(HD a) {
  const double y = tapegrad::detail::cbrt(a.v);
  return chain(a, y, 1 / (3 * y * y), -2 / (9 * y * y * y * y * y));
}
inline HD tan(HD a) {
  const double t = std::tan(a.v);
  return chain(a, t, 1 + t * t, 2 * t * (1 + t * t));
}
inline HD asin(HD a) {
  const double r = 1 / std::sqrt((1 - a.v) * (1 + a.v));
  return chain(a, std::asin(a.v), r, a.v * r * r * r);
}
inline HD acos(HD a) {
  const double r = 1 / std::sqrt((1 - a.v) * (1 + a.v));
  return chain(a, std::acos(a.v), -r, -a.v * r * r * r);
}
inline HD atan(HD a) {
  const double r = 1 / (1 + a.v * a.v);
  return chain(a, std::atan(a.v), r, -2 * a.v * r * r);
}
inline HD sinh(HD a) { return chain(a, std::sinh(a.v), std::cosh(a.v), std::sinh(a.v)); }
inline HD cosh(HD a) { return chain(a, std::cosh(a.v), std::sinh(a.v), std::cosh(a.v)); }
inline HD asinh(HD a) {
  const double r = 1 / std::hypot(1.0, a.v);
  return chain(a, std::asinh(a.v), r, -a.v * r * r * r);
}
inline HD acosh(HD a) {
  const double r = 1 / (std::sqrt(a.v - 1) * std::sqrt(a.v + 1));
  return chain(a, std::acosh(a.v), r, -a.v * r * r * r);
}
inline HD atanh(HD a) {
  const double r = 1 / ((1 - a.v) * (1 + a.v));
  return chain(a, std::atanh(a.v), r, 2 * a.v * r * r);
}
inline HD floor(HD a) { return check::constant(std::floor(a.v)); }
inline HD ceil(HD a) { return check::constant(std::ceil(a.v)); }
inline HD round(HD a) { return check::constant(std::round(a.v)); }
inline HD trunc(HD a) { return check::constant(std::trunc(a.v)); }
/// atan2(y, x) with u = y/h, w = x/h: f_y = w/h, f_x = -u/h, f_yy = -2uw/h²,
/// f_xx = 2uw/h², f_xy = (u² - w²)/h².
inline HD atan2(HD y, HD x) {
  const double h = std::hypot(y.v, x.v), u = y.v / h, w = x.v / h;
  return check::chain2(y, x, std::atan2(y.v, x.v), w / h, -u / h, -2 * u * w / h / h,
                       (u * u - w * w) / h / h, 2 * u * w / h / h);
}
/// hypot(a, b) with u = a/h, w = b/h: f_a = u, f_b = w, f_aa = w²/h,
/// f_bb = u²/h, f_ab = -uw/h.
inline HD hypot(HD a, HD b) {
  const double h = std::hypot(a.v, b.v), u = a.v / h, w = b.v / h;
  return check::chain2(a, b, h, u, w, w * w / h, -u * w / h, u * u / h);
}
inline HD fmin(HD a, HD b) { return a.v <= b.v ? a : b; } // ties are not kept by the generator
inline HD fmax(HD a, HD b) { return a.v >= b.v ? a : b; }

} // namespace fz::math
