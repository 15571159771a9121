// The kinds of node a tape records.
//
// The op code is only a label: the reverse sweep never looks at it, because each
// node stores its local partial derivatives when it is recorded. It is kept so
// that printing, tracing, the debugger and the DOT export can say what a node is.
#pragma once

#include <cstdint>
#include <string_view>

namespace tapegrad {

/// What a tape node computes. `c` stands for a constant (a double) that was
/// folded into the node instead of being recorded as a node of its own.
enum class Op : std::uint8_t {
  leaf,        ///< a variable: tape.var(x)
  add,         ///< a + b
  sub,         ///< a - b
  mul,         ///< a * b
  div,         ///< a / b
  add_c,       ///< a + c (and a - c)
  c_sub,       ///< c - a
  mul_c,       ///< c * a (and a / c)
  c_div,       ///< c / a
  neg,         ///< -a
  exp,         ///< e^a
  log,         ///< ln a
  sqrt,        ///< sqrt(a)
  pow_c,       ///< a^c
  c_pow,       ///< c^a
  pow,         ///< a^b
  relu,        ///< max(a, 0)
  sigmoid,     ///< 1 / (1 + e^-a)
  log_sigmoid, ///< ln sigmoid(a)
  softplus,    ///< ln(1 + e^a)
  tanh,        ///< tanh a
  abs,         ///< |a|
  sin,         ///< sin a
  cos,         ///< cos a
  sum,         ///< a0 + a1 + ... (n operands)
  dot,         ///< c0*a0 + c1*a1 + ... + b (a neuron: n weights and a bias)
};

/// The op's name as printed in tape rows and traces, e.g. "mul".
constexpr std::string_view op_name(Op op) noexcept {
  switch (op) {
  case Op::leaf: return "leaf";
  case Op::add: return "add";
  case Op::sub: return "sub";
  case Op::mul: return "mul";
  case Op::div: return "div";
  case Op::add_c: return "add";
  case Op::c_sub: return "sub";
  case Op::mul_c: return "mul";
  case Op::c_div: return "div";
  case Op::neg: return "neg";
  case Op::exp: return "exp";
  case Op::log: return "log";
  case Op::sqrt: return "sqrt";
  case Op::pow_c: return "pow";
  case Op::c_pow: return "pow";
  case Op::pow: return "pow";
  case Op::relu: return "relu";
  case Op::sigmoid: return "sigmoid";
  case Op::log_sigmoid: return "log_sigmoid";
  case Op::softplus: return "softplus";
  case Op::tanh: return "tanh";
  case Op::abs: return "abs";
  case Op::sin: return "sin";
  case Op::cos: return "cos";
  case Op::sum: return "sum";
  case Op::dot: return "dot";
  }
  return "?";
}

/// Where an op's folded constant is printed: after the operands ("add(#3, c)"),
/// before them ("sub(c, #3)"), or nowhere.
enum class ConstantAt : std::uint8_t { none, after, before };

/// Where op prints its constant operand, if it has one.
constexpr ConstantAt op_constant(Op op) noexcept {
  switch (op) {
  case Op::add_c:
  case Op::mul_c:
  case Op::pow_c: return ConstantAt::after;
  case Op::c_sub:
  case Op::c_div:
  case Op::c_pow: return ConstantAt::before;
  default: return ConstantAt::none;
  }
}

/// Which operand of a two-operand op is meant.
enum class Operand : std::uint8_t { first, second };

/// The op that records `op` when its `constant` operand is a constant folded
/// into the node (for printing: `Value(2.0) - x` prints as "sub(c, #3)").
/// An op without a folded form keeps its own label.
constexpr Op folded(Op op, Operand constant) noexcept {
  const bool first = constant == Operand::first;
  switch (op) {
  case Op::add: return Op::add_c;
  case Op::sub: return first ? Op::c_sub : Op::add_c;
  case Op::mul: return Op::mul_c;
  case Op::div: return first ? Op::c_div : Op::mul_c;
  case Op::pow: return first ? Op::c_pow : Op::pow_c;
  default: return op;
  }
}

} // namespace tapegrad
