// nn's optimizers: SGD (plain, momentum, weight decay) and Adam, each against
// a hand computation of its first two steps on L(p, q) = p^2 + 3q (so
// dL/dp = 2p and dL/dq = 3), the learning-rate schedule, and bad settings.
#include <array>
#include <cmath>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

namespace {

/// Records L = p^2 + 3q above the mark, runs backward(), takes one optimizer
/// step and rewinds: one training step.
void one_step(Tape& tape, Tape::Mark mark, Value p, Value q, nn::Optimizer& opt) {
  const Value loss = p * p + 3.0 * q;
  loss.backward();
  opt.step();
  tape.rewind(mark);
}

} // namespace

TEST_CASE("plain SGD takes the seed's step p - eta dL/dp") {
  Tape tape;
  const Value p = tape.var(1.0), q = tape.var(-0.5);
  const auto mark = tape.mark();
  nn::SGD sgd(std::array{p, q}, {.lr = 0.1});
  one_step(tape, mark, p, q, sgd);
  CHECK(p.value() == doctest::Approx(0.8).epsilon(1e-15));  // 1 - 0.1 * 2
  CHECK(q.value() == doctest::Approx(-0.8).epsilon(1e-15)); // -0.5 - 0.1 * 3
  one_step(tape, mark, p, q, sgd);
  CHECK(p.value() == doctest::Approx(0.64).epsilon(1e-15)); // 0.8 - 0.1 * 1.6
  CHECK(q.value() == doctest::Approx(-1.1).epsilon(1e-15)); // -0.8 - 0.1 * 3
  CHECK(sgd.steps() == 2);
}

TEST_CASE("SGD with momentum and weight decay matches a hand computation of two steps") {
  Tape tape;
  const Value p = tape.var(1.0), q = tape.var(-0.5);
  const auto mark = tape.mark();
  nn::SGD sgd(std::array{p, q}, {.lr = 0.5, .momentum = 0.9, .weight_decay = 0.1});
  // Step 1, p: g = 2(1) + 0.1(1) = 2.1, v = 2.1, p = 1 - 0.5(2.1) = -0.05
  //         q: g = 3 + 0.1(-0.5) = 2.95, v = 2.95, q = -0.5 - 0.5(2.95) = -1.975
  one_step(tape, mark, p, q, sgd);
  CHECK(p.value() == doctest::Approx(-0.05).epsilon(1e-14));
  CHECK(q.value() == doctest::Approx(-1.975).epsilon(1e-14));
  // Step 2, p: g = 2(-0.05) + 0.1(-0.05) = -0.105, v = 0.9(2.1) - 0.105 = 1.785,
  //            p = -0.05 - 0.5(1.785) = -0.9425
  //         q: g = 3 + 0.1(-1.975) = 2.8025, v = 0.9(2.95) + 2.8025 = 5.4575,
  //            q = -1.975 - 0.5(5.4575) = -4.70375
  one_step(tape, mark, p, q, sgd);
  CHECK(p.value() == doctest::Approx(-0.9425).epsilon(1e-14));
  CHECK(q.value() == doctest::Approx(-4.70375).epsilon(1e-14));
}

TEST_CASE("Adam matches a hand computation of two steps") {
  Tape tape;
  const Value p = tape.var(1.0), q = tape.var(-0.5);
  const auto mark = tape.mark();
  nn::Adam adam(std::array{p, q}, {.lr = 0.1});
  // Step 1, p: g = 2, m = 0.1(2) = 0.2, v = 0.001(4) = 0.004, m^ = 0.2/0.1 = 2,
  //            v^ = 0.004/0.001 = 4, p = 1 - 0.1 * 2 / (2 + 1e-8) = 0.9000000005
  //         q: g = 3, m^ = 3, v^ = 9, q = -0.5 - 0.1 * 3 / (3 + 1e-8)
  one_step(tape, mark, p, q, adam);
  CHECK(p.value() == doctest::Approx(0.9000000005).epsilon(1e-15));
  CHECK(q.value() == doctest::Approx(-0.5999999996666667).epsilon(1e-15));
  // Step 2, p: g = 1.800000001, m = 0.9(0.2) + 0.1 g, v = 0.999(0.004) + 0.001 g^2,
  //            p -= 0.1 (m / (1 - 0.9^2)) / (sqrt(v / (1 - 0.999^2)) + 1e-8)
  // (the numbers below are that formula evaluated in Python)
  one_step(tape, mark, p, q, adam);
  CHECK(p.value() == doctest::Approx(0.8004122286917928).epsilon(1e-14));
  CHECK(q.value() == doctest::Approx(-0.6999999993333327).epsilon(1e-14));

  SUBCASE("with weight decay added to the gradient") {
    Tape t2;
    const Value a = t2.var(1.0), b = t2.var(-0.5);
    const auto m2 = t2.mark();
    nn::Adam decayed(std::array{a, b}, {.lr = 0.1, .weight_decay = 0.5});
    one_step(t2, m2, a, b, decayed);
    one_step(t2, m2, a, b, decayed);
    CHECK(a.value() == doctest::Approx(0.8004122284876838).epsilon(1e-14));
    CHECK(b.value() == doctest::Approx(-0.6999479659838762).epsilon(1e-14));
  }
}

TEST_CASE("Adam's first step moves every parameter by about lr against its gradient") {
  Tape tape;
  const Value p = tape.var(5.0), q = tape.var(5.0);
  const auto mark = tape.mark();
  nn::Adam adam(std::array{p, q}, {.lr = 0.01});
  one_step(tape, mark, p, q, adam); // gradients 10 and 3: different sizes, same step
  CHECK(p.value() == doctest::Approx(4.99));
  CHECK(q.value() == doctest::Approx(4.99));
}

TEST_CASE("LinearDecay is micrograd's lr = 1 - 0.9 k / 100") {
  const nn::LinearDecay decay{.start = 1.0, .end = 0.1, .steps = 100};
  for (std::size_t k = 0; k < 100; ++k) {
    CAPTURE(k);
    CHECK(decay(k) == doctest::Approx(1.0 - 0.9 * static_cast<double>(k) / 100).epsilon(1e-15));
  }
  CHECK(decay(100) == 0.1);
  CHECK(decay(1000) == 0.1);
  CHECK(nn::LinearDecay{.start = 0.5, .end = 0.5, .steps = 0}(3) == 0.5);
}

TEST_CASE("optimizer settings out of range throw tapegrad::Error") {
  Tape tape;
  const std::array params = {tape.var(1.0)};
  CHECK_THROWS_AS(nn::SGD(params, {.lr = -1.0}), Error);
  CHECK_THROWS_AS(nn::SGD(params, {.lr = 0.1, .momentum = 1.0}), Error);
  CHECK_THROWS_AS(nn::SGD(params, {.lr = 0.1, .weight_decay = -0.1}), Error);
  CHECK_THROWS_AS(nn::Adam(params, {.beta1 = 1.0}), Error);
  CHECK_THROWS_AS(nn::Adam(params, {.eps = 0.0}), Error);
  nn::SGD sgd(params, {.lr = 0.1});
  CHECK_THROWS_WITH_AS(sgd.set_lr(NAN), doctest::Contains("lr = nan"), Error);
  sgd.set_lr(0.25);
  CHECK(sgd.lr() == 0.25);
}

TEST_CASE("an optimizer over a computed node refuses to set it") {
  Tape tape;
  const Value p = tape.var(1.0);
  const Value twice = p * 2.0; // not a leaf
  nn::SGD sgd(std::array{twice}, {.lr = 0.1});
  twice.backward();
  CHECK_THROWS_AS(sgd.step(), Error);
}
