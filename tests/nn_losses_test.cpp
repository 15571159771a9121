// nn's losses: each against a hand computation, against central finite
// differences and forward-mode dual numbers (check::check_gradient, which
// evaluates a textbook formula for the doubles and Duals and nn's loss for the
// Values), and at extreme logits where naive formulas overflow.
#include <array>
#include <cmath>
#include <type_traits>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

#include "gradient_check.hpp"

using namespace tapegrad;

namespace {

template <class T> constexpr bool is_value = std::is_same_v<std::decay_t<T>, Value>;

} // namespace

TEST_CASE("squared error and mse_loss match a hand computation") {
  Tape tape;
  const std::array<Value, 2> p = {tape.var(1.0), tape.var(2.0)};
  const Value loss = nn::mse_loss(p, std::array{0.0, 4.0});
  CHECK(loss.value() == 2.5); // ((1 - 0)^2 + (2 - 4)^2) / 2
  loss.backward();
  CHECK(p[0].grad() == 1.0);  // 2 (1 - 0) / 2
  CHECK(p[1].grad() == -2.0); // 2 (2 - 4) / 2
  check::check_gradient(
      [](auto x) {
        if constexpr (is_value<decltype(x)>)
          return nn::squared_error(x, 0.75);
        else
          return (x - 0.75) * (x - 0.75);
      },
      std::array{-1.3});
}

TEST_CASE("binary cross-entropy from a probability matches a hand computation") {
  Tape tape;
  const Value p = tape.var(0.8);
  SUBCASE("target 1: -ln p") {
    const Value loss = nn::binary_cross_entropy(p, 1.0);
    CHECK(loss.value() == doctest::Approx(0.2231435513142097).epsilon(1e-15));
    loss.backward();
    CHECK(p.grad() == doctest::Approx(-1.25).epsilon(1e-15)); // -1/p
  }
  SUBCASE("a soft target 0.25: -(t ln p + (1-t) ln(1-p))") {
    const Value loss = nn::binary_cross_entropy(p, 0.25);
    CHECK(loss.value() == doctest::Approx(1.2628643221541276).epsilon(1e-14));
    loss.backward();
    CHECK(p.grad() == doctest::Approx(3.4375).epsilon(1e-14)); // -(t/p - (1-t)/(1-p))
  }
  SUBCASE("p = 1 with target 1 costs 0, not NaN") {
    const Value one = tape.var(1.0);
    CHECK(nn::binary_cross_entropy(one, 1.0).value() == 0.0);
  }
  for (const double t : {0.0, 0.3, 1.0})
    check::check_gradient(
        [t](auto x) {
          if constexpr (is_value<decltype(x)>)
            return nn::binary_cross_entropy(x, t);
          else
            return -(t * log(x) + (1.0 - t) * log(1.0 - x));
        },
        std::array{0.35});
}

TEST_CASE("binary cross-entropy from a logit is exact and stable to |logit| = 1e4") {
  Tape tape;
  const auto loss_and_grad = [&tape](double z, double t) {
    const Value logit = tape.var(z);
    const Value loss = nn::binary_cross_entropy_with_logits(logit, t);
    loss.backward();
    return std::array{loss.value(), logit.grad()};
  };
  CHECK(loss_and_grad(0.0, 1.0)[0] == doctest::Approx(std::log(2.0)).epsilon(1e-15));
  CHECK(loss_and_grad(0.0, 1.0)[1] == -0.5); // s(0) - t
  CHECK(loss_and_grad(1e4, 0.0) == std::array{1e4, 1.0});
  CHECK(loss_and_grad(-1e4, 1.0) == std::array{1e4, -1.0});
  CHECK(loss_and_grad(1e4, 1.0) == std::array{0.0, 0.0});
  CHECK(loss_and_grad(-1e4, 0.0) == std::array{0.0, 0.0});
  const auto soft = loss_and_grad(-1e4, 0.25); // 0.25 * 1e4, gradient s(z) - t = -0.25
  CHECK(soft[0] == doctest::Approx(2500.0).epsilon(1e-15));
  CHECK(soft[1] == doctest::Approx(-0.25).epsilon(1e-15));
  for (const double t : {0.0, 0.6, 1.0})
    check::check_gradient(
        [t](auto z) {
          if constexpr (is_value<decltype(z)>)
            return nn::binary_cross_entropy_with_logits(z, t);
          else
            return -(t * log(1.0 / (1.0 + exp(-z))) + (1.0 - t) * log(1.0 / (1.0 + exp(z))));
        },
        std::array{0.7});
}

