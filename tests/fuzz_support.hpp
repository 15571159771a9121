// Random expression graphs for differential testing. A Graph is ONE
// description of a computation (a list of ops over earlier results) that
// evaluate<T>() interprets three ways: with double, with check::Dual (forward
// mode, the oracle) and with tapegrad::Value (reverse mode, under test).
// random_graph() builds one from a seed, aiming at where gradients go wrong:
// every op, constants on both sides, fan-out, deep chains, kinks, domain edges
// and large arguments. print() shows a graph as a readable listing.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "fuzz_math.hpp"

namespace fz {

/// What a node computes. `_c`/`c_`: a constant (double) after/before the
/// operand; `i...`: a compound assignment (`r = a; r += b`).
enum class Kind : std::uint8_t {
  add,
  sub,
  mul,
  div,
  add_c,
  c_add,
  sub_c,
  c_sub,
  mul_c,
  c_mul,
  div_c,
  c_div,
  iadd,
  isub,
  imul,
  idiv,
  iadd_c,
  isub_c,
  imul_c,
  idiv_c,
  neg,
  exp,
  log,
  sqrt,
  pow_c,
  c_pow,
  pow,
  relu,
  sigmoid,
  log_sigmoid,
  softplus,
  tanh,
  abs,
  sin,
  cos,
  sum,   ///< args a_0..a_(n-1)
  dot_c, ///< b + sum w_i x_i, constant x: args w_0..w_(n-1), b; consts x_0..x_(n-1)
  dot,   ///< b + sum w_i x_i: args w_0..w_(n-1), x_0..x_(n-1), b
  // The C library's functions (special.hpp, exponential.hpp,
  // trigonometric.hpp, piecewise.hpp): unary from erf to trunc, then binary.
  erf,
  erfc,
  normal_cdf,
  log1p,
  expm1,
  exp2,
  log2,
  log10,
  cbrt,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  asinh,
  acosh,
  atanh,
  floor,
  ceil,
  round,
  trunc,
  atan2,
  hypot,
  fmin,
  fmax,
};
inline constexpr int kind_count = static_cast<int>(Kind::fmax) + 1;

/// Whether a node of kind k has two Value operands (sum and dot have n).
constexpr bool is_binary(Kind k) {
  const int i = static_cast<int>(k);
  return i <= 3 || (i >= 12 && i <= 15) || k == Kind::pow || k >= Kind::atan2;
}
/// Whether a node of kind k has one constant (dot_c has n).
constexpr bool has_constant(Kind k) {
  const int i = static_cast<int>(k);
  return (i >= 4 && i <= 11) || (i >= 16 && i <= 19) || k == Kind::pow_c || k == Kind::c_pow;
}
/// The name a unary or binary function prints with, for kinds from erf on.
constexpr const char* function_name(Kind k) {
  constexpr const char* names[] = {
      "erf",   "erfc", "normal_cdf", "log1p", "expm1", "exp2",  "log2",  "log10", "cbrt",
      "tan",   "asin", "acos",       "atan",  "sinh",  "cosh",  "asinh", "acosh", "atanh",
      "floor", "ceil", "round",      "trunc", "atan2", "hypot", "fmin",  "fmax"};
  return names[static_cast<int>(k) - static_cast<int>(Kind::erf)];
}

/// One op. Its operands are Graph::args[first, first + count) (ids of inputs
/// or earlier nodes); its constants are Graph::consts[first_c, first_c + count_c).
struct Node {
  Kind kind{};
  std::uint32_t first = 0, count = 0, first_c = 0, count_c = 0;
};

/// Ids 0..inputs.size()-1 are the inputs; id inputs.size() + k is nodes[k].
/// The output is the last id.
struct Graph {
  std::uint64_t seed = 0;
  std::vector<double> inputs;
  std::vector<Node> nodes;
  std::vector<std::uint32_t> args;
  std::vector<double> consts;

