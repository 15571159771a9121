// Value: the handle a user computes with.
//
// A Value names one node of a tape: which tape, which node, and the generation
// the node was recorded in (how a handle to a dropped node is told from a live
// one: see Tape::is_live). It owns nothing; the tape holds every node's value
// and gradient, so copying a Value is free and the debugger shows the numbers
// in one place. A Value made from a double is a constant, on no tape, until an
// operation combines it with a Value that is on one. The member functions are
// defined in tape.hpp, once Tape is complete.
#pragma once

#include <cstdint>
#include <string_view>

#include "tapegrad/autodiff_export.hpp"

namespace tapegrad {

class Tape;

/// Position of a node on its tape (the tape's creation order).
using Index = std::uint32_t;

/// A handle to one node of a Tape (a variable made by `tape.var(x)`, or the
/// result of an operation), or a constant made from a double. A
/// default-constructed Value is empty; using it in an operation throws
/// tapegrad::Error.
class TAPEGRAD_AUTODIFF_EXPORT Value {
public:
  /// An empty handle, bound to no tape.
  Value() = default;
  /// A constant, on no tape: `Value acc = 0.0;`, `T(1)` in a template. An
  /// operation with a Value on a tape folds it in; one of constants only
  /// gives a constant. Its gradient is 0 (nothing is differentiated by it).
  Value(double c) noexcept : generation_(constant_generation), constant_(c) {} // NOLINT: implicit

  /// The node's value (micrograd's `data`), or the constant.
  [[nodiscard]] double value() const;
  /// d(output)/d(this node) from the last backward() (0 before any, and for
  /// a constant).
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

  /// True for a default-constructed handle: neither a node nor a constant.
  [[nodiscard]] bool empty() const noexcept {
    return tape_ == nullptr && generation_ != constant_generation;
  }
  /// True for a constant (made from a double): on no tape.
  [[nodiscard]] bool is_constant() const noexcept {
    return tape_ == nullptr && generation_ == constant_generation;
  }
  /// The tape this Value lives on; throws on an empty Value or a constant.
  [[nodiscard]] Tape& tape() const;
  /// The node's position on its tape.
  [[nodiscard]] Index index() const noexcept { return index_; }

private:
  friend class Tape;
  Value(Tape* tape, Index index, std::uint32_t generation) noexcept
      : tape_(tape), index_(index), generation_(generation) {}

  [[noreturn]] static void throw_constant(std::string_view what);

  /// What generation_ holds in a handle with no tape: a constant (0 is empty).
  static constexpr std::uint32_t constant_generation = 1;

  Tape* tape_ = nullptr; ///< the node's tape; nullptr for a constant or an empty handle
  Index index_ = 0;      ///< the node's position on its tape
  /// The low 32 bits of the generation the node was recorded in (Tape::is_live).
  std::uint32_t generation_ = 0;
  double constant_ = 0.0; ///< a constant's value (unused by a node's handle)
};

} // namespace tapegrad
