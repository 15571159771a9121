// Arithmetic on Values: + - * / and unary minus, with Values or doubles on
// either side, and the compound assignments.
//
// Each operator computes its value and the local partial derivative of the
// result with respect to each Value operand, and records both on the tape. A
// double operand is a constant: it is folded into the node, never recorded.
// + and - are linear (second derivative 0); * and / give theirs below.
#pragma once

#include "tapegrad/tape.hpp"

namespace tapegrad {

/// a + b.   d/da = 1, d/db = 1
inline Value operator+(Value a, Value b) {
  return record(Op::add, detail::value_of(a) + detail::value_of(b), a, 1.0, b, 1.0);
}
/// a + c.   d/da = 1
inline Value operator+(Value a, double c) {
  return record(Op::add_c, detail::value_of(a) + c, a, 1.0);
}
/// c + a.   d/da = 1
inline Value operator+(double c, Value a) { return a + c; }

/// a - b.   d/da = 1, d/db = -1
inline Value operator-(Value a, Value b) {
  return record(Op::sub, detail::value_of(a) - detail::value_of(b), a, 1.0, b, -1.0);
}
/// a - c.   d/da = 1
inline Value operator-(Value a, double c) {
  return record(Op::add_c, detail::value_of(a) - c, a, 1.0);
}
/// c - a.   d/da = -1
inline Value operator-(double c, Value a) {
  return record(Op::c_sub, c - detail::value_of(a), a, -1.0);
}

/// a * b.   d/da = b, d/db = a;   d²/da db = 1, d²/da² = d²/db² = 0
inline Value operator*(Value a, Value b) {
  const double x = detail::value_of(a), y = detail::value_of(b);
  return record(Op::mul, x * y, a, y, b, x);
}
/// a * c.   d/da = c
inline Value operator*(Value a, double c) {
  return record(Op::mul_c, detail::value_of(a) * c, a, c);
}
/// c * a.   d/da = c
inline Value operator*(double c, Value a) { return a * c; }

/// a / b.   d/da = 1/b, d/db = -a/b^2;   d²/da² = 0, d²/da db = -1/b², d²/db² = 2a/b³
inline Value operator/(Value a, Value b) {
  const double x = detail::value_of(a), y = detail::value_of(b);
  const double q = x / y;
  return record(Op::div, q, a, 1.0 / y, b, -q / y);
}
/// a / c.   d/da = 1/c
inline Value operator/(Value a, double c) {
  return record(Op::mul_c, detail::value_of(a) / c, a, 1.0 / c);
}
/// c / a.   d/da = -c/a^2;   d²/da² = 2c/a³
inline Value operator/(double c, Value a) {
  const double x = detail::value_of(a);
  const double q = c / x;
  return record(Op::c_div, q, a, -q / x);
}

/// -a.   d/da = -1
inline Value operator-(Value a) { return record(Op::neg, -detail::value_of(a), a, -1.0); }
/// +a is a itself: nothing is recorded.
inline Value operator+(Value a) { return a; }

/// a = a + b, recorded as a new node; `a` now names it.
inline Value& operator+=(Value& a, Value b) { return a = a + b; }
/// a = a + c.
inline Value& operator+=(Value& a, double c) { return a = a + c; }
/// a = a - b.
inline Value& operator-=(Value& a, Value b) { return a = a - b; }
/// a = a - c.
inline Value& operator-=(Value& a, double c) { return a = a - c; }
/// a = a * b.
inline Value& operator*=(Value& a, Value b) { return a = a * b; }
/// a = a * c.
inline Value& operator*=(Value& a, double c) { return a = a * c; }
/// a = a / b.
inline Value& operator/=(Value& a, Value b) { return a = a / b; }
/// a = a / c.
inline Value& operator/=(Value& a, double c) { return a = a / c; }

} // namespace tapegrad
