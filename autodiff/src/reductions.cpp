// sum, dot, linear, max and logsumexp: n-ary nodes. Each pushes its operands with their
// partials, then closes the node, exactly as the one- and two-operand ops do.
// Each handle is checked once; a bad one throws and drops what was pushed, so
// no half-built node is left. linear() records the nodes dot() records, one
// per row, checking each span once for all the rows.
#include "tapegrad/reductions.hpp"

#include <cmath>
#include <cstddef>
#include <limits>
#include <string_view>

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
void check_not_empty(std::span<const Value> terms, std::string_view what) {
  if (terms.empty())
    throw Error(fmt::format("tapegrad: {}() of no terms: there is no tape to record it on. Pass "
                            "at least one Value.",
                            what));
}

/// The largest term of a reduction, how many terms equal it, and the first
/// NaN term (or none). Reads the values only: nothing is pushed yet.
struct Largest {
  double value = -std::numeric_limits<double>::infinity();
  std::size_t ties = 0;
  std::size_t nan = std::numeric_limits<std::size_t>::max();
};

Largest largest(std::span<const Value> terms) {
  Largest m;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const double x = terms[i].value();
    if (std::isnan(x)) {
      if (m.nan > i) m.nan = i;
    } else if (x > m.value) {
      m.value = x, m.ties = 1;
    } else if (x == m.value) {
      ++m.ties;
    }
  }
  return m;
}

/// A NaN among the terms: the result is NaN and its gradient goes to the
/// first NaN term.
Value record_nan(std::span<const Value> terms, std::size_t nan, Op op) {
  Tape& tape = terms.front().tape();
  for (std::size_t i = 0; i < terms.size(); ++i) tape.push_operand(terms[i], i == nan ? 1.0 : 0.0);
  return tape.finish_node(op, std::numeric_limits<double>::quiet_NaN());
}

/// The terms equal to m share the gradient evenly: 1/k each.
Value record_shared(std::span<const Value> terms, const Largest& m, Op op) {
  Tape& tape = terms.front().tape();
  const double share = 1.0 / static_cast<double>(m.ties);
  for (const Value& t : terms) tape.push_operand(t, t.value() == m.value ? share : 0.0);
  return tape.finish_node(op, m.value);
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

Value max(std::span<const Value> terms) {
  check_not_empty(terms, "max");
  const Largest m = largest(terms);
  if (m.nan < terms.size()) return record_nan(terms, m.nan, Op::max);
  return record_shared(terms, m, Op::max); // d/da_i = 1/k for the k largest
}

Value logsumexp(std::span<const Value> terms) {
  check_not_empty(terms, "logsumexp");
  const Largest m = largest(terms);
  if (m.nan < terms.size()) return record_nan(terms, m.nan, Op::logsumexp);
  if (std::isinf(m.value)) return record_shared(terms, m, Op::logsumexp); // softmax's limit
  // L = m + ln(1 + s), s = the sum of e^(a_i - m) over all terms but the first
  // largest one (whose e^0 = 1 is the 1); d/da_i = e^(a_i - m) / (1 + s).
  std::size_t first = 0;
  while (!(terms[first].value() == m.value)) ++first;
  double s = 0.0;
  for (std::size_t i = 0; i < terms.size(); ++i)
    if (i != first) s += std::exp(terms[i].value() - m.value);
  Tape& tape = terms.front().tape();
  const double total = 1.0 + s;
  for (const Value& t : terms) tape.push_operand(t, std::exp(t.value() - m.value) / total);
  return tape.finish_node(Op::logsumexp, m.value + std::log1p(s));
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
