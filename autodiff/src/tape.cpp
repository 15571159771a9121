// The Tape's out-of-line parts: the reverse sweep, rewinding, node access and
// the errors that explain misuse. Recording a node is inline in tape.hpp.
#include "tapegrad/tape.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

#include <fmt/format.h>

#include "tapegrad/error.hpp"
#include "tapegrad/print.hpp"

namespace tapegrad {

namespace {
/// The next generation, unique across every Tape of the process (see
/// Tape::is_live). An atomic counter: tapes on different threads may take
/// generations at once. It starts 2^10 below 2^32, so that every run of the
/// tests crosses the point where the 32 bits a Value keeps wrap around to 0.
std::uint64_t fresh_generation() noexcept {
  static std::atomic<std::uint64_t> next{(std::uint64_t{1} << 32) - 1024};
  return next.fetch_add(1, std::memory_order_relaxed);
}

/// Room for `needed` entries: double the room, as std::vector does, but not
/// past `most`.
std::size_t grown_room(std::size_t room, std::size_t needed, std::size_t most) {
  return std::min(most, std::max({std::size_t{64}, 2 * room, needed}));
}
} // namespace

Tape::Tape() : generation_(fresh_generation()), first_generation_(generation_) {
  first_operand_.grow_to(1);
  first_operand_[0] = 0;
  generations_.grow_to(1); // is_live() reads node 0's entry for an index out of range
  generations_[0] = 0;
}

void Tape::reserve(std::size_t nodes, std::size_t operands) {
  constexpr std::size_t most = std::numeric_limits<Index>::max();
  nodes = std::min(nodes, most);
  try { // in the order grow_nodes() and grow_operands() grow them
    values_.grow_to(nodes);
    ops_.grow_to(nodes);
    generations_.grow_to(nodes);
    first_operand_.grow_to(nodes + 1);
    grads_.grow_to(nodes);
    operands_.grow_to(std::min(operands, most));
    partials_.grow_to(std::min(operands, most));
  } catch (...) {
    drop_pending_operands(); // as after any failed operation
    throw;
  }
}

// Growing happens in the middle of recording a node. If it fails (a full
// tape, or out of memory), the operands that node has pushed are dropped, as
// after any failed operation, so that they cannot attach to the next node.
// Of each group of arrays, the one grown last (first_operand_, partials_) is
// the one whose room the recording checks: if an earlier one fails to grow,
// the room has not changed, and the others having more is harmless.
void Tape::grow_nodes(std::size_t more) {
  if (size_ + more > max_size_) throw_full(more, 0);
  const std::size_t room = grown_room(node_room(), size_ + more, max_size_);
  try {
    values_.grow_to(room);
    ops_.grow_to(room);
    generations_.grow_to(room);
    first_operand_.grow_to(room + 1);
  } catch (...) {
    drop_pending_operands();
    throw;
  }
}

void Tape::grow_operands(std::size_t more) {
  // Operand positions are stored as Index (first_operand_): 2^32 - 1 at most.
  constexpr std::size_t most = std::numeric_limits<Index>::max();
  if (operand_size_ + more > most) throw_full(0, more);
  const std::size_t room = grown_room(partials_.room(), operand_size_ + more, most);
  try {
    operands_.grow_to(room);
    partials_.grow_to(room);
  } catch (...) {
    drop_pending_operands();
    throw;
  }
}

std::size_t Tape::bytes_used() const noexcept {
  const std::size_t per_node =
      2 * sizeof(double) + sizeof(Op) + sizeof(std::uint32_t) + sizeof(Index);
  const std::size_t per_operand = sizeof(Index) + sizeof(double);
  return per_node * size_ + per_operand * operand_size_;
}

std::size_t Tape::bytes_reserved() const noexcept {
  return values_.room() * sizeof(double) + ops_.room() * sizeof(Op) +
         generations_.room() * sizeof(std::uint32_t) + first_operand_.room() * sizeof(Index) +
         grads_.room() * sizeof(double) + operands_.room() * sizeof(Index) +
         partials_.room() * sizeof(double);
}

void Tape::clear() { cut(0); }

Tape::Mark Tape::mark() const noexcept {
  return Mark{static_cast<Index>(size_), generation_, size_ == 0 ? 0 : generations_[size_ - 1],
              this};
}

void Tape::rewind(Mark m) {
  // A mark names its tape. A destroyed Tape's mark may name this one (if this
  // one took its place in memory), but its generation is older than this tape.
  if (m.tape != this || m.generation < first_generation_)
    throw Error("tapegrad: rewind() to a mark that was not taken on this Tape (it is another "
                "Tape's, a destroyed Tape's, or a default Mark). Rewind each tape to a mark() "
                "taken on it.");
  // The mark must still point at nodes this tape holds: not beyond its end,
  // and not into a stretch that an earlier rewind dropped and re-recorded
  // (the node below the mark would then be of another generation).
  const bool valid =
      m.size <= size_ && (m.size == 0 || generations_[m.size - 1] == m.generation_below);
  if (!valid)
    throw Error(
        fmt::format("tapegrad: rewind() to a mark at node #{} that is no longer on this tape "
                    "(it has {} nodes; an earlier clear() or rewind() went below the mark). "
                    "Take the mark again after recording what must survive.",
                    m.size, size_));
  cut(m.size);
}

void Tape::cut(Index size) {
  size_ = size; // the memory stays, for the nodes recorded next
  operand_size_ = first_operand_[size];
  graded_ = std::min<std::size_t>(graded_, size);
  std::erase_if(names_, [size](const auto& entry) { return entry.first >= size; });
  generation_ = fresh_generation(); // every handle to a dropped node is now stale
}

void Tape::zero_grad() noexcept { std::fill_n(grads_.data(), graded_, 0.0); }

void Tape::reset_grads() {
  grads_.grow_to(size_);
  graded_ = size_;
  std::fill_n(grads_.data(), size_, 0.0);
}

void Tape::backward(Value out) {
  if (!is_live(out)) throw_unusable(out, "to call backward() from");
  reset_grads();            // a gradient of 0 for every node
  grads_[out.index_] = 1.0; // d(out)/d(out)

  // Walk the tape backwards from out. When the loop reaches node i, every node
  // that used i came later on the tape and has already passed its share of the
  // gradient down, so grads_[i] = d(out)/d(node i) is complete.
  for (Index i = out.index_ + 1; i-- > 0;) {
    const double upstream = grads_[i];
    if (upstream == 0.0) continue; // out does not depend on node i
    for (Index k = first_operand_[i]; k < first_operand_[i + 1]; ++k) {
      // Chain rule: d(out)/d(operand) += d(node)/d(operand) * d(out)/d(node).
      const Index operand = operands_[k];
      const double contribution = partials_[k] * upstream;
      grads_[operand] += contribution;
    }
  }
  if (trace_ != nullptr || detect_anomaly_) watch_sweep(out.index_);
}

void Tape::watch_sweep(Index out) {
  // Replays the sweep for the trace and anomaly mode, after it, so that the
  // loop above has no branch for them. The numbers are the ones the loop
  // used: once the loop has passed node i, grads_[i] never changes again
  // (only earlier nodes are left, and nothing flows from them to i).
  for (Index i = out + 1; i-- > 0;)
    if (grads_[i] != 0.0) watch_step(i, grads_[i]);
}

void Tape::watch_step(Index node, double upstream) {
  if (trace_ != nullptr) {
    fmt::memory_buffer line;
    fmt::format_to(std::back_inserter(line), "#{} {}: grad {:.6g}", node, format_call(*this, node),
                   upstream);
    const auto args = operands(node);
    const auto parts = partials(node);
    for (std::size_t k = 0; k < args.size(); ++k)
      fmt::format_to(std::back_inserter(line), "{} #{} += {:.6g} \u00d7 {:.6g}",
                     k == 0 ? " \u2192" : ",", args[k], parts[k], upstream);
    if (args.empty()) fmt::format_to(std::back_inserter(line), " (a leaf: nothing to pass on)");
    fmt::print(trace_, "{}\n", fmt::to_string(line));
  }
  if (detect_anomaly_) {
    const auto args = operands(node);
    const auto parts = partials(node);
    for (std::size_t k = 0; k < args.size(); ++k)
      if (!std::isfinite(parts[k] * upstream))
        throw Error(fmt::format("tapegrad: anomaly in backward(): node {} passes {} to operand #{} "
                                "(local derivative {} \u00d7 upstream gradient {}). Operands: {}. "
                                "Look for log, sqrt, pow or division at a domain edge.",
                                format_node(*this, node), parts[k] * upstream, args[k], parts[k],
                                upstream, format_operands(*this, node)));
  }
}

void Tape::check_forward(Index node) {
  if (std::isfinite(values_[node])) return;
  // The node's line without its gradient, which means nothing before backward().
  std::string what = fmt::format("#{} {} value={}", node, format_call(*this, node), values_[node]);
  if (const auto node_name = name(node); !node_name.empty())
    what += fmt::format(" \"{}\"", node_name);
  const std::string message = fmt::format(
      "tapegrad: anomaly in the forward pass: node {} is the first to produce NaN or Inf. "
      "Operands: {}. Look for log, sqrt, pow or division at a domain edge, or exp overflowing.",
      what, format_operands(*this, node));
  cut(node); // the offending node is not kept
  throw Error(message);
}

Op Tape::define_op(std::string_view name) {
  const bool word =
      !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
      });
  if (!word)
    throw Error(fmt::format("tapegrad: define_op(\"{}\"): an op's name is 1 to 32 letters, digits "
                            "or '_' (it is printed in tables, DOT files and web pages as it is). "
                            "Choose a name such as \"softsign\".",
                            name));
  const auto known = std::find(op_names_.begin(), op_names_.end(), name);
  if (known != op_names_.end())
    return static_cast<Op>(first_custom_op + (known - op_names_.begin()));
  if (op_names_.size() == 256 - first_custom_op)
    throw Error(fmt::format("tapegrad: define_op(\"{}\"): this tape already has {} ops of its "
                            "own, the most it can name. Reuse a name for ops that print alike.",
                            name, op_names_.size()));
  op_names_.emplace_back(name);
  return static_cast<Op>(first_custom_op + op_names_.size() - 1);
}

