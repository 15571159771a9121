// random_graph(seed): a reproducible random expression graph for the
// differential fuzzer. It draws every op of fz::Kind, constants on both sides,
// operands reused by later nodes (fan-out, a*a, x/x), one graph in 32 a deep
// chain of hundreds of nodes, and it steers arguments onto the places where
// gradients go wrong: relu/abs at 0 and 0 +- tiny, log/sqrt/pow just above 0,
// sigmoid/tanh/exp/softplus far out (|x| up to 1000), and for the C library's
// functions their tails, poles and domain edges (erfc at 26..38, tan next to
// π/2, asin/acos/atanh next to ±1, acosh and log1p next to their edges),
// floor & co. and fmin/fmax just clear of a step or a tie, atan2 and hypot
// next to the origin. Each candidate node is kept only if its value and its
// local derivatives are finite, so every graph is differentiable at its point
// (a conventional derivative at a kink), and, for ops with a jump, only if no
// ulp of rounding can move it across the jump (on_a_jump).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_functions.hpp"
#include "fuzz_support.hpp"

namespace fz {

/// splitmix64 as a small, fast, seedable generator.
class Random {
public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform integer in [0, n).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
  /// True one time in n.
  bool one_in(std::uint32_t n) { return below(n) == 0; }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53;
  }
  template <class T, std::size_t N> T pick(const std::array<T, N>& a) {
    return a[below(static_cast<std::uint32_t>(N))];
  }

private:
  std::uint64_t state_;
};

/// Builds graphs; keeps its buffers between calls so fuzzing allocates little.
class Generator {
public:
  /// Fills `g` with the graph of `seed`.
  void make(std::uint64_t seed, Graph& g) {
    Random r(seed);
    g.clear();
    g.seed = seed;
    vals_.clear();
    const std::uint32_t n_inputs = 1 + r.below(4);
    for (std::uint32_t i = 0; i < n_inputs; ++i) vals_.push_back(draw_input(r));
    g.inputs = vals_;
    const bool deep = r.one_in(32);
    const std::uint32_t n_nodes = deep ? 200 + r.below(800) : 1 + r.below(40);
    while (g.nodes.size() < n_nodes) add_node(r, g, deep);
    if (r.one_in(2)) add_sinks_sum(g);
  }

  /// Starts a graph by hand (fuzz/engine_fuzz.cpp decodes bytes into one).
  void begin(Graph& g, std::span<const double> inputs) {
    g.clear();
    vals_.clear();
    for (const double x : inputs) vals_.push_back(x);
    g.inputs = vals_;
  }
  /// Appends n, whose args and consts are already at the end of g, if it
  /// passes the same rules as random nodes (see accept); else drops them.
  bool append(Graph& g, const Node& n) {
    if (accept(g, n)) {
      g.nodes.push_back(n);
      return true;
    }
    g.args.resize(n.first), g.consts.resize(n.first_c);
    return false;
  }

private:
  static double draw_input(Random& r) {
    switch (r.below(8)) {
    case 0: return r.pick(std::array{0.0, 1.0, -1.0, 0.5, 1e-12, -1e-12, 1e-300, 2.0});
    case 1: return r.uniform(-10, 10);
    case 2: return (r.one_in(2) ? 1 : -1) * r.uniform(20, 1000);
    default: return r.uniform(-2, 2);
    }
  }

  static double draw_constant(Random& r) {
    if (r.one_in(2)) return r.uniform(-3, 3);
    // Now and then a constant whose square under- or overflows (|c| beyond
    // 1e+-154): a divisor like that broke the textbook quotient rule.
    if (r.one_in(16)) return r.pick(std::array{1e-160, -1e-200, 1e160, -1e200, 1e-300});
    return r.pick(std::array{0.0, 1.0, -1.0, 2.0, 0.5, -0.25, 1e-3, 1e3, 3.0});
  }

  /// An operand: usually recent (chains), sometimes any earlier id (fan-out).
  std::uint32_t operand(Random& r, bool deep) const {
    const auto n = static_cast<std::uint32_t>(vals_.size());
    if (deep && !r.one_in(8)) return n - 1;
    if (r.one_in(3)) return n - 1 - r.below(n < 4 ? n : 4);
    return r.below(n);
  }

