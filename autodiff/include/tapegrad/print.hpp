// Printing a tape as a table (one row per node) and a Value as one node, with
// fmt (`fmt::print("{}", tape)`) or iostreams (`std::cout << tape`).
//
// The same words are used everywhere a node is shown: in error messages, in
// the backward() trace, in the gdb pretty-printers and in the DOT export.
#pragma once

#include <iosfwd>
#include <string>

#include <fmt/format.h>

#include "tapegrad/autodiff_export.hpp"
#include "tapegrad/tape.hpp"

namespace tapegrad {

/// Node i as an op applied to its operands, e.g. "mul(#3, #5)", "add(#2, c)"
/// (c: a constant folded into the node), or "leaf".
TAPEGRAD_AUTODIFF_EXPORT std::string format_call(const Tape& tape, Index i);

/// Node i in one line: `#7 mul(#3, #5) value=0.219934 grad=1 "z2"`.
TAPEGRAD_AUTODIFF_EXPORT std::string format_node(const Tape& tape, Index i);

/// Node i's operands with their values and names: `#3=0.4 "w2", #5=0.549834`.
TAPEGRAD_AUTODIFF_EXPORT std::string format_operands(const Tape& tape, Index i);

/// The whole tape as a table: index, op, operands, value, grad, name.
TAPEGRAD_AUTODIFF_EXPORT std::string format_tape(const Tape& tape);

/// A Value as its node's line; "<empty Value>", "<constant 2.5>" or "<stale Value #i>" when it
/// has no live node. Never throws on a bad handle.
TAPEGRAD_AUTODIFF_EXPORT std::string format_value(const Value& v);

/// Writes format_tape(tape).
TAPEGRAD_AUTODIFF_EXPORT std::ostream& operator<<(std::ostream& out, const Tape& tape);
/// Writes format_value(v).
TAPEGRAD_AUTODIFF_EXPORT std::ostream& operator<<(std::ostream& out, const Value& v);

} // namespace tapegrad

/// fmt support: `fmt::print("{}", tape)` prints the table.
template <> struct fmt::formatter<tapegrad::Tape> : fmt::formatter<std::string_view> {
  /// Writes format_tape(tape).
  auto format(const tapegrad::Tape& tape, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(tapegrad::format_tape(tape), ctx);
  }
};

/// fmt support: `fmt::print("{}", v)` prints the Value's node line.
template <> struct fmt::formatter<tapegrad::Value> : fmt::formatter<std::string_view> {
  /// Writes format_value(v).
  auto format(const tapegrad::Value& v, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(tapegrad::format_value(v), ctx);
  }
};
