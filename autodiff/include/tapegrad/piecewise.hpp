// Functions with kinks and steps: fmin, fmax, clamp, floor, ceil, round, trunc.
//
// Where the derivative is not defined, each takes PyTorch's choice:
//  - fmin/fmax at a tie (a == b) give each argument half the gradient, as
//    torch.minimum/maximum do (torch.fmin/fmax give it all to the first), so
//    fmax(a, b) and fmax(b, a) agree and fmax(x, x) has derivative 1;
//  - a NaN argument is ignored as std::fmin/fmax ignore it: the other one
//    is the result and gets the gradient (both NaN: the first);
//  - clamp passes the gradient to a when lo <= a <= hi (inclusive), else to
//    the bound it returns (torch.clamp);
//  - floor, ceil, round and trunc have derivative 0 everywhere, steps included.
// Second derivatives are 0 everywhere for all of them.
#pragma once

#include <cmath>

#include "tapegrad/tape.hpp"

namespace tapegrad {

namespace detail {
/// d fmax(x, y)/dx: 1 if x > y or y is NaN, 1/2 at a tie, else 0.
/// d fmax/dy = 1 - that (with both NaN: 1 and 0).
inline double fmax_partial(double x, double y) {
  if (x > y || std::isnan(y)) return 1.0;
  if (x < y || std::isnan(x)) return 0.0;
  return 0.5;
}
} // namespace detail

/// The larger of a and b; a NaN argument is ignored (std::fmax).
/// d/da = 1 where a > b, 1/2 where a == b, 0 where a < b;  d/db likewise;  d² = 0
inline Value fmax(Value a, Value b) {
  const double x = detail::value_of(a), y = detail::value_of(b);
  const double da = detail::fmax_partial(x, y);
  return record(Op::fmax, std::fmax(x, y), a, da, b, 1.0 - da);
}

/// fmax(a, c) for a constant c.   d/da = 1 where a > c, 1/2 where a == c, else 0
inline Value fmax(Value a, double c) {
  const double x = detail::value_of(a);
  return record(Op::fmax_c, std::fmax(x, c), a, detail::fmax_partial(x, c));
}

/// fmax(c, a) = fmax(a, c).
inline Value fmax(double c, Value a) { return fmax(a, c); }

/// The smaller of a and b; a NaN argument is ignored (std::fmin).
/// d/da = 1 where a < b, 1/2 where a == b, 0 where a > b;  d/db likewise;  d² = 0
inline Value fmin(Value a, Value b) {
  const double x = detail::value_of(a), y = detail::value_of(b);
  const double da = detail::fmax_partial(-x, -y); // min(x, y) = -max(-x, -y)
  return record(Op::fmin, std::fmin(x, y), a, da, b, 1.0 - da);
}

/// fmin(a, c) for a constant c.   d/da = 1 where a < c, 1/2 where a == c, else 0
inline Value fmin(Value a, double c) {
  const double x = detail::value_of(a);
  return record(Op::fmin_c, std::fmin(x, c), a, detail::fmax_partial(-x, -c));
}

/// fmin(c, a) = fmin(a, c).
inline Value fmin(double c, Value a) { return fmin(a, c); }

/// min(max(a, lo), hi) for constant bounds (torch.clamp): hi when lo > hi;
/// NaN for a NaN a.   d/da = 1 where lo <= a <= hi (inclusive), else 0;  d² = 0
inline Value clamp(Value a, double lo, double hi) {
  const double x = detail::value_of(a);
  const double low = x < lo ? lo : x;
  const double y = low > hi ? hi : low;
  return record(Op::clamp_c, y, a, x >= lo && x <= hi ? 1.0 : 0.0);
}

/// min(max(a, lo), hi) with bounds that are Values (torch.clamp's rule):
/// d/da = 1 where lo <= a <= hi;  d/dlo = 1 where a < lo < hi;
/// d/dhi = 1 where a > hi or hi < lo;  all 0 where a is outside and lo == hi;
/// d² = 0
inline Value clamp(Value a, Value lo, Value hi) {
  const double x = detail::value_of(a), l = detail::value_of(lo), h = detail::value_of(hi);
  const double low = x < l ? l : x;
  const double y = low > h ? h : low;
  // The tape of the first operand on one (an empty operand throws); constant
  // operands are skipped by push_operand, and three constants give a constant.
  Tape* tape = !a.is_constant()    ? &a.tape()
               : !lo.is_constant() ? &lo.tape()
               : !hi.is_constant() ? &hi.tape()
                                   : nullptr;
  if (tape == nullptr) return y;
  tape->push_operand(a, x >= l && x <= h ? 1.0 : 0.0);
  tape->push_operand(lo, x < l && l < h ? 1.0 : 0.0);
  tape->push_operand(hi, x > h || h < l ? 1.0 : 0.0);
  return tape->finish_node(Op::clamp, y);
}

/// The largest integer <= a.   d/da = 0 (steps included);  d² = 0
inline Value floor(Value a) { return record(Op::floor, std::floor(detail::value_of(a)), a, 0.0); }

/// The smallest integer >= a.   d/da = 0 (steps included);  d² = 0
inline Value ceil(Value a) { return record(Op::ceil, std::ceil(detail::value_of(a)), a, 0.0); }

/// a rounded to the nearest integer, halves away from zero (std::round; note
/// torch.round rounds halves to even).   d/da = 0 (steps included);  d² = 0
inline Value round(Value a) { return record(Op::round, std::round(detail::value_of(a)), a, 0.0); }

/// a rounded toward zero.   d/da = 0 (steps included);  d² = 0
inline Value trunc(Value a) { return record(Op::trunc, std::trunc(detail::value_of(a)), a, 0.0); }

} // namespace tapegrad
