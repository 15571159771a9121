// chain: f(x) = sum_i log(1 + exp(x_i x_(i+1))) sigmoid(x_i) over n = 10^6
// inputs, and its full gradient, on tapegrad.
// The benchmarks themselves are vector_workload.cpp's.
#include <span>

#include <tapegrad/autodiff.hpp>

#include "problems.hpp"
#include "vector_workload.hpp"
#include "workloads.hpp"

namespace bench {

namespace {
using tapegrad::Value;

/// f(x) recorded on x's tape, written as a user would.
Value chain_on_tape(std::span<const Value> x) {
  Value f = log(1.0 + exp(x[0] * x[1])) * sigmoid(x[0]);
  for (std::size_t i = 1; i + 1 < x.size(); ++i)
    f += log(1.0 + exp(x[i] * x[i + 1])) * sigmoid(x[i]);
  return f;
}

const VectorWorkload workload{"chain", chain_inputs, chain_on_tape, chain_primal, chain_gradient};
} // namespace

bool verify_chain() { return verify_vector_workload(workload); }

void register_chain() { register_vector_workload(workload); }

double run_chain(std::size_t steps) { return run_vector_workload(workload, steps); }

} // namespace bench
