// The one exception type tapegrad throws for misuse and bad input.
//
// Every message says what happened and how to fix it, so a user reading it in
// a terminal needs nothing else. Internal invariants use assert() instead.
#pragma once

#include <stdexcept>
#include <string>

#include "tapegrad/autodiff_export.hpp"

namespace tapegrad {

/// Thrown on misuse of the API (mixing tapes, stale handles, writing to a
/// computed node, ...) and on malformed input (model files, CSV). Derived from
/// std::runtime_error so `catch (const std::exception&)` sees it too.
class TAPEGRAD_AUTODIFF_EXPORT Error : public std::runtime_error {
public:
  /// Builds the error from a full sentence: what happened, then the fix.
  explicit Error(const std::string& message);
};

} // namespace tapegrad
