// Tape: the ordered record of every operation, and the reverse sweep over it.
//
// Nodes live in flat arrays in creation order, which already is a topological
// order: backward() is one loop from the output down to node 0, no graph
// search, no recursion. Each node stores its operands (by index, never by
// pointer: the arrays grow) and, next to each operand, the local partial
// derivative d(node)/d(operand) computed when the node was recorded. The sweep
// then only multiplies and adds:  grad[operand] += partial * grad[node].
#pragma once

#include <cassert>
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
#include "tapegrad/op.hpp"
#include "tapegrad/value.hpp"

namespace tapegrad {

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
    Index size = 0;             ///< the tape's size when the mark was taken
    std::uint64_t epoch = 0;    ///< the tape's epoch when the mark was taken
    const Tape* tape = nullptr; ///< the tape it was taken on
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
  /// Bytes the recorded nodes occupy (values, gradients, ops, operand indices
  /// and partials; not names, not spare capacity).
  [[nodiscard]] std::size_t bytes_used() const noexcept;
  /// Reserves room for this many nodes and operands, so recording them
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
  /// The operands of node i, in order.
  [[nodiscard]] std::span<const Index> operands(Index i) const;
  /// d(node i)/d(operand k), stored next to operands(i)[k].
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
  void set_detect_anomaly(bool on) noexcept;
  /// Whether anomaly mode is on.
  [[nodiscard]] bool detect_anomaly() const noexcept { return detect_anomaly_; }
  /// Recording beyond this many nodes throws instead of growing (a memory
  /// guard). The default and the upper bound is 2^32 - 1, the index range.
  void set_max_size(std::size_t nodes);

  // --- Recording (used by the operations; also how to add your own) ---------

  /// Appends operand `a` with local partial d(new node)/d(a) to the node being
  /// built, and returns a's value (an n-ary op reads and pushes each operand
  /// with one check). Call once per operand, then finish_node(). A stale or
  /// foreign `a` throws and drops the operands pushed so far.
  double push_operand(Value a, double partial);
  /// Appends the operands of the product terms w_i·x_i (w and x of one
  /// length), each with the other factor's value as its partial (d(wx)/dw = x,
  /// d(wx)/dx = w), and returns start + w_0·x_0 + w_1·x_1 + ..., added in
  /// that order. Every handle, and that the lengths match, is checked before
  /// anything is written: a bad one throws and drops the operands pushed so
  /// far.
  double push_products(std::span<const Value> w, std::span<const Value> x, double start);
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
  void check_index(Index i) const;
  /// How many epochs ago handle v was made (see epoch_).
  [[nodiscard]] std::uint32_t age_of(Value v) const noexcept;
  [[nodiscard]] inline std::uintptr_t mismatch(Value v, std::uint32_t epoch) const noexcept;
  [[nodiscard]] bool span_live(std::span<const Value> vs) const noexcept;
  // Throws as push_operand() does (dropping the operands pushed so far)
  // unless every handle in `vs` is live on this tape: span_live(), and if it
  // says no, is_live() per handle, naming the first bad one.
  void check_operands(std::span<const Value> vs);
  [[nodiscard]] bool spans_live(std::span<const Value> w, std::span<const Value> x) const noexcept;
  [[nodiscard]] bool live_up_to(Value v, Index top) const noexcept;
  [[noreturn]] void throw_full(std::size_t more_nodes, std::size_t more_operands);
  Value append_node(Op op, double value);
  [[nodiscard]] Value handle(Index node) noexcept;
  Value finish_checked_node(Op op, double value);
  void grow_nodes(std::size_t more);
  void grow_operands(std::size_t more);
  void set_room(std::size_t nodes, std::size_t operands);
  void update_node_limit() noexcept;
  void append_operand(Index a, double da);
  void append_operand_pair(Index a, double da, Index b, double db);
  // linear()'s body (Input is Value or double): it checks each span once for
  // all its rows, then writes them with push_products() minus the checks.
  template <class Input>
  void record_linear(std::span<const Value> w, std::span<const Input> x, std::span<const Value> b,
                     std::span<Value> out);
  inline double write_products(std::span<const Value> w, std::span<const Value> x, double start);
  inline double write_products(std::span<const Value> w, std::span<const double> x, double start);
  void make_room(std::size_t nodes, std::size_t operands);
  friend TAPEGRAD_AUTODIFF_EXPORT void linear(std::span<const Value> w, std::span<const Value> x,
                                              std::span<const Value> b, std::span<Value> out);
  friend TAPEGRAD_AUTODIFF_EXPORT void linear(std::span<const Value> w, std::span<const double> x,
                                              std::span<const Value> b, std::span<Value> out);
  void cut(Index size);
  void check_forward(Index node);
  void watch_sweep(Index out);
  void watch_step(Index node, double upstream);
  void drop_pending_operands() noexcept;

