// erf, erfc and normal_cdf (special.hpp): values against the C library and
// the tails' known values, gradients three ways at many points, and the
// Black–Scholes greeks against their closed forms.
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
using std::erf, std::erfc, std::exp, std::log, std::sqrt;
using tapegrad::erf, tapegrad::erfc, tapegrad::normal_cdf, tapegrad::exp, tapegrad::log,
    tapegrad::sqrt;

/// Points over the real line, the tails included (erfc(27) underflows).
std::vector<double> real_line() {
  std::vector<double> xs = {0.0, 1e-300, -1e-300, 1e-20, -1e-8, 0.5, -0.5};
  for (double x = -40; x <= 40; x += 0.37) xs.push_back(x);
  for (const double x : {1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 26.0, 27.5, 30.0, 38.0, 1e3})
    xs.insert(xs.end(), {x, -x});
  return xs;
}

/// The relative difference, with numbers below DBL_MIN counted as DBL_MIN.
double relative(double a, double b) {
  return std::abs(a - b) / std::fmax(std::abs(b), 0x1.0p-1022);
}
} // namespace

TEST_CASE("erf, erfc and normal_cdf match dual numbers and finite differences everywhere") {
  for (const double a : real_line()) {
    check_gradient([](auto x) { return erf(x); }, std::array{a});
    check_gradient([](auto x) { return erfc(x); }, std::array{a});
    check_gradient([](auto x) { return normal_cdf(x); }, std::array{a});
    check_gradient([](auto x) { return erf(2.0 * x) * erfc(x - 0.5); }, std::array{a / 4});
  }
}

TEST_CASE("erf and erfc are the C library's, their derivatives the Gaussian to a few ulps") {
  for (const double a : real_line()) {
    CAPTURE(a);
    Tape tape;
    const Value x = tape.var(a);
    const Value e = erf(x), c = erfc(x);
    CHECK(e.value() == std::erf(a));
    CHECK(c.value() == std::erfc(a));
    // e^(-a²) in long double (64-bit significand on x86) as the reference.
    const long double ld = a;
    const auto gauss = static_cast<double>(1.1283791670955125738961589031215452L * expl(-ld * ld));
    CHECK(relative(tape.partials(e.index())[0], gauss) <= 4e-16);
    CHECK(relative(tape.partials(c.index())[0], -gauss) <= 4e-16);
  }
}

TEST_CASE("normal_cdf is accurate in both tails, for double and for Value") {
  CHECK(relative(normal_cdf(-30.0), 4.906713927148187e-198) <= 1e-12);
  CHECK(relative(normal_cdf(-10.0), 7.619853024160527e-24) <= 1e-14);
  CHECK(relative(normal_cdf(-1.0), 0.15865525393145705) <= 1e-15);
  CHECK(normal_cdf(0.0) == 0.5);
  CHECK(normal_cdf(10.0) == 1.0);  // 1 - 7.6e-24 rounds to 1
  CHECK(normal_cdf(-38.0) > 0.0);  // 2.9e-316, a subnormal
  CHECK(normal_cdf(-40.0) == 0.0); // 3.7e-350 is below every double
  CHECK(normal_cdf(-std::numeric_limits<double>::infinity()) == 0.0);
  CHECK(normal_cdf(std::numeric_limits<double>::infinity()) == 1.0);
  CHECK(std::isnan(normal_cdf(std::numeric_limits<double>::quiet_NaN())));

  Tape tape;
  const Value x = tape.var(-30.0);
  const Value p = normal_cdf(x);
  p.backward();
  CHECK(p.value() == normal_cdf(-30.0));
  CHECK(relative(x.grad(), 1.4736461348785475e-196) <= 1e-15); // φ(-30) = e^-450/√(2π)
  for (const double a : real_line()) {
    CAPTURE(a);
    // Against long double: Φ(a) = erfc(-a/√2)/2 with 11 more bits.
    const long double ld = a;
    const auto expected = static_cast<double>(0.5L * erfcl(-ld * 0.70710678118654752440084436L));
    CHECK(relative(normal_cdf(a), expected) <= 4e-16);
  }
}

namespace {
/// The Black–Scholes price of a European call, written once for double and
/// Value: S Φ(d1) - K e^(-rT) Φ(d2).
template <class T> T call_price(T spot, T strike, T years, T rate, T sigma) {
  const T vol = sigma * sqrt(years);
  const T d1 = (log(spot / strike) + (rate + sigma * sigma / 2.0) * years) / vol;
  const T d2 = d1 - vol;
  return spot * normal_cdf(d1) - strike * exp(-rate * years) * normal_cdf(d2);
}

struct Market {
  double spot, strike, years, rate, sigma;
};
} // namespace

TEST_CASE("Black-Scholes greeks from backward() match delta, vega and rho in closed form") {
  for (const Market m : {Market{100, 100, 1, 0.05, 0.2}, Market{100, 120, 0.5, 0.01, 0.3},
                         Market{100, 80, 2, 0.03, 0.15}, Market{50, 100, 0.25, 0.02, 0.25},
                         Market{100, 100, 1e-4, 0.0, 0.4}, Market{100, 60, 5, 0.1, 0.6}}) {
    CAPTURE(m.strike);
    CAPTURE(m.years);
    Tape tape;
    const Value s = tape.var(m.spot), k = tape.var(m.strike), t = tape.var(m.years),
                r = tape.var(m.rate), v = tape.var(m.sigma);
    const Value price = call_price(s, k, t, r, v);
    price.backward();
    CHECK(price.value() ==
          doctest::Approx(call_price(m.spot, m.strike, m.years, m.rate, m.sigma)).epsilon(1e-15));

    const double vol = m.sigma * std::sqrt(m.years);
    const double d1 =
        (std::log(m.spot / m.strike) + (m.rate + m.sigma * m.sigma / 2) * m.years) / vol;
    const double d2 = d1 - vol;
    const double pdf = std::exp(-d1 * d1 / 2) / std::sqrt(2 * std::numbers::pi);
    const double delta = normal_cdf(d1);
    const double vega = m.spot * pdf * std::sqrt(m.years);
    const double rho = m.strike * m.years * std::exp(-m.rate * m.years) * normal_cdf(d2);
    CHECK(relative(s.grad(), delta) <= 1e-12);
    CHECK(relative(v.grad(), vega) <= 1e-12);
    CHECK(relative(r.grad(), rho) <= 1e-12);
  }
}
