// The differential fuzzer's second-order check: the Hessian hessian_on() gives
// for a random graph against the graph evaluated on hyper-duals
// (fuzz_hyper_dual.hpp), one evaluation per pair of inputs.
//
// Second derivatives magnify rounding more than first ones, and the generator
// aims at tails, poles and cancellations, so a graph is compared only where
// the comparison means something: every node's value below 1e12 and its
// hyper-dual parts below 1e8 in magnitude, and so its adjoint (else cancellations between huge
// terms leave both sides with noise: t - t passing back ±1e17 absorbs t's own
// adjoint, in backward() too), and an oracle that stays put when the inputs move by
// 1e-11 of themselves (else the point is ill-conditioned at rounding scale:
// next to a domain edge, the engine's and the oracle's equally right roundings
// differ). The unit tests (second_order_test.cpp) check those places by hand.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>

#include "fuzz_support.hpp"

namespace fz {

struct SecondOrderCounts {
  std::uint64_t graphs = 0, entries = 0;
  std::uint64_t not_finite = 0; ///< graphs skipped: a value, the oracle or the engine not finite
  std::uint64_t far =
      0; ///< skipped: some node's value or derivatives beyond 1e12 (values) or 1e8 (derivatives)
  std::uint64_t noisy = 0; ///< skipped: the oracle moves with the inputs' last bits
};

class SecondOrderChecker {
public:
  /// "" when the engine's Hessian agrees with the hyper-duals' for graph g
  /// (each entry within 1e-6 of the oracle, relative to the larger of the
  /// entry and 1e-3 of the Hessian's largest), else what differs.
  std::string check(const Graph& g, SecondOrderCounts& c) {
    ++c.graphs;
    const std::size_t n = g.inputs.size();
    tape_.clear();
    inputs_.clear();
    for (const double x : g.inputs) inputs_.push_back(tape_.var(x));
    evaluate<tapegrad::Value>(g, inputs_, values_, value_scratch_);
    for (const tapegrad::Value& v : values_)
      if (!std::isfinite(v.value())) return skip(c);
    const std::vector<double> h = tapegrad::hessian_on(tape_, values_.back(), inputs_);
    tape_.backward(values_.back()); // adjoints beyond 1e8 absorb small ones as they add up
    for (tapegrad::Index i = 0; i < tape_.size(); ++i)
      if (!(std::abs(tape_.grad(i)) < 1e8)) {
        ++c.far;
        return {};
      }
    oracle_.assign(n * n, 0.0);
    double largest = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i; j < n; ++j) {
        seeds_.assign(n, check::HD{});
        for (std::size_t k = 0; k < n; ++k)
          seeds_[k] = {g.inputs[k], k == i ? 1.0 : 0.0, k == j ? 1.0 : 0.0, 0.0};
        evaluate<check::HD>(g, seeds_, hd_values_, hd_scratch_);
        const double o = hd_values_.back().d12;
        if (!std::isfinite(o) || !std::isfinite(h[i * n + j])) return skip(c);
        for (const check::HD& v : hd_values_)
          if (!(std::abs(v.v) < 1e12 && std::abs(v.d1) < 1e8 && std::abs(v.d2) < 1e8 &&
                std::abs(v.d12) < 1e8)) {
            ++c.far;
            return {};
          }
        for (const double shift : {1e-11, -1e-11}) {
          for (std::size_t k = 0; k < n; ++k) seeds_[k].v = g.inputs[k] * (1 + shift);
          evaluate<check::HD>(g, seeds_, hd_values_, hd_scratch_);
          const double moved = hd_values_.back().d12;
          if (!(std::abs(moved - o) <= 1e-8 * std::max(1.0, std::abs(o)))) {
            ++c.noisy;
            return {};
          }
        }
        oracle_[i * n + j] = oracle_[j * n + i] = o;
        largest = std::max(largest, std::abs(o));
      }
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        ++c.entries;
        const double e = h[i * n + j], o = oracle_[i * n + j];
        if (std::abs(e - o) > 1e-6 * std::max(std::abs(o), 1e-3 * largest) + 1e-10)
          return fmt::format("H[{}][{}] = {:.17g} but the hyper-duals give {:.17g}", i, j, e, o);
      }
    return {};
  }

private:
  static std::string skip(SecondOrderCounts& c) {
    ++c.not_finite;
    return {};
  }
  tapegrad::Tape tape_;
  std::vector<tapegrad::Value> inputs_, values_, value_scratch_;
  std::vector<check::HD> seeds_, hd_values_, hd_scratch_;
  std::vector<double> oracle_;
};

} // namespace fz
