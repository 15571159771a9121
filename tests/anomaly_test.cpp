// Anomaly mode: off by default (IEEE NaN and Inf flow through untouched);
// when on, the first node whose value (forward) or gradient contribution
// (backward) is NaN or Inf raises tapegrad::Error naming that node, its op,
// its operands and their values and names.
#include <cmath>
#include <limits>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;
using doctest::Contains;

TEST_CASE("anomaly mode is off by default and IEEE NaN and Inf propagate") {
  Tape tape;
  CHECK_FALSE(tape.detect_anomaly());
  const Value zero = tape.var(0.0, "zero");
  const Value minus_one = tape.var(-1.0);
  const Value big = tape.var(1000.0);
  const Value log0 = log(zero);
  CHECK(log0.value() == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(log(minus_one).value()));
  CHECK(std::isnan((zero / zero).value()));
  CHECK(std::isnan(pow(tape.var(-8.0), 1 / 3.0).value()));
  CHECK(std::isinf(exp(big).value()));
  const Value y = sqrt(zero) * 2.0;
  CHECK(y.value() == 0.0);
  y.backward();
  CHECK(std::isinf(zero.grad())); // d/dx 2 sqrt(x) at 0: 1/sqrt(0)
  const Value z = log0 + 1.0;
  z.backward();
  CHECK(std::isinf(zero.grad()));
}

TEST_CASE("in the forward pass the first non-finite node raises, named, and is not kept") {
  Tape tape;
  tape.set_detect_anomaly(true);
  const Value x = tape.var(0.0, "x");
  const Value m = tape.var(-1.0, "m");
  SUBCASE("log(0)") {
    CHECK_THROWS_WITH_AS(log(x), Contains("anomaly in the forward pass"), Error);
    CHECK_THROWS_WITH_AS(log(x), Contains("#2 log(#0) value=-inf"), Error);
    CHECK_THROWS_WITH_AS(log(x), Contains("#0=0 \"x\""), Error);
  }
  // NaN prints as "nan" or "-nan" (its sign bit is the platform's choice).
  SUBCASE("log(-1)") {
    CHECK_THROWS_WITH_AS(log(m), Contains("#2 log(#1) value="), Error);
    CHECK_THROWS_WITH_AS(log(m), Contains("nan"), Error);
    CHECK_THROWS_WITH_AS(log(m), Contains("#1=-1 \"m\""), Error);
  }
  SUBCASE("0/0") {
    CHECK_THROWS_WITH_AS(x / x, Contains("#2 div(#0, #0) value="), Error);
    CHECK_THROWS_WITH_AS(x / x, Contains("nan"), Error);
  }
  SUBCASE("pow(-8, 1/3) is NaN per IEEE") {
    const Value b = tape.var(-8.0, "base");
    CHECK_THROWS_WITH_AS(pow(b, 1 / 3.0), Contains("#3 pow(#2, c) value="), Error);
    CHECK_THROWS_WITH_AS(pow(b, 1 / 3.0), Contains("nan"), Error);
    CHECK_THROWS_WITH_AS(pow(b, 1 / 3.0), Contains("\"base\""), Error);
    CHECK(pow(b, 3.0).value() == -512.0); // an integer exponent is fine
  }
  SUBCASE("exp overflowing") {
    const Value big = tape.var(710.0, "big");
    CHECK_THROWS_WITH_AS(exp(big), Contains("exp(#2) value=inf"), Error);
    CHECK_THROWS_WITH_AS(exp(big), Contains("#2=710 \"big\""), Error);
  }
  // The offending node was dropped: the tape holds only what it held, and
  // goes on recording.
  const std::size_t size = tape.size();
  const Value ok = x + m;
  CHECK(tape.size() == size + 1);
  CHECK(ok.value() == -1.0);
}

TEST_CASE("a non-finite leaf is an anomaly too") {
  Tape tape;
  tape.set_detect_anomaly(true);
  CHECK_THROWS_AS(tape.var(std::numeric_limits<double>::quiet_NaN()), Error);
  CHECK(tape.size() == 0);
}

TEST_CASE("in backward() the first non-finite gradient contribution raises, named") {
  Tape tape;
  const Value x = tape.var(0.0, "x");
  const Value y = (sqrt(x) * 3.0).named("y"); // finite forward, sqrt'(0) = inf
  tape.set_detect_anomaly(true);
  CHECK_THROWS_WITH_AS(y.backward(), Contains("anomaly in backward()"), Error);
  CHECK_THROWS_WITH_AS(y.backward(), Contains("sqrt(#0)"), Error);
  CHECK_THROWS_WITH_AS(y.backward(), Contains("passes inf to operand #0"), Error);
  CHECK_THROWS_WITH_AS(y.backward(), Contains("#0=0 \"x\""), Error);
  SUBCASE("and with anomaly mode off again, backward() gives IEEE inf") {
    tape.set_detect_anomaly(false);
    y.backward();
    CHECK(std::isinf(x.grad()));
  }
}

TEST_CASE("backward() through a dead branch at a domain edge is no anomaly") {
  Tape tape;
  tape.set_detect_anomaly(true);
  const Value x = tape.var(0.0);
  const Value dead = sqrt(x) * 0.0; // its upstream gradient is 0: never visited
  const Value y = x * 2.0 + dead;
  CHECK_NOTHROW(y.backward());
  CHECK(x.grad() == 2.0);
}

TEST_CASE("anomaly mode leaves finite computations and their gradients alone") {
  Tape plain, watched;
  watched.set_detect_anomaly(true);
  const auto f = [](Tape& t) {
    const Value a = t.var(0.3), b = t.var(-1.7);
    const Value y = tanh(a * b) + log(sigmoid(b)) / (1 + exp(a));
    y.backward();
    return std::array{y.value(), a.grad(), b.grad()};
  };
  CHECK(f(plain) == f(watched));
}
