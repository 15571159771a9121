// Elementary functions of a Value: exp, log, sqrt, pow, the activations, and a
// few more a user reaches for.
//
// Each function computes its value and its local derivative and records both;
// its comment gives the second derivative too, which the second-order sweeps
// apply (autodiff/src/curvature.cpp, one switch over every op).
// Domain edges follow IEEE arithmetic, as std:: does: log(0) = -inf with
// derivative inf, log(x < 0) = NaN, sqrt'(0) = inf, pow(-8, 1/3) = NaN. The
// tape's anomaly mode (Tape::set_detect_anomaly) names the first node where a
// NaN or Inf appears.
#pragma once

#include <cmath>

#include "tapegrad/tape.hpp"

namespace tapegrad {

/// e^a.   d/da e^a = e^a;   d²/da² = e^a
inline Value exp(Value a) {
  const double y = std::exp(detail::value_of(a));
  return record(Op::exp, y, a, y);
}

/// ln a (natural logarithm).   d/da ln a = 1/a;   d²/da² = -1/a²
inline Value log(Value a) {
  const double x = detail::value_of(a);
  return record(Op::log, std::log(x), a, 1.0 / x);
}

/// sqrt(a).   d/da sqrt(a) = 1 / (2 sqrt(a));   d²/da² = -1/(4 sqrt(a)³)
inline Value sqrt(Value a) {
  const double y = std::sqrt(detail::value_of(a));
  return record(Op::sqrt, y, a, 0.5 / y);
}

/// a^c for a constant exponent c.   d/da a^c = c a^(c-1)  (0 when c = 0);
/// d²/da² = c (c-1) a^(c-2) (NaN from the sweep at a = 0 for c > 1: the tape
/// does not keep c; write a*a for a square that can be 0)
inline Value pow(Value a, double c) {
  const double x = detail::value_of(a);
  const double d = c == 0.0 ? 0.0 : c * std::pow(x, c - 1.0);
  return record(Op::pow_c, std::pow(x, c), a, d);
}

/// c^a for a constant base c.   d/da c^a = c^a ln c  (0 where c^a = 0);   d²/da² = c^a (ln c)²
inline Value pow(double c, Value a) {
  const double y = std::pow(c, detail::value_of(a));
  return record(Op::c_pow, y, a, y == 0.0 ? 0.0 : y * std::log(c));
}

/// a^b.   d/da a^b = b a^(b-1)  (0 when b = 0),   d/db a^b = a^b ln a  (0 where a^b = 0);
/// d²/da² = b (b-1) a^(b-2),  d²/da db = a^(b-1) (1 + b ln a),  d²/db² = a^b (ln a)²
inline Value pow(Value a, Value b) {
  const double x = detail::value_of(a), e = detail::value_of(b);
  const double y = std::pow(x, e);
  const double da = e == 0.0 ? 0.0 : e * std::pow(x, e - 1.0);
  const double db = y == 0.0 ? 0.0 : y * std::log(x);
  return record(Op::pow, y, a, da, b, db);
}

/// max(a, 0).   d/da relu(a) = 1 if a > 0, else 0 (0 at a = 0, as PyTorch);   d² = 0
inline Value relu(Value a) {
  const double x = detail::value_of(a);
  return record(Op::relu, x > 0.0 ? x : 0.0, a, x > 0.0 ? 1.0 : 0.0);
}

/// The logistic sigmoid s(a) = 1 / (1 + e^-a), finite and accurate for any a.
/// d/da s = s (1 - s);  d²/da² = s (1 - s)(1 - 2s). 1 - s = s(-a) is computed directly (not by
/// subtraction) so the derivative stays accurate where s rounds to 1.
inline Value sigmoid(Value a) {
  const double x = detail::value_of(a);
  const double e = std::exp(-std::abs(x)); // in (0, 1]: cannot overflow
  const double upper = 1.0 / (1.0 + e);    // s(|x|)
  const double lower = e / (1.0 + e);      // s(-|x|) = 1 - s(|x|)
  return record(Op::sigmoid, x >= 0.0 ? upper : lower, a, upper * lower);
}

/// ln s(a), the log of the sigmoid, without forming s(a) (stable for any a):
/// ln s(a) = min(a, 0) - ln(1 + e^-|a|).   d/da ln s(a) = 1 - s(a) = s(-a);   d² = -s(a) s(-a)
inline Value log_sigmoid(Value a) {
  const double x = detail::value_of(a);
  const double e = std::exp(-std::abs(x));
  const double s_minus = x >= 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e); // s(-x)
  return record(Op::log_sigmoid, std::fmin(x, 0.0) - std::log1p(e), a, s_minus);
}

/// softplus(a) = ln(1 + e^a) = max(a, 0) + ln(1 + e^-|a|), stable for any a.
/// d/da softplus(a) = s(a);   d²/da² = s(a) s(-a)
inline Value softplus(Value a) {
  const double x = detail::value_of(a);
  const double e = std::exp(-std::abs(x));
  const double s = x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  return record(Op::softplus, std::fmax(x, 0.0) + std::log1p(e), a, s);
}

/// tanh a.   d/da tanh a = 1 - tanh^2 a = 1 / cosh^2 a  (the second form keeps
/// its accuracy where tanh rounds to +-1, and gives 0, not NaN, far out);
/// d²/da² = -2 tanh a (1 - tanh² a)
inline Value tanh(Value a) {
  const double x = detail::value_of(a);
  const double c = std::cosh(x);
  return record(Op::tanh, std::tanh(x), a, 1.0 / (c * c));
}

/// |a|.   d/da |a| = sign(a)  (0 at a = 0);   d² = 0
inline Value abs(Value a) {
  const double x = detail::value_of(a);
  const double sign = x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0);
  return record(Op::abs, std::abs(x), a, sign);
}

/// sin a.   d/da sin a = cos a;   d²/da² = -sin a
inline Value sin(Value a) {
  const double x = detail::value_of(a);
  return record(Op::sin, std::sin(x), a, std::cos(x));
}

/// cos a.   d/da cos a = -sin a;   d²/da² = -cos a
inline Value cos(Value a) {
  const double x = detail::value_of(a);
  return record(Op::cos, std::cos(x), a, -std::sin(x));
}

} // namespace tapegrad
