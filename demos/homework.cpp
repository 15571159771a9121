// The seed homework, step by step: problem 2 (a forward pass with ReLU) and
// problem 3 (a 1-1-1 sigmoid network, binary cross-entropy, backprop and one
// SGD step), each number shown next to the seed's hand-rounded one, then the
// tape before and after backward().
#include <fmt/format.h>

#include <tapegrad/autodiff.hpp>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

namespace {

/// One line: what it is, the seed's number, tapegrad's exact one.
void show(std::string_view what, double seed, double exact) {
  fmt::print("  {:<28} seed {:>8.4f}   tapegrad {:>11.6f}\n", what, seed, exact);
}

void problem_2() {
  fmt::print("Problem 2: W1^T x + b1, then ReLU\n");
  fmt::print("  W1 = [[.2, -.3, .4], [.5, -.1, -.4]]   b1 = (.1, .2, -.3)   x = (.7, .5)\n");
  Tape tape;
  const double x[2] = {0.7, 0.5};
  const double w[2][3] = {{0.2, -0.3, 0.4}, {0.5, -0.1, -0.4}};
  const double b[3] = {0.1, 0.2, -0.3};
  const double seed_wx[3] = {0.39, -0.26, 0.08};
  const double seed_z[3] = {0.49, -0.06, -0.22};
  const double seed_relu[3] = {0.49, 0.0, 0.0};
  for (int j = 0; j < 3; ++j) {
    const Value wx = tape.var(w[0][j]) * x[0] + tape.var(w[1][j]) * x[1];
    const Value z = wx + tape.var(b[j]);
    const Value a = relu(z);
    show(fmt::format("(W1^T x)[{}]", j), seed_wx[j], wx.value());
    show(fmt::format("(W1^T x + b1)[{}]", j), seed_z[j], z.value());
    show(fmt::format("ReLU(...)[{}]", j), seed_relu[j], a.value());
  }
  fmt::print("\n");
}

void problem_3() {
  fmt::print("Problem 3: x = .5, y = 1, w1 = .2, b1 = .1, w2 = .4, b2 = .2, eta = .1\n");
  Tape tape;
  const double x = 0.5, y = 1.0, eta = 0.1;
  const Value w1 = tape.var(0.2, "w1"), b1 = tape.var(0.1, "b1");
  const Value w2 = tape.var(0.4, "w2"), b2 = tape.var(0.2, "b2");

  const Value z1 = (w1 * x + b1).named("z1");
  const Value a1 = sigmoid(z1).named("a1");
  const Value z2 = (w2 * a1 + b2).named("z2");
  const Value y_hat = sigmoid(z2).named("y_hat");
  const Value loss = (-(y * log(y_hat) + (1 - y) * log(1 - y_hat))).named("L");

  fmt::print(" forward pass\n");
  show("z1 = w1 x + b1", 0.2, z1.value());
  show("a1 = sigmoid(z1)", 0.5498, a1.value());
  show("z2 = w2 a1 + b2", 0.4199, z2.value());
  show("y_hat = sigmoid(z2)", 0.6035, y_hat.value());
  fmt::print("  {:<28} {:>13}   tapegrad {:>11.6f}\n", "L = BCE(y, y_hat)", "", loss.value());

  fmt::print("\n the tape before backward() (every gradient is 0):\n{}\n", tape);
  loss.backward();
  fmt::print(" the tape after backward():\n{}\n", tape);

  fmt::print(" backward pass (chain rule)\n");
  show("dL/dw2", -0.2180, w2.grad());
  show("dL/db2", -0.3965, b2.grad());
  show("dL/dw1", -0.0196, w1.grad());
  show("dL/db1", -0.0393, b1.grad());

  fmt::print("\n one SGD step: p <- p - eta dL/dp\n");
  for (const Value& p : {w1, b1, w2, b2}) p.set_value(p.value() - eta * p.grad());
  show("w2 (new)", 0.4218, w2.value());
  show("b2 (new)", 0.2397, b2.value());
  show("w1 (new)", 0.202, w1.value());
  show("b1 (new)", 0.1039, b1.value());
}

/// Problem 3 again, with the network built by tapegrad::nn instead of by hand:
/// the same four partials and the same SGD step come out.
void problem_3_with_nn() {
  fmt::print("\nProblem 3 with tapegrad::nn: MLP(1, [1, 1]), sigmoid activations\n");
  Tape tape;
  nn::MLP net(tape, 1, {1, 1},
              {.hidden = nn::Activation::sigmoid, .output = nn::Activation::sigmoid});
  // parameters() order is micrograd's: w1, b1 (hidden neuron), then w2, b2.
  net.set_parameter_values(std::array{0.2, 0.1, 0.4, 0.2});
  const std::vector<Value> p = net.parameters();
  const Value y_hat = net({0.5})[0];
  const Value loss = nn::binary_cross_entropy(y_hat, 1.0);
  loss.backward();
  show("y_hat = net(x)", 0.6035, y_hat.value());
  show("dL/dw2", -0.2180, p[2].grad());
  show("dL/db2", -0.3965, p[3].grad());
  show("dL/dw1", -0.0196, p[0].grad());
  show("dL/db1", -0.0393, p[1].grad());
  nn::SGD sgd(p, {.lr = 0.1});
  sgd.step();
  show("w2 (new)", 0.4218, p[2].value());
  show("b2 (new)", 0.2397, p[3].value());
  show("w1 (new)", 0.202, p[0].value());
  show("b1 (new)", 0.1039, p[1].value());
}

} // namespace

int main() {
  fmt::print("tapegrad {} - the seed homework, reproduced\n\n", version);
  problem_2();
  problem_3();
  problem_3_with_nn();
  fmt::print("\nWatch problem 3's backward pass node by node in a browser: "
             "`build/dev/demos/tape_tour seed --html .` writes tape_tour_seed.html; open it.\n");
}
