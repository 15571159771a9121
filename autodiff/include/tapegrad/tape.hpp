// Tape: the ordered record of every operation, and the reverse sweep over it.
//
// Nodes live in flat arrays in creation order, which already is a topological
// order: backward() is one loop from the output down to node 0, no graph
// search, no recursion. Each node stores its operands (by index, never by
// pointer: the arrays grow) and, next to each operand, the local partial
// derivative d(node)/d(operand) computed when the node was recorded. The sweep
// then only multiplies and adds:  grad[operand] += partial * grad[node].
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tapegrad/autodiff_export.hpp"
#include "tapegrad/column.hpp"
#include "tapegrad/op.hpp"
#include "tapegrad/value.hpp"

namespace tapegrad {

namespace detail {
double value_of(Value a) noexcept;
} // namespace detail

/// Owns every recorded node: its op, operands, local partials, value, gradient
/// and optional name. Declare one (`Tape tape;`), make variables with var(),
/// compute with Values, call backward() on the result.
///
/// A Tape can be neither copied nor moved: its Values point at it. Independent
/// tapes on independent threads are safe; one tape is not for two threads.
class TAPEGRAD_AUTODIFF_EXPORT Tape {
public:
  /// A position to come back to with rewind(): see mark().
  struct Mark {
    Index size = 0;                     ///< the tape's size when the mark was taken
    std::uint64_t generation = 0;       ///< the tape's generation when the mark was taken
    std::uint32_t generation_below = 0; ///< the generation of node size - 1 then
    const Tape* tape = nullptr;         ///< the tape it was taken on
  };

  /// An empty tape.
  Tape();
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  // --- Building the graph ---------------------------------------------------

  /// Records a variable (a leaf) with value x and an optional name.
  Value var(double x, std::string_view name = {});

  /// Number of nodes on the tape.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Bytes the recorded nodes occupy (values, gradients, ops, generations,
  /// operand indices and partials; not names, not spare room).
  [[nodiscard]] std::size_t bytes_used() const noexcept;
  /// Bytes the tape's arrays hold, spare room included (what clear() keeps).
  [[nodiscard]] std::size_t bytes_reserved() const noexcept;
  /// Makes room for this many nodes and operands, so recording them
  /// allocates nothing.
  void reserve(std::size_t nodes, std::size_t operands);

  /// Forgets every node but keeps the memory, so refilling the tape allocates
  /// nothing. Every existing Value becomes stale: using one throws.
  void clear();
  /// The current end of the tape. Record the parameters, take a mark, and
  /// each training step records above it, then rewind()s to it.
  [[nodiscard]] Mark mark() const noexcept;
  /// Drops every node recorded after `m`, keeping those before it and the
  /// memory. Values of dropped nodes become stale: using one throws. A mark
  /// taken on another Tape, or one that a later clear() or rewind() went below,
  /// throws.
  void rewind(Mark m);

  // --- Gradients --------------------------------------------------------------

  /// The reverse sweep. Sets every gradient on the tape to 0, seeds
  /// d(out)/d(out) = 1 and walks from `out` down to node 0 applying the chain
  /// rule, so afterwards grad(v) = d(out)/d(v) for every node v: 0 where out
  /// does not depend on v. Gradients from an earlier call are replaced, never
  /// accumulated (unlike PyTorch); to differentiate a sum of losses, add them
  /// into one Value first. May be called again, from the same or another node.
  void backward(Value out);
  /// Sets every gradient to 0 (backward() does this itself).
  void zero_grad() noexcept;

  // --- Reading nodes (for printing, debugging and custom tools) --------------

  /// The value of node i.
  [[nodiscard]] double value(Index i) const;
  /// The gradient of node i from the last backward() (0 before any).
  [[nodiscard]] double grad(Index i) const;
  /// What node i computes.
  [[nodiscard]] Op op(Index i) const;
  /// The operands of node i, in order. The span points into the tape: it is
  /// valid until the tape next grows (record what you need to keep first).
  [[nodiscard]] std::span<const Index> operands(Index i) const;
  /// d(node i)/d(operand k), stored next to operands(i)[k]; valid as long as
  /// operands(i) is.
  [[nodiscard]] std::span<const double> partials(Index i) const;
  /// The name of node i, or "".
  [[nodiscard]] std::string_view name(Index i) const;
  /// Gives node i a name (replacing any it had).
  void set_name(Index i, std::string_view name);
  /// The Value for node i (as if it had just been returned by an op).
  [[nodiscard]] Value at(Index i) const;

