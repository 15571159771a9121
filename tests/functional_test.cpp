// gradient, hessian, hvp and jacobian of a function at a point, and the *_on
// sweeps over a recorded tape: closed forms, consistency, misuse.
#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;

namespace {

/// Rosenbrock's function (1 - x)² + 100 (y - x²)², squares written with pow.
Value rosenbrock(std::span<const Value> v) {
  return pow(1.0 - v[0], 2.0) + 100.0 * pow(v[1] - v[0] * v[0], 2.0);
}
/// The same, squares as products (their second derivative is known at 0 too).
Value rosenbrock_products(std::span<const Value> v) {
  const Value a = 1.0 - v[0], b = v[1] - v[0] * v[0];
  return a * a + 100.0 * b * b;
}

/// The seed homework's loss as a function of (w1, b1, w2, b2), x = 0.5, y = 1.
Value seed_loss(std::span<const Value> p) {
  const double x = 0.5, y = 1.0;
  const Value a1 = sigmoid(p[0] * x + p[1]);
  const Value y_hat = sigmoid(p[2] * a1 + p[3]);
  return -(y * log(y_hat) + (1 - y) * log(1 - y_hat));
}

double s(double z) { return 1.0 / (1.0 + std::exp(-z)); }

} // namespace

TEST_CASE("gradient() equals backward()'s gradient") {
  const std::vector<double> p = {0.2, 0.1, 0.4, 0.2};
  const std::vector<double> g = gradient(seed_loss, p);
  Tape tape;
  std::vector<Value> in;
  for (const double pi : p) in.push_back(tape.var(pi));
  seed_loss(in).backward();
  for (std::size_t i = 0; i < p.size(); ++i) CHECK(g[i] == in[i].grad());
  CHECK(g[2] == doctest::Approx(-0.218027).epsilon(1e-6)); // the seed's dL/dw2
}

TEST_CASE("Rosenbrock's Hessian is its closed form") {
  // H = [[2 - 400 (y - x²) + 800 x², -400 x], [-400 x, 200]]
  const auto closed = [](double x, double y) {
    return std::vector<double>{2 - 400 * (y - x * x) + 800 * x * x, -400 * x, -400 * x, 200};
  };
  for (const auto& [x, y] : {std::pair{-1.2, 1.0}, {0.5, 0.5}, {2.0, -1.0}, {0.3, 0.09 + 1e-3}}) {
    const std::vector<double> h = hessian(rosenbrock, std::vector{x, y});
    const std::vector<double> expected = closed(x, y);
    for (std::size_t k = 0; k < 4; ++k) CHECK(h[k] == doctest::Approx(expected[k]).epsilon(1e-12));
  }
  // At the minimum (1, 1) both squares are of 0: written as products, exact.
  CHECK(hessian(rosenbrock_products, std::vector{1.0, 1.0}) ==
        std::vector<double>{802, -400, -400, 200});
  CHECK(gradient(rosenbrock_products, std::vector{1.0, 1.0}) == std::vector<double>{0, 0});
}

TEST_CASE("the seed loss's second derivative in w2 is y_hat (1 - y_hat) a1^2") {
  // L = -ln ŷ (y = 1), ŷ = s(z2), z2 = w2 a1 + b2, a1 = s(w1 x + b1).
  // dL/dz2 = ŷ - 1, so dL/dw2 = (ŷ - 1) a1, and a1 does not depend on w2:
  // d²L/dw2² = a1 dŷ/dw2 = a1 · ŷ(1 - ŷ) · a1 = ŷ(1 - ŷ) a1².
  // Likewise d²L/db2² = ŷ(1 - ŷ) and d²L/dw2 db2 = ŷ(1 - ŷ) a1.
  const std::vector<double> p = {0.2, 0.1, 0.4, 0.2};
  const double a1 = s(0.2 * 0.5 + 0.1), y_hat = s(0.4 * a1 + 0.2);
  const double curvature = y_hat * (1 - y_hat);
  const std::vector<double> h = hessian(seed_loss, p);
  CHECK(h[2 * 4 + 2] == doctest::Approx(curvature * a1 * a1).epsilon(1e-13));
  CHECK(h[2 * 4 + 2] == doctest::Approx(0.0723429).epsilon(1e-6));
  CHECK(h[3 * 4 + 3] == doctest::Approx(curvature).epsilon(1e-13));
  CHECK(h[2 * 4 + 3] == doctest::Approx(curvature * a1).epsilon(1e-13));
}

