// Every operation's value and gradient, checked three ways at many points:
// against the double computation, forward-mode dual numbers, and central
// finite differences (tests/gradient_check.hpp).
#include <array>
#include <cmath>
#include <limits>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

#include "gradient_check.hpp"

using namespace tapegrad;
using check::check_gradient;

namespace {
// Generic callables: each runs with double, check::Dual and Value arguments.
using check::log_sigmoid, check::relu, check::sigmoid, check::softplus;
using std::abs, std::cos, std::exp, std::log, std::pow, std::sin, std::sqrt, std::tanh;
using tapegrad::abs, tapegrad::cos, tapegrad::exp, tapegrad::log, tapegrad::pow, tapegrad::sin,
    tapegrad::sqrt, tapegrad::tanh, tapegrad::relu, tapegrad::sigmoid, tapegrad::softplus,
    tapegrad::log_sigmoid;

const std::array<double, 9> any_x = {-7.5, -2.0, -0.9, -0.3, 0.001, 0.25, 1.0, 3.0, 12.0};
const std::array<double, 7> positive_x = {1e-3, 0.1, 0.5, 1.0, 2.5, 10.0, 1e3};
} // namespace

TEST_CASE("binary arithmetic of two Values matches finite differences and dual numbers") {
  const std::array<double, 6> xs = {-3.0, -0.7, 0.2, 0.5, 1.5, 40.0};
  for (const double a : xs)
    for (const double b : xs) {
      check_gradient([](auto x, auto y) { return x + y; }, std::array{a, b});
      check_gradient([](auto x, auto y) { return x - y; }, std::array{a, b});
      check_gradient([](auto x, auto y) { return x * y; }, std::array{a, b});
      check_gradient([](auto x, auto y) { return x / y; }, std::array{a, b});
    }
}

TEST_CASE("arithmetic with a double on either side matches finite differences") {
  for (const double a : any_x) {
    check_gradient([](auto x) { return x + 2.5; }, std::array{a});
    check_gradient([](auto x) { return 2.5 + x; }, std::array{a});
    check_gradient([](auto x) { return x - 2.5; }, std::array{a});
    check_gradient([](auto x) { return 2.5 - x; }, std::array{a});
    check_gradient([](auto x) { return x * -1.5; }, std::array{a});
    check_gradient([](auto x) { return -1.5 * x; }, std::array{a});
    check_gradient([](auto x) { return x / 4.0; }, std::array{a});
    check_gradient([](auto x) { return 4.0 / x; }, std::array{a});
    check_gradient([](auto x) { return -x; }, std::array{a});
  }
}

TEST_CASE("compound assignment records the same graph as the spelled-out operators") {
  for (const double a : any_x) {
    check_gradient(
        [](auto x) {
          auto y = x;
          y += x;   // 2x
          y *= x;   // 2x^2
          y -= 1.0; // 2x^2 - 1
          y /= 3.0;
          y += 0.5;
          y *= 2.0;
          y -= x;
          y /= x + 20.0;
          return y;
        },
        std::array{a});
  }
}

TEST_CASE("exp, sin, cos, tanh, sigmoid, softplus and log_sigmoid match at any point") {
  for (const double a : any_x) {
    check_gradient([](auto x) { return exp(x); }, std::array{a});
    check_gradient([](auto x) { return sin(x); }, std::array{a});
    check_gradient([](auto x) { return cos(x); }, std::array{a});
    check_gradient([](auto x) { return tanh(x); }, std::array{a});
    check_gradient([](auto x) { return sigmoid(x); }, std::array{a});
    check_gradient([](auto x) { return softplus(x); }, std::array{a});
    check_gradient([](auto x) { return log_sigmoid(x); }, std::array{a});
  }
}

TEST_CASE("log, sqrt and pow match on their domains") {
  for (const double a : positive_x) {
    check_gradient([](auto x) { return log(x); }, std::array{a});
    check_gradient([](auto x) { return sqrt(x); }, std::array{a});
    check_gradient([](auto x) { return pow(x, 3.0); }, std::array{a});
    check_gradient([](auto x) { return pow(x, -0.5); }, std::array{a});
    check_gradient([](auto x) { return pow(x, 2.7); }, std::array{a});
    check_gradient([](auto x) { return pow(2.0, x); }, std::array{a});
    check_gradient([](auto x, auto y) { return pow(x, y); }, std::array{a, 1.3});
    check_gradient([](auto x, auto y) { return pow(y, x); }, std::array{a, 0.8});
  }
  SUBCASE("integer powers of negative numbers") {
    for (const double a : {-3.0, -1.0, -0.25})
      check_gradient([](auto x) { return pow(x, 3.0); }, std::array{a});
  }
}

TEST_CASE("relu and abs take the right branch on each side of the kink") {
  for (const double a : {-5.0, -1e-3, 1e-3, 0.5, 8.0}) {
    check_gradient([](auto x) { return relu(x); }, std::array{a});
    check_gradient([](auto x) { return abs(x); }, std::array{a});
  }
  SUBCASE("at exactly 0 the derivative is 0, as in PyTorch") {
    Tape tape;
    const Value x = tape.var(0.0);
    relu(x).backward();
    CHECK(x.grad() == 0.0);
    abs(x).backward();
    CHECK(x.grad() == 0.0);
  }
}

