// Checker: records a Graph on a tapegrad Tape, runs backward(), and compares
// (1) every node's value with the double interpretation,
// (2) every input's gradient with forward-mode dual numbers (tight), and
// (3) with central finite differences (loose, only where FD can be trusted).
//
// The tolerances are error bounds, not guesses. Rounding in a chain-rule sum
// is bounded by eps times A_i = sum over paths of |product of partials|
// (computed by a reverse sweep with |partials| from the tape), so (2) demands
// |reverse - dual| <= 1e-10 A_i: a wrong partial moves the result by a
// multiple of A_i. Values likewise use E = |v| + sum |partial| E(operand).
// The finite-difference rule is documented in docs/testing.md and at fd_check.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>

#include "fuzz_functions.hpp"
#include "fuzz_support.hpp"

namespace fz {

/// What one or many checks did. Skips are counted so the rule stays honest.
struct Counts {
  std::uint64_t graphs = 0, nodes = 0;
  std::uint64_t dual_checked = 0, dual_overflow = 0; ///< oracle's gradient not finite
  std::uint64_t fd_checked = 0, fd_kink = 0, fd_noisy = 0;
  void add(const Counts& o) {
    graphs += o.graphs, nodes += o.nodes, dual_checked += o.dual_checked;
    dual_overflow += o.dual_overflow, fd_checked += o.fd_checked, fd_kink += o.fd_kink;
    fd_noisy += o.fd_noisy;
  }
};

/// For testing the checker itself: record op `kind` with its first partial
/// multiplied by `factor` (a deliberately wrong engine).
struct Sabotage {
  std::optional<Kind> kind;
  double factor = 1.0;
  bool dual = true; ///< false: skip comparison (2), to test (3) alone
};

class Checker {
public:
  /// Checks g; returns "" if everything agrees, else the first disagreement.
  std::string check(const Graph& g, Counts& counts, Sabotage sabotage = {}) {
    ++counts.graphs;
    counts.nodes += g.nodes.size();
    record(g, sabotage);
    evaluate<double>(g, g.inputs, vals_, scratch_);
    // The generator keeps only nodes whose local derivatives are finite.
    for (tapegrad::Index i = 0; i < tape.size(); ++i)
      for (const double p : tape.partials(i))
        if (!std::isfinite(p))
          return fmt::format("node #{} ({}) has a non-finite partial {}", i,
                             tapegrad::op_name(tape.op(i)), p);
    for (std::size_t id = 0; id < g.size(); ++id) {
      const double v = values[id].value();
      const double bound = 1e-12 * bound_[values[id].index()];
      if (!(std::abs(v - vals_[id]) <= bound) && std::isfinite(bound))
        return fmt::format("value of {}: tapegrad {} but double {} (bound {})",
                           id_name(g, static_cast<std::uint32_t>(id)), v, vals_[id], bound);
    }
    for (std::uint32_t i = 0; i < g.inputs.size(); ++i) {
      const double rev = values[i].grad();
      const double fwd = forward(g, i, 1.0, duals_);
      const double a = abs_grad_[values[i].index()];
      // A path's product of partials overflowed (the sweep's association
      // order differs from forward mode's): no finite answer to expect.
      const double floor = underflow_floor(values[i].index());
      if (!std::isfinite(a) || !std::isfinite(fwd) || !std::isfinite(floor)) {
        ++counts.dual_overflow;
        continue;
      }
      if (!std::isfinite(rev))
        return fmt::format("d/dx{}: reverse mode gives {} where forward mode gives {}", i, rev,
                           fwd);
      ++counts.dual_checked;
      const double tol = 1e-10 * a + floor;
      if (sabotage.dual && !(std::abs(rev - fwd) <= tol) && !agrees_scaled(g, i, rev, tol))
        return fmt::format("d/dx{}: reverse {} but dual numbers {} (difference {}, bound {:g})", i,
                           rev, fwd, rev - fwd, tol);
      if (std::string e = fd_check(g, i, rev, a, floor, counts); !e.empty()) return e;
    }
    return {};
  }

