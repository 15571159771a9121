// The seed homework's problem 3 built with nn: a 1-1-1 MLP with sigmoid
// activations, binary cross-entropy and one SGD step reproduce the seed's
// partials and updated parameters, exactly as the hand-built network does.
#include <array>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

TEST_CASE("the seed's 1-1-1 network built with nn gives the seed's partials and update") {
  Tape tape;
  nn::MLP net(tape, 1, {1, 1},
              {.hidden = nn::Activation::sigmoid, .output = nn::Activation::sigmoid});
  // parameters() order: w1, b1 (hidden neuron), w2, b2 (output neuron)
  net.set_parameter_values(std::array{0.2, 0.1, 0.4, 0.2});
  const Value y_hat = net({0.5})[0];
  const Value loss = nn::binary_cross_entropy(y_hat, 1.0);
  CHECK(y_hat.value() == doctest::Approx(0.603467).epsilon(1e-6));
  loss.backward();
  const std::vector<Value> p = net.parameters();
  // The exact values of the seed table (DESIGN.md), to 1e-6.
  CHECK(p[2].grad() == doctest::Approx(-0.218027).epsilon(1e-5)); // dL/dw2
  CHECK(p[3].grad() == doctest::Approx(-0.396533).epsilon(1e-5)); // dL/db2
  CHECK(p[0].grad() == doctest::Approx(-0.019630).epsilon(1e-4)); // dL/dw1
  CHECK(p[1].grad() == doctest::Approx(-0.039259).epsilon(1e-4)); // dL/db1

  SUBCASE("and the same numbers as the hand-built network, to the last bit") {
    Tape hand;
    const Value w1 = hand.var(0.2), b1 = hand.var(0.1), w2 = hand.var(0.4), b2 = hand.var(0.2);
    const Value a1 = sigmoid(w1 * 0.5 + b1);
    const Value yh = sigmoid(w2 * a1 + b2);
    const Value l = -(1.0 * log(yh) + (1 - 1.0) * log(1 - yh));
    l.backward();
    CHECK(loss.value() == l.value());
    CHECK(p[0].grad() == doctest::Approx(w1.grad()).epsilon(1e-15));
    CHECK(p[1].grad() == doctest::Approx(b1.grad()).epsilon(1e-15));
    CHECK(p[2].grad() == doctest::Approx(w2.grad()).epsilon(1e-15));
    CHECK(p[3].grad() == doctest::Approx(b2.grad()).epsilon(1e-15));
  }
  SUBCASE("one SGD step with eta = 0.1 gives the seed's new parameters") {
    nn::SGD sgd(p, {.lr = 0.1});
    sgd.step();
    CHECK(p[2].value() == doctest::Approx(0.421803).epsilon(1e-6));
    CHECK(p[3].value() == doctest::Approx(0.239653).epsilon(1e-6));
    CHECK(p[0].value() == doctest::Approx(0.201963).epsilon(1e-6));
    CHECK(p[1].value() == doctest::Approx(0.103926).epsilon(1e-6));
  }
}