TEST_CASE("sigmoid and tanh stay finite and accurate far from 0") {
  Tape tape;
  for (const double a : {-1e4, -745.0, -40.0, 40.0, 745.0, 1e4}) {
    CAPTURE(a);
    const Value x = tape.var(a);
    const Value s = sigmoid(x);
    s.backward();
    CHECK(std::isfinite(s.value()));
    CHECK(std::isfinite(x.grad()));
    CHECK(x.grad() >= 0.0);
    // sigmoid'(a) = e^-|a| / (1 + e^-|a|)^2, which is e^-|a| to double precision here.
    CHECK(check::close(x.grad(), std::exp(-std::abs(a)), 1e-15));
    const Value t = tanh(x);
    t.backward();
    CHECK(std::abs(t.value()) == 1.0);
    CHECK(std::isfinite(x.grad()));
    CHECK(x.grad() >= 0.0);
  }
  SUBCASE("sigmoid'(40) is e^-40, not 0 (1 - s would round to 0)") {
    const Value x = tape.var(40.0);
    sigmoid(x).backward();
    CHECK(x.grad() == doctest::Approx(std::exp(-40.0)).epsilon(1e-14));
  }
  SUBCASE("tanh'(20) = 1/cosh^2(20), not 0") {
    const Value x = tape.var(20.0);
    tanh(x).backward();
    CHECK(x.grad() == doctest::Approx(1.0 / (std::cosh(20.0) * std::cosh(20.0))).epsilon(1e-14));
  }
  SUBCASE("log_sigmoid and softplus stay finite for |x| up to 1e4") {
    for (const double a : {-1e4, 1e4}) {
      const Value x = tape.var(a);
      const Value l = log_sigmoid(x);
      l.backward();
      CHECK(l.value() == doctest::Approx(a < 0 ? a : 0.0));
      CHECK(x.grad() == doctest::Approx(a < 0 ? 1.0 : 0.0));
    }
  }
}

TEST_CASE("domain edges follow IEEE arithmetic") {
  Tape tape;
  const double inf = std::numeric_limits<double>::infinity();
  SUBCASE("log(0) = -inf, with derivative +inf") {
    const Value x = tape.var(0.0);
    const Value y = log(x);
    CHECK(y.value() == -inf);
    y.backward();
    CHECK(x.grad() == inf);
  }
  SUBCASE("log of a negative number is NaN") { CHECK(std::isnan(log(tape.var(-1.0)).value())); }
  SUBCASE("sqrt'(0) = inf") {
    const Value x = tape.var(0.0);
    sqrt(x).backward();
    CHECK(x.grad() == inf);
  }
  SUBCASE("a negative base with a fractional exponent is NaN") {
    CHECK(std::isnan(pow(tape.var(-8.0), 1.0 / 3.0).value()));
  }
  SUBCASE("x^0 = 1 with derivative 0, even at x = 0") {
    const Value x = tape.var(0.0);
    const Value y = pow(x, 0.0);
    y.backward();
    CHECK(y.value() == 1.0);
    CHECK(x.grad() == 0.0);
  }
}

TEST_CASE("sum and dot record one node with the right partials") {
  Tape tape;
  const Value a = tape.var(1.5), b = tape.var(-2.0), c = tape.var(0.25);
  const std::array<Value, 3> abc = {a, b, c};

  SUBCASE("sum") {
    const Value s = sum(abc);
    CHECK(s.value() == -0.25);
    CHECK(tape.size() == 4);
    s.backward();
    CHECK((a.grad() == 1.0 && b.grad() == 1.0 && c.grad() == 1.0));
  }
  SUBCASE("dot with constant inputs: d/dw_i = x_i, d/dbias = 1") {
    const std::array<Value, 2> w = {a, b};
    const std::array<double, 2> x = {2.0, 3.0};
    const Value y = dot(w, x, c);
    CHECK(y.value() == 1.5 * 2.0 - 2.0 * 3.0 + 0.25);
    CHECK(tape.size() == 4);
    y.backward();
    CHECK(a.grad() == 2.0);
    CHECK(b.grad() == 3.0);
    CHECK(c.grad() == 1.0);
  }
  SUBCASE("dot with Value inputs matches the spelled-out expression") {
    check_gradient(
        [](auto w0, auto w1, auto x0, auto x1, auto bias) {
          if constexpr (std::is_same_v<decltype(w0), Value>) {
            const std::array<Value, 2> w = {w0, w1}, x = {x0, x1};
            return dot(w, x, bias);
          } else {
            return bias + w0 * x0 + w1 * x1;
          }
        },
        std::array{0.3, -1.2, 2.0, 0.7, 0.1});
  }
  SUBCASE("mismatched lengths are an error; an empty sum is the constant 0") {
    const std::array<Value, 2> w = {a, b};
    const std::array<double, 3> x = {1.0, 2.0, 3.0};
    CHECK_THROWS_WITH_AS(dot(w, x, c), doctest::Contains("2 weights but 3 inputs"), Error);
    const Value none = sum(std::span<const Value>{});
    CHECK(none.is_constant());
    CHECK(none.value() == 0.0);
  }
}

TEST_CASE("a long expression mixing every operation matches both oracles") {
  for (const double a : {0.3, 1.7})
    for (const double b : {-0.4, 2.2})
      check_gradient(
          [](auto x, auto y) {
            auto z = x * y + 3.0 / (1.0 + x * x) - exp(-y) * sin(x);
            z += tanh(z) * sigmoid(y - x) + log(1.0 + x * x) + sqrt(x + 2.0);
            z *= 0.5 - cos(y) / 3.0;
            return pow(z * z + 1.0, 0.75) - relu(y) + abs(x - y) + softplus(z) / 2.0;
          },
          std::array{a, b});
}
