// What the Tape says: the trace of backward() and anomaly mode, which replay
// the sweep after it (so the reverse loop has no branch for them), and the
// errors that explain misuse, each saying what happened and how to fix it.
#include <cmath>
#include <iterator>
#include <string>

#include <fmt/format.h>

#include "tapegrad/error.hpp"
#include "tapegrad/print.hpp"
#include "tapegrad/tape.hpp"

namespace tapegrad {

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

} // namespace tapegrad