  /// The tape (for the thread and determinism tests); holds the last graph.
  tapegrad::Tape tape;
  /// Each id's Value on the tape after check().
  std::vector<tapegrad::Value> values;

private:
  void record(const Graph& g, Sabotage sabotage) {
    tape.clear();
    values.clear();
    for (const double x : g.inputs) values.push_back(tape.var(x));
    for (const Node& n : g.nodes) {
      tapegrad::Value r = apply<tapegrad::Value>(g, n, values, value_scratch_);
      if (sabotage.kind == n.kind) { // the same node again, with a wrong first partial
        // Copies: the spans point into the tape, which pushing may grow.
        const std::vector<tapegrad::Index> args(tape.operands(r.index()).begin(),
                                                tape.operands(r.index()).end());
        const std::vector<double> parts(tape.partials(r.index()).begin(),
                                        tape.partials(r.index()).end());
        for (std::size_t k = 0; k < args.size(); ++k)
          tape.push_operand(tape.at(args[k]), parts[k] * (k == 0 ? sabotage.factor : 1.0));
        r = tape.finish_node(tape.op(r.index()), r.value());
      }
      values.push_back(r);
    }
    tape.backward(values.back());
    // Error scales: bound_ forward (values), abs_grad_ reverse (gradients).
    const std::size_t size = tape.size();
    bound_.assign(size, 0.0);
    for (tapegrad::Index i = 0; i < size; ++i) {
      double e = std::abs(tape.value(i));
      const auto args = tape.operands(i);
      const auto parts = tape.partials(i);
      for (std::size_t k = 0; k < args.size(); ++k) e += std::abs(parts[k]) * bound_[args[k]];
      bound_[i] = e;
    }
    abs_sweep(tape, values.back().index(), abs_grad_);
  }

  /// weight[j] = sum over paths from node j to `out` of |product of partials|
  /// on `t`: the reverse sweep with |partials|, a bound on |d out/d node j|.
  static void abs_sweep(const tapegrad::Tape& t, tapegrad::Index out, std::vector<double>& weight) {
    weight.assign(t.size(), 0.0);
    weight[out] = 1.0;
    for (tapegrad::Index i = out + 1; i-- > 0;) {
      if (weight[i] == 0) continue;
      const auto args = t.operands(i);
      const auto parts = t.partials(i);
      for (std::size_t k = 0; k < args.size(); ++k)
        weight[args[k]] += std::abs(parts[k]) * weight[i];
    }
  }

  /// d/dx_i in forward mode, from the seed tangent `seed` (divided out).
  double forward(const Graph& g, std::uint32_t i, double seed, std::vector<check::Dual>& out) {
    duals_in_.assign(g.inputs.size(), check::Dual{});
    for (std::size_t j = 0; j < g.inputs.size(); ++j)
      duals_in_[j] = {g.inputs[j], i == j ? seed : 0.0};
    evaluate<check::Dual>(g, duals_in_, out, dual_scratch_);
    return out.back().d / seed;
  }

  /// Forward mode is linear in the seed, and scaling it by 2^400 or 2^-400 is
  /// exact unless an intermediate product (q * b.d in the quotient rule,
  /// say) under- or overflows: so a disagreement that one of those seeds
  /// removes came from the oracle's range, not from the engine.
  bool agrees_scaled(const Graph& g, std::uint32_t i, double rev, double tol) {
    for (const double seed : {0x1.0p400, 0x1.0p-400})
      if (std::abs(rev - forward(g, i, seed, retry_)) <= tol) return true;
    return false;
  }

  /// The absolute error that underflow may cause in d/d(leaf), whatever the
  /// order of evaluation. A partial or product below 2^-1022 (DBL_MIN) may
  /// lose all of its digits (1/cosh^2 x at |x| > 355, -q/b in a/b); an error
  /// in partial d(j)/d(o) reaches the result times abs_grad_[j] T[o], where T
  /// is the forward sweep of |partials| from the leaf. So the floor is
  /// DBL_MIN x 4 x nodes x max over edges of abs_grad_[j] T[o] (and over
  /// nodes), plus the last bit of a subnormal result.
  double underflow_floor(tapegrad::Index leaf) {
    tangent_.assign(tape.size(), 0.0);
    tangent_[leaf] = 1;
    double worst = abs_grad_[leaf];
    for (tapegrad::Index j = leaf; j < tape.size(); ++j) {
      const auto args = tape.operands(j);
      const auto parts = tape.partials(j);
      for (std::size_t k = 0; k < args.size(); ++k) {
        tangent_[j] += std::abs(parts[k]) * tangent_[args[k]];
        worst = std::fmax(worst, abs_grad_[j] * tangent_[args[k]]);
      }
      // A tangent (gradient) lost at node j reaches the result times
      // abs_grad_[j] (T[j]); either may itself have underflowed to 0.
      worst = std::fmax(worst, std::fmax(abs_grad_[j], tangent_[j]));
    }
    const double n = 4 * static_cast<double>(tape.size());
    return 0x1.0p-1022 * n * worst + 0x1.0p-1074 * n;
  }