  // The arrays below are kept at their capacity, and the first size_ nodes
  // and operand_size_ operands are the ones in use: recording checks for room
  // once per node (or per operand, or product term) and then writes straight
  // into them, which is what makes it cheap. rewind() and clear() just lower
  // the counts. (In gdb, `print *this` shows only the nodes in use; a raw
  // `print values_` shows the spare room after them too.)
  Index size_ = 0; ///< nodes in use: values_[0 .. size_)
  /// Operands in use, the node being built's included; never above 2^32 - 1,
  /// since first_operand_ holds them as Index (grow_operands() sees to it).
  std::size_t operand_size_ = 0;
  std::size_t node_room_ = 0;    ///< values_.size(), ops_.size(): kept here for the hot path
  std::size_t operand_room_ = 0; ///< operands_.size(), partials_.size(), likewise
  // One entry per node, in creation order (first_operand_ has one more).
  std::vector<double> values_;
  std::vector<double> grads_; ///< filled by backward(): size_ entries after it, maybe fewer before
  std::vector<Op> ops_;
  /// Node i's operands are operands_[first_operand_[i] .. first_operand_[i+1]).
  std::vector<Index> first_operand_{0};
  // One entry per operand of each node.
  std::vector<Index> operands_;
  std::vector<double> partials_; ///< d(node)/d(operand), next to operands_
  /// Names of the few named nodes, sorted by node index.
  std::vector<std::pair<Index, std::string>> names_;

  /// A fresh epoch begins with the tape and with each clear() and rewind().
  /// Epochs come from one 64-bit counter for the whole process (it never
  /// wraps), so they also tell this tape from an earlier, destroyed one that
  /// lived at the same address. A Value keeps the low 32 bits of the epoch it
  /// was made in, which give its age, how many epochs ago it was made, exactly
  /// up to 2^32 - 1 (is_live). A cut is one truncation: {epoch it happened
  /// in, size left}.
  struct Cut {
    std::uint64_t epoch;
    Index size;
  };
  std::uint64_t epoch_;
  std::uint64_t first_epoch_; ///< the epoch the tape was made in
  /// epoch_ - first_epoch_, capped at 2^32 - 1: a handle older than this was
  /// made by a destroyed Tape at this address (none is, once the cap is hit).
  std::uint32_t age_ = 0;
  /// The cuts that still matter, epochs and sizes both increasing: a node made
  /// in epoch e survived iff its index is below the size of the first cut made
  /// in epoch e or later.
  std::vector<Cut> cuts_;
  /// The size of cuts_.front(), the lowest cut so far (0 before any): nodes
  /// below it are live. A shortcut through cuts_ for is_live().
  Index lowest_cut_ = 0;

  std::size_t max_size_ = std::numeric_limits<Index>::max();
  /// finish_node()'s one test: below this many nodes, a node is appended with
  /// plain stores. It is the room (node_room_) or max_size_, whichever is
  /// lower, or 0 while anomaly mode is on, so that every rare case (no room,
  /// a full tape, anomaly mode) takes finish_checked_node().
  std::size_t node_limit_ = 0;
  std::FILE* trace_ = nullptr;
  bool detect_anomaly_ = false;
};

