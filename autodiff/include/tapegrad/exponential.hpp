// Exponentials, logarithms and the cube root beyond exp, log and sqrt:
// log1p, expm1, exp2, log2, log10, cbrt.
//
// log1p and expm1 are what log(1 + a) and exp(a) - 1 should be near a = 0,
// where the spelled-out forms lose every digit that 1 + a rounds away
// (log(1 + 1e-10) is wrong in the 8th digit, log1p(1e-10) is exact). Domain
// edges follow IEEE arithmetic as std:: does: log1p(-1) = -inf with
// derivative inf, log2(x < 0) = NaN, cbrt'(0) = inf.
#pragma once

#include <cmath>
#include <numbers>

#include "tapegrad/tape.hpp"

namespace tapegrad {

/// ln(1 + a), accurate for tiny a.
/// d/da log1p(a) = 1/(1 + a);   d²/da² = -1/(1 + a)²
inline Value log1p(Value a) {
  const double x = detail::value_of(a);
  return record(Op::log1p, std::log1p(x), a, 1.0 / (1.0 + x));
}

/// e^a - 1, accurate for tiny a.
/// d/da expm1(a) = e^a;   d²/da² = e^a
inline Value expm1(Value a) {
  const double x = detail::value_of(a);
  return record(Op::expm1, std::expm1(x), a, std::exp(x));
}

/// 2^a.
/// d/da 2^a = 2^a ln 2;   d²/da² = 2^a (ln 2)²
inline Value exp2(Value a) {
  const double y = std::exp2(detail::value_of(a));
  return record(Op::exp2, y, a, y * std::numbers::ln2);
}

/// log₂ a.
/// d/da log₂ a = 1/(a ln 2) = log₂e / a;   d²/da² = -log₂e / a²
inline Value log2(Value a) {
  const double x = detail::value_of(a);
  return record(Op::log2, std::log2(x), a, std::numbers::log2e / x);
}

/// log₁₀ a.
/// d/da log₁₀ a = 1/(a ln 10) = log₁₀e / a;   d²/da² = -log₁₀e / a²
inline Value log10(Value a) {
  const double x = detail::value_of(a);
  return record(Op::log10, std::log10(x), a, std::numbers::log10e / x);
}

namespace detail {
/// ∛x to about half an ulp: std::cbrt (glibc's is off by up to 2 ulps,
/// cbrt(-27) = -3.0000000000000004) and one Newton step on the residual
/// y³ - x, which the fmas compute with a single rounding.
inline double cbrt(double x) {
  if (!std::isnormal(x)) {
    if (x == 0.0 || !std::isfinite(x)) return x;    // ±0, ±inf, NaN
    return detail::cbrt(x * 0x1.0p162) * 0x1.0p-54; // a subnormal, scaled by (2^54)³
  }
  const double y = std::cbrt(x);
  const double p = y * y;
  const double pe = std::fma(y, y, -p);         // y² = p + pe exactly
  const double r = std::fma(y, p, -x) + y * pe; // y³ - x
  return y - r / (3.0 * p);
}
} // namespace detail

/// The real cube root, ∛a (negative for a < 0, unlike pow(a, 1/3.) = NaN).
/// d/da ∛a = 1/(3 ∛a²)  (inf at 0);   d²/da² = -2/(9 ∛a⁵) = -(2/3) d/da / ∛a
inline Value cbrt(Value a) {
  const double y = detail::cbrt(detail::value_of(a));
  return record(Op::cbrt, y, a, 1.0 / (3.0 * y * y));
}

} // namespace tapegrad
