// log1p, expm1, exp2, log2, log10 and cbrt (exponential.hpp): gradients three
// ways at many points, near every domain edge, and the accuracy that the
// spelled-out forms lose.
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

#include "gradient_check.hpp"

using namespace tapegrad;
using check::check_gradient;

namespace {
using std::cbrt, std::exp2, std::expm1, std::log, std::log10, std::log1p, std::log2;
using tapegrad::cbrt, tapegrad::exp2, tapegrad::expm1, tapegrad::log, tapegrad::log10,
    tapegrad::log1p, tapegrad::log2;

const std::vector<double> any_x = {-700,   -30,   -7.5, -2,   -0.9, -0.3, -1e-10, -1e-300, 0,
                                   1e-300, 1e-10, 1e-3, 0.25, 1,    3,    12,     40,      700};
const std::vector<double> positive_x = {1e-300, 1e-100, 1e-10, 1e-3, 0.1,  0.5,   1.0,
                                        1.5,    2.5,    10.0,  1e3,  1e10, 1e100, 1e300};
} // namespace

TEST_CASE("expm1 and exp2 match dual numbers and finite differences at any point") {
  for (const double a : any_x) {
    check_gradient([](auto x) { return expm1(x); }, std::array{a});
    check_gradient([](auto x) { return exp2(x); }, std::array{a});
  }
}

TEST_CASE("log2, log10 and cbrt match on (0, inf), log1p on (-1, inf), cbrt below 0 too") {
  // Finite differences step well inside the domain: 1e-4 of the distance to 0 (or -1).
  const auto check = [](auto f, double a, double distance) {
    check_gradient(f, std::array{a}, 1e-6, 1e-12, check::step_within(a, distance));
  };
  for (const double a : positive_x) {
    check([](auto x) { return log2(x); }, a, a);
    check([](auto x) { return log10(x); }, a, a);
    check([](auto x) { return cbrt(x); }, a, a);
    check([](auto x) { return cbrt(x); }, -a, a);
    check([](auto x) { return log1p(x); }, a, 1 + a);
    check([](auto x) { return log1p(x); }, -a / (1 + a), 1 / (1 + a)); // in (-1, 0)
  }
  // Next to the edge of log1p's domain, where 1 + x is exact.
  for (const double a : {-1 + 1e-3, -1 + 1e-8, -1 + 0x1.0p-52})
    check([](auto x) { return log1p(x); }, a, 1 + a);
}

TEST_CASE("log1p and expm1 keep every digit where log(1 + x) and exp(x) - 1 lose them") {
  Tape tape;
  const Value z = tape.var(1e-10);
  const Value a = log1p(z), b = log(1.0 + z), c = expm1(z), d = exp(z) - 1.0;
  CHECK(a.value() == std::log1p(1e-10));                    // 9.9999999995e-11
  CHECK(std::abs(a.value() - 9.9999999995e-11) <= 1.3e-26); // an ulp
  CHECK(std::abs(b.value() - 9.9999999995e-11) > 1e-19);    // wrong in the 8th digit
  CHECK(std::abs(c.value() - 1.00000000005e-10) <= 1.3e-26);
  CHECK(std::abs(d.value() - 1.00000000005e-10) > 1e-19);
  a.backward();
  CHECK(z.grad() == 1.0 / (1.0 + 1e-10));
}

TEST_CASE("the domain edges follow IEEE arithmetic") {
  const double inf = std::numeric_limits<double>::infinity();
  Tape tape;
  const auto partial = [&](const Value& v) { return tape.partials(v.index())[0]; };
  const Value m1 = tape.var(-1.0), zero = tape.var(0.0), neg = tape.var(-2.0);
  CHECK(log1p(m1).value() == -inf);
  CHECK(partial(log1p(m1)) == inf);
  CHECK(std::isnan(log1p(neg).value()));
  CHECK(log2(zero).value() == -inf);
  CHECK(partial(log2(zero)) == inf);
  CHECK(std::isnan(log10(neg).value()));
  CHECK(cbrt(neg).value() == -1.2599210498948732); // real, unlike pow(-2, 1/3.)
  CHECK(cbrt(zero).value() == 0.0);
  CHECK(partial(cbrt(zero)) == inf);
  CHECK(exp2(tape.var(1024.0)).value() == inf);
  CHECK(expm1(tape.var(-inf)).value() == -1.0);
  CHECK(exp2(tape.var(-1080.0)).value() == 0.0);
}

TEST_CASE("exp2, log2, log10 and cbrt are exact where the result is a double") {
  Tape tape;
  CHECK(exp2(tape.var(10.0)).value() == 1024.0);
  CHECK(log2(tape.var(1024.0)).value() == 10.0);
  CHECK(log10(tape.var(1e22)).value() == 22.0);
  CHECK(cbrt(tape.var(-27.0)).value() == -3.0); // glibc's std::cbrt: -3.0000000000000004
  CHECK(cbrt(tape.var(1000.0)).value() == 10.0);
  CHECK(cbrt(tape.var(0x1.0p-1050)).value() == 0x1.0p-350); // exact (a subnormal input)
  CHECK(cbrt(tape.var(-1e300)).value() == -1e100);
}
