// gradcheck(): compares backward()'s gradient of a function with central
// finite differences, the way PyTorch's torch.autograd.gradcheck does. Use it
// to test an operation of your own (Tape::push_operand + finish_node).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "tapegrad/tape.hpp"

namespace tapegrad {

/// What gradcheck() found.
struct GradCheck {
  std::vector<double> analytic; ///< d f/d x_i from backward()
  std::vector<double> numeric;  ///< (f(x + h e_i) - f(x - h e_i)) / 2h
  /// max over i of |analytic_i - numeric_i| / max(1, |numeric_i|)
  double max_error = 0.0;
  std::size_t worst = 0; ///< the i where max_error occurs
  bool ok = false;       ///< max_error <= the tolerance given
};

/// Checks the gradient of `f` at `point`. `f(Tape&, std::span<const Value>)`
/// must return a Value computed from the variables it is given; it is recorded
/// once for backward() and twice per input for the differences, each time on a
/// fresh tape. The step for input i is `step * max(1, |x_i|)`.
template <class F>
GradCheck gradcheck(F&& f, std::span<const double> point, double tolerance = 1e-6,
                    double step = 1e-6) {
  const auto evaluate = [&f](std::span<const double> x, std::vector<double>* grad) {
    Tape tape;
    std::vector<Value> vars;
    vars.reserve(x.size());
    for (const double xi : x) vars.push_back(tape.var(xi));
    const Value y = f(tape, std::span<const Value>(vars));
    if (grad != nullptr) {
      y.backward();
      for (const Value& v : vars) grad->push_back(v.grad());
    }
    return y.value();
  };

  GradCheck result;
  evaluate(point, &result.analytic);
  std::vector<double> x(point.begin(), point.end());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double h = step * std::max(1.0, std::abs(point[i]));
    x[i] = point[i] + h;
    const double up = evaluate(x, nullptr);
    x[i] = point[i] - h;
    const double down = evaluate(x, nullptr);
    x[i] = point[i];
    result.numeric.push_back((up - down) / (2 * h));
    const double error = std::abs(result.analytic[i] - result.numeric[i]) /
                         std::max(1.0, std::abs(result.numeric[i]));
    if (!(error <= result.max_error)) { // also catches NaN
      result.max_error = error;
      result.worst = i;
    }
  }
  result.ok = result.max_error <= tolerance;
  return result;
}

} // namespace tapegrad
