// tan, asin, acos, atan, atan2, sinh, cosh, asinh, acosh, atanh and hypot
// (trigonometric.hpp): gradients three ways at many points and next to every
// domain edge; hypot without overflow; IEEE values outside the domains.
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

#include "gradient_check.hpp"

using namespace tapegrad;
using check::check_gradient;

namespace {
using std::acos, std::acosh, std::asin, std::asinh, std::atan, std::atan2, std::atanh, std::cosh,
    std::hypot, std::sinh, std::tan;
using tapegrad::acos, tapegrad::acosh, tapegrad::asin, tapegrad::asinh, tapegrad::atan,
    tapegrad::atan2, tapegrad::atanh, tapegrad::cosh, tapegrad::hypot, tapegrad::sinh,
    tapegrad::tan;

const std::vector<double> any_x = {-700,  -30,  -7.5, -2, -0.9, -0.3, -1e-10, -1e-300, 0,    1e-300,
                                   1e-10, 1e-3, 0.25, 1,  3,    12,   40,     1e10,    -1e10};
/// Inside (-1, 1), next to both edges.
const std::vector<double> unit_x = {-1 + 0x1.0p-53, -1 + 1e-12, -1 + 1e-6,    -0.99, -0.5,
                                    -1e-300,        0,          1e-8,         0.3,   0.75,
                                    0.999,          1 - 1e-9,   1 - 0x1.0p-53};
} // namespace

namespace {
/// check_gradient with finite differences that step within 1e-4 of
/// `distance`, the distance to the nearest pole or domain edge.
template <class F> void check_near(F f, double a, double distance) {
  check_gradient(f, std::array{a}, 1e-6, 1e-12, check::step_within(a, distance));
}
} // namespace

TEST_CASE("tan matches dual numbers and finite differences, up to next to its poles") {
  const double half_pi = std::numbers::pi / 2;
  for (const double a : {-3.0, -1.5, -0.7, 0.0, 1e-9, 0.4, 1.2, 1.57, 2.0, 100.0, half_pi - 1e-2,
                         -half_pi + 1e-5, half_pi + 1e-7, half_pi - 1e-9})
    check_near([](auto x) { return tan(x); }, a, std::abs(std::cos(a)));
}

TEST_CASE("asin, acos and atanh match on (-1, 1), next to both edges") {
  for (const double a : unit_x) {
    check_near([](auto x) { return asin(x); }, a, 1 - std::abs(a));
    check_near([](auto x) { return acos(x); }, a, 1 - std::abs(a));
    check_near([](auto x) { return atanh(x); }, a, 1 - std::abs(a));
  }
}

TEST_CASE("atan, sinh, cosh and asinh match at any point, acosh on (1, inf)") {
  for (const double a : any_x) {
    check_gradient([](auto x) { return atan(x); }, std::array{a});
    check_gradient([](auto x) { return asinh(x); }, std::array{a});
    if (std::abs(a) < 710) {
      check_gradient([](auto x) { return sinh(x); }, std::array{a});
      check_gradient([](auto x) { return cosh(x); }, std::array{a});
    }
  }
  for (const double a :
       {1 + 0x1.0p-52, 1 + 1e-12, 1 + 1e-6, 1.001, 1.5, 2.0, 10.0, 1e5, 1e100, 1e300})
    check_near([](auto x) { return acosh(x); }, a, a - 1);
  // Far out, where 1 + a² or a² - 1 would overflow: 1/|a|.
  Tape tape;
  for (const double a : {1e200, -1e200, 1e300}) {
    const Value x = tape.var(a);
    const Value y = asinh(x), z = atan(x);
    CHECK(tape.partials(y.index())[0] == doctest::Approx(1 / std::abs(a)).epsilon(1e-15));
    CHECK(tape.partials(z.index())[0] == doctest::Approx(1 / a / a).epsilon(1e-15));
    if (a > 0) {
      const Value w = acosh(x);
      CHECK(tape.partials(w.index())[0] == doctest::Approx(1 / a).epsilon(1e-15));
    }
  }
}

TEST_CASE("atan2 and hypot match in all four quadrants, with constants on either side") {
  const std::array<double, 9> xs = {-5.0, -1.0, -0.3, -1e-8, 1e-8, 0.2, 1.0, 3.0, 1e3};
  for (const double a : xs)
    for (const double b : xs) {
      // Finite differences step short of the origin, and of the negative x
      // axis, where atan2 jumps by 2π.
      const double origin = std::hypot(a, b);
      const double step = check::step_within(a, b < 0 ? std::fmin(std::abs(a), origin) : origin);
      const auto check = [&](auto f, auto point) { check_gradient(f, point, 1e-6, 1e-12, step); };
      check([](auto y, auto x) { return atan2(y, x); }, std::array{a, b});
      check([](auto x, auto y) { return hypot(x, y); }, std::array{a, b});
      check([b](auto y) { return atan2(y, b); }, std::array{a});
      check([b](auto x) { return atan2(b, x); }, std::array{a});
      check([b](auto x) { return hypot(x, b); }, std::array{a});
      check([b](auto x) { return hypot(b, x); }, std::array{a});
    }
  // atan2 is continuous across the negative x axis only from above: check
  // both sides of it, a step away.
  check_gradient([](auto y, auto x) { return atan2(y, x); }, std::array{1e-3, -2.0});
  check_gradient([](auto y, auto x) { return atan2(y, x); }, std::array{-1e-3, -2.0});
}