  [[nodiscard]] std::size_t size() const { return inputs.size() + nodes.size(); }
  [[nodiscard]] std::span<const std::uint32_t> args_of(const Node& n) const {
    return std::span(args).subspan(n.first, n.count);
  }
  [[nodiscard]] double c(const Node& n, std::size_t k = 0) const { return consts[n.first_c + k]; }
  void clear() { inputs.clear(), nodes.clear(), args.clear(), consts.clear(); }
};

/// The value of node `n` given the values of every earlier id, in type T
/// (double, check::Dual or tapegrad::Value). `scratch` avoids allocations.
template <class T>
T apply(const Graph& g, const Node& n, std::span<const T> v, std::vector<T>& scratch) {
  using std::cos, std::exp, std::log, std::sin, std::sqrt;
  const auto a = g.args_of(n);
  const auto at = [&](std::size_t k) { return v[a[k]]; };
  const auto compound = [&](auto op) {
    T r = at(0);
    op(r);
    return r;
  }; // NOLINT
  switch (n.kind) {
  case Kind::add: return at(0) + at(1);
  case Kind::sub: return at(0) - at(1);
  case Kind::mul: return at(0) * at(1);
  case Kind::div: return at(0) / at(1);
  case Kind::add_c: return at(0) + g.c(n);
  case Kind::c_add: return g.c(n) + at(0);
  case Kind::sub_c: return at(0) - g.c(n);
  case Kind::c_sub: return g.c(n) - at(0);
  case Kind::mul_c: return at(0) * g.c(n);
  case Kind::c_mul: return g.c(n) * at(0);
  case Kind::div_c: return at(0) / g.c(n);
  case Kind::c_div: return g.c(n) / at(0);
  case Kind::iadd: return compound([&](T& r) { r += at(1); });
  case Kind::isub: return compound([&](T& r) { r -= at(1); });
  case Kind::imul: return compound([&](T& r) { r *= at(1); });
  case Kind::idiv: return compound([&](T& r) { r /= at(1); });
  case Kind::iadd_c: return compound([&](T& r) { r += g.c(n); });
  case Kind::isub_c: return compound([&](T& r) { r -= g.c(n); });
  case Kind::imul_c: return compound([&](T& r) { r *= g.c(n); });
  case Kind::idiv_c: return compound([&](T& r) { r /= g.c(n); });
  case Kind::neg: return -at(0);
  case Kind::exp: return exp(at(0));
  case Kind::log: return log(at(0));
  case Kind::sqrt: return sqrt(at(0));
  case Kind::pow_c: return math::pow_c(at(0), g.c(n));
  case Kind::c_pow: return math::c_pow(g.c(n), at(0));
  case Kind::pow: return math::pow(at(0), at(1));
  case Kind::relu: return math::relu(at(0));
  case Kind::sigmoid: return math::sigmoid(at(0));
  case Kind::log_sigmoid: return math::log_sigmoid(at(0));
  case Kind::softplus: return math::softplus(at(0));
  case Kind::tanh: return math::tanh(at(0));
  case Kind::abs: return math::abs(at(0));
  case Kind::sin: return sin(at(0));
  case Kind::cos: return cos(at(0));
  case Kind::erf: return math::erf(at(0));
  case Kind::erfc: return math::erfc(at(0));
  case Kind::normal_cdf: return math::normal_cdf(at(0));
  case Kind::log1p: return math::log1p(at(0));
  case Kind::expm1: return math::expm1(at(0));
  case Kind::exp2: return math::exp2(at(0));
  case Kind::log2: return math::log2(at(0));
  case Kind::log10: return math::log10(at(0));
  case Kind::cbrt: return math::cbrt(at(0));
  case Kind::tan: return math::tan(at(0));
  case Kind::asin: return math::asin(at(0));
  case Kind::acos: return math::acos(at(0));
  case Kind::atan: return math::atan(at(0));
  case Kind::sinh: return math::sinh(at(0));
  case Kind::cosh: return math::cosh(at(0));
  case Kind::asinh: return math::asinh(at(0));
  case Kind::acosh: return math::acosh(at(0));
  case Kind::atanh: return math::atanh(at(0));
  case Kind::floor: return math::floor(at(0));
  case Kind::ceil: return math::ceil(at(0));
  case Kind::round: return math::round(at(0));
  case Kind::trunc: return math::trunc(at(0));
  case Kind::atan2: return math::atan2(at(0), at(1));
  case Kind::hypot: return math::hypot(at(0), at(1));
  case Kind::fmin: return math::fmin(at(0), at(1));
  case Kind::fmax: return math::fmax(at(0), at(1));
  case Kind::sum:
  case Kind::dot_c:
  case Kind::dot:
    scratch.clear();
    for (std::size_t k = 0; k < a.size(); ++k) scratch.push_back(at(k));
    return math::reduce(n.kind == Kind::sum     ? 0
                        : n.kind == Kind::dot_c ? 1
                                                : 2,
                        scratch, std::span(g.consts).subspan(n.first_c, n.count_c));
  }
  return at(0);
}

/// Every id's value: out[0..inputs) = inputs, then each node in order.
template <class T>
void evaluate(const Graph& g, std::span<const T> inputs, std::vector<T>& out,
              std::vector<T>& scratch) {
  out.assign(inputs.begin(), inputs.end());
  for (const Node& n : g.nodes) {
    const T r = apply<T>(g, n, out, scratch);
    out.push_back(r);
  }
}

/// The name of an id in listings: x0, x1, ... for inputs, t<id> for nodes.
inline std::string id_name(const Graph& g, std::uint32_t id) {
  return id < g.inputs.size() ? fmt::format("x{}", id) : fmt::format("t{}", id);
}

/// One node as a line of C++-like code, e.g. "t5 = relu(t3)".
inline std::string print_node(const Graph& g, std::size_t k) {
  const Node& n = g.nodes[k];
  const auto a = g.args_of(n);
  const auto x = [&](std::size_t i) { return id_name(g, a[i]); };
  const auto list = [&](std::size_t from, std::size_t count) {
    std::string s;
    for (std::size_t i = from; i < from + count; ++i) s += (s.empty() ? "" : ", ") + x(i);
    return s;
  };
  static constexpr const char* infix[] = {"+", "-", "*", "/"};
  static constexpr const char* names[] = {"-",        "exp",  "log",  "sqrt",    "pow",
                                          "pow",      "pow",  "relu", "sigmoid", "log_sigmoid",
                                          "softplus", "tanh", "abs",  "sin",     "cos"};
  const int kind = static_cast<int>(n.kind);
  std::string rhs;
  if (kind <= 3)
    rhs = fmt::format("{} {} {}", x(0), infix[kind], x(1));
  else if (kind <= 11) {
    const bool c_first = (kind - 4) % 2 == 1;
    const char* op = infix[(kind - 4) / 2];
    rhs = c_first ? fmt::format("{} {} {}", g.c(n), op, x(0))
                  : fmt::format("{} {} {}", x(0), op, g.c(n));
  } else if (kind <= 19) {
    const char* op = infix[(kind - 12) % 4];
    rhs = fmt::format("{0}; r {1}= {2}", x(0), op, kind <= 15 ? x(1) : fmt::format("{}", g.c(n)));
    return fmt::format("t{} = [r = {}]", g.inputs.size() + k, rhs);
  } else if (n.kind == Kind::pow_c)
    rhs = fmt::format("pow({}, {})", x(0), g.c(n));
  else if (n.kind == Kind::c_pow)
    rhs = fmt::format("pow({}, {})", g.c(n), x(0));
  else if (n.kind == Kind::pow)
    rhs = fmt::format("pow({}, {})", x(0), x(1));
  else if (kind <= 34)
    rhs = fmt::format("{}({})", names[kind - 20], x(0));
  else if (n.kind >= Kind::erf)
    rhs = is_binary(n.kind) ? fmt::format("{}({}, {})", function_name(n.kind), x(0), x(1))
                            : fmt::format("{}({})", function_name(n.kind), x(0));
  else if (n.kind == Kind::sum)
    rhs = fmt::format("sum({})", list(0, a.size()));
  else if (n.kind == Kind::dot_c) {
    std::string cs;
    for (std::size_t i = 0; i < n.count_c; ++i) cs += fmt::format("{}{}", i ? ", " : "", g.c(n, i));
    rhs = fmt::format("dot([{}], [{}], {})", list(0, a.size() - 1), cs, x(a.size() - 1));
  } else {
    const std::size_t w = (a.size() - 1) / 2;
    rhs = fmt::format("dot([{}], [{}], {})", list(0, w), list(w, w), x(a.size() - 1));
  }
  return fmt::format("t{} = {}", g.inputs.size() + k, rhs);
}

/// The whole graph as a listing that can be pasted into a test.
inline std::string print(const Graph& g) {
  std::string s = fmt::format("graph of seed {}: {} inputs, {} nodes, output t{}\n", g.seed,
                              g.inputs.size(), g.nodes.size(), g.size() - 1);
  for (std::size_t i = 0; i < g.inputs.size(); ++i)
    s += fmt::format("  x{} = {}\n", i, g.inputs[i]);
  for (std::size_t k = 0; k < g.nodes.size(); ++k) s += "  " + print_node(g, k) + "\n";
  return s;
}

} // namespace fz
