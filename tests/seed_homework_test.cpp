// The seed homework (shared/seed) reproduced by the engine: problem 2's forward
// pass with ReLU (with the corrected minus signs), and problem 3's 1-1-1
// sigmoid network with binary cross-entropy, its four partials and one SGD
// step. Every number is checked to the seed's 4 places and, at 1e-12, to its
// exact value from the closed-form derivation.
#include <array>
#include <cmath>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;

namespace {

/// `actual` rounds to the seed's 4-place number.
void check_seed_places(double actual, double seed) {
  CAPTURE(actual);
  CHECK(std::abs(actual - seed) <= 0.5e-4 + 1e-12);
}

/// `actual` is the exact value (closed form) to 1e-12.
void check_exact(double actual, double exact) {
  CAPTURE(actual);
  CAPTURE(exact);
  CHECK(std::abs(actual - exact) <= 1e-12);
}

double sig(double z) { return 1.0 / (1.0 + std::exp(-z)); }

} // namespace

TEST_CASE("problem 2: W1^T x + b1 and its ReLU match the seed") {
  Tape tape;
  const double x[2] = {0.7, 0.5};
  const double w[2][3] = {{0.2, -0.3, 0.4}, {0.5, -0.1, -0.4}};
  const double b[3] = {0.1, 0.2, -0.3};
  const double seed_wx[3] = {0.39, -0.26, 0.08};
  const double seed_z[3] = {0.49, -0.06, -0.22};
  const double seed_relu[3] = {0.49, 0.0, 0.0};

  std::array<Value, 3> activations;
  std::array<std::array<Value, 3>, 2> weights;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) weights[i][j] = tape.var(w[i][j]);
  for (int j = 0; j < 3; ++j) {
    const Value wx = weights[0][j] * x[0] + weights[1][j] * x[1];
    const Value z = wx + tape.var(b[j]);
    activations[j] = relu(z);
    CHECK(wx.value() == doctest::Approx(seed_wx[j]).epsilon(1e-12));
    CHECK(z.value() == doctest::Approx(seed_z[j]).epsilon(1e-12));
    CHECK(activations[j].value() == doctest::Approx(seed_relu[j]).epsilon(1e-12));
  }

  SUBCASE("only the active unit passes gradient back to its weights") {
    const Value total = activations[0] + activations[1] + activations[2];
    total.backward();
    CHECK(weights[0][0].grad() == 0.7); // d relu(z0)/d w00 = x0, since z0 > 0
    CHECK(weights[1][0].grad() == 0.5);
    for (int j = 1; j < 3; ++j) {
      CHECK(weights[0][j].grad() == 0.0); // z_j < 0: ReLU blocks the gradient
      CHECK(weights[1][j].grad() == 0.0);
    }
  }
}

TEST_CASE("problem 3: the 1-1-1 sigmoid network matches the seed step by step") {
  Tape tape;
  const double x = 0.5, y = 1.0, eta = 0.1;
  const Value w1 = tape.var(0.2, "w1"), b1 = tape.var(0.1, "b1");
  const Value w2 = tape.var(0.4, "w2"), b2 = tape.var(0.2, "b2");

  const Value z1 = w1 * x + b1;
  const Value a1 = sigmoid(z1);
  const Value z2 = w2 * a1 + b2;
  const Value y_hat = sigmoid(z2);
  const Value loss = -(y * log(y_hat) + (1 - y) * log(1 - y_hat));
  loss.backward();

  // Closed forms, computed independently of the tape.
  const double e_z1 = 0.2 * x + 0.1, e_a1 = sig(e_z1);
  const double e_z2 = 0.4 * e_a1 + 0.2, e_yhat = sig(e_z2);
  const double dz2 = e_yhat - y; // dL/dz2 for BCE after a sigmoid
  const double dz1 = dz2 * 0.4 * e_a1 * (1 - e_a1);

  SUBCASE("forward pass") {
    check_seed_places(z1.value(), 0.2);
    check_seed_places(a1.value(), 0.5498);
    check_seed_places(z2.value(), 0.4199);
    check_seed_places(y_hat.value(), 0.6035);
    check_exact(z1.value(), e_z1);
    check_exact(a1.value(), e_a1);
    check_exact(z2.value(), e_z2);
    check_exact(y_hat.value(), e_yhat);
    check_exact(loss.value(), -std::log(e_yhat));
    CHECK(loss.value() == doctest::Approx(0.505063).epsilon(1e-6));
  }

  SUBCASE("the four partials") {
    check_seed_places(w2.grad(), -0.2180);
    check_seed_places(b2.grad(), -0.3965);
    check_seed_places(w1.grad(), -0.0196);
    check_seed_places(b1.grad(), -0.0393);
    check_exact(w2.grad(), dz2 * e_a1);
    check_exact(b2.grad(), dz2);
    check_exact(w1.grad(), dz1 * x);
    check_exact(b1.grad(), dz1);
    // DESIGN.md's table, to its 6 places.
    CHECK(w2.grad() == doctest::Approx(-0.218027).epsilon(2e-6));
    CHECK(b2.grad() == doctest::Approx(-0.396533).epsilon(2e-6));
    CHECK(w1.grad() == doctest::Approx(-0.019630).epsilon(2e-5));
    CHECK(b1.grad() == doctest::Approx(-0.039259).epsilon(2e-5));
  }

  SUBCASE("the seed's intermediate factors appear on the tape") {
    // dL/dy_hat = -y/y_hat, and y_hat(1 - y_hat) is sigmoid's local derivative.
    check_exact(y_hat.grad(), -y / e_yhat);
    check_exact(tape.partials(y_hat.index())[0], e_yhat * (1 - e_yhat));
    check_exact(tape.partials(a1.index())[0], e_a1 * (1 - e_a1));
    check_exact(z2.grad(), dz2);
    check_exact(z1.grad(), dz1);
  }

  SUBCASE("one SGD step with eta = 0.1") {
    for (const Value& p : {w1, b1, w2, b2}) p.set_value(p.value() - eta * p.grad());
    check_seed_places(w2.value(), 0.4218);
    check_seed_places(b2.value(), 0.2397);
    check_seed_places(w1.value(), 0.2020);
    check_seed_places(b1.value(), 0.1039);
    check_exact(w2.value(), 0.4 - eta * dz2 * e_a1);
    check_exact(b2.value(), 0.2 - eta * dz2);
    check_exact(w1.value(), 0.2 - eta * dz1 * x);
    check_exact(b1.value(), 0.1 - eta * dz1);
    CHECK(w2.value() == doctest::Approx(0.421803).epsilon(2e-6));
    CHECK(b2.value() == doctest::Approx(0.239653).epsilon(2e-6));
    CHECK(w1.value() == doctest::Approx(0.201963).epsilon(2e-6));
    CHECK(b1.value() == doctest::Approx(0.103926).epsilon(2e-6));
  }
}
