// The C library's functions (erf ... trunc, atan2, hypot, fmin, fmax) in the
// differential fuzzer: where the generator steers their arguments (tails,
// poles, domain edges, next to steps and ties), where their value jumps (such
// nodes are not kept), and the scale on which each is nonlinear (how far
// finite differences may move its arguments). The other ops' rules stay in
// fuzz_generator.hpp and fuzz_check.hpp.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"

namespace fz::functions {

/// Where to steer an argument: near `value`, if it lands in [lo, hi].
struct Target {
  double value, lo, hi;
};

/// The target for the first argument u of kind k, or none for the other ops.
/// R is fz::Random.
template <class R> std::optional<Target> steer_target(R& r, Kind k, double u) {
  const double sign = r.one_in(2) ? 1.0 : -1.0;
  switch (k) {
  case Kind::erf:
  case Kind::erfc:
  case Kind::normal_cdf: // the tails: erfc(27) and Φ(-38) are subnormal
    return Target{sign * r.pick(std::array{3.0, 10.0, 26.0, 30.0, 38.0}), -39, 39};
  case Kind::log1p: // next to -1, and next to 0 where log(1 + x) would lose digits
    return r.one_in(2) ? Target{-1 + r.pick(std::array{1e-12, 1e-6, 1e-3}), -1, -0.99}
                       : Target{sign * r.pick(std::array{1e-300, 1e-12}), -1e-11, 1e-11};
  case Kind::expm1: return Target{sign * r.pick(std::array{1e-300, 1e-12, 20.0, 300.0}), -301, 301};
  case Kind::exp2:
  case Kind::sinh:
  case Kind::cosh: return Target{sign * r.pick(std::array{20.0, 300.0, 490.0}), -491, 491};
  case Kind::log2:
  case Kind::log10:
    return Target{r.pick(std::array{1e-300, 1e-30, 1e-12, 1e-6, 1e-3}), 1e-301, 1e-2};
  case Kind::cbrt: return Target{sign * r.pick(std::array{1e-300, 1e-12, 1e-3}), -1e-2, 1e-2};
  case Kind::tan: // next to the pole at π/2
    return Target{sign * (1.5707963267948966 - r.pick(std::array{1e-3, 1e-6, 1e-9})), -2, 2};
  case Kind::asin:
  case Kind::acos:
  case Kind::atanh: // next to ±1
    return Target{sign * (1 - r.pick(std::array{1e-12, 1e-6, 1e-3, 0.5})), -1, 1};
  case Kind::acosh: return Target{1 + r.pick(std::array{1e-12, 1e-6, 1e-3, 1e3}), 1, 1002};
  case Kind::atan:
  case Kind::asinh: return Target{sign * r.pick(std::array{1e3, 1e10, 1e100}), -2e100, 2e100};
  case Kind::atan2: // y next to 0: next to the origin, or to the cut where x < 0
  case Kind::hypot:
    return Target{sign * r.pick(std::array{0.0, 1e-300, 1e-12, 1e-6, 1e-3}), -1e-2, 1e-2};
  case Kind::floor:
  case Kind::ceil:
  case Kind::round:
  case Kind::trunc: { // next to a step (on it is on_a_jump)
    const double step = std::round(2 * u) / 2;
    return Target{step + sign * r.pick(std::array{1e-5, 1e-3, 0.1}), -1e150, 1e150};
  }
  default: return std::nullopt;
  }
}

/// Whether the argument of a node of kind k (operands a, values vals) is
/// within rounding of where its value jumps (a step of floor, ceil, trunc or
/// round; atan2's cut along the negative x axis) or of a tie of fmin or fmax
/// between two different operands. The three evaluations may round that
/// argument differently by an ulp or two (a / c is a * (1/c) on the tape),
/// which there changes the value or the derivative by O(1): the unit tests
/// check those points instead.
inline bool on_a_jump(Kind k, std::span<const std::uint32_t> a, const std::vector<double>& vals) {
  const double u = vals[a[0]];
  const double near = 1e-6 * std::fmax(1.0, std::abs(u));
  switch (k) {
  case Kind::floor:
  case Kind::ceil:
  case Kind::trunc: return std::abs(u - std::round(u)) <= near;
  case Kind::round: return std::abs(std::abs(u - std::trunc(u)) - 0.5) <= near;
  case Kind::atan2: return vals[a[1]] < 0 && std::abs(u) <= 1e-6 * std::abs(vals[a[1]]);
  case Kind::fmin:
  case Kind::fmax:
    return a[0] != a[1] && std::abs(u - vals[a[1]]) <= 1e-6 * std::fmax(1.0, std::abs(u));
  default: return false;
  }
}

/// For fz::Checker::nonlinear_args: the arguments of a node of kind k that
/// finite differences must not move far, each with its scale: 1 for expm1,
/// exp2, sinh, cosh, atan, asinh; 1/max(1, |u|) for erf, erfc, normal_cdf
/// (e^(-u²) changes on that scale); the distance to the domain edge, pole,
/// step (or half, for round), the origin (and atan2's cut) or the tie for
/// the others. Returns how many (0 for the other ops).
inline int nonlinear_args(Kind k, std::span<const std::uint32_t> a, const std::vector<double>& vals,
                          std::array<std::pair<std::uint32_t, double>, 2>& out) {
  const auto dist = [&](std::uint32_t id) { return std::abs(vals[id]); };
  switch (k) {
  case Kind::expm1:
  case Kind::exp2:
  case Kind::sinh:
  case Kind::cosh:
  case Kind::atan:
  case Kind::asinh: out[0] = {a[0], 1.0}; return 1;
  case Kind::erf: // e^(-u²) changes on a scale of 1/|u| far out
  case Kind::erfc:
  case Kind::normal_cdf: out[0] = {a[0], 1 / std::fmax(1.0, dist(a[0]))}; return 1;
  case Kind::log2:
  case Kind::log10:
  case Kind::cbrt: out[0] = {a[0], dist(a[0])}; return 1;
  case Kind::log1p: out[0] = {a[0], std::abs(1 + vals[a[0]])}; return 1;
  case Kind::asin:
  case Kind::acos:
  case Kind::atanh: out[0] = {a[0], 1 - dist(a[0])}; return 1;
  case Kind::acosh: out[0] = {a[0], vals[a[0]] - 1}; return 1;
  case Kind::tan: out[0] = {a[0], std::abs(std::cos(vals[a[0]]))}; return 1; // to the pole
  case Kind::floor: // to the nearest step (and round's halves)
  case Kind::ceil:
  case Kind::round:
  case Kind::trunc:
    out[0] = {a[0], std::abs(vals[a[0]] - std::round(2 * vals[a[0]]) / 2)};
    return 1;
  case Kind::atan2: { // to the origin, and to the cut along the negative x axis
    const double origin = std::hypot(vals[a[0]], vals[a[1]]);
    out[0] = {a[0], vals[a[1]] < 0 ? std::fmin(dist(a[0]), origin) : origin};
    out[1] = {a[1], origin};
    return 2;
  }
  case Kind::hypot: {
    const double origin = std::hypot(vals[a[0]], vals[a[1]]);
    out[0] = {a[0], origin};
    out[1] = {a[1], origin};
    return 2;
  }
  case Kind::fmin: // to the tie
  case Kind::fmax: {
    const double tie = std::abs(vals[a[0]] - vals[a[1]]);
    out[0] = {a[0], tie};
    out[1] = {a[1], tie};
    return 2;
  }
  default: return 0;
  }
}

} // namespace fz::functions
