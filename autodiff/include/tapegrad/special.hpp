// The error function and the normal distribution: erf, erfc and the standard
// normal CDF Φ, the functions a Black–Scholes price is made of.
//
// Each is accurate to a few ulps over the whole real line, tails included:
// Φ(-30) = 4.906713927148187e-198, not 0. Their derivatives are Gaussians,
// e^(-x²), computed with x² split exactly in two so that the rounding of x²
// does not cost x²·1e-16 of relative accuracy far out in a tail.
#pragma once

#include <cmath>
#include <numbers>

#include "tapegrad/tape.hpp"

namespace tapegrad {

namespace detail {
/// e^(-k x²) for k = 1 or 1/2, to about 2 ulps: x² = s + e exactly (fma), and
/// e^(-k(s+e)) = e^(-ks) (1 - ke) since |ke| < 1e-13. Plain std::exp(-x*x)
/// is off by up to x²·1e-16 relatively (1e-13 at x = 30).
inline double exp_minus_square(double x, double k) {
  const double s = x * x;
  if (!(s < 1500.0)) return std::isnan(s) ? s : 0.0; // e^-750 is below the subnormals
  const double e = std::fma(x, x, -s);
  return std::exp(-k * s) * (1.0 - k * e);
}

/// 1/sqrt(2π), rounded to the nearest double.
inline constexpr double inv_sqrt_2pi = 0.3989422804014327;
} // namespace detail

/// The error function, erf(a) = 2/√π ∫₀^a e^(-t²) dt.
/// d/da erf = 2/√π e^(-a²);   d²/da² = -2a · d/da
inline Value erf(Value a) {
  const double x = detail::value_of(a);
  const double d = 2.0 * std::numbers::inv_sqrtpi * detail::exp_minus_square(x, 1.0);
  return record(Op::erf, std::erf(x), a, d);
}

/// The complementary error function, erfc(a) = 1 - erf(a), accurate where
/// erf(a) rounds to 1 (erfc(26) = 5.7e-296).
/// d/da erfc = -2/√π e^(-a²);   d²/da² = -2a · d/da
inline Value erfc(Value a) {
  const double x = detail::value_of(a);
  const double d = -2.0 * std::numbers::inv_sqrtpi * detail::exp_minus_square(x, 1.0);
  return record(Op::erfc, std::erfc(x), a, d);
}

/// Φ(x), the standard normal distribution function, P(Z <= x) for Z ~ N(0, 1),
/// for plain doubles (the C library has none), so that generic code calls
/// normal_cdf() for double and Value alike. Accurate to a few ulps in both
/// tails: Φ(x) = erfc(-x/√2)/2, with the rounding of x/√2 (which erfc would
/// magnify 2z² times, 900 times at x = -30) corrected to first order.
inline double normal_cdf(double x) {
  if (std::isinf(x)) return x > 0.0 ? 1.0 : 0.0; // dz below would be inf - inf
  constexpr double hi = 0.7071067811865476;      // 1/√2 = hi + lo
  constexpr double lo = -4.833646656726457e-17;  //
  const double z = -x * hi;                      // z + dz = -x/√2 to ~1e-32 relative
  const double dz = std::fma(-x, hi, -z) + -x * lo;
  // erfc(z + dz) = erfc(z) - 2/√π e^(-z²) dz + O(dz²)
  return 0.5 * std::erfc(z) - std::numbers::inv_sqrtpi * detail::exp_minus_square(z, 1.0) * dz;
}

/// Φ(a), the standard normal distribution function, accurate in both tails.
/// d/da Φ = φ(a) = e^(-a²/2)/√(2π);   d²/da² = -a φ(a)
inline Value normal_cdf(Value a) {
  const double x = detail::value_of(a);
  const double d = detail::inv_sqrt_2pi * detail::exp_minus_square(x, 0.5);
  return record(Op::normal_cdf, normal_cdf(x), a, d);
}

} // namespace tapegrad
