// What chain and poly share: a scalar function of n = 10^6 inputs and its
// full gradient. A VectorWorkload names the function in its three forms
// (recorded on a tape, plain doubles, the hand-derived gradient); the
// benchmarks and the start-up check are written once, here and in
// vector_workload.cpp.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <tapegrad/autodiff.hpp>

namespace bench {

struct VectorWorkload {
  std::string name; ///< "chain", "poly": the benchmarks are "<name>/<kind>"
  std::vector<double> (*inputs)(std::size_t n);
  /// f(x) recorded on x's tape, written as a user would.
  tapegrad::Value (*on_tape)(std::span<const tapegrad::Value> x);
  double (*primal)(std::span<const double> x);
  void (*gradient)(std::span<const double> x, std::span<double> g);
};

/// Checks the tape's value and gradient against the plain-double ones.
bool verify_vector_workload(const VectorWorkload& w);
/// Registers <name>/primal, /gradient, /record, /reverse and /tape_traffic.
void register_vector_workload(const VectorWorkload& w);
/// `steps` gradient steps as in <name>/gradient, untimed; returns sum of df/dx_0.
double run_vector_workload(const VectorWorkload& w, std::size_t steps);

} // namespace bench