  // --- Watching and limits --------------------------------------------------

  /// Prints each step of every backward() to `out` in words, e.g.
  /// "#7 mul(#3, #5): grad 1 → #3 += 0.4 × 1, #5 += 0.55 × 1";
  /// nullptr (the default) turns it off.
  void set_trace(std::FILE* out) noexcept { trace_ = out; }
  /// Anomaly mode (off by default): the first node whose value becomes NaN or
  /// Inf when recorded, or whose gradient contribution does in backward(),
  /// throws an Error naming the node, its op, operands, their values and names.
  void set_detect_anomaly(bool on) noexcept { detect_anomaly_ = on; }
  /// Whether anomaly mode is on.
  [[nodiscard]] bool detect_anomaly() const noexcept { return detect_anomaly_; }
  /// Recording beyond this many nodes throws instead of growing (a memory
  /// guard). The default and the upper bound is 2^32 - 1, the index range.
  void set_max_size(std::size_t nodes);

  // --- Recording (used by the operations; also how to add your own) ---------

  /// An op code for an operation of your own, printed as `name` wherever a
  /// node is shown (the table, the trace, DOT, the browser page, gdb, anomaly
  /// messages). `name` is 1 to 32 letters, digits or '_'; the same name gives
  /// the same code. Up to 128 names per tape; clear() and rewind() keep them.
  Op define_op(std::string_view name);
  /// The name `op` prints as on this tape: a built-in's ("mul") or a
  /// define_op() name.
  [[nodiscard]] std::string_view op_name(Op op) const noexcept;

  /// Appends operand `a` with local partial d(new node)/d(a) to the node being
  /// built and returns a's value. Call once per operand, then finish_node().
  /// A constant `a` is skipped (nothing flows back to it). A stale, foreign or
  /// empty `a` throws and drops the operands pushed so far.
  double push_operand(Value a, double partial);
  /// Closes the node whose operands were pushed since the last node, with its
  /// op and value, and returns its handle.
  Value finish_node(Op op, double value);
  /// Records a node with one operand: push_operand + finish_node.
  Value record(Op op, double value, Value a, double da);
  /// Records a node with two operands: push_operand twice + finish_node.
  Value record(Op op, double value, Value a, double da, Value b, double db);

  /// True if handle `v` names a node that is still on this tape.
  [[nodiscard]] bool is_live(Value v) const noexcept;
  /// Throws the Error that explains why `v` cannot be used on this tape.
  [[noreturn]] void throw_unusable(Value v, std::string_view where) const;
  /// Throws the Error for an empty (default-constructed) Value.
  [[noreturn]] static void throw_empty(std::string_view where);

private:
  friend class Value;
  friend struct TapeView; // the second-order sweeps read the columns (src/tape_view.hpp)
  friend double detail::value_of(Value a) noexcept;
  friend TAPEGRAD_AUTODIFF_EXPORT void linear(std::span<const Value> w, std::span<const Value> x,
                                              std::span<const Value> b, std::span<Value> out);
  friend TAPEGRAD_AUTODIFF_EXPORT void linear(std::span<const Value> w, std::span<const double> x,
                                              std::span<const Value> b, std::span<Value> out);
  void check_index(Index i) const;
  // linear()'s body (Input is Value or double) and its parts (reductions.cpp).
  bool check_operands(std::span<const Value> vs);
  double write_terms(std::span<const Value> w, std::span<const Value> x, double total);
  double write_terms(std::span<const Value> w, std::span<const double> x, double total);
  template <class Input>
  void record_linear(std::span<const Value> w, std::span<const Input> x, std::span<const Value> b,
                     std::span<Value> out);
  inline double push_term(Value w, Value x);
  inline double push_term(Value w, double x);
  /// The value of a handle already checked: a live node's or a constant.
  [[nodiscard]] double read(Value v) const noexcept {
    return v.is_constant() ? v.constant() : values_[v.index_];
  }
  void append_operand(Index a, double partial);
  void grow_nodes(std::size_t more);
  void grow_operands(std::size_t more);
  void cut(Index size);
  [[noreturn]] void throw_full(std::size_t more_nodes, std::size_t more_operands);
  void check_forward(Index node);
  void reset_grads();
  Value record_rare(Op op, double value, Value a, double da, Value b, double db);
  Value append_node(Op op, double value);
  Value finish_rare_node(Op op, double value);
  void check_op(Op op);
  void watch_sweep(Index out);
  void watch_step(Index node, double upstream);
  void drop_pending_operands() noexcept { operand_size_ = first_operand_[size_]; }
  /// Nodes the arrays hold (first_operand_ has one entry more: it is grown last).
  [[nodiscard]] std::size_t node_room() const noexcept { return first_operand_.room() - 1; }