TEST_CASE("Hessians are symmetric, and hvp() is hessian() times v") {
  const auto f = [](std::span<const Value> v) {
    return exp(v[0] * v[1]) * sin(v[2]) + log(1.0 + v[3] * v[3]) * v[0] / (2.0 + cos(v[1])) +
           tanh(v[2] - v[3]) * softplus(v[0]);
  };
  const std::vector<double> x = {0.3, -0.8, 1.1, 0.4}, v = {1.0, -2.0, 0.5, 3.0};
  const std::vector<double> h = hessian(f, x), hv = hvp(f, x, v);
  for (std::size_t i = 0; i < 4; ++i) {
    double row = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      CHECK(h[i * 4 + j] == h[j * 4 + i]);
      row += h[i * 4 + j] * v[j];
    }
    CHECK(hv[i] == doctest::Approx(row).epsilon(1e-12));
  }
}

TEST_CASE("hvp() along a 3000-node chain matches central differences of the gradient") {
  const auto chain = [](std::span<const Value> v) {
    Value z = v[0];
    for (int k = 0; k < 1000; ++k) z = tanh(z * v[1] + v[2]) + 0.01 * sin(z);
    return z * z;
  };
  const std::vector<double> x = {0.4, 0.9, 0.3}, v = {0.7, -0.2, 1.1};
  const std::vector<double> hv = hvp(chain, x, v);
  const double h = 1e-5;
  std::vector<double> plus = x, minus = x;
  for (std::size_t i = 0; i < 3; ++i) {
    plus[i] += h * v[i];
    minus[i] -= h * v[i];
  }
  const std::vector<double> gp = gradient(chain, plus), gm = gradient(chain, minus);
  for (std::size_t i = 0; i < 3; ++i)
    CHECK(hv[i] == doctest::Approx((gp[i] - gm[i]) / (2 * h)).epsilon(1e-6));
}

TEST_CASE("jacobian() of a vector function is its closed form, forward and reverse") {
  // F(x, y) = (x y, sin x, x² + e^y): 3 outputs, 2 inputs (forward sweeps)
  const auto f = [](std::span<const Value> v) {
    return std::vector<Value>{v[0] * v[1], sin(v[0]), v[0] * v[0] + exp(v[1])};
  };
  const double x = 0.7, y = -0.4;
  const std::vector<double> j = jacobian(f, std::vector{x, y});
  const std::vector<double> expected = {y, x, std::cos(x), 0, 2 * x, std::exp(y)};
  REQUIRE(j.size() == 6);
  for (std::size_t k = 0; k < 6; ++k) CHECK(j[k] == doctest::Approx(expected[k]).epsilon(1e-15));
  // G(a, b, c) = (a b c, a + 2): 2 outputs, 3 inputs (reverse sweeps); a constant row
  const auto g = [](std::span<const Value> v) {
    return std::vector<Value>{v[0] * v[1] * v[2], v[0] + 2.0, Value(5.0)};
  };
  const std::vector<double> jg = jacobian(g, std::vector{2.0, 3.0, 4.0});
  CHECK(jg == std::vector<double>{12, 8, 6, 1, 0, 0, 0, 0, 0});
}

TEST_CASE("a constant result has gradient, Hessian and Jacobian 0") {
  const auto f = [](std::span<const Value>) { return Value(3.0); };
  CHECK(gradient(f, std::vector{1.0, 2.0}) == std::vector<double>{0, 0});
  CHECK(hessian(f, std::vector{1.0, 2.0}) == std::vector<double>(4, 0.0));
  CHECK(hvp(f, std::vector{1.0}, std::vector{1.0}) == std::vector<double>{0});
  // and an input that the result ignores has a row and column of 0
  const auto g = [](std::span<const Value> v) { return v[0] * v[0]; };
  CHECK(hessian(g, std::vector{3.0, 1.0}) == std::vector<double>{2, 0, 0, 0});
}