  /// Appends add_c(a, target - a) so that the next op sees ~target; returns
  /// the id to use (a itself if the shift would not land in range).
  std::uint32_t shift(Graph& g, std::uint32_t a, double target, double lo, double hi) {
    const double c = target - vals_[a];
    const double landed = vals_[a] + c;
    if (!(landed >= lo && landed <= hi)) return a;
    g.nodes.push_back(Node{Kind::add_c, static_cast<std::uint32_t>(g.args.size()), 1,
                           static_cast<std::uint32_t>(g.consts.size()), 1});
    g.args.push_back(a);
    g.consts.push_back(c);
    vals_.push_back(landed);
    return static_cast<std::uint32_t>(vals_.size() - 1);
  }

  /// Steers the argument of a unary op onto its kink, domain edge or far range.
  std::uint32_t steer(Random& r, Graph& g, Kind k, std::uint32_t a) {
    if (!r.one_in(3)) return a;
    const double sign = r.one_in(2) ? 1.0 : -1.0;
    switch (k) {
    case Kind::relu:
    case Kind::abs: {
      const double tiny = r.pick(std::array{0.0, 1e-300, 1e-15, 1e-8, 0.0});
      return shift(g, a, sign * tiny, -1e-7, 1e-7);
    }
    case Kind::log:
    case Kind::sqrt:
    case Kind::pow_c:
      return shift(g, a, r.pick(std::array{1e-300, 1e-30, 1e-12, 1e-6, 1e-3}), 1e-301, 1e-2);
    case Kind::exp:
      return shift(g, a, sign * r.pick(std::array{20.0, 300.0, 345.0, 745.0}), -746, 346);
    case Kind::sigmoid:
    case Kind::log_sigmoid:
    case Kind::softplus:
    case Kind::tanh: {
      const double far = sign * r.pick(std::array{20.0, 40.0, 400.0, 1000.0});
      return shift(g, a, far, -1001, 1001);
    }
    default: {
      const auto t = functions::steer_target(r, k, vals_[a]);
      return t ? shift(g, a, t->value, t->lo, t->hi) : a;
    }
    }
  }

  /// The second operand of a binary node: for fmin and fmax now and then one
  /// just clear of a tie with the first, for atan2 and hypot one next to 0
  /// (next to the origin).
  std::uint32_t second(Random& r, Graph& g, Kind k, std::uint32_t a, std::uint32_t b) {
    if (!r.one_in(3)) return b;
    const double sign = r.one_in(2) ? 1 : -1;
    const double tiny = sign * r.pick(std::array{0.0, 1e-300, 1e-12, 1e-6});
    if (k == Kind::fmin || k == Kind::fmax) // just clear of the tie (on it: fmax(a, a))
      return shift(g, b, vals_[a] * (1 + sign * r.pick(std::array{1e-5, 1e-3})) + sign * 1e-5,
                   -1e150, 1e150);
    if (k == Kind::atan2 || k == Kind::hypot) return shift(g, b, tiny, -1, 1);
    return b;
  }

