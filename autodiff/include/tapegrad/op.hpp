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
  erf,         ///< erf(a)
  erfc,        ///< erfc(a) = 1 - erf(a)
  normal_cdf,  ///< Φ(a), the standard normal distribution function
  log1p,       ///< ln(1 + a)
  expm1,       ///< e^a - 1
  exp2,        ///< 2^a
  log2,        ///< log₂ a
  log10,       ///< log₁₀ a
  cbrt,        ///< ∛a
  tan,         ///< tan a
  asin,        ///< arcsin a
  acos,        ///< arccos a
  atan,        ///< arctan a
  atan2,       ///< atan2(a, b)
  atan2_c,     ///< atan2(a, c)
  c_atan2,     ///< atan2(c, a)
  sinh,        ///< sinh a
  cosh,        ///< cosh a
  asinh,       ///< arsinh a
  acosh,       ///< arcosh a
  atanh,       ///< artanh a
  hypot,       ///< sqrt(a² + b²)
  hypot_c,     ///< hypot(a, c) (and hypot(c, a))
  fmin,        ///< fmin(a, b)
  fmin_c,      ///< fmin(a, c) (and fmin(c, a))
  fmax,        ///< fmax(a, b)
  fmax_c,      ///< fmax(a, c) (and fmax(c, a))
  clamp,       ///< clamp(a, lo, hi), three Values
  clamp_c,     ///< clamp(a, lo, hi) with constant bounds
  floor,       ///< floor(a)
  ceil,        ///< ceil(a)
  round,       ///< round(a)
  trunc,       ///< trunc(a)
  max,         ///< max(a0, a1, ...) (n operands)
  logsumexp,   ///< ln(e^a0 + e^a1 + ...) (n operands)
  dot_c,       ///< c0*a0 + c1*a1 + ... + b: a dot whose every product has a constant factor
               ///< (linear: printed "dot(#.., c)")
};

/// The first op code Tape::define_op() hands out for an operation of one's
/// own; codes from here to 255 are a tape's own (see Tape::op_name).
inline constexpr std::uint8_t first_custom_op = 128;

/// Whether `op` is a code of Tape::define_op()'s, not a built-in op.
constexpr bool is_custom(Op op) noexcept {
  return static_cast<std::uint8_t>(op) >= first_custom_op;
}

/// A built-in op's name as printed in tape rows and traces, e.g. "mul"
/// ("?" for a code of Tape::define_op()'s: ask the tape, Tape::op_name).
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
  case Op::erf: return "erf";
  case Op::erfc: return "erfc";
  case Op::normal_cdf: return "normal_cdf";
  case Op::log1p: return "log1p";
  case Op::expm1: return "expm1";
  case Op::exp2: return "exp2";
  case Op::log2: return "log2";
  case Op::log10: return "log10";
  case Op::cbrt: return "cbrt";
  case Op::tan: return "tan";
  case Op::asin: return "asin";
  case Op::acos: return "acos";
  case Op::atan: return "atan";
  case Op::atan2: return "atan2";
  case Op::atan2_c: return "atan2";
  case Op::c_atan2: return "atan2";
  case Op::sinh: return "sinh";
  case Op::cosh: return "cosh";
  case Op::asinh: return "asinh";
  case Op::acosh: return "acosh";
  case Op::atanh: return "atanh";
  case Op::hypot: return "hypot";
  case Op::hypot_c: return "hypot";
  case Op::fmin: return "fmin";
  case Op::fmin_c: return "fmin";
  case Op::fmax: return "fmax";
  case Op::fmax_c: return "fmax";
  case Op::clamp: return "clamp";
  case Op::clamp_c: return "clamp";
  case Op::floor: return "floor";
  case Op::ceil: return "ceil";
  case Op::round: return "round";
  case Op::trunc: return "trunc";
  case Op::max: return "max";
  case Op::logsumexp: return "logsumexp";
  case Op::dot_c: return "dot";
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
  case Op::pow_c:
  case Op::atan2_c:
  case Op::hypot_c:
  case Op::fmin_c:
  case Op::fmax_c:
  case Op::clamp_c:
  case Op::dot_c: return ConstantAt::after;
  case Op::c_sub:
  case Op::c_div:
  case Op::c_pow:
  case Op::c_atan2: return ConstantAt::before;
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
  case Op::atan2: return first ? Op::c_atan2 : Op::atan2_c;
  case Op::hypot: return Op::hypot_c;
  case Op::fmin: return Op::fmin_c;
  case Op::fmax: return Op::fmax_c;
  default: return op;
  }
}

} // namespace tapegrad
