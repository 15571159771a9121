// Circular and hyperbolic functions and their inverses beyond sin, cos and
// tanh: tan, asin, acos, atan, atan2, sinh, cosh, asinh, acosh, atanh, and
// hypot, the length that atan2 is the angle of.
//
// The derivatives are written in the forms that keep their accuracy at the
// domain edges and far out: 1/sqrt((1 - a)(1 + a)), not 1/sqrt(1 - a²), which
// loses 4 digits at a = 1 - 1e-12; hypot's a/h, and atan2's (x/h)/h, never
// square a large or a tiny number. Outside a domain the value is NaN (IEEE,
// as std::: asin(2), acosh(0.5), atanh(2)); at its edge the derivative is inf
// (asin'(±1), acosh'(1), atanh'(±1)).
#pragma once

#include <cmath>

#include "tapegrad/tape.hpp"

namespace tapegrad {

/// tan a.
/// d/da tan a = 1 + tan² a;   d²/da² = 2 tan a (1 + tan² a)
inline Value tan(Value a) {
  const double y = std::tan(detail::value_of(a));
  return record(Op::tan, y, a, 1.0 + y * y);
}

/// arcsin a, in [-π/2, π/2]; NaN for |a| > 1.
/// d/da asin a = 1/sqrt(1 - a²);   d²/da² = a/(1 - a²)^(3/2) = a (d/da)³
inline Value asin(Value a) {
  const double x = detail::value_of(a);
  return record(Op::asin, std::asin(x), a, 1.0 / std::sqrt((1.0 - x) * (1.0 + x)));
}

/// arccos a, in [0, π]; NaN for |a| > 1.
/// d/da acos a = -1/sqrt(1 - a²);   d²/da² = -a/(1 - a²)^(3/2) = a (d/da)³
inline Value acos(Value a) {
  const double x = detail::value_of(a);
  return record(Op::acos, std::acos(x), a, -1.0 / std::sqrt((1.0 - x) * (1.0 + x)));
}

/// arctan a, in (-π/2, π/2).
/// d/da atan a = 1/(1 + a²)  (1/a² where a² overflows);   d²/da² = -2a (d/da)²
inline Value atan(Value a) {
  const double x = detail::value_of(a);
  const double d = std::abs(x) < 1e150 ? 1.0 / (1.0 + x * x) : 1.0 / x / x;
  return record(Op::atan, std::atan(x), a, d);
}

namespace detail {
/// atan2's partials (x/h², -y/h²) with h = hypot(y, x), as (x/h)/h so that
/// neither overflows nor underflows where h² would. NaN at (0, 0), where
/// atan2 jumps (PyTorch gives NaN there too).
struct Atan2Partials {
  double dy, dx;
};
inline Atan2Partials atan2_partials(double y, double x) {
  const double h = std::hypot(y, x);
  return {x / h / h, -y / h / h};
}

/// hypot's partial a/h, 0 at the origin (as |a|'(0) = 0).
inline double hypot_partial(double a, double h) { return h == 0.0 ? 0.0 : a / h; }
} // namespace detail

/// atan2(y, x): the angle of the point (x, y), in [-π, π].
/// d/dy = x/(x² + y²),  d/dx = -y/(x² + y²);
/// d²/dy² = -2xy/(x²+y²)²,  d²/dx² = 2xy/(x²+y²)²,  d²/dydx = (y² - x²)/(x²+y²)²
inline Value atan2(Value y, Value x) {
  const double v = detail::value_of(y), u = detail::value_of(x);
  const auto d = detail::atan2_partials(v, u);
  return record(Op::atan2, std::atan2(v, u), y, d.dy, x, d.dx);
}

/// atan2(y, c) for a constant c.   d/dy = c/(c² + y²);   d²/dy² = -2cy/(c²+y²)²
inline Value atan2(Value y, double c) {
  const double v = detail::value_of(y);
  return record(Op::atan2_c, std::atan2(v, c), y, detail::atan2_partials(v, c).dy);
}

/// atan2(c, x) for a constant c.   d/dx = -c/(x² + c²);   d²/dx² = 2cx/(x²+c²)²
inline Value atan2(double c, Value x) {
  const double u = detail::value_of(x);
  return record(Op::c_atan2, std::atan2(c, u), x, detail::atan2_partials(c, u).dx);
}

/// sqrt(a² + b²) without overflow or underflow (std::hypot): hypot(3e200,
/// 4e200) = 5e200.   d/da = a/h, d/db = b/h (0 at the origin, as |a|'(0) = 0);
/// d²/da² = b²/h³,  d²/db² = a²/h³,  d²/dadb = -ab/h³
inline Value hypot(Value a, Value b) {
  const double x = detail::value_of(a), y = detail::value_of(b);
  const double h = std::hypot(x, y);
  return record(Op::hypot, h, a, detail::hypot_partial(x, h), b, detail::hypot_partial(y, h));
}

/// hypot(a, c) for a constant c.   d/da = a/h;   d²/da² = c²/h³
inline Value hypot(Value a, double c) {
  const double x = detail::value_of(a);
  const double h = std::hypot(x, c);
  return record(Op::hypot_c, h, a, detail::hypot_partial(x, h));
}

/// hypot(c, a) = hypot(a, c).
inline Value hypot(double c, Value a) { return hypot(a, c); }

/// sinh a.
/// d/da sinh a = cosh a;   d²/da² = sinh a
inline Value sinh(Value a) {
  const double x = detail::value_of(a);
  return record(Op::sinh, std::sinh(x), a, std::cosh(x));
}

/// cosh a.
/// d/da cosh a = sinh a;   d²/da² = cosh a
inline Value cosh(Value a) {
  const double x = detail::value_of(a);
  return record(Op::cosh, std::cosh(x), a, std::sinh(x));
}

/// arsinh a = ln(a + sqrt(a² + 1)).
/// d/da asinh a = 1/sqrt(1 + a²) = 1/hypot(1, a);   d²/da² = -a/(1 + a²)^(3/2)
inline Value asinh(Value a) {
  const double x = detail::value_of(a);
  return record(Op::asinh, std::asinh(x), a, 1.0 / std::hypot(1.0, x));
}

/// arcosh a = ln(a + sqrt(a² - 1)), for a >= 1; NaN below.
/// d/da acosh a = 1/sqrt(a² - 1) = 1/(sqrt(a - 1) sqrt(a + 1));
/// d²/da² = -a/(a² - 1)^(3/2)
inline Value acosh(Value a) {
  const double x = detail::value_of(a);
  const double d = 1.0 / (std::sqrt(x - 1.0) * std::sqrt(x + 1.0));
  return record(Op::acosh, std::acosh(x), a, d);
}

/// artanh a = ln((1 + a)/(1 - a))/2, for |a| < 1; ±inf at ±1, NaN beyond.
/// d/da atanh a = 1/(1 - a²) = 1/((1 - a)(1 + a));   d²/da² = 2a/(1 - a²)²
inline Value atanh(Value a) {
  const double x = detail::value_of(a);
  return record(Op::atanh, std::atanh(x), a, 1.0 / ((1.0 - x) * (1.0 + x)));
}

} // namespace tapegrad
