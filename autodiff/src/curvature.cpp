// Every op's second derivative, in one switch (the first derivatives stay where
// each op is defined, in the headers).
//
// A rule reads only what the tape keeps: the operands' values, the node's value
// y and its stored partials p = d(node)/d(operand). A folded constant is not on
// the tape, so its rule recovers what it needs from y and p (pow_c's exponent is
// c = p a / y). For a one-operand node the rule is its d2 = d²y/da²; for a
// node with several operands, the products H·tangent it adds.
#include "curvature.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "tapegrad/error.hpp"

namespace tapegrad::detail {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

/// s(x) = 1 / (1 + e^-x), with e never above 1.
double logistic(double x) {
  const double e = std::exp(-std::abs(x));
  return x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

/// d²(a^c)/da² from a, y = a^c and p = c a^(c-1): p (c - 1) / a with
/// c = p a / y. At a = 0 the exponent is lost when c > 1 (y = 0 and p = 0
/// for every such c, whose d2 is inf, 2 or 0): NaN there, not a guess.
double pow_c_second(double a, double y, double p) {
  if (p == 0.0 && y == 1.0) return 0.0; // c = 0: a constant 1
  if (a != 0.0 && y != 0.0 && std::isfinite(y) && std::isfinite(p)) {
    const double c = p * a / y;
    return p * (c - 1.0) / a;
  }
  if (a == 0.0) {
    if (y == 0.0 && p == 1.0) return 0.0;       // c = 1: the identity
    if (y == 0.0 && std::isinf(p)) return -inf; // 0 < c < 1: c (c-1) 0^(c-2)
    if (std::isinf(y)) return inf;              // c < 0: c (c-1) > 0 times 0^(c-2) = inf
  }
  return nan; // c > 1 at a = 0, or a^c under/overflowed: c cannot be recovered
}

/// 1/r² for atan2's point (u, w) = r (cos t, sin t), from the angle t = y,
/// the coordinate `w` on the sine side and `q` = (the other coordinate) / r²:
/// whichever of cos t and sin t is larger divides.
double inverse_square_radius(double t, double w, double q) {
  const double c = std::cos(t), s = std::sin(t);
  const double inv_r = std::abs(c) >= std::abs(s) ? q / c : s / w;
  return inv_r * inv_r;
}

/// h t, but 0 when t = 0: a direction that does not move an operand takes
/// nothing from it, even from an infinite second derivative (as backward()'s
/// 0 gradient passes nothing back through an infinite partial).
double times(double h, double t) { return t == 0.0 ? 0.0 : h * t; }

[[noreturn]] void throw_arity(const TapeView& tape, Index node, std::size_t expected) {
  throw Error(fmt::format("tapegrad: node #{} ({}) has {} operands; the second derivative of {} "
                          "has {}. Was it recorded by hand (push_operand/finish_node)? Record "
                          "it under an op whose rule fits it (Op::sum for any linear node).",
                          node, op_name(tape.ops[node]), tape.operands(node).size(),
                          op_name(tape.ops[node]), expected));
}

} // namespace

void add_curvature(const TapeView& tape, Index node, double adjoint, const double* tangent,
                   double* adj_dot) {
  const auto args = tape.operands(node);
  const auto ps = tape.partials(node);
  const double y = tape.values[node];
  // Adds adjoint × (c0, c1) to operands a0 and a1; once, summed, when they
  // are one node (x*x, x/x), so that terms which cancel do so before a
  // small one already there could be absorbed.
  const auto add = [&](Index a0, Index a1, double c0, double c1) {
    if (a0 == a1) {
      adj_dot[a0] += adjoint * (c0 + c1);
    } else {
      adj_dot[a0] += adjoint * c0;
      adj_dot[a1] += adjoint * c1;
    }
  };
  // Two-operand rules: H = [[h00, h01], [h01, h11]].
  const auto binary = [&](double h00, double h01, double h11) {
    if (args.size() != 2) throw_arity(tape, node, 2);
    const double t0 = tangent[args[0]], t1 = tangent[args[1]];
    add(args[0], args[1], times(h00, t0) + times(h01, t1), times(h01, t0) + times(h11, t1));
  };
  // An op of one's own (Tape::define_op) has no rule here: refuse, never guess.
  if (is_custom(tape.ops[node]))
    throw Error(fmt::format("tapegrad: node #{} is an operation of your own (Tape::define_op, "
                            "code {}); its second derivative is unknown to tapegrad, so "
                            "hessian and hvp cannot pass through it. Write it with built-in "
                            "operations to differentiate it twice.",
                            node, static_cast<int>(tape.ops[node])));
  double d2 = 0.0; // the one-operand rules set it, then break
  // The one-operand rules read p and x() only once the count is known to be 1.
  const double p = args.size() == 1 ? ps[0] : nan;
  const auto x = [&] { return args.size() == 1 ? tape.values[args[0]] : nan; };
  switch (tape.ops[node]) {
  // Linear or piecewise linear: no curvature. relu, abs, fmin, fmax, clamp and
  // max are linear on each side of a kink (their second derivative at it is a
  // Dirac delta, which no sweep can return); floor & co. are steps.
  case Op::leaf:
  case Op::add:     // a + b
  case Op::sub:     // a - b
  case Op::add_c:   // a + c
  case Op::c_sub:   // c - a
  case Op::mul_c:   // c a
  case Op::neg:     // -a
  case Op::sum:     // Σ a_i
  case Op::dot_c:   // Σ c_i a_i + b
  case Op::relu:    // max(a, 0)
  case Op::abs:     // |a|
  case Op::fmin:    // fmin(a, b)
  case Op::fmin_c:  // fmin(a, c)
  case Op::fmax:    // fmax(a, b)
  case Op::fmax_c:  // fmax(a, c)
  case Op::clamp:   // clamp(a, lo, hi)
  case Op::clamp_c: // clamp(a, lo, hi), constant bounds
  case Op::max:     // max(a_i)
  case Op::floor:   // floor(a)
  case Op::ceil:    // ceil(a)
  case Op::round:   // round(a)
  case Op::trunc:
    return; // trunc(a)

  // --- Several operands --------------------------------------------------------
  case Op::mul: // d²(ab)/da db = 1, d²/da² = d²/db² = 0
    binary(0.0, 1.0, 0.0);
    return;
  case Op::div: { // q = a/b: d²/da² = 0, d²/da db = -1/b², d²/db² = 2a/b³
    // H·t = (-t_b/b², (-t_a + 2q t_b)/b²), written with u = (t_a - q t_b)/b,
    // q's own tangent, as (-t_b/b², -u/b + q t_b/b²): for x/x (q = 1, u = 0)
    // the two then cancel exactly instead of leaving rounding of size 1/x².
    if (args.size() != 2) throw_arity(tape, node, 2);
    const double b = tape.values[args[1]], ta = tangent[args[0]], tb = tangent[args[1]];
    const double u = (ta - y * tb) / b, tb_bb = tb / b / b;
    add(args[0], args[1], -tb_bb, y * tb_bb - u / b);
    return;
  }
  case Op::pow: { // y = a^b
    // d²/da² = b (b-1) a^(b-2);  d²/da db = a^(b-1) (1 + b ln a);  d²/db² = y (ln a)².
    // Where the first derivatives are 0 by convention (d/da at b = 0, d/db where
    // y = 0) their derivatives along that convention are 0 too.
    if (args.size() != 2) throw_arity(tape, node, 2);
    const double a = tape.values[args[0]], b = tape.values[args[1]];
    const double haa = b == 0.0 ? 0.0 : b * (b - 1.0) * std::pow(a, b - 2.0);
    const double hab = y == 0.0 ? 0.0 : std::pow(a, b - 1.0) * (1.0 + b * std::log(a));
    const double hbb = y == 0.0 ? 0.0 : ps[1] * std::log(a);
    binary(haa, hab, hbb);
    return;
  }
  case Op::atan2: { // y = atan2(a, b), p_a = b/r², p_b = -a/r²
    // d²/da² = -2ab/r⁴ = 2 p_a p_b;  d²/db² = -2 p_a p_b;  d²/da db = (a² - b²)/r⁴ = p_b² - p_a²
    if (args.size() != 2) throw_arity(tape, node, 2);
    binary(2.0 * ps[0] * ps[1], ps[1] * ps[1] - ps[0] * ps[0], -2.0 * ps[0] * ps[1]);
    return;
  }
  case Op::hypot: { // r = sqrt(a² + b²), p_a = a/r, p_b = b/r
    // d²/da² = b²/r³ = p_b²/r;  d²/db² = p_a²/r;  d²/da db = -ab/r³ = -p_a p_b / r
    // (0 at r = 0, the cone's tip, as its first derivatives are)
    if (args.size() != 2) throw_arity(tape, node, 2);
    if (y == 0.0) return;
    binary(ps[1] * ps[1] / y, -ps[0] * ps[1] / y, ps[0] * ps[0] / y);
    return;
  }
  case Op::dot: { // b + Σ w_i x_i: d²/dw_i dx_i = 1, every other 0
    // Operands come as (w_i, x_i) pairs where both factors are on the tape
    // (reductions.cpp records the others as dot_c, or singly); a pair is known
    // by its partials: w_i's is x_i's value and x_i's is w_i's.
    for (std::size_t j = 0; j < args.size(); ++j) {
      if (j + 1 < args.size() && ps[j] == tape.values[args[j + 1]] &&
          ps[j + 1] == tape.values[args[j]]) {
        adj_dot[args[j]] += adjoint * tangent[args[j + 1]];
        adj_dot[args[j + 1]] += adjoint * tangent[args[j]];
        ++j;
      }
    }
    return;
  }
  case Op::logsumexp: { // L = ln Σ e^(a_i), p_i = s_i = softmax: H = diag(s) - s sᵀ
    double st = 0.0;
    for (std::size_t k = 0; k < args.size(); ++k) st += ps[k] * tangent[args[k]];
    for (std::size_t j = 0; j < args.size(); ++j)
      adj_dot[args[j]] += adjoint * ps[j] * (tangent[args[j]] - st);
    return;
  }

  // --- One operand, and y = f(a), p = f'(a) -------------------------------------
  case Op::c_div: // c/a: 2c/a³ = -2 p / a
    d2 = -2.0 * p / x();
    break;
  case Op::exp: d2 = y; break;                             // e^a
  case Op::expm1: d2 = p; break;                           // e^a
  case Op::exp2: d2 = p * std::numbers::ln2; break;        // 2^a (ln 2)²
  case Op::log: d2 = -p * p; break;                        // -1/a²
  case Op::log1p: d2 = -p * p; break;                      // -1/(1+a)²
  case Op::log2: d2 = -p * p * std::numbers::ln2; break;   // -1/(a² ln 2)
  case Op::log10: d2 = -p * p * std::numbers::ln10; break; // -1/(a² ln 10)
  case Op::sqrt: d2 = -2.0 * p * p * p; break;             // -1/(4 y³) = -2 p³
  case Op::cbrt: d2 = -2.0 * p * p / y; break;             // -2/(9 y⁵) = -2 p²/y
  case Op::pow_c: d2 = pow_c_second(x(), y, p); break;     // c (c-1) a^(c-2)
  case Op::c_pow: d2 = y == 0.0 ? 0.0 : p * p / y; break;  // c^a (ln c)² = p²/y
  case Op::sigmoid: d2 = p * (1.0 - 2.0 * y); break;       // s (1-s) (1-2s)
  case Op::log_sigmoid: d2 = -p * logistic(x()); break;    // -s(a) s(-a), p = s(-a)
  case Op::softplus: d2 = p * logistic(-x()); break;       // s(a) s(-a), p = s(a)
  case Op::tanh: d2 = -2.0 * y * p; break;                 // -2 tanh a (1 - tanh² a)
  case Op::sin: d2 = -y; break;                            // -sin a
  case Op::cos: d2 = -y; break;                            // -cos a
  case Op::tan: d2 = 2.0 * y * p; break;                   // 2 tan a (1 + tan² a)
  case Op::erf:                                            // -2a · 2/√π e^(-a²)
  case Op::erfc: d2 = -2.0 * x() * p; break;               // -2a · (-2/√π e^(-a²))
  case Op::normal_cdf: d2 = -x() * p; break;               // -a φ(a)
  case Op::asin:                                           // a / (1-a²)^(3/2) = a p³
  case Op::acos: d2 = x() * p * p * p; break;              // -a / (1-a²)^(3/2) = a p³
  case Op::atan: d2 = -2.0 * x() * p * p; break;           // -2a / (1+a²)²
  case Op::sinh: d2 = y; break;                            // sinh a
  case Op::cosh: d2 = y; break;                            // cosh a
  case Op::asinh:                                          // -a / (1+a²)^(3/2) = -a p³
  case Op::acosh: d2 = -x() * p * p * p; break;            // -a / (a²-1)^(3/2) = -a p³
  case Op::atanh: d2 = 2.0 * x() * p * p; break;           // 2a / (1-a²)²
  case Op::atan2_c: { // atan2(a, c), p = c/r²: -2ac/r⁴ = -2 a p / r², a = r sin y
    const double a = x();
    d2 = -2.0 * a * p * inverse_square_radius(y, a, p);
    break;
  }
  case Op::c_atan2: { // atan2(c, a), p = -c/r²: 2ac/r⁴ = -2 a p / r², a = r cos y
    // Swapping the roles of sine and cosine: t = π/2 - y has cos t = sin y.
    const double a = x();
    d2 = -2.0 * a * p * inverse_square_radius(std::numbers::pi / 2 - y, a, -p);
    break;
  }
  case Op::hypot_c: // r = hypot(a, c), p = a/r: c²/r³ = (1 - p)(1 + p)/r (0 at r = 0)
    d2 = y == 0.0 ? 0.0 : (1.0 - p) * (1.0 + p) / y;
    break;
  }
  if (args.size() != 1) throw_arity(tape, node, 1);
  adj_dot[args[0]] += adjoint * times(d2, tangent[args[0]]);
}

} // namespace tapegrad::detail
