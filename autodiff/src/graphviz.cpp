// Graphviz DOT export of a recorded graph. The picture follows the tape: a box
// per node, an ellipse per operation, and on each arrow the local derivative
// that backward() multiplies the node's gradient by as it passes it down.
#include "tapegrad/graphviz.hpp"

#include <cerrno>
#include <fstream>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "tapegrad/error.hpp"
#include "tapegrad/op.hpp"

namespace tapegrad {
namespace {

/// Text safe inside a DOT record label: the record syntax's own characters
/// (braces, bars, angle brackets) and the string's quotes are backslashed.
std::string escape_record(std::string_view text) {
  std::string escaped;
  for (const char ch : text) {
    if (std::string_view("{}|<>\"\\").find(ch) != std::string_view::npos) escaped += '\\';
    escaped += ch;
  }
  return escaped;
}

/// The DOT text for the nodes with drawn[i] set.
std::string dot_for(const Tape& tape, const std::vector<bool>& drawn) {
  std::string dot = "digraph tape {\n"
                    "  // boxes: #index name | value | grad; ellipses: operations;\n"
                    "  // arrow labels: d(node)/d(operand), the partial the tape stored\n"
                    "  rankdir=LR;\n"
                    "  node [fontname=\"Helvetica\"];\n"
                    "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  auto out = std::back_inserter(dot);
  for (Index i = 0; i < tape.size(); ++i) {
    if (!drawn[i]) continue;
    const Op op = tape.op(i);
    const std::string_view name = tape.name(i);
    fmt::format_to(out, "  n{} [shape=record, label=\"{{ #{}{}{} | value {:.6g} | grad {:.6g} }}\"",
                   i, i, name.empty() ? "" : " ", escape_record(name), tape.value(i), tape.grad(i));
    // Leaves are what an optimizer updates: make them stand out.
    fmt::format_to(out, "{}];\n", op == Op::leaf ? ", style=filled, fillcolor=\"#dbe8fb\"" : "");
    if (op == Op::leaf) continue;
    fmt::format_to(out, "  op{} [shape=ellipse, label=\"{}\"];\n  op{} -> n{};\n", i,
                   tape.op_name(op), i, i);
    if (op_constant(op) != ConstantAt::none)
      fmt::format_to(out, "  c{} [shape=plaintext, label=\"c\"];\n  c{} -> op{} [style=dashed];\n",
                     i, i, i);
    const auto operands = tape.operands(i);
    const auto partials = tape.partials(i);
    for (std::size_t k = 0; k < operands.size(); ++k)
      fmt::format_to(out, "  n{} -> op{} [label=\"\u2202 {:.6g}\"];\n", operands[k], i,
                     partials[k]);
  }
  dot += "}\n";
  return dot;
}

void write_text(const std::string& text, const std::string& path) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) file << text;
  if (file) file.flush();
  if (!file)
    throw Error(fmt::format("tapegrad: write_dot() could not write \"{}\": {}. Check that its "
                            "folder exists and is writable, or choose another path.",
                            path, std::error_code(errno, std::generic_category()).message()));
}

} // namespace

std::string to_dot(const Tape& tape) { return dot_for(tape, std::vector<bool>(tape.size(), true)); }

std::string to_dot(const Tape& tape, Value root) {
  if (root.empty() || &root.tape() != &tape || !tape.is_live(root))
    throw Error(fmt::format("tapegrad: to_dot() was given a root Value (node #{}) that is not "
                            "a node of this tape now. Pass a Value recorded on the same Tape "
                            "after its last clear() or rewind().",
                            root.index()));
  // The tape is in creation order, so one pass from the root down finds
  // everything it depends on: a node's operands always come before it.
  std::vector<bool> drawn(tape.size(), false);
  drawn[root.index()] = true;
  for (Index i = root.index() + 1; i-- > 0;)
    if (drawn[i])
      for (const Index operand : tape.operands(i)) drawn[operand] = true;
  return dot_for(tape, drawn);
}

void write_dot(const Tape& tape, const std::string& path) { write_text(to_dot(tape), path); }

void write_dot(const Tape& tape, Value root, const std::string& path) {
  write_text(to_dot(tape, root), path);
}

} // namespace tapegrad