  /// The arguments of node n that finite differences must not move far, each
  /// with the scale on which its op is nonlinear: 1 for exp, sin, cos, tanh,
  /// sigmoid, softplus, log_sigmoid; the distance to the kink or singularity
  /// (|u|) for relu, abs, log, sqrt, pow's and pow_c's base and a divisor;
  /// 1/|ln c| for c^u; the C library's functions' in fuzz_functions.hpp.
  /// (+, -, * and dot are at most quadratic: central differences are exact
  /// for them.)
  int nonlinear_args(const Graph& g, const Node& n,
                     std::array<std::pair<std::uint32_t, double>, 2>& out) const {
    const auto a = g.args_of(n);
    const auto dist = [&](std::uint32_t id) { return std::abs(vals_[id]); };
    switch (n.kind) {
    case Kind::exp:
    case Kind::sin:
    case Kind::cos:
    case Kind::tanh:
    case Kind::sigmoid:
    case Kind::softplus:
    case Kind::log_sigmoid: out[0] = {a[0], 1.0}; return 1;
    case Kind::relu:
    case Kind::abs:
    case Kind::log:
    case Kind::sqrt:
    case Kind::pow_c:
    case Kind::c_div: out[0] = {a[0], dist(a[0])}; return 1;
    case Kind::div:
    case Kind::idiv: out[0] = {a[1], dist(a[1])}; return 1;
    case Kind::c_pow: out[0] = {a[0], 1 / std::abs(std::log(g.c(n)))}; return 1;
    case Kind::pow:
      out[0] = {a[0], dist(a[0])};
      out[1] = {a[1], 1 / std::abs(std::log(vals_[a[0]]))};
      return 2;
    default: return functions::nonlinear_args(n.kind, a, vals_, out);
    }
  }

  /// Whether, at the point at_input() last evaluated (fd_vals_), every
  /// nonlinear argument is within 2e-3 of its scale at the base point (the
  /// step aimed at 1e-3 to first order), and each pow(a, b)'s b ln a within
  /// 2e-3 (a^b = exp(b ln a): where ln a = 0 the exponent's scale is
  /// infinite, yet b can move a lot).
  bool stays_smooth(const Graph& g) const {
    std::array<std::pair<std::uint32_t, double>, 2> args{};
    for (const Node& n : g.nodes) {
      for (int k = nonlinear_args(g, n, args); k-- > 0;) {
        const auto [id, scale] = args[static_cast<std::size_t>(k)];
        if (!(std::abs(fd_vals_[id] - vals_[id]) <= 2e-3 * scale)) return false;
      }
      if (n.kind == Kind::pow) {
        const auto a = g.args_of(n);
        const double moved =
            fd_vals_[a[1]] * std::log(fd_vals_[a[0]]) - vals_[a[1]] * std::log(vals_[a[0]]);
        if (!(std::abs(moved) <= 2e-3)) return false;
      }
    }
    return true;
  }

  /// How much rounding at the point at_input() last evaluated can move f:
  /// R = sum over nodes of |df/dnode| there times the node's |value|, or for a
  /// sum or dot the sum of its terms' magnitudes (what its partial sums can
  /// round away). Both are taken at that point (the graph recorded again on a
  /// second tape), not at the base point, whose E and A_i miss what only the
  /// stencil creates: at x = 0, x + c absorbs a tiny c on the stencil, and
  /// x^2 - x^2 inside a dot swallows a tiny third term; in both the weight
  /// |df/dnode| is ~0 at the base point and ~h on the stencil.
  double stencil_rounding(const Graph& g) {
    stencil_tape_.clear();
    stencil_values_.clear();
    for (const double x : inputs_) stencil_values_.push_back(stencil_tape_.var(x));
    for (const Node& n : g.nodes)
      stencil_values_.push_back(apply<tapegrad::Value>(g, n, stencil_values_, value_scratch_));
    abs_sweep(stencil_tape_, stencil_values_.back().index(), weight_);
    double total = 0;
    for (tapegrad::Index i = 0; i < weight_.size(); ++i) {
      if (weight_[i] == 0) continue;
      const auto args = stencil_tape_.operands(i);
      const auto parts = stencil_tape_.partials(i);
      const tapegrad::Op op = stencil_tape_.op(i);
      double terms = std::abs(stencil_tape_.value(i));
      if (op == tapegrad::Op::sum || op == tapegrad::Op::dot || op == tapegrad::Op::dot_c) {
        terms = 0;
        for (std::size_t k = 0; k < args.size(); ++k)
          terms += std::abs(stencil_tape_.value(args[k]) * parts[k]);
      }
      if (terms != 0) total += weight_[i] * terms; // an overflowed weight times 0 is no NaN
    }
    // NaN (a NaN partial on the way) means no bound: finite differences are skipped.
    return std::isnan(total) ? std::numeric_limits<double>::infinity() : total;
  }

