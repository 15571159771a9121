// The README's code, compiled and checked, so the README cannot drift from
// the library.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>

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