  // The nodes, in creation order: the first size_ entries of each array.
  // (size_ and graded_ count Index values but are size_t: a store into an
  // array of Index can then not change them, so the compiler keeps them in
  // registers while it records.)
  std::size_t size_ = 0;
  detail::Column<double> values_;
  detail::Column<Op> ops_;
  /// The generation that recorded each node (see is_live).
  detail::Column<std::uint32_t> generations_;
  /// Node i's operands are operands_[first_operand_[i] .. first_operand_[i+1]).
  detail::Column<Index> first_operand_;
  // The operands of every node, one after the other: operand_size_ in use,
  // the node being built's included.
  std::size_t operand_size_ = 0;
  detail::Column<Index> operands_;
  detail::Column<double> partials_; ///< d(node)/d(operand), next to operands_
  /// Gradients from the last backward(), for nodes 0 .. graded_ - 1 (the
  /// nodes recorded since have none yet: 0).
  detail::Column<double> grads_;
  std::size_t graded_ = 0;
  /// Names of the few named nodes, sorted by node index.
  std::vector<std::pair<Index, std::string>> names_;
  /// define_op()'s names: op code first_custom_op + k prints as op_names_[k].
  std::vector<std::string> op_names_;

  /// The generation new nodes are recorded in. A new one begins with the tape
  /// and with each clear() and rewind(), drawn from one process-wide counter.
  std::uint64_t generation_;
  std::uint64_t first_generation_; ///< the generation the tape began with
  std::size_t max_size_ = std::numeric_limits<Index>::max();
  std::FILE* trace_ = nullptr;
  bool detect_anomaly_ = false;
};

// --- Hot paths, inline: recording a node is a handful of stores -------------

/// Whether a handle may be used: the one check behind every operation.
///
/// A handle names a node by its index, and remembers the generation the node
/// was recorded in; so does the tape, for every node it holds. clear() and
/// rewind() start a new generation, and the nodes recorded after them, at the
/// dropped nodes' indices, carry it. So a handle is live exactly when it names
/// this tape, its index is below size(), and the node at that index was
/// recorded in the handle's generation: a stale handle (its node dropped) sees
/// a node of a later generation or none. Generations come from one counter for
/// the whole process, so a handle of a destroyed Tape, whose storage another
/// Tape now uses, never matches either. (Handles keep 32 bits of a 64-bit
/// generation: a stale handle could pass only if its generation and its
/// index's new one are exactly a multiple of 2^32 generations apart.)
inline bool Tape::is_live(Value v) const noexcept {
  // The three tests without a branch between them (a loop over many handles
  // then vectorises); the generation is read at node 0 when the index is out
  // of range, and node 0 always has room, so the read stays in the array.
  const bool in_range = v.index_ < size_;
  return (v.tape_ == this) & in_range & (generations_[in_range ? v.index_ : 0] == v.generation_);
}

inline void Tape::append_operand(Index a, double partial) {
  if (operand_size_ == partials_.room()) grow_operands(1);
  operands_[operand_size_] = a;
  partials_[operand_size_] = partial;
  ++operand_size_;
}

inline double Tape::push_operand(Value a, double partial) {
  if (a.is_constant()) return a.constant();
  if (!is_live(a)) {
    drop_pending_operands();
    throw_unusable(a, "as an operand");
  }
  append_operand(a.index_, partial);
  return values_[a.index_];
}

inline Value Tape::finish_node(Op op, double value) {
  // A leaf with operands, or a code define_op() never gave, is refused (for
  // a built-in op the compiler drops this test: op is a constant).
  if (op == Op::leaf || is_custom(op)) check_op(op);
  // The rare cases (no room, a full tape, anomaly mode) out of line, so that
  // this stays a handful of stores that the compiler inlines everywhere.
  if (size_ == node_room() || size_ >= max_size_ || detect_anomaly_)
    return finish_rare_node(op, value);
  return append_node(op, value);
}

inline Value Tape::append_node(Op op, double value) {
  const auto node = static_cast<Index>(size_++);
  values_[node] = value;
  generations_[node] = static_cast<std::uint32_t>(generation_);
  first_operand_[node + 1] = static_cast<Index>(operand_size_);
  ops_[node] = op; // last: an Op store may alias anything (a char-sized type)
  return Value(this, node, static_cast<std::uint32_t>(generation_));
}

inline Value Tape::record(Op op, double value, Value a, double da) {
  push_operand(a, da);
  return finish_node(op, value);
}

inline Value Tape::record(Op op, double value, Value a, double da, Value b, double db) {
  if (!is_live(a) || !is_live(b)) return record_rare(op, value, a, da, b, db);
  if (operand_size_ + 2 > partials_.room()) grow_operands(2);
  operands_[operand_size_] = a.index_;
  partials_[operand_size_] = da;
  operands_[operand_size_ + 1] = b.index_;
  partials_[operand_size_ + 1] = db;
  operand_size_ += 2;
  return finish_node(op, value);
}

inline Value Tape::var(double x, std::string_view name) {
  const Value v = finish_node(Op::leaf, x);
  if (!name.empty()) {
    try {
      set_name(v.index_, name);
    } catch (...) { // out of memory: drop the leaf (no handle to it exists yet)
      --size_;
      throw;
    }
  }
  return v;
}

// --- Value's members, now that Tape is complete ------------------------------

inline Tape& Value::tape() const {
  if (tape_ == nullptr) {
    if (is_constant()) throw_constant("tape() was asked of");
    Tape::throw_empty("");
  }
  return *tape_;
}

inline double Value::value() const {
  if (tape_ != nullptr && tape_->is_live(*this)) return tape_->values_[index_];
  return rare_value(); // a constant's, or an error
}

inline double Value::grad() const {
  if (tape_ == nullptr) {
    if (is_constant()) return 0.0;
    Tape::throw_empty("to read its gradient");
  }
  if (!tape_->is_live(*this)) tape_->throw_unusable(*this, "to read its gradient");
  return index_ < tape_->graded_ ? tape_->grads_[index_] : 0.0;
}

inline void Value::backward() const { tape().backward(*this); }

// --- Recording with constants -------------------------------------------------

namespace detail {
/// An operand's value, for an operation that records it next: record()
/// checks every handle and throws before the result can be seen, so this read
/// only keeps to the tape's memory instead of checking the handle a second
/// time (a handle that record() will refuse may read a wrong number here).
inline double value_of(Value a) noexcept {
  if (a.tape_ == nullptr) return a.constant(); // a constant (an empty handle: NaN)
  return a.index_ < a.tape_->size_ ? a.tape_->values_[a.index_] : 0.0;
}
} // namespace detail

/// Records a one-operand node on a's tape; a constant `a` gives the constant
/// `value` (nothing to record). What every function of one Value calls.
inline Value record(Op op, double value, Value a, double da) {
  if (a.empty()) Tape::throw_empty("as an operand");
  if (a.is_constant()) return value;
  return a.tape().record(op, value, a, da);
}

/// record() with a constant or an empty operand (out of line: the rare case).
TAPEGRAD_AUTODIFF_EXPORT Value record_rare(Op op, double value, Value a, double da, Value b,
                                           double db);

/// Records a two-operand node on the tape of a or b; a constant operand is
/// folded in (not recorded), and two constants give the constant `value`.
inline Value record(Op op, double value, Value a, double da, Value b, double db) {
  if (a.tape_ == nullptr || b.tape_ == nullptr) return record_rare(op, value, a, da, b, db);
  return a.tape_->record(op, value, a, da, b, db);
}

} // namespace tapegrad