TEST_CASE("hypot neither overflows nor underflows, and its gradient stays finite") {
  Tape tape;
  const Value a = tape.var(3e200), b = tape.var(4e200);
  const Value h = hypot(a, b);
  h.backward();
  CHECK(h.value() == doctest::Approx(5e200).epsilon(1e-15)); // 3e200, 4e200 are inexact
  CHECK(a.grad() == doctest::Approx(0.6).epsilon(1e-15));
  CHECK(b.grad() == doctest::Approx(0.8).epsilon(1e-15));
  const Value naive = sqrt(a * a + b * b); // what hypot replaces
  CHECK(std::isinf(naive.value()));

  const Value c = tape.var(3e-200), d = tape.var(-4e-200);
  const Value g = hypot(c, d);
  g.backward();
  CHECK(g.value() == doctest::Approx(5e-200).epsilon(1e-15));
  CHECK(c.grad() == doctest::Approx(0.6).epsilon(1e-15));
  CHECK(d.grad() == doctest::Approx(-0.8).epsilon(1e-15));

  const Value y = atan2(c, d); // partials -d/h², c/h² ~ 1e199: no overflow of h²
  y.backward();
  CHECK(c.grad() == doctest::Approx(-1.6e199).epsilon(1e-14));
  CHECK(d.grad() == doctest::Approx(-1.2e199).epsilon(1e-14));
}

TEST_CASE("at the origin hypot's partials are 0 and atan2's are NaN") {
  Tape tape;
  const Value x = tape.var(0.0), y = tape.var(0.0);
  const Value h = hypot(x, y);
  CHECK(h.value() == 0.0);
  CHECK(tape.partials(h.index())[0] == 0.0);
  CHECK(tape.partials(h.index())[1] == 0.0);
  CHECK(tape.partials(hypot(x, 0.0).index())[0] == 0.0);
  const Value t = atan2(y, x);
  CHECK(t.value() == 0.0);
  CHECK(std::isnan(tape.partials(t.index())[0]));
}

TEST_CASE("outside a domain the value is NaN, at its edge the derivative is infinite") {
  const double inf = std::numeric_limits<double>::infinity();
  Tape tape;
  const auto partial = [&](const Value& v) { return tape.partials(v.index())[0]; };
  const Value one = tape.var(1.0), minus_one = tape.var(-1.0), two = tape.var(2.0),
              half = tape.var(0.5);
  CHECK(std::isnan(asin(two).value()));
  CHECK(std::isnan(acos(two).value()));
  CHECK(std::isnan(acosh(half).value()));
  CHECK(std::isnan(atanh(two).value()));
  CHECK(asin(one).value() == std::numbers::pi / 2);
  CHECK(partial(asin(one)) == inf);
  CHECK(partial(asin(minus_one)) == inf);
  CHECK(partial(acos(one)) == -inf);
  CHECK(acosh(one).value() == 0.0);
  CHECK(partial(acosh(one)) == inf);
  CHECK(atanh(one).value() == inf);
  CHECK(partial(atanh(one)) == inf);
  CHECK(atanh(minus_one).value() == -inf);
  CHECK(cosh(tape.var(711.0)).value() == inf);
}

TEST_CASE("the ops print with their names, a folded constant as c") {
  Tape tape;
  const Value x = tape.var(0.5);
  CHECK(format_call(tape, atan2(x, 2.0).index()) == "atan2(#0, c)");
  CHECK(format_call(tape, atan2(2.0, x).index()) == "atan2(c, #0)");
  CHECK(format_call(tape, atan2(x, x).index()) == "atan2(#0, #0)");
  CHECK(format_call(tape, hypot(3.0, x).index()) == "hypot(#0, c)");
  CHECK(format_call(tape, acosh(x).index()) == "acosh(#0)");
}

TEST_CASE("anomaly mode names the new op that made a NaN or an infinity") {
  Tape tape;
  tape.set_detect_anomaly(true);
  const Value two = tape.var(2.0, "two"), one = tape.var(1.0), big = tape.var(1.5e308);
  CHECK_THROWS_WITH_AS(asin(two), doctest::Contains("#3 asin(#0) value=nan"), Error);
  CHECK_THROWS_WITH_AS(atanh(one), doctest::Contains("atanh(#1) value=inf"), Error);
  CHECK_THROWS_WITH_AS(hypot(big, 1.5e308), doctest::Contains("hypot(#2, c) value=inf"), Error);
  CHECK(tape.size() == 3);
}
