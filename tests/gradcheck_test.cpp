// gradcheck(): passes for correct gradients, and catches a custom operation
// whose recorded partial is wrong.
#include <array>
#include <cmath>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;

namespace {
/// A user-defined op: cube(a) = a^3, with d/da = 3a^2 (or a wrong partial).
Value cube(Value a, bool correct) {
  const double x = a.value();
  a.tape().push_operand(a, correct ? 3 * x * x : 2 * x * x);
  return a.tape().finish_node(Op::pow_c, x * x * x);
}
} // namespace

TEST_CASE("gradcheck passes for the engine's operations") {
  const std::array<double, 3> point = {0.3, -1.2, 2.0};
  const GradCheck result = gradcheck(
      [](Tape&, std::span<const Value> x) { return tanh(x[0] * x[1]) + exp(x[2]) / (1 + x[0]); },
      point);
  CHECK(result.ok);
  CHECK(result.max_error < 1e-7);
  REQUIRE(result.analytic.size() == 3);
  // d/dx2 = e^x2 / (1 + x0)
  CHECK(result.analytic[2] == doctest::Approx(std::exp(2.0) / 1.3).epsilon(1e-14));
}

TEST_CASE("gradcheck catches a custom op with a wrong partial") {
  const std::array<double, 1> point = {1.5};
  const auto right =
      gradcheck([](Tape&, std::span<const Value> x) { return cube(x[0], true); }, point);
  const auto wrong =
      gradcheck([](Tape&, std::span<const Value> x) { return cube(x[0], false); }, point);
  CHECK(right.ok);
  CHECK_FALSE(wrong.ok);
  CHECK(wrong.worst == 0);
  CHECK(wrong.analytic[0] == doctest::Approx(2 * 1.5 * 1.5));
  CHECK(wrong.numeric[0] == doctest::Approx(3 * 1.5 * 1.5).epsilon(1e-6));
}