  void add_node(Random& r, Graph& g, bool deep) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      const auto kind = static_cast<Kind>(r.below(kind_count));
      const std::size_t args_before = g.args.size(), consts_before = g.consts.size();
      const std::size_t nodes_before = g.nodes.size(), vals_before = vals_.size();
      Node n{kind, static_cast<std::uint32_t>(args_before), 0,
             static_cast<std::uint32_t>(consts_before), 0};
      const std::uint32_t a = steer(r, g, kind, operand(r, deep));
      // a*a, a/a, pow(a, a), fmax(a, a); fmin/fmax next to a tie
      const std::uint32_t b =
          !is_binary(kind) ? a : (r.one_in(6) ? a : second(r, g, kind, a, operand(r, deep)));
      n.first = static_cast<std::uint32_t>(g.args.size());
      n.first_c = static_cast<std::uint32_t>(g.consts.size());
      g.args.push_back(a);
      if (is_binary(kind)) g.args.push_back(b);
      if (kind == Kind::pow_c)
        g.consts.push_back(
            r.pick(std::array{2.0, 3.0, -1.0, -2.0, 0.0, 1.0, 0.5, 1 / 3.0, 1.5, -0.5}));
      else if (kind == Kind::c_pow)
        g.consts.push_back(r.pick(std::array{0.5, 2.0, 2.718281828459045, 10.0, 1.0, 0.1}));
      else if (has_constant(kind))
        g.consts.push_back(draw_constant(r));
      if (kind == Kind::sum || kind == Kind::dot_c || kind == Kind::dot) {
        const std::uint32_t terms = 1 + r.below(4);
        const std::uint32_t operands = kind == Kind::sum     ? terms
                                       : kind == Kind::dot_c ? terms + 1
                                                             : 2 * terms + 1;
        for (std::uint32_t i = 1; i < operands; ++i) g.args.push_back(operand(r, deep));
        if (kind == Kind::dot_c)
          for (std::uint32_t i = 0; i < terms; ++i) g.consts.push_back(draw_constant(r));
      }
      n.count = static_cast<std::uint32_t>(g.args.size() - n.first);
      n.count_c = static_cast<std::uint32_t>(g.consts.size() - n.first_c);
      if (accept(g, n)) {
        g.nodes.push_back(n);
        return;
      }
      g.args.resize(args_before), g.consts.resize(consts_before);
      g.nodes.resize(nodes_before), vals_.resize(vals_before);
    }
    // Nothing fit: sin of the last id is always finite.
    g.nodes.push_back(Node{Kind::sin, static_cast<std::uint32_t>(g.args.size()), 1, 0, 0});
    g.args.push_back(static_cast<std::uint32_t>(vals_.size() - 1));
    vals_.push_back(std::sin(vals_.back()));
  }

  /// Keeps node n if its value is finite and below 1e150 (so that the
  /// product of two values is finite), each of its local derivatives is
  /// below 1e300 (a partial next to DBL_MAX overflows in any formula), and
  /// pow's base is positive (a^b is real-differentiable there).
  bool accept(const Graph& g, const Node& n) {
    if (n.kind == Kind::pow && !(vals_[g.args[n.first]] > 0)) return false;
    if (functions::on_a_jump(n.kind, g.args_of(n), vals_)) return false;
    if (n.kind == Kind::c_pow && !(g.c(n) > 0)) return false;
    const double v = apply<double>(g, n, vals_, scratch_);
    if (!std::isfinite(v) || std::abs(v) > 1e150 || !local_partials_below(g, n, 1e300))
      return false;
    vals_.push_back(v);
    return true;
  }

  /// Whether each partial of a unary or binary node, taken per operand
  /// position (x/x has two, 1/x and -1/x, which would cancel in a sum of
  /// them), is below `limit`. The n-ary sum and dot have partials 1, a
  /// constant or another operand's value: always finite here.
  bool local_partials_below(const Graph& g, const Node& n, double limit) {
    const auto args = g.args_of(n);
    if (args.size() > 2) return true;
    local_.clear();
    local_.nodes = {Node{n.kind, 0, n.count, 0, n.count_c}};
    for (std::uint32_t k = 0; k < args.size(); ++k) local_.args.push_back(k);
    local_.consts.assign(g.consts.begin() + n.first_c, g.consts.begin() + n.first_c + n.count_c);
    for (std::size_t k = 0; k < args.size(); ++k) {
      probe_.clear();
      for (std::size_t j = 0; j < args.size(); ++j)
        probe_.push_back(check::Dual{vals_[args[j]], j == k ? 1.0 : 0.0});
      const double partial = apply<check::Dual>(local_, local_.nodes[0], probe_, dual_scratch_).d;
      if (!(std::abs(partial) <= limit)) return false;
    }
    return true;
  }

  /// Appends sum(every id nothing uses), so dead-end branches reach the output.
  void add_sinks_sum(Graph& g) {
    std::vector<bool> used(vals_.size(), false);
    for (const Node& n : g.nodes)
      for (const std::uint32_t a : g.args_of(n)) used[a] = true;
    Node n{Kind::sum, static_cast<std::uint32_t>(g.args.size()), 0, 0, 0};
    for (std::uint32_t id = 0; id < used.size(); ++id)
      if (!used[id]) g.args.push_back(id);
    n.count = static_cast<std::uint32_t>(g.args.size() - n.first);
    if (n.count > 1 && accept(g, n))
      g.nodes.push_back(n);
    else
      g.args.resize(n.first);
  }

  std::vector<double> vals_, scratch_;
  Graph local_; ///< one node on its own operands, for local_partials_below
  std::vector<check::Dual> probe_, dual_scratch_;
};

} // namespace fz