std::string_view Tape::op_name(Op op) const noexcept {
  if (!is_custom(op)) return tapegrad::op_name(op);
  const std::size_t k = static_cast<std::uint8_t>(op) - first_custom_op;
  return k < op_names_.size() ? std::string_view(op_names_[k]) : std::string_view("?");
}

void Tape::check_op(Op op) {
  if (op == Op::leaf && operand_size_ != first_operand_[size_]) {
    drop_pending_operands();
    throw Error("tapegrad: finish_node(Op::leaf, ...) after push_operand(): a leaf is a variable "
                "and has no operands (set_value() would change it under the nodes that use "
                "them). Record an operation of your own with an op code from define_op(\"name\").");
  }
  if (is_custom(op) && static_cast<std::size_t>(static_cast<std::uint8_t>(op) - first_custom_op) >=
                           op_names_.size()) {
    drop_pending_operands();
    throw Error(fmt::format("tapegrad: finish_node() with op code {}, which define_op() did not "
                            "give on this tape. Get the code of an op of your own from "
                            "tape.define_op(\"name\").",
                            static_cast<int>(op)));
  }
}

Value Tape::finish_rare_node(Op op, double value) {
  if (size_ == node_room() || size_ >= max_size_) grow_nodes(1); // throws when full
  const Value v = append_node(op, value);
  if (detect_anomaly_) check_forward(v.index_);
  return v;
}