// --- Hot paths, inline: recording a node is a handful of stores -------------

inline std::uint32_t Tape::age_of(Value v) const noexcept {
  // Exact below 2^32; past that, a handle may look younger than it is, which
  // can let a misused one through (it then reads a node on the tape, never
  // outside it) but never turns a live one away.
  return static_cast<std::uint32_t>(epoch_) - v.epoch_;
}

inline bool Tape::is_live(Value v) const noexcept {
  if (v.tape_ != this || v.index_ >= size_) return false;
  if (v.epoch_ == static_cast<std::uint32_t>(epoch_)) return true;
  const std::uint32_t age = age_of(v);
  if (age > age_) return false; // made by a destroyed Tape at this address
  // Below every cut ever made: a survivor whatever its epoch. In a training
  // loop these are the parameters under the mark, read and written each step.
  if (v.index_ < lowest_cut_) return true;
  for (const Cut& c : cuts_) // short: one entry in a steady training loop
    if (c.epoch >= epoch_ - age) return v.index_ < c.size;
  return true; // no cut since: only when its age is ambiguous (age_of)
}

inline void Tape::append_operand(Index a, double da) {
  if (operand_size_ + 1 > operand_room_) grow_operands(1);
  operands_[operand_size_] = a;
  partials_[operand_size_] = da;
  ++operand_size_;
}

inline void Tape::append_operand_pair(Index a, double da, Index b, double db) {
  if (operand_size_ + 2 > operand_room_) grow_operands(2);
  operands_[operand_size_] = a;
  partials_[operand_size_] = da;
  operands_[operand_size_ + 1] = b;
  partials_[operand_size_ + 1] = db;
  operand_size_ += 2;
}

inline double Tape::push_operand(Value a, double partial) {
  if (!is_live(a)) {
    drop_pending_operands();
    throw_unusable(a, "as an operand");
  }
  append_operand(a.index_, partial);
  return values_[a.index_];
}

inline Value Tape::finish_node(Op op, double value) {
  // One comparison covers the rare cases (no room, a full tape, anomaly
  // mode), so anomaly mode costs nothing when it is off.
  if (size_ >= node_limit_) return finish_checked_node(op, value);
  return append_node(op, value);
}

inline Value Tape::append_node(Op op, double value) {
  const Index node = size_; // there is room: see node_limit_
  values_[node] = value;
  ops_[node] = op;
  first_operand_[node + 1] = static_cast<Index>(operand_size_);
  ++size_;
  return handle(node);
}

/// A handle to a node on the tape now: live in the current epoch.
inline Value Tape::handle(Index node) noexcept {
  return Value(this, node, static_cast<std::uint32_t>(epoch_));
}

inline Value Tape::record(Op op, double value, Value a, double da) {
  push_operand(a, da);
  return finish_node(op, value);
}

inline Value Tape::record(Op op, double value, Value a, double da, Value b, double db) {
  // Both checks before any write, so that a compiler can share them with the
  // value() reads that computed `value` (a write could alias the tape).
  if (!is_live(a) || !is_live(b)) {
    drop_pending_operands();
    throw_unusable(is_live(a) ? b : a, "as an operand");
  }
  append_operand_pair(a.index_, da, b.index_, db);
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
  if (tape_ == nullptr) Tape::throw_empty("");
  return *tape_;
}

inline double Value::value() const {
  if (tape_ == nullptr) Tape::throw_empty("to read its value");
  if (!tape_->is_live(*this)) tape_->throw_unusable(*this, "to read its value");
  return tape_->values_[index_];
}

inline double Value::grad() const {
  if (tape_ == nullptr) Tape::throw_empty("to read its gradient");
  if (!tape_->is_live(*this)) tape_->throw_unusable(*this, "to read its gradient");
  return index_ < tape_->grads_.size() ? tape_->grads_[index_] : 0.0;
}

inline void Value::backward() const { tape().backward(*this); }

} // namespace tapegrad
