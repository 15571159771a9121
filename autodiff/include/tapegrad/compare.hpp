// Comparing Values, and choosing between two: what generic code needs to run
// the same for double and for Value (std::max, std::sort, `if (x > 0)`).
//
// A comparison compares the numbers the handles stand for and returns a
// bool: nothing is recorded, and no gradient flows through it (the branch it
// chooses is recorded, as in PyTorch). A double on either side works too, as a
// constant Value.
#pragma once

#include <compare>

#include "tapegrad/tape.hpp"

namespace tapegrad {

/// a == b on their values (NaN equals nothing).
inline bool operator==(const Value& a, const Value& b) { return a.value() == b.value(); }

/// a < b, a <= b, a > b, a >= b on their values (partial: NaN is unordered).
inline std::partial_ordering operator<=>(const Value& a, const Value& b) {
  return a.value() <=> b.value();
}

/// `condition ? a : b` as one expression with one type, for generic code
/// (`select(x > 0.0, x, 0.0)` is a Value when x is one). Records nothing: the
/// result is a or b itself, so the gradient flows only into the one chosen.
inline Value select(bool condition, Value a, Value b) { return condition ? a : b; }

/// select() for plain doubles, so the same generic code runs on both.
inline double select(bool condition, double a, double b) { return condition ? a : b; }

} // namespace tapegrad