void Tape::set_max_size(std::size_t nodes) {
  max_size_ = std::min<std::size_t>(nodes, std::numeric_limits<Index>::max());
}

void Tape::check_index(Index i) const {
  if (i >= size_)
    throw Error(fmt::format("tapegrad: node #{} does not exist: the tape has {} nodes "
                            "(#0 to #{}). Use an index below size().",
                            i, size_, size_ - 1));
}

double Tape::value(Index i) const {
  check_index(i);
  return values_[i];
}

double Tape::grad(Index i) const {
  check_index(i);
  return i < graded_ ? grads_[i] : 0.0;
}

Op Tape::op(Index i) const {
  check_index(i);
  return ops_[i];
}

std::span<const Index> Tape::operands(Index i) const {
  check_index(i);
  return {operands_.data() + first_operand_[i], first_operand_[i + 1] - first_operand_[i]};
}

std::span<const double> Tape::partials(Index i) const {
  check_index(i);
  return {partials_.data() + first_operand_[i], first_operand_[i + 1] - first_operand_[i]};
}

std::string_view Tape::name(Index i) const {
  check_index(i);
  const auto it = std::lower_bound(names_.begin(), names_.end(), i,
                                   [](const auto& entry, Index j) { return entry.first < j; });
  return it != names_.end() && it->first == i ? std::string_view(it->second) : std::string_view();
}

void Tape::set_name(Index i, std::string_view name) {
  check_index(i);
  const auto it = std::lower_bound(names_.begin(), names_.end(), i,
                                   [](const auto& entry, Index j) { return entry.first < j; });
  if (it != names_.end() && it->first == i)
    it->second = name;
  else
    names_.emplace(it, i, std::string(name));
}

Value Tape::at(Index i) const {
  check_index(i);
  return Value(const_cast<Tape*>(this), i, generations_[i]);
}

void Tape::throw_empty(std::string_view where) {
  throw Error(
      fmt::format("tapegrad: an empty Value (default-constructed, never assigned) was used{}{}. "
                  "Assign it a variable from tape.var(x) or the result of an operation first.",
                  where.empty() ? "" : " ", where));
}

