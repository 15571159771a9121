// sum, dot and linear: n-ary nodes. Each pushes its operands with their
// partials, then closes the node, exactly as the one- and two-operand ops do.
// Each handle is checked once; a bad one throws and drops what was pushed, so
// no half-built node is left. linear() records the nodes dot() records, one
// per row, checking each span once for all the rows.
#include "tapegrad/reductions.hpp"

#include <limits>

#include <fmt/format.h>

#include "tapegrad/error.hpp"

namespace tapegrad {

namespace {
void check_lengths(std::size_t weights, std::size_t inputs) {
  if (weights != inputs)
    throw Error(fmt::format("tapegrad: dot() got {} weights but {} inputs. Pass one "
                            "input per weight.",
                            weights, inputs));
}

void check_shape(std::size_t weights, std::size_t inputs, std::size_t biases, std::size_t outs) {
  if (inputs != 0 && biases > std::numeric_limits<std::size_t>::max() / inputs)
    throw Error(fmt::format("tapegrad: linear() got {} inputs and {} biases: a row of one weight "
                            "per input for each bias would be more weights than memory holds.",
                            inputs, biases));
  if (weights != biases * inputs || outs != biases)
    throw Error(fmt::format("tapegrad: linear() got {} weights, {} inputs, {} biases and room "
                            "for {} outputs. Each bias makes one output from a row of one weight "
                            "per input: it needs {} weights, {} outputs.",
                            weights, inputs, biases, outs, biases * inputs, biases));
}
} // namespace

Value sum(std::span<const Value> terms) {
  if (terms.empty())
    throw Error("tapegrad: sum() of no terms: there is no tape to record it on. Pass at "
                "least one Value.");
  Tape& tape = terms.front().tape();
  double total = 0.0;
  for (const Value& t : terms) total += tape.push_operand(t, 1.0); // d(sum)/d(a_i) = 1
  return tape.finish_node(Op::sum, total);
}

Value dot(std::span<const Value> w, std::span<const double> x, Value b) {
  check_lengths(w.size(), x.size());
  Tape& tape = b.tape();
  double total = b.value();
  for (std::size_t i = 0; i < w.size(); ++i)
    total += tape.push_operand(w[i], x[i]) * x[i]; // d/dw_i = x_i
  tape.push_operand(b, 1.0);                       // d/db = 1
  return tape.finish_node(Op::dot, total);
}

Value dot(std::span<const Value> w, std::span<const Value> x, Value b) {
  check_lengths(w.size(), x.size());
  Tape& tape = b.tape();
  const double total = tape.push_products(w, x, b.value());
  tape.push_operand(b, 1.0); // d/db = 1
  return tape.finish_node(Op::dot, total);
}

void linear(std::span<const Value> w, std::span<const Value> x, std::span<const Value> b,
            std::span<Value> out) {
  check_shape(w.size(), x.size(), b.size(), out.size());
  if (!b.empty()) b.front().tape().record_linear(w, x, b, out);
}

void linear(std::span<const Value> w, std::span<const double> x, std::span<const Value> b,
            std::span<Value> out) {
  check_shape(w.size(), x.size(), b.size(), out.size());
  if (!b.empty()) b.front().tape().record_linear(w, x, b, out);
}

} // namespace tapegrad
