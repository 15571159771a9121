// chain_literal: chain's f(x) = sum_i log(1 + exp(x_i x_(i+1))) sigmoid(x_i),
// n = 10^6, with the sigmoid written out as 1 / (1 + exp(-x_i)), the way the
// seed and the issue-13 comparison write it: only scalar operators, exp and
// log. Same inputs, primal and hand gradient as chain; the benchmarks
// themselves are vector_workload.cpp's.
#include <span>

#include <tapegrad/autodiff.hpp>

#include "problems.hpp"
#include "vector_workload.hpp"
#include "workloads.hpp"

namespace bench {

namespace {
using tapegrad::Value;

/// One term log(1 + exp(a b)) / (1 + exp(-a)), written literally.
Value literal_term(Value a, Value b) { return log(1.0 + exp(a * b)) * (1.0 / (1.0 + exp(-a))); }

/// f(x) recorded on x's tape.
Value chain_literal_on_tape(std::span<const Value> x) {
  Value f = literal_term(x[0], x[1]);
  for (std::size_t i = 1; i + 1 < x.size(); ++i) f = f + literal_term(x[i], x[i + 1]);
  return f;
}

const VectorWorkload workload{"chain_literal", chain_inputs, chain_literal_on_tape, chain_primal,
                              chain_gradient};
} // namespace

bool verify_chain_literal() { return verify_vector_workload(workload); }

void register_chain_literal() { register_vector_workload(workload); }

double run_chain_literal(std::size_t steps) { return run_vector_workload(workload, steps); }

} // namespace bench
