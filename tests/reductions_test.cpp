// max() and logsumexp() (reductions.hpp): gradients against a dual-number
// evaluation and finite differences, ties, stability far out, infinities,
// NaN and misuse.
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

#include "gradient_check.hpp"

using namespace tapegrad;
using check::check_gradient;

namespace {
// The reductions for double and check::Dual, written from the definitions:
// the largest term (a tie shares its tangent evenly), and ln Σ e^(a_i - m) + m.
double max_of(std::span<const double> a) {
  double m = a[0];
  for (const double x : a) m = std::fmax(m, x);
  return m;
}
check::Dual max_of(std::span<const check::Dual> a) {
  double m = a[0].v;
  for (const auto& x : a) m = std::fmax(m, x.v);
  check::Dual r{m, 0};
  int ties = 0;
  for (const auto& x : a)
    if (x.v == m) r.d += x.d, ++ties;
  r.d /= ties;
  return r;
}
Value max_of(std::span<const Value> a) { return tapegrad::max(a); }

double lse(std::span<const double> a) {
  const double m = max_of(a);
  double s = 0;
  for (const double x : a) s += std::exp(x - m);
  return m + std::log(s);
}
check::Dual lse(std::span<const check::Dual> a) {
  const double m = max_of(a).v;
  check::Dual s{0, 0};
  for (const auto& x : a) s += check::exp(x - m);
  return check::log(s) + m;
}
Value lse(std::span<const Value> a) { return tapegrad::logsumexp(a); }
} // namespace

TEST_CASE("max and logsumexp match dual numbers and finite differences") {
  const std::array<std::array<double, 4>, 6> points = {{{0.1, -2.0, 3.0, 1.5},
                                                        {-1.0, -1.5, -0.2, -7.0},
                                                        {5.0, 5.5, 4.0, 5.25},
                                                        {1e-3, 2e-3, -1e-3, 0.0},
                                                        {30.0, -30.0, 0.0, 29.0},
                                                        {-500.0, -499.0, -510.0, -520.0}}};
  for (const auto& p : points) {
    check_gradient(
        [](auto a, auto b, auto c, auto d) {
          const std::array terms = {a, b * 2.0, c, d};
          return max_of(std::span<const decltype(a)>(terms));
        },
        p);
    check_gradient(
        [](auto a, auto b, auto c, auto d) {
          const std::array terms = {a, b, c * c, d};
          return lse(std::span<const decltype(a)>(terms));
        },
        p);
  }
  check_gradient([](auto a) { return lse(std::span<const decltype(a)>(&a, 1)); }, std::array{2.5});
}

TEST_CASE("max shares the gradient evenly among equal largest terms (torch.amax)") {
  Tape tape;
  const std::vector<Value> v = {tape.var(1.0), tape.var(3.0), tape.var(3.0), tape.var(-2.0),
                                tape.var(3.0)};
  const Value m = tapegrad::max(v);
  m.backward();
  CHECK(m.value() == 3.0);
  const double third = 1.0 / 3.0;
  CHECK(v[0].grad() == 0.0);
  CHECK(v[1].grad() == third);
  CHECK(v[2].grad() == third);
  CHECK(v[3].grad() == 0.0);
  CHECK(v[4].grad() == third);
  CHECK(format_call(tape, m.index()) == "max(#0, #1, #2, #3, #4)");

  const std::vector<Value> twice = {v[1], v[1], v[0]}; // one node twice: 1/2 + 1/2
  tapegrad::max(twice).backward();
  CHECK(v[1].grad() == 1.0);
}

TEST_CASE("logsumexp is stable far out and keeps the small terms") {
  Tape tape;
  const std::vector<Value> big = {tape.var(1000.0), tape.var(1000.0), tape.var(-1000.0)};
  const Value l = logsumexp(big);
  l.backward();
  CHECK(l.value() == doctest::Approx(1000.0 + std::log(2.0)).epsilon(1e-16));
  CHECK(big[0].grad() == 0.5);
  CHECK(big[1].grad() == 0.5);
  CHECK(big[2].grad() == 0.0);

  const std::vector<Value> tiny = {tape.var(0.0), tape.var(-40.0)}; // ln(1 + e^-40)
  const Value t = logsumexp(tiny);
  t.backward();
  CHECK(t.value() == std::log1p(std::exp(-40.0))); // 4.2e-18, not 0
  CHECK(tiny[1].grad() == doctest::Approx(std::exp(-40.0)).epsilon(1e-15));

  const std::vector<Value> low = {tape.var(-1000.0), tape.var(-1001.0)};
  CHECK(logsumexp(low).value() == doctest::Approx(-1000.0 + std::log1p(std::exp(-1.0))));
}

TEST_CASE("infinities and NaN among the terms") {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tape tape;
  const std::vector<Value> none = {tape.var(-inf), tape.var(-inf)};
  const Value l = logsumexp(none);
  l.backward();
  CHECK(l.value() == -inf);
  CHECK(none[0].grad() == 0.5); // softmax of equal terms
  const std::vector<Value> one = {tape.var(inf), tape.var(2.0)};
  const Value u = logsumexp(one);
  u.backward();
  CHECK(u.value() == inf);
  CHECK(one[0].grad() == 1.0);
  CHECK(one[1].grad() == 0.0);
  const std::vector<Value> mixed = {tape.var(-inf), tape.var(2.0)};
  const Value w = logsumexp(mixed);
  w.backward();
  CHECK(w.value() == 2.0);
  CHECK(mixed[0].grad() == 0.0);
  CHECK(mixed[1].grad() == 1.0);

  const std::vector<Value> with_nan = {tape.var(1.0), tape.var(nan), tape.var(5.0)};
  for (const Value r : {tapegrad::max(with_nan), logsumexp(with_nan)}) {
    r.backward();
    CHECK(std::isnan(r.value()));
    CHECK(with_nan[0].grad() == 0.0);
    CHECK(with_nan[1].grad() == 1.0);
    CHECK(with_nan[2].grad() == 0.0);
  }
}

TEST_CASE("max and logsumexp of no terms, or of a stale handle, throw and record nothing") {
  Tape tape;
  const std::vector<Value> empty;
  CHECK_THROWS_WITH_AS(tapegrad::max(empty), doctest::Contains("max() of no terms"), Error);
  CHECK_THROWS_WITH_AS(logsumexp(empty), doctest::Contains("logsumexp() of no terms"), Error);
  const Value a = tape.var(1.0);
  const auto mark = tape.mark();
  const Value b = tape.var(2.0);
  tape.rewind(mark);
  const std::vector<Value> stale = {a, b};
  CHECK_THROWS_AS(tapegrad::max(stale), Error);
  CHECK_THROWS_AS(logsumexp(stale), Error);
  CHECK(tape.size() == 1);
  Tape other;
  const std::vector<Value> two_tapes = {a, other.var(3.0)};
  CHECK_THROWS_AS(logsumexp(two_tapes), Error);
  CHECK(tape.size() == 1);
}
