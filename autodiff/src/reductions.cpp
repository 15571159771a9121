// sum, dot, linear, max and logsumexp: n-ary nodes. Each pushes its operands with their
// partials, then closes the node, exactly as the one- and two-operand ops do.
// Each handle is checked once; a bad one throws and drops what was pushed, so
// no half-built node is left. linear() records the nodes dot() records, one
// per row, checking each span once for all the rows.
#include "tapegrad/reductions.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string_view>
#include <type_traits>

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

/// The tape of the first handle of `vs` that is on one, or nullptr if all
/// are constants. An empty handle throws.
Tape* tape_of(std::span<const Value> vs) {
  for (const Value& v : vs)
    if (!v.is_constant()) return &v.tape();
  return nullptr;
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
  constexpr double result = std::numeric_limits<double>::quiet_NaN();
  Tape* tape = tape_of(terms);
  if (tape == nullptr) return result; // constants only: a constant
  for (std::size_t i = 0; i < terms.size(); ++i) tape->push_operand(terms[i], i == nan ? 1.0 : 0.0);
  return tape->finish_node(op, result);
}

/// The terms equal to m share the gradient evenly: 1/k each.
Value record_shared(std::span<const Value> terms, const Largest& m, Op op) {
  Tape* tape = tape_of(terms);
  if (tape == nullptr) return m.value; // constants only: a constant
  const double share = 1.0 / static_cast<double>(m.ties);
  for (const Value& t : terms) tape->push_operand(t, t.value() == m.value ? share : 0.0);
  return tape->finish_node(op, m.value);
}
} // namespace

Value sum(std::span<const Value> terms) {
  double total = 0.0;
  Tape* tape = tape_of(terms);
  if (tape == nullptr) { // constants only: a constant
    for (const Value& t : terms) total += t.value();
    return total;
  }
  for (const Value& t : terms) total += tape->push_operand(t, 1.0); // d(sum)/d(a_i) = 1
  return tape->finish_node(Op::sum, total);
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
  const double result = m.value + std::log1p(s), total = 1.0 + s;
  Tape* tape = tape_of(terms);
  if (tape == nullptr) return result; // constants only: a constant
  for (const Value& t : terms) tape->push_operand(t, std::exp(t.value() - m.value) / total);
  return tape->finish_node(Op::logsumexp, result);
}

Value sum(std::initializer_list<Value> terms) {
  return sum(std::span(terms.begin(), terms.size()));
}

// dot() is linear() with one row.
Value dot(std::span<const Value> w, std::span<const double> x, Value b) {
  check_lengths(w.size(), x.size());
  Value out;
  linear(w, x, std::span(&b, 1), std::span(&out, 1));
  return out;
}

Value dot(std::span<const Value> w, std::span<const Value> x, Value b) {
  check_lengths(w.size(), x.size());
  Value out;
  linear(w, x, std::span(&b, 1), std::span(&out, 1));
  return out;
}

namespace {
/// linear() when no handle is on a tape: constants out.
template <class Input>
void constant_linear(std::span<const Value> w, std::span<const Input> x, std::span<const Value> b,
                     std::span<Value> out) {
  const std::size_t n = x.size();
  for (std::size_t j = 0; j < b.size(); ++j) {
    double total = b[j].value();
    for (std::size_t i = 0; i < n; ++i) total += w[j * n + i].value() * Value(x[i]).value();
    out[j] = total;
  }
}

/// The tape linear() records on: that of its first handle on one.
template <class Input>
Tape* tape_of(std::span<const Value> w, std::span<const Input> x, std::span<const Value> b) {
  Tape* tape = tape_of(b);
  if (tape == nullptr) tape = tape_of(w);
  if constexpr (std::is_same_v<Input, Value>)
    if (tape == nullptr) tape = tape_of(x);
  return tape;
}
} // namespace

void linear(std::span<const Value> w, std::span<const Value> x, std::span<const Value> b,
            std::span<Value> out) {
  check_shape(w.size(), x.size(), b.size(), out.size());
  if (Tape* tape = tape_of(w, x, b))
    tape->record_linear(w, x, b, out);
  else
    constant_linear(w, x, b, out);
}

void linear(std::span<const Value> w, std::span<const double> x, std::span<const Value> b,
            std::span<Value> out) {
  check_shape(w.size(), x.size(), b.size(), out.size());
  if (Tape* tape = tape_of(w, x, b))
    tape->record_linear(w, x, b, out);
  else
    constant_linear(w, x, b, out);
}

// --- The Tape's part: checking every handle once, then writing the rows --------