TEST_CASE("misuse of the functional API throws a clear Error and leaves nothing behind") {
  const std::vector<double> x = {1.0, 2.0};
  SUBCASE("f returns an empty Value") {
    const auto f = [](std::span<const Value>) { return Value(); };
    CHECK_THROWS_WITH_AS(gradient(f, x), doctest::Contains("empty"), Error);
    CHECK_THROWS_AS(hessian(f, x), Error);
    CHECK_THROWS_AS(hvp(f, x, x), Error);
  }
  SUBCASE("f returns a Value of another tape") {
    Tape other;
    const Value outside = other.var(1.0);
    const auto f = [&](std::span<const Value> v) { return outside + 0.0 * v[0]; };
    CHECK_THROWS_AS(gradient(f, x), Error); // the sum mixes two tapes
    const auto g = [&](std::span<const Value>) { return outside * 2.0; };
    CHECK_THROWS_WITH_AS(hessian(g, x), doctest::Contains("another Tape"), Error);
    CHECK(other.size() == 2); // outside, and g's product: nothing else
  }
  SUBCASE("F returns nothing") {
    const auto f = [](std::span<const Value>) { return std::vector<Value>{}; };
    CHECK_THROWS_WITH_AS(jacobian(f, x), doctest::Contains("no outputs"), Error);
  }
  SUBCASE("x and v of different lengths") {
    const auto f = [](std::span<const Value> v) { return v[0] * v[1]; };
    CHECK_THROWS_WITH_AS(hvp(f, x, std::vector{1.0}), doctest::Contains("same length"), Error);
  }
  SUBCASE("f throws: the user's exception passes through") {
    const auto f = [](std::span<const Value>) -> Value { throw std::logic_error("mine"); };
    CHECK_THROWS_WITH_AS(hessian(f, x), "mine", std::logic_error);
    CHECK_THROWS_AS(gradient(f, x), std::logic_error);
  }
}

TEST_CASE("the *_on sweeps read a recorded tape and leave its gradients alone") {
  Tape tape;
  const Value a = tape.var(0.5, "a"), b = tape.var(-1.5, "b");
  const Value out = a * a * b + sin(b);
  out.backward();
  const double grad_a = a.grad();
  const std::vector<Value> in = {a, b};
  CHECK(gradient_on(tape, out, in) == std::vector<double>{2 * 0.5 * -1.5, 0.25 + std::cos(-1.5)});
  const std::vector<double> h = hessian_on(tape, out, in);
  CHECK(h[0] == doctest::Approx(-3.0));
  CHECK(h[1] == doctest::Approx(1.0));
  CHECK(h[3] == doctest::Approx(-std::sin(-1.5)));
  CHECK(hvp_on(tape, out, in, std::vector{1.0, 0.0})[0] == doctest::Approx(-3.0));
  CHECK(a.grad() == grad_a);
  CHECK_THROWS_WITH_AS(hvp_on(tape, out, std::vector<Value>{a * b}, std::vector{1.0}),
                       doctest::Contains("not a leaf"), Error);
  CHECK_THROWS_AS(hvp_on(tape, out, in, std::vector{1.0}), Error);
}

TEST_CASE("a node recorded by hand with an op its rule cannot read throws, never guesses") {
  Tape tape;
  const Value a = tape.var(2.0), b = tape.var(3.0);
  tape.push_operand(a, 1.0);
  tape.push_operand(b, 1.0);
  const Value odd = tape.finish_node(Op::exp, 7.0); // exp of two operands
  const std::vector<Value> in = {a, b};
  CHECK_THROWS_WITH_AS(hessian_on(tape, odd, in), doctest::Contains("by hand"), Error);
  // an operation of one's own has no second derivative rule: refused
  const Op softsign = tape.define_op("softsign");
  tape.push_operand(a, 1.0 / 9.0);
  const Value own = tape.finish_node(softsign, 2.0 / 3.0);
  CHECK_THROWS_WITH_AS(hessian_on(tape, own * own, in), doctest::Contains("of your own"), Error);
  CHECK(gradient_on(tape, own, in)[0] == doctest::Approx(1.0 / 9.0)); // first order works
  // a linear node recorded as Op::sum has curvature 0 whatever its partials
  tape.push_operand(a, 2.0);
  tape.push_operand(b, -1.0);
  const Value linear_node = tape.finish_node(Op::sum, 1.0);
  CHECK(hessian_on(tape, linear_node * linear_node, in) == std::vector<double>{8, -4, -4, 2});
}
