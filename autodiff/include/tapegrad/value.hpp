// Value: the handle a user computes with.
//
// A Value is two words: which tape, and which node on it. It owns nothing; the
// tape holds every node's value and gradient, so copying a Value is free and the
// debugger shows the numbers in one place. The member functions are defined in
// tape.hpp, once Tape is complete.
#pragma once

#include <cstdint>
#include <string_view>

#include "tapegrad/autodiff_export.hpp"

namespace tapegrad {

class Tape;

/// Position of a node on its tape (the tape's creation order).
using Index = std::uint32_t;

/// A handle to one node of a Tape: a variable made by `tape.var(x)`, or the
/// result of an operation. A default-constructed Value is empty; using it in
/// an operation throws tapegrad::Error.
class TAPEGRAD_AUTODIFF_EXPORT Value {
public:
  /// An empty handle, bound to no tape.
  Value() = default;

  /// The node's value (micrograd's `data`).
  [[nodiscard]] double value() const;
  /// d(output)/d(this node) from the last backward() (0 before any).
  [[nodiscard]] double grad() const;
  /// Changes a leaf's value in place, as an optimizer does. Nodes already
  /// computed from it keep their old values: record the graph again.
  void set_value(double x) const;
  /// Runs the reverse sweep from this node; see Tape::backward.
  void backward() const;

  /// The node's name, or "" if it has none.
  [[nodiscard]] std::string_view name() const;
  /// Names the node (shown when printing, tracing and drawing the tape).
  /// Returns *this so that `Value y = f(x).named("y");` reads naturally.
  const Value& named(std::string_view name) const;

  /// True when the handle is bound to a tape.
  [[nodiscard]] bool empty() const noexcept { return tape_ == nullptr; }
  /// The tape this Value lives on; throws on an empty Value.
  [[nodiscard]] Tape& tape() const;
  /// The node's position on its tape.
  [[nodiscard]] Index index() const noexcept { return index_; }

private:
  friend class Tape;
  Value(Tape* tape, Index index, std::uint32_t epoch) noexcept
      : tape_(tape), index_(index), epoch_(epoch) {}

  Tape* tape_ = nullptr;
  Index index_ = 0;
  /// The low 32 bits of the tape's epoch when the node was made; tells a
  /// stale handle (its node was dropped by clear() or rewind()) from a live
  /// one. See Tape::is_live.
  std::uint32_t epoch_ = 0;
};

} // namespace tapegrad
