// poly: the n-dimensional Rosenbrock function, multiply-add heavy, n = 10^6:
// f(x) = sum_i 100 (x_(i+1) - x_i^2)^2 + (1 - x_i)^2, and its full gradient, on
// tapegrad. The benchmarks themselves are vector_workload.cpp's.
#include <span>

#include <tapegrad/autodiff.hpp>

#include "problems.hpp"
#include "vector_workload.hpp"
#include "workloads.hpp"

namespace bench {

namespace {
using tapegrad::Value;

/// One term 100 (b - a^2)^2 + (1 - a)^2, written as a user would.
Value rosenbrock_term(Value a, Value b) {
  const Value d = b - a * a, e = 1.0 - a;
  return 100.0 * (d * d) + e * e;
}

/// f(x) recorded on x's tape.
Value poly_on_tape(std::span<const Value> x) {
  Value f = rosenbrock_term(x[0], x[1]);
  for (std::size_t i = 1; i + 1 < x.size(); ++i) f += rosenbrock_term(x[i], x[i + 1]);
  return f;
}

const VectorWorkload workload{"poly", poly_inputs, poly_on_tape, poly_primal, poly_gradient};
} // namespace

bool verify_poly() { return verify_vector_workload(workload); }

void register_poly() { register_vector_workload(workload); }

double run_poly(std::size_t steps) { return run_vector_workload(workload, steps); }

} // namespace bench