void Tape::throw_unusable(Value v, std::string_view where) const {
  const std::string at = where.empty() ? std::string() : fmt::format(" {}", where);
  if (v.is_constant())
    throw Error(fmt::format("tapegrad: a constant (a Value made from a double) was used{}: it is "
                            "on no tape and depends on nothing. Use a Value computed from "
                            "tape.var().",
                            at));
  if (v.tape_ == nullptr) throw_empty(where);
  if (v.tape_ != this)
    throw Error(
        fmt::format("tapegrad: a Value from another Tape (node #{}) was used{} on this tape. "
                    "Values from two tapes cannot be combined: record them all on one Tape.",
                    v.index_, at));
  // How many generations ago the handle's node was recorded, against how many
  // this tape has lived: older than the tape, it is a destroyed Tape's.
  const std::uint32_t handle_age = static_cast<std::uint32_t>(generation_) - v.generation_;
  if (handle_age > generation_ - first_generation_)
    throw Error(fmt::format(
        "tapegrad: a Value whose Tape was destroyed was used{} (node #{}); another Tape now "
        "lives at the same address. A Value must not outlive its Tape: keep the Tape alive "
        "as long as its Values are used.",
        at, v.index_));
  throw Error(
      fmt::format("tapegrad: a stale Value was used{}: it refers to node #{}, which Tape::clear() "
                  "or Tape::rewind() dropped (the tape now has {} nodes). Use Values recorded "
                  "after the last clear/rewind; record parameters before taking the mark.",
                  at, v.index_, size_));
}

void Tape::throw_full(std::size_t more_nodes, std::size_t more_operands) {
  const std::size_t operands = operand_size_;
  drop_pending_operands();
  const std::string what =
      size_ + more_nodes > max_size_
          ? fmt::format("it holds {} nodes and the limit is {} (set_max_size; 2^32 - 1 at most, "
                        "the index range){}",
                        size_, max_size_,
                        more_nodes > 1 ? fmt::format(", and linear() needs {} more", more_nodes)
                                       : std::string())
          : fmt::format("its nodes have {} operands and {} more are needed, past the most it "
                        "can index (2^32 - 1)",
                        operands, more_operands);
  throw Error(fmt::format("tapegrad: the tape is full: {}. Call clear() or rewind() between "
                          "steps, or split the computation over several tapes.",
                          what));
}

Value Tape::record_rare(Op op, double value, Value a, double da, Value b, double db) {
  push_operand(a, da); // throws for a handle that cannot be used
  push_operand(b, db);
  return finish_node(op, value);
}

Value record_rare(Op op, double value, Value a, double da, Value b, double db) {
  if (a.is_constant()) return record(folded(op, Operand::first), value, b, db);
  if (b.is_constant()) return record(folded(op, Operand::second), value, a, da);
  Tape::throw_empty("as an operand"); // neither is a constant: one is empty
}

// --- Value members that need the tape's private parts -------------------------

double Value::rare_value() const {
  if (is_constant()) return constant();
  if (tape_ == nullptr) Tape::throw_empty("to read its value");
  tape_->throw_unusable(*this, "to read its value");
}

void Value::throw_constant(std::string_view what) {
  throw Error(fmt::format("tapegrad: {} a constant (a Value made from a double), which is on no "
                          "tape. Only nodes recorded on a Tape (tape.var(x), or an operation on "
                          "one) have a tape, a name or a settable value.",
                          what));
}

void Value::set_value(double x) const {
  if (is_constant()) throw_constant("set_value() was called on");
  Tape& t = tape();
  if (!t.is_live(*this)) t.throw_unusable(*this, "in set_value()");
  if (t.ops_[index_] != Op::leaf)
    throw Error(
        fmt::format("tapegrad: set_value() on node {}, which is computed, not a variable. Only "
                    "leaves made by tape.var() can be set: change the leaf it came from and "
                    "record the graph again.",
                    format_node(t, index_)));
  t.values_[index_] = x;
}

std::string_view Value::name() const {
  if (is_constant()) return {};
  Tape& t = tape();
  if (!t.is_live(*this)) t.throw_unusable(*this, "to read its name");
  return t.name(index_);
}

const Value& Value::named(std::string_view name) const {
  if (is_constant()) throw_constant("named() was called on");
  Tape& t = tape();
  if (!t.is_live(*this)) t.throw_unusable(*this, "to name it");
  t.set_name(index_, name);
  return *this;
}

} // namespace tapegrad
