// TapeView: a Tape's columns as plain pointers, for the loops of the
// second-order sweeps (functional.cpp, curvature.cpp). Through the public read
// API (operands(i), partials(i), value(i), op(i): each an out-of-line call with
// an index check) a sweep ran 4x slower than backward()'s own loop; the view
// reads what that loop reads. Valid while the tape records nothing new.
#pragma once

#include <span>

#include "tapegrad/tape.hpp"

namespace tapegrad {

struct TapeView {
  const double* values;
  const Op* ops;
  const Index* first; ///< node i's operands are args[first[i] .. first[i+1])
  const Index* args;
  const double* partial;

  explicit TapeView(const Tape& t) noexcept
      : values(t.values_.data()), ops(t.ops_.data()), first(t.first_operand_.data()),
        args(t.operands_.data()), partial(t.partials_.data()) {}

  [[nodiscard]] std::span<const Index> operands(Index i) const noexcept {
    return {args + first[i], first[i + 1] - first[i]};
  }
  [[nodiscard]] std::span<const double> partials(Index i) const noexcept {
    return {partial + first[i], first[i + 1] - first[i]};
  }
};

} // namespace tapegrad