bool Tape::check_operands(std::span<const Value> vs) {
  // The common case first, in one pass without branches or reads of the
  // tape: a span whose handles all come from one generation (a layer's
  // weights; the layer below's outputs). The nodes a generation recorded sit
  // side by side, and a cut only ever drops the top of the tape, so if the
  // highest of them is still live, so is every one below it.
  if (vs.empty()) return true;
  const Value& first = vs.front();
  const auto tape = reinterpret_cast<std::uintptr_t>(first.tape_);
  std::uintptr_t differs = 0; // XOR and OR rather than == and &&: the loop vectorises
  Index top = 0;
  for (const Value& v : vs) {
    differs |=
        (reinterpret_cast<std::uintptr_t>(v.tape_) ^ tape) | (v.generation_ ^ first.generation_);
    top = std::max(top, v.index_);
  }
  if (differs == 0 && is_live(Value(first.tape_, top, first.generation_))) return true;
  bool nodes_only = true; // else handle by handle: constants, or one that cannot be used
  for (const Value& v : vs)
    if (!is_live(v)) {
      if (v.is_constant()) {
        nodes_only = false;
        continue;
      }
      drop_pending_operands();
      throw_unusable(v, "as an operand");
    }
  return nodes_only;
}

// A row's product terms when every handle is a live node (checked): plain
// stores into the room made for them.  d(wx)/dw = x,  d(wx)/dx = w
double Tape::write_terms(std::span<const Value> w, std::span<const Value> x, double total) {
  Index* const operands = operands_.data() + operand_size_;
  double* const partials = partials_.data() + operand_size_;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double w_value = values_[w[i].index_], x_value = values_[x[i].index_];
    operands[2 * i] = w[i].index_;
    partials[2 * i] = x_value;
    operands[2 * i + 1] = x[i].index_;
    partials[2 * i + 1] = w_value;
    total += w_value * x_value;
  }
  operand_size_ += 2 * w.size();
  return total;
}

// d(wx)/dw = x, a constant: x is not on the tape
double Tape::write_terms(std::span<const Value> w, std::span<const double> x, double total) {
  Index* const operands = operands_.data() + operand_size_;
  double* const partials = partials_.data() + operand_size_;
  for (std::size_t i = 0; i < w.size(); ++i) {
    operands[i] = w[i].index_;
    partials[i] = x[i];
    total += values_[w[i].index_] * x[i];
  }
  operand_size_ += w.size();
  return total;
}

// One product term w·x of a dot node whose handles may be constants (a
// constant is not an operand), already checked.  d(wx)/dw = x,  d(wx)/dx = w
inline double Tape::push_term(Value w, Value x) {
  const double w_value = read(w), x_value = read(x);
  if (!w.is_constant()) append_operand(w.index_, x_value);
  if (!x.is_constant()) append_operand(x.index_, w_value);
  return w_value * x_value;
}

// d(wx)/dw = x, a constant: x is not on the tape
inline double Tape::push_term(Value w, double x) {
  if (!w.is_constant()) append_operand(w.index_, x);
  return read(w) * x;
}

template <class Input>
void Tape::record_linear(std::span<const Value> w, std::span<const Input> x,
                         std::span<const Value> b, std::span<Value> out) {
  // Every handle is checked once, before anything is written, however many
  // rows read it; then room is made for all the rows, so that a full tape or
  // running out of memory stops the operation before it has recorded any.
  bool nodes_only = check_operands(w) && check_operands(b);
  if constexpr (std::is_same_v<Input, Value>) nodes_only = check_operands(x) && nodes_only;
  const std::size_t rows = b.size(), n = x.size();
  const std::size_t terms = std::is_same_v<Input, Value> ? 2 * n : n;
  if (size_ + rows > node_room() || size_ + rows > max_size_) grow_nodes(rows);
  if (operand_size_ + rows * (terms + 1) > partials_.room()) grow_operands(rows * (terms + 1));
  const auto first = static_cast<Index>(size_);
  try {
    for (std::size_t j = 0; j < rows; ++j) {
      double total = read(b[j]);
      // A row is a `dot` when some product has both factors on the tape (its
      // second derivative pairs them: see curvature.cpp), else `dot_c`: linear.
      bool products = false;
      if (nodes_only) {
        total = write_terms(w.subspan(j * n, n), x, total);
        products = std::is_same_v<Input, Value> && n > 0;
      } else {
        for (std::size_t i = 0; i < n; ++i) {
          total += push_term(w[j * n + i], x[i]);
          if constexpr (std::is_same_v<Input, Value>)
            products = products || (!w[j * n + i].is_constant() && !x[i].is_constant());
        }
      }
      if (!b[j].is_constant()) append_operand(b[j].index_, 1.0); // d/db = 1
      finish_node(products ? Op::dot : Op::dot_c, total);
    }
  } catch (...) { // anomaly mode stopped a row: the rows before it go too
    if (size_ > first) cut(first);
    throw;
  }
  // The outputs are written last: out may share memory with w, x or b, which
  // the rows read; and if a row throws, out is left as it was.
  for (std::size_t j = 0; j < rows; ++j)
    out[j] = Value(this, static_cast<Index>(first + j), static_cast<std::uint32_t>(generation_));
}

template void Tape::record_linear(std::span<const Value>, std::span<const Value>,
                                  std::span<const Value>, std::span<Value>);
template void Tape::record_linear(std::span<const Value>, std::span<const double>,
                                  std::span<const Value>, std::span<Value>);

} // namespace tapegrad
