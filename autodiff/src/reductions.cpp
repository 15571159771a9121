// sum and dot: n-ary nodes. Each pushes its operands with their partials, then
// closes the node, exactly as the one- and two-operand ops do. The values are
// read in a first pass, so a bad operand throws before anything is pushed.
#include "tapegrad/reductions.hpp"

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
} // namespace

Value sum(std::span<const Value> terms) {
  if (terms.empty())
    throw Error("tapegrad: sum() of no terms: there is no tape to record it on. Pass at "
                "least one Value.");
  Tape& tape = terms.front().tape();
  double total = 0.0;
  for (const Value& t : terms) total += t.value();
  for (const Value& t : terms) tape.push_operand(t, 1.0); // d(sum)/d(a_i) = 1
  return tape.finish_node(Op::sum, total);
}

Value dot(std::span<const Value> w, std::span<const double> x, Value b) {
  check_lengths(w.size(), x.size());
  Tape& tape = b.tape();
  double total = b.value();
  for (std::size_t i = 0; i < w.size(); ++i) total += w[i].value() * x[i];
  for (std::size_t i = 0; i < w.size(); ++i) tape.push_operand(w[i], x[i]); // d/dw_i = x_i
  tape.push_operand(b, 1.0);                                                // d/db = 1
  return tape.finish_node(Op::dot, total);
}

Value dot(std::span<const Value> w, std::span<const Value> x, Value b) {
  check_lengths(w.size(), x.size());
  Tape& tape = b.tape();
  double total = b.value();
  for (std::size_t i = 0; i < w.size(); ++i) total += w[i].value() * x[i].value();
  for (std::size_t i = 0; i < w.size(); ++i) {
    tape.push_operand(w[i], x[i].value()); // d/dw_i = x_i
    tape.push_operand(x[i], w[i].value()); // d/dx_i = w_i
  }
  tape.push_operand(b, 1.0); // d/db = 1
  return tape.finish_node(Op::dot, total);
}

} // namespace tapegrad