  double at_input(const Graph& g, std::uint32_t i, double x) {
    inputs_ = g.inputs;
    inputs_[i] = x;
    evaluate<double>(g, inputs_, fd_vals_, scratch_);
    return fd_vals_.back();
  }

  /// Central differences D(h) and D(h/2). The step h is the largest up to
  /// 1e-5 max(1, |x_i|) that moves no nonlinear argument u by more than 1e-3 of
  /// its scale (|du/dx_i| from the dual pass), and then at x_i +- h really
  /// moved none by more than 2e-3 of it (stays_smooth): the stencil never
  /// crosses a kink, never reaches a singularity, never spans a period of sin. Skipped
  /// (counted) when that h is below 1e-12 max(1, |x_i|) (at or next to a kink)
  /// or when FD cannot resolve the derivative: a non-finite evaluation, or
  /// rounding noise 16 eps (max(E, |f| and stencil_rounding() on the stencil)/h + A_i) plus the
  /// underflow floor / h, plus
  /// the Richardson estimate |D(h) - D(h/2)| above 1e-4 max(|rev|, |D(h/2)|). Otherwise |rev -
  /// D(h/2)| must be within 1e-3 max(|rev|, |D(h/2)|) + noise + |D(h) - D(h/2)|.
  std::string fd_check(const Graph& g, std::uint32_t i, double rev, double a, double floor,
                       Counts& counts) {
    const double eps = 0x1.0p-52;
    const double x = g.inputs[i];
    const double scale = std::fmax(1.0, std::abs(x));
    double step = 1e-5 * scale;
    std::array<std::pair<std::uint32_t, double>, 2> args{};
    for (const Node& n : g.nodes)
      for (int k = nonlinear_args(g, n, args); k-- > 0;) {
        const double slope = std::abs(duals_[args[static_cast<std::size_t>(k)].first].d);
        const double limit = 1e-3 * args[static_cast<std::size_t>(k)].second;
        if (!std::isfinite(slope))
          step = 0;
        else if (slope * step > limit)
          step = limit / slope;
      }
    const double h = (x + step) - x;
    if (!(h >= 1e-12 * scale)) {
      ++counts.fd_kink;
      return {};
    }
    // The step was chosen from first derivatives; check at x +- h that no
    // argument moved further than allowed (x0 / (c - x0^2) with tiny c has
    // slope 0 at x0 = 0 but moves its divisor by h^2 >> c).
    const std::array<double, 4> points = {x + h, x - h, x + h / 2, x - h / 2};
    std::array<double, 4> f{};
    double size = bound_[values.back().index()]; // and the rounding on the stencil
    for (std::size_t k = 0; k < points.size(); ++k) {
      f[k] = at_input(g, i, points[k]);
      if (k < 2 && !stays_smooth(g)) { // x +- h moves the arguments most
        ++counts.fd_kink;
        return {};
      }
      size = std::fmax(size, stencil_rounding(g));
    }
    const double d1 = (f[0] - f[1]) / (2 * h);
    const double d2 = (f[2] - f[3]) / h;
    for (const double y : f) size = std::fmax(size, std::abs(y));
    const double noise = 16 * eps * (size / h + a) + floor / h;
    const double trunc = std::abs(d1 - d2);
    const double m = std::fmax(std::abs(rev), std::abs(d2));
    if (d1 == d2 && d2 == rev) {
      ++counts.fd_checked;
      return {};
    }
    if (!std::isfinite(d1) || !std::isfinite(d2) || !(noise + trunc <= 1e-4 * m)) {
      ++counts.fd_noisy;
      return {};
    }
    ++counts.fd_checked;
    if (std::abs(rev - d2) <= 1e-3 * m + noise + trunc) return {};
    return fmt::format("d/dx{}: reverse {} but central differences {} (h {}: {}; noise {:g})", i,
                       rev, d2, h, d1, noise);
  }

  std::vector<double> vals_, fd_vals_, inputs_, scratch_, bound_, abs_grad_, tangent_;
  std::vector<check::Dual> duals_in_, duals_, retry_, dual_scratch_;
  std::vector<tapegrad::Value> value_scratch_;
  tapegrad::Tape stencil_tape_; ///< the graph at a stencil point, for stencil_rounding()
  std::vector<tapegrad::Value> stencil_values_;
  std::vector<double> weight_;
};

} // namespace fz
