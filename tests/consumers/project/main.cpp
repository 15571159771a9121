// A user's program: the seed homework's 1-1-1 sigmoid network with binary
// cross-entropy, differentiated by tapegrad. Exits 0 when every gradient
// matches its hand-derived value, so a consumer test passes only if the
// library was found, compiled, linked and loaded the way a user gets it.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>
#ifdef CONSUMER_WITH_NN
#include <tapegrad/nn.hpp>
#endif

namespace {

int failures = 0;

void expect_near(const char* what, double actual, double expected, double tolerance = 1e-6) {
  if (std::abs(actual - expected) <= tolerance) return;
  std::fprintf(stderr, "%s: got %.9g, expected %.9g\n", what, actual, expected);
  ++failures;
}

void expect(const char* what, bool ok) {
  if (ok) return;
  std::fprintf(stderr, "%s: false\n", what);
  ++failures;
}

} // namespace

int main() {
  using namespace tapegrad;

  // The seed homework, problem 3 (DESIGN.md's table).
  Tape tape;
  Value x = tape.var(0.5, "x");
  Value w1 = tape.var(0.2, "w1"), b1 = tape.var(0.1, "b1");
  Value w2 = tape.var(0.4, "w2"), b2 = tape.var(0.2, "b2");
  Value a1 = sigmoid(w1 * x + b1).named("a1");
  Value y_hat = sigmoid(w2 * a1 + b2);
  const double y = 1.0;
  Value loss = -(y * log(y_hat) + (1 - y) * log(1 - y_hat));
  loss.backward();
  expect_near("loss", loss.value(), 0.505063);
  expect_near("dL/dw2", w2.grad(), -0.218027);
  expect_near("dL/db2", b2.grad(), -0.396533);
  expect_near("dL/dw1", w1.grad(), -0.019630);
  expect_near("dL/db1", b1.grad(), -0.039259);

  // One SGD step with learning rate 0.1, as an optimizer does it.
  w2.set_value(w2.value() - 0.1 * w2.grad());
  expect_near("w2 after one step", w2.value(), 0.421803);
  expect("a1 keeps its name", a1.name() == "a1");

  // Out-of-line parts of the library: n-ary nodes, printing (iostreams and
  // fmt), and the exception type, caught across the library boundary.
  std::vector<Value> terms = {x, w1, b1};
  Value total = sum(terms);
  total.backward();
  expect_near("d sum / dx", x.grad(), 1.0);
  const std::string table = fmt::format("{}", tape);
  expect("the tape prints its sigmoid nodes", table.find("sigmoid") != std::string::npos);
  expect("a Value prints its name", fmt::format("{}", a1).find("a1") != std::string::npos);
  bool threw = false;
  try {
    Tape other;
    (void)(x + other.var(1.0)); // two tapes in one operation
  } catch (const Error& e) {
    threw = std::strlen(e.what()) > 0;
  }
  expect("mixing tapes throws tapegrad::Error", threw);
  expect("version is set", std::strlen(tapegrad::version) > 0);

#ifdef CONSUMER_WITH_NN
  // A small MLP's squared error: every parameter's gradient against central
  // differences of predict(), which records nothing.
  {
    Tape net_tape;
    nn::MLP model(net_tape, 2, {4, 1});
    const std::vector<double> input = {0.5, -1.0};
    const auto squared_error = [&] { return std::pow(model.predict(input)[0] - 1.0, 2.0); };
    Value error = pow(model(input)[0] - 1.0, 2.0);
    error.backward();
    expect_near("MLP loss", error.value(), squared_error(), 1e-12);
    for (const Value& p : model.parameters()) {
      const double p0 = p.value(), h = 1e-6;
      p.set_value(p0 + h);
      const double up = squared_error();
      p.set_value(p0 - h);
      const double down = squared_error();
      p.set_value(p0);
      expect_near("MLP parameter gradient", p.grad(), (up - down) / (2 * h), 1e-6);
    }
  }
#endif

  if (failures == 0) std::printf("tapegrad %s: every gradient is right\n", tapegrad::version);
  return failures == 0 ? 0 : 1;
}