TEST_CASE("the hinge loss is micrograd's max(0, 1 - t s)") {
  Tape tape;
  const Value s = tape.var(0.3);
  const Value a = nn::hinge(s, 1.0);
  CHECK(a.value() == doctest::Approx(0.7));
  a.backward();
  CHECK(s.grad() == -1.0);
  const Value b = nn::hinge(s, -1.0);
  CHECK(b.value() == doctest::Approx(1.3));
  b.backward();
  CHECK(s.grad() == 1.0);
  const Value far = tape.var(2.0);
  const Value c = nn::hinge(far, 1.0);
  CHECK(c.value() == 0.0);
  c.backward();
  CHECK(far.grad() == 0.0);
  CHECK_THROWS_AS(nn::hinge(s, 0.0), Error);
  SUBCASE("hinge_loss is the batch mean") {
    const std::array<Value, 2> scores = {s, far};
    CHECK(nn::hinge_loss(scores, std::array{1.0, -1.0}).value() == doctest::Approx((0.7 + 3) / 2));
  }
  for (const double t : {-1.0, 1.0})
    check::check_gradient(
        [t](auto x) {
          if constexpr (is_value<decltype(x)>)
            return nn::hinge(x, t);
          else
            return check::relu(1.0 - t * x);
        },
        std::array{0.4});
}

TEST_CASE("softmax cross-entropy matches a hand computation") {
  Tape tape;
  const std::array<Value, 3> z = {tape.var(1.0), tape.var(2.0), tape.var(3.0)};
  const Value loss = nn::softmax_cross_entropy(z, 2);
  // logsumexp(1, 2, 3) - 3 = ln(e^-2 + e^-1 + 1)
  CHECK(loss.value() == doctest::Approx(0.4076059644443806).epsilon(1e-15));
  loss.backward();
  const std::array<double, 3> softmax = {0.09003057317038046, 0.24472847105479767,
                                         0.6652409557748219};
  CHECK(z[0].grad() == doctest::Approx(softmax[0]).epsilon(1e-14));
  CHECK(z[1].grad() == doctest::Approx(softmax[1]).epsilon(1e-14));
  CHECK(z[2].grad() == doctest::Approx(softmax[2] - 1.0).epsilon(1e-14));
  std::array<double, 3> p{};
  nn::softmax(std::array{1.0, 2.0, 3.0}, p);
  CHECK(p[0] == doctest::Approx(softmax[0]).epsilon(1e-15));
  CHECK_THROWS_AS(nn::softmax_cross_entropy(z, 3), Error);
  check::check_gradient(
      [](auto a, auto b, auto c) {
        if constexpr (is_value<decltype(a)>) {
          return nn::softmax_cross_entropy(std::array{a, b, c}, 1);
        } else {
          return log(exp(a) + exp(b) + exp(c)) - b; // the textbook (unstable) form
        }
      },
      std::array{0.2, -1.1, 0.9});
}

TEST_CASE("softmax cross-entropy stays finite for logits of 1e4") {
  Tape tape;
  const std::array<Value, 3> z = {tape.var(1e4), tape.var(0.0), tape.var(-1e4)};
  const Value loss = nn::softmax_cross_entropy(z, 1);
  CHECK(loss.value() == 1e4);
  loss.backward();
  CHECK(z[0].grad() == 1.0);
  CHECK(z[1].grad() == -1.0);
  CHECK(z[2].grad() == 0.0);
}

TEST_CASE("the L2 penalty is the sum of squares with gradient 2p") {
  Tape tape;
  const std::array<Value, 3> p = {tape.var(1.0), tape.var(-2.0), tape.var(3.0)};
  const Value l2 = nn::l2_penalty(p);
  CHECK(l2.value() == 14.0);
  l2.backward();
  CHECK(p[0].grad() == 2.0);
  CHECK(p[1].grad() == -4.0);
  CHECK(p[2].grad() == 6.0);
  check::check_gradient(
      [](auto a, auto b) {
        if constexpr (is_value<decltype(a)>)
          return nn::l2_penalty(std::array{a, b});
        else
          return a * a + b * b;
      },
      std::array{0.7, -1.9});
}

TEST_CASE("mean and the batch losses check their lengths") {
  Tape tape;
  const std::array<Value, 3> v = {tape.var(1.0), tape.var(2.0), tape.var(6.0)};
  const Value m = nn::mean(v);
  CHECK(m.value() == 3.0);
  m.backward();
  CHECK(v[0].grad() == doctest::Approx(1.0 / 3.0));
  CHECK_THROWS_AS(nn::mean(std::span<const Value>()), Error);
  CHECK_THROWS_AS(nn::mse_loss(v, std::array{1.0, 2.0}), Error);
  CHECK_THROWS_AS(nn::bce_loss(std::span<const Value>(), std::span<const double>()), Error);
  const std::array<Value, 2> logits = {tape.var(0.0), tape.var(0.0)};
  CHECK(nn::bce_with_logits_loss(logits, std::array{1.0, 0.0}).value() ==
        doctest::Approx(std::log(2.0)));
  const std::array<Value, 2> probs = {tape.var(0.5), tape.var(0.5)};
  CHECK(nn::bce_loss(probs, std::array{1.0, 0.0}).value() == doctest::Approx(std::log(2.0)));
}
