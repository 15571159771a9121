// The Tape's recording of many operands at once: checking a whole span of
// handles in one pass, and writing the product terms of dot() and linear()
// (a layer's weighted sums, one dot node per row of weights).
// A neuron's weighted sum has dozens of operands, so here a check or a write
// per operand is what recording costs; tape.hpp records the one- and
// two-operand nodes.
#include "tapegrad/tape.hpp"

#include <algorithm>
#include <type_traits>

#include <fmt/format.h>

#include "tapegrad/error.hpp"

namespace tapegrad {

// is_live() for every handle of this tape made in v's epoch, up to index top.
bool Tape::live_up_to(Value v, Index top) const noexcept {
  if (v.epoch_ == static_cast<std::uint32_t>(epoch_)) return top < size_;
  return age_of(v) <= age_ && top < lowest_cut_; // older: below every cut, not a destroyed tape's
}

// The quick tests of check_operands() and push_products(): a layer's weights
// are all made in one epoch (they are parameters), and so are its inputs (the
// layer below's outputs). One pass folds a span into "every handle names this
// tape and the epoch of the span's first handle" and the highest index, with
// no branch per handle (XOR and OR: fewer instructions than != and ||, and
// GCC vectorises the loop), then asks is_live()'s question once. False means
// "not so simple, or not all live": test each handle.
inline std::uintptr_t Tape::mismatch(Value v, std::uint32_t epoch) const noexcept {
  return (reinterpret_cast<std::uintptr_t>(v.tape_) ^ reinterpret_cast<std::uintptr_t>(this)) |
         (v.epoch_ ^ epoch);
}

bool Tape::span_live(std::span<const Value> vs) const noexcept {
  if (vs.empty()) return true;
  const std::uint32_t epoch = vs.front().epoch_;
  std::uintptr_t differs = 0;
  Index top = 0;
  for (const Value& v : vs) {
    differs |= mismatch(v, epoch);
    top = std::max(top, v.index_);
  }
  return differs == 0 && live_up_to(vs.front(), top);
}

// Both spans of a dot() in one pass: half the loop overhead of two.
bool Tape::spans_live(std::span<const Value> w, std::span<const Value> x) const noexcept {
  if (w.empty()) return true;
  const std::uint32_t w_epoch = w.front().epoch_, x_epoch = x.front().epoch_;
  std::uintptr_t differs = 0;
  Index w_top = 0, x_top = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    differs |= mismatch(w[i], w_epoch) | mismatch(x[i], x_epoch);
    w_top = std::max(w_top, w[i].index_);
    x_top = std::max(x_top, x[i].index_);
  }
  return differs == 0 && live_up_to(w.front(), w_top) && live_up_to(x.front(), x_top);
}

void Tape::check_operands(std::span<const Value> vs) {
  if (span_live(vs)) return;
  for (const Value& v : vs)
    if (!is_live(v)) {
      drop_pending_operands();
      throw_unusable(v, "as an operand");
    }
}

double Tape::push_products(std::span<const Value> w, std::span<const Value> x, double start) {
  if (w.size() != x.size()) {
    drop_pending_operands();
    throw Error(fmt::format("tapegrad: push_products() got {} weights but {} inputs. Pass one "
                            "input per weight.",
                            w.size(), x.size()));
  }
  if (!spans_live(w, x)) { // not so simple, or not all live: each span handle by handle
    check_operands(w);
    check_operands(x);
  }
  return write_products(w, x, start);
}

// The writes come after every check, in a loop of their own, so that a bad
// handle never has a value read through it; the loop then is only loads and
// stores into the room made for it. (inline: without it GCC calls it, and for
// a 16-input neuron the call costs 1.6 % of mlp_step's instructions.)
inline double Tape::write_products(std::span<const Value> w, std::span<const Value> x,
                                   double start) {
  const std::size_t n = 2 * w.size();
  if (operand_size_ + n > operand_room_) grow_operands(n);
  Index* const operands = operands_.data() + operand_size_;
  double* const partials = partials_.data() + operand_size_;
  double total = start;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double w_value = values_[w[i].index_], x_value = values_[x[i].index_];
    operands[2 * i] = w[i].index_;
    partials[2 * i] = x_value; // d(wx)/dw = x
    operands[2 * i + 1] = x[i].index_;
    partials[2 * i + 1] = w_value; // d(wx)/dx = w
    total += w_value * x_value;
  }
  operand_size_ += n;
  return total;
}

inline double Tape::write_products(std::span<const Value> w, std::span<const double> x,
                                   double start) {
  const std::size_t n = w.size();
  if (operand_size_ + n > operand_room_) grow_operands(n);
  Index* const operands = operands_.data() + operand_size_;
  double* const partials = partials_.data() + operand_size_;
  double total = start;
  for (std::size_t i = 0; i < n; ++i) {
    operands[i] = w[i].index_;
    partials[i] = x[i]; // d(wx)/dw = x, a constant: x is not on the tape
    total += values_[w[i].index_] * x[i];
  }
  operand_size_ += n;
  return total;
}

// Room for several nodes at once: a full tape or running out of memory then
// stops the operation before it has recorded any of them.
void Tape::make_room(std::size_t nodes, std::size_t operands) {
  if (size_ + nodes > max_size_) throw_full(nodes, 0);
  if (size_ + nodes > node_room_) grow_nodes(nodes);
  if (operand_size_ + operands > operand_room_) grow_operands(operands);
}

template <class Input>
void Tape::record_linear(std::span<const Value> w, std::span<const Input> x,
                         std::span<const Value> b, std::span<Value> out) {
  check_operands(w);
  if constexpr (std::is_same_v<Input, Value>) check_operands(x);
  check_operands(b);
  const std::size_t rows = b.size(), n = x.size();
  const std::size_t row_operands = (std::is_same_v<Input, Value> ? 2 * n : n) + 1;
  make_room(rows, rows * row_operands);
  const Index first = size_;
  const auto record_rows = [&] {
    for (std::size_t j = 0; j < rows; ++j) {
      const double total = write_products(w.subspan(j * n, n), x, values_[b[j].index_]);
      append_operand(b[j].index_, 1.0); // d/db = 1
      finish_node(Op::dot, total);
    }
  };
  // With the room made, only anomaly mode can stop a row (it drops that row's
  // node); then the rows before it go too, so that the tape is as it was. The
  // try is only there: around the loop it cost 2 % of mlp_step.
  if (!detect_anomaly_) {
    record_rows();
  } else {
    cuts_.reserve(cuts_.size() + 2); // so that neither cut below allocates
    try {
      record_rows();
    } catch (...) {
      if (size_ > first) cut(first);
      throw;
    }
  }
  // The outputs are written last: out may share memory with w, x or b, which
  // the rows read; and if a row throws (a full tape, out of memory, anomaly
  // mode), out is left as it was.
  for (std::size_t j = 0; j < rows; ++j) out[j] = handle(static_cast<Index>(first + j));
}

template void Tape::record_linear(std::span<const Value>, std::span<const Value>,
                                  std::span<const Value>, std::span<Value>);
template void Tape::record_linear(std::span<const Value>, std::span<const double>,
                                  std::span<const Value>, std::span<Value>);

} // namespace tapegrad
