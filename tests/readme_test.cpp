// The README's code, compiled and checked, so the README cannot drift from
// the library.
#include <cstdio>
#include <span>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

TEST_CASE("the README's 30-second example prints what the README says") {
  Tape tape;
  Value x = tape.var(0.5, "x");
  Value w1 = tape.var(0.2, "w1"), b1 = tape.var(0.1, "b1");
  Value w2 = tape.var(0.4, "w2"), b2 = tape.var(0.2, "b2");
  Value a1 = sigmoid(w1 * x + b1);
  Value y_hat = sigmoid(w2 * a1 + b2);
  double y = 1.0;
  Value loss = -(y * log(y_hat) + (1 - y) * log(1 - y_hat));
  loss.backward();
  CHECK(fmt::format("{:.6f} {:.6f}\n", w2.grad(), loss.value()) == "-0.218027 0.505063\n");
  CHECK(fmt::format("{}", tape).find("sigmoid(#") != std::string::npos);
}

TEST_CASE("the README's Hessian example prints what the README says") {
  auto loss = [](std::span<const Value> p) { // p = (w1, b1, w2, b2), x = 0.5, y = 1
    return -log(sigmoid(p[2] * sigmoid(p[0] * 0.5 + p[1]) + p[3]));
  };
  std::vector<double> H = hessian(loss, std::vector{0.2, 0.1, 0.4, 0.2});
  CHECK(fmt::format("{:.6f}\n", H[2 * 4 + 2]) == "0.072343\n");
}

TEST_CASE("the README's training loop descends and keeps the tape at two nodes") {
  Tape tape;
  Value w = tape.var(0.5, "w"), b = tape.var(0.1, "b");
  const Tape::Mark mark = tape.mark();
  for (int step = 0; step < 100; ++step) {
    Value loss = pow(w * 2.0 + b - 1.0, 2.0);
    loss.backward();
    w.set_value(w.value() - 0.1 * w.grad());
    b.set_value(b.value() - 0.1 * b.grad());
    tape.rewind(mark); // w and b survive; the rest is dropped
  }
  CHECK(tape.size() == 2);
  CHECK(2 * w.value() + b.value() == doctest::Approx(1.0).epsilon(1e-9));
}

TEST_CASE("the README's training example reaches 100% and saves the model") {
  nn::Dataset data = nn::make_moons(100, 0.1, /*seed=*/1337);
  Tape tape;
  nn::MLP model(tape, 2, {16, 16, 1}, {.seed = 1337}); // micrograd's MLP(2, [16, 16, 1])
  nn::SGD sgd(model.parameters(), {.lr = 1.0});
  nn::Trainer trainer(model, sgd, data,
                      {.loss = nn::Loss::hinge,
                       .l2 = 1e-4,
                       .schedule = nn::LinearDecay{.start = 1.0, .end = 0.1, .steps = 100}});
  for (int k = 0; k < 100; ++k) trainer.step(); // each returns {loss, accuracy, lr}
  CHECK(fmt::format("{:.0f}%", 100 * trainer.evaluate().accuracy) == "100%");
  const std::string path = "readme_test_moons.txt";
  nn::save_parameters(model, path);
  std::vector<double> saved = model.parameter_values();
  nn::MLP copy(tape, 2, {16, 16, 1}, {.seed = 7});
  nn::load_parameters(copy, path);
  CHECK(copy.parameter_values() == saved);
  std::remove(path.c_str());
}
