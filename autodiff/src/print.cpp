// Turning nodes into text. Numbers use fmt's shortest round-trip form ("{}"),
// so a printed value reads back as the same double.
#include "tapegrad/print.hpp"

#include <ostream>

namespace tapegrad {

std::string format_call(const Tape& tape, Index i) {
  const Op op = tape.op(i);
  if (op == Op::leaf) return "leaf";
  std::string text(tape.op_name(op));
  text += '(';
  const ConstantAt constant = op_constant(op);
  if (constant == ConstantAt::before) text += "c, ";
  const auto args = tape.operands(i);
  for (std::size_t k = 0; k < args.size(); ++k)
    text += fmt::format("{}#{}", k == 0 ? "" : ", ", args[k]);
  if (constant == ConstantAt::after) text += ", c";
  text += ')';
  return text;
}

std::string format_node(const Tape& tape, Index i) {
  std::string text =
      fmt::format("#{} {} value={} grad={}", i, format_call(tape, i), tape.value(i), tape.grad(i));
  if (const auto name = tape.name(i); !name.empty()) text += fmt::format(" \"{}\"", name);
  return text;
}

std::string format_operands(const Tape& tape, Index i) {
  std::string text;
  for (const Index a : tape.operands(i)) {
    if (!text.empty()) text += ", ";
    text += fmt::format("#{}={}", a, tape.value(a));
    if (const auto name = tape.name(a); !name.empty()) text += fmt::format(" \"{}\"", name);
  }
  return text.empty() ? "none" : text;
}

std::string format_tape(const Tape& tape) {
  std::string text = fmt::format("{:>5}  {:<24} {:>13} {:>13}  {}\n", "#", "op(operands)", "value",
                                 "grad", "name");
  for (Index i = 0; i < tape.size(); ++i)
    text += fmt::format("{:>5}  {:<24} {:>13.6g} {:>13.6g}  {}\n", i, format_call(tape, i),
                        tape.value(i), tape.grad(i), tape.name(i));
  return text;
}

std::string format_value(const Value& v) {
  if (v.empty()) return "<empty Value>";
  if (v.is_constant()) return fmt::format("<constant {}>", v.value());
  if (!v.tape().is_live(v)) return fmt::format("<stale Value #{}>", v.index());
  return format_node(v.tape(), v.index());
}

std::ostream& operator<<(std::ostream& out, const Tape& tape) { return out << format_tape(tape); }

std::ostream& operator<<(std::ostream& out, const Value& v) { return out << format_value(v); }

} // namespace tapegrad
