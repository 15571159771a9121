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

#include <bit>
#include <cstdint>
#include <limits>
#include <string_view>

#include "tapegrad/autodiff_export.hpp"

namespace tapegrad {

class Tape;
enum class Op : std::uint8_t;
class Value;
namespace detail {
double value_of(Value a) noexcept;
} // namespace detail

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
  Value(double c) noexcept // NOLINT(google-explicit-constructor): `Value acc = 0.0;`
      : index_(static_cast<Index>(bits_of(c))),
        generation_(static_cast<std::uint32_t>(bits_of(c) >> 32)) {}

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
  [[nodiscard]] bool empty() const noexcept { return tape_ == nullptr && bits() == empty_bits; }
  /// True for a constant (made from a double): on no tape.
  [[nodiscard]] bool is_constant() const noexcept {
    return tape_ == nullptr && bits() != empty_bits;
  }
  /// The tape this Value lives on; throws on an empty Value or a constant.
  [[nodiscard]] Tape& tape() const;
  /// The node's position on its tape.
  [[nodiscard]] Index index() const noexcept { return index_; }

private:
  friend class Tape;
  friend Value record(Op op, double value, Value a, double da, Value b, double db);
  friend double detail::value_of(Value a) noexcept;
  [[nodiscard]] double rare_value() const;
  Value(Tape* tape, Index index, std::uint32_t generation) noexcept
      : tape_(tape), index_(index), generation_(generation) {}

  [[noreturn]] static void throw_constant(std::string_view what);

  // A handle with no tape is a constant, whose double is kept in the two
  // words a node's handle uses for its index and generation (so that a Value
  // stays two registers wide), or an empty handle, which keeps a NaN pattern
  // no arithmetic makes (a constant of that pattern is stored as a plain NaN).
  static constexpr std::uint64_t empty_bits = 0x7ff4'e0e0'e0e0'e0e0;
  static constexpr std::uint64_t bits_of(double c) noexcept {
    const auto bits = std::bit_cast<std::uint64_t>(c);
    return bits == empty_bits
               ? std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN())
               : bits;
  }
  [[nodiscard]] std::uint64_t bits() const noexcept {
    return (std::uint64_t{generation_} << 32) | index_;
  }
  /// A constant's value.
  [[nodiscard]] double constant() const noexcept { return std::bit_cast<double>(bits()); }

  Tape* tape_ = nullptr; ///< the node's tape; nullptr for a constant or an empty handle
  Index index_ = static_cast<Index>(empty_bits); ///< the node's position on its tape
  /// The low 32 bits of the generation the node was recorded in (Tape::is_live).
  std::uint32_t generation_ = static_cast<std::uint32_t>(empty_bits >> 32);
};

} // namespace tapegrad
