// How accurate each new function's value and derivative are: tapegrad against
// a long double reference (64-bit significand on x86-64: 11 more bits) and
// against the dual-number oracle, over thousands of points across each
// domain, edges and tails included. Prints the worst relative errors as a
// table and checks each against a bound of a few ulps.
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>

#include "gradient_check.hpp"

using namespace tapegrad;

namespace {
using Ld = long double;

/// A function under test: tapegrad's, the oracle's, the reference (value and
/// derivative in long double), and the points to try.
struct Subject {
  std::string name;
  std::function<Value(Value)> engine;
  std::function<check::Dual(check::Dual)> oracle;
  std::function<Ld(Ld)> value, slope;
  std::function<bool(double)> in_domain;
  double value_bound, slope_bound; ///< the relative errors the test allows
};

/// Points over the whole line: ±10^k for k in [-300, 300] in steps of 1/8,
/// a fine grid over [-40, 40], and the edges ±1, 1 ± 2^-k, -1 + 2^-k.
std::vector<double> points() {
  std::vector<double> xs = {0.0};
  for (int k = -2400; k <= 2400; ++k) {
    const double x = std::pow(10.0, k / 8.0);
    xs.insert(xs.end(), {x, -x});
  }
  for (int k = -4000; k <= 4000; ++k) xs.push_back(k / 100.0 + 0.003);
  for (int k = 1; k <= 53; ++k) {
    const double e = std::ldexp(1.0, -k);
    xs.insert(xs.end(), {1 - e, -1 + e, 1 + e, -1 - e, e - 1});
  }
  return xs;
}

/// |a - b| / |b|, with |b| below DBL_MIN counted as DBL_MIN.
double relative(double a, Ld b) {
  if (std::isnan(a) && std::isnan(static_cast<double>(b))) return 0;
  if (static_cast<double>(b) == a) return 0; // infinities too
  const Ld scale = std::fmax(std::fabs(b), static_cast<Ld>(0x1.0p-1022));
  return static_cast<double>(std::fabs(static_cast<Ld>(a) - b) / scale);
}

const Ld two_over_sqrt_pi = 1.12837916709551257389615890312154517L;
const Ld inv_sqrt_2pi = 0.398942280401432677939946059934381868L;
const Ld inv_sqrt2 = 0.707106781186547524400844362104849039L;
const Ld ln2 = 0.693147180559945309417232121458176568L;
const Ld ln10 = 2.30258509299404568401799145468436421L;
bool any(double) { return true; }

std::vector<Subject> subjects() {
  using D = check::Dual;
  return {
      {"erf", [](Value x) { return erf(x); }, [](D x) { return check::erf(x); },
       [](Ld x) { return erfl(x); }, [](Ld x) { return two_over_sqrt_pi * expl(-x * x); }, any,
       4e-16, 4e-16},
      {"erfc", [](Value x) { return erfc(x); }, [](D x) { return check::erfc(x); },
       [](Ld x) { return erfcl(x); }, [](Ld x) { return -two_over_sqrt_pi * expl(-x * x); }, any,
       1e-15, 4e-16},
      {"normal_cdf", [](Value x) { return normal_cdf(x); },
       [](D x) { return check::normal_cdf(x); }, [](Ld x) { return 0.5L * erfcl(-x * inv_sqrt2); },
       [](Ld x) { return inv_sqrt_2pi * expl(-x * x / 2); }, any, 1e-15, 4e-16},
      {"log1p", [](Value x) { return log1p(x); }, [](D x) { return check::log1p(x); },
       [](Ld x) { return log1pl(x); }, [](Ld x) { return 1 / (1 + x); },
       [](double x) { return x > -1; }, 4e-16, 4e-16},
      {"expm1", [](Value x) { return expm1(x); }, [](D x) { return check::expm1(x); },
       [](Ld x) { return expm1l(x); }, [](Ld x) { return expl(x); }, any, 4e-16, 4e-16},
      {"exp2", [](Value x) { return exp2(x); }, [](D x) { return check::exp2(x); },
       [](Ld x) { return exp2l(x); }, [](Ld x) { return exp2l(x) * ln2; }, any, 4e-16, 4e-16},
      {"log2", [](Value x) { return log2(x); }, [](D x) { return check::log2(x); },
       [](Ld x) { return log2l(x); }, [](Ld x) { return 1 / (x * ln2); },
       [](double x) { return x > 0; }, 4e-16, 4e-16},
      {"log10", [](Value x) { return log10(x); }, [](D x) { return check::log10(x); },
       [](Ld x) { return log10l(x); }, [](Ld x) { return 1 / (x * ln10); },
       [](double x) { return x > 0; }, 4e-16, 4e-16},
      {"cbrt", [](Value x) { return cbrt(x); }, [](D x) { return check::cbrt(x); },
       [](Ld x) { return cbrtl(x); }, [](Ld x) { return 1 / (3 * cbrtl(x) * cbrtl(x)); },
       [](double x) { return x != 0; }, 4e-16, 4e-16},
      {"tan", [](Value x) { return tan(x); }, [](D x) { return check::tan(x); },
       [](Ld x) { return tanl(x); }, [](Ld x) { return 1 + tanl(x) * tanl(x); }, any, 4e-16, 4e-16},
      {"asin", [](Value x) { return asin(x); }, [](D x) { return check::asin(x); },
       [](Ld x) { return asinl(x); }, [](Ld x) { return 1 / sqrtl((1 - x) * (1 + x)); },
       [](double x) { return std::abs(x) < 1; }, 4e-16, 4e-16},
      {"acos", [](Value x) { return acos(x); }, [](D x) { return check::acos(x); },
       [](Ld x) { return acosl(x); }, [](Ld x) { return -1 / sqrtl((1 - x) * (1 + x)); },
       [](double x) { return std::abs(x) < 1; }, 4e-16, 4e-16},
      {"atan", [](Value x) { return atan(x); }, [](D x) { return check::atan(x); },
       [](Ld x) { return atanl(x); }, [](Ld x) { return 1 / (1 + x * x); }, any, 4e-16, 4e-16},
      {"sinh", [](Value x) { return sinh(x); }, [](D x) { return check::sinh(x); },
       [](Ld x) { return sinhl(x); }, [](Ld x) { return coshl(x); }, any, 4e-16, 4e-16},
      {"cosh", [](Value x) { return cosh(x); }, [](D x) { return check::cosh(x); },
       [](Ld x) { return coshl(x); }, [](Ld x) { return sinhl(x); }, any, 4e-16, 4e-16},
      {"asinh", [](Value x) { return asinh(x); }, [](D x) { return check::asinh(x); },
       [](Ld x) { return asinhl(x); }, [](Ld x) { return 1 / sqrtl(1 + x * x); }, any, 4e-16,
       4e-16},
      {"acosh", [](Value x) { return acosh(x); }, [](D x) { return check::acosh(x); },
       [](Ld x) { return acoshl(x); }, [](Ld x) { return 1 / sqrtl((x - 1) * (x + 1)); },
       [](double x) { return x > 1; }, 4e-16, 4e-16},
      {"atanh", [](Value x) { return atanh(x); }, [](D x) { return check::atanh(x); },
       [](Ld x) { return atanhl(x); }, [](Ld x) { return 1 / ((1 - x) * (1 + x)); },
       [](double x) { return std::abs(x) < 1; }, 4e-16, 4e-16},
  };
}
} // namespace

TEST_CASE("each function's value and derivative are within a few ulps of long double") {
  const std::vector<double> xs = points();
  std::string table = fmt::format("{:<11} {:>6}  {:>11}  {:>11}  {:>11}\n", "function", "points",
                                  "value", "derivative", "vs oracle");
  for (const Subject& s : subjects()) {
    CAPTURE(s.name);
    double value_error = 0, slope_error = 0, oracle_error = 0;
    int n = 0;
    for (const double x : xs) {
      if (!s.in_domain(x)) continue;
      const Ld v = s.value(x), d = s.slope(x);
      // Where the result or its derivative is beyond the doubles, IEEE decides.
      if (!(std::fabs(v) <= std::numeric_limits<double>::max()) ||
          !(std::fabs(d) <= std::numeric_limits<double>::max()))
        continue;
      Tape tape;
      const Value y = s.engine(tape.var(x));
      const double partial = tape.partials(y.index())[0];
      const double ev = relative(y.value(), v), ed = relative(partial, d);
      const check::Dual o = s.oracle(check::Dual{x, 1.0});
      const double eo = std::abs(partial - o.d) /
                        std::fmax(std::fmax(std::abs(partial), std::abs(o.d)), 0x1.0p-1022);
      if (ev > s.value_bound || ed > s.slope_bound) {
        CAPTURE(x);
        CHECK(ev <= s.value_bound);
        CHECK(ed <= s.slope_bound);
      }
      value_error = std::fmax(value_error, ev);
      slope_error = std::fmax(slope_error, ed);
      // The oracle's textbook forms overflow beyond 1e154 (1 + x² in atan'):
      // compared where the differential fuzzer uses it, below 1e150.
      if (std::abs(x) < 1e150) oracle_error = std::fmax(oracle_error, eo);
      ++n;
    }
    CHECK(n > 500);
    table += fmt::format("{:<11} {:>6}  {:>11.2e}  {:>11.2e}  {:>11.2e}\n", s.name, n, value_error,
                         slope_error, oracle_error);
  }
  // atan2 and hypot on a grid of (y, x), both partials; the derivative
  // column is the worse of the two.
  std::vector<double> grid;
  for (std::size_t i = 0; i < xs.size(); i += 37) grid.push_back(xs[i]);
  struct Binary {
    const char* name;
    Value (*engine)(Value, Value);
    check::Dual (*oracle)(check::Dual, check::Dual);
  };
  for (const Binary b : {Binary{"atan2", [](Value y, Value x) { return atan2(y, x); },
                                [](check::Dual y, check::Dual x) { return check::atan2(y, x); }},
                         Binary{"hypot", [](Value y, Value x) { return hypot(y, x); },
                                [](check::Dual y, check::Dual x) { return check::hypot(y, x); }}}) {
    CAPTURE(b.name);
    const bool is_atan2 = b.name == std::string("atan2");
    double value_error = 0, slope_error = 0, oracle_error = 0;
    int n = 0;
    for (const double y : grid)
      for (const double x : grid) {
        if (x == 0 && y == 0) continue;
        const Ld ly = y, lx = x, h = hypotl(ly, lx);
        const Ld v = is_atan2 ? atan2l(ly, lx) : h;
        const Ld dy = is_atan2 ? lx / h / h : ly / h, dx = is_atan2 ? -ly / h / h : lx / h;
        if (!(std::fabs(v) <= std::numeric_limits<double>::max()) ||
            !(std::fabs(dy) <= std::numeric_limits<double>::max()) ||
            !(std::fabs(dx) <= std::numeric_limits<double>::max()))
          continue;
        Tape tape;
        const Value r = b.engine(tape.var(y), tape.var(x));
        const auto partials = tape.partials(r.index());
        const double ev = relative(r.value(), v);
        const double ed = std::fmax(relative(partials[0], dy), relative(partials[1], dx));
        CHECK(ev <= 4e-16);
        CHECK(ed <= 1e-15);
        value_error = std::fmax(value_error, ev);
        slope_error = std::fmax(slope_error, ed);
        if (std::abs(x) < 1e150 && std::abs(y) < 1e150 && std::abs(x) + std::abs(y) > 1e-150) {
          const double oy = b.oracle({y, 1}, {x, 0}).d, ox = b.oracle({y, 0}, {x, 1}).d;
          const auto diff = [](double p, double q) {
            return std::abs(p - q) / std::fmax(std::fmax(std::abs(p), std::abs(q)), 0x1.0p-1022);
          };
          oracle_error =
              std::fmax(oracle_error, std::fmax(diff(partials[0], oy), diff(partials[1], ox)));
        }
        ++n;
      }
    table += fmt::format("{:<11} {:>6}  {:>11.2e}  {:>11.2e}  {:>11.2e}\n", b.name, n, value_error,
                         slope_error, oracle_error);
  }
  MESSAGE("worst relative error against long double (value, derivative) and between the "
          "derivative and the dual-number oracle (|x| < 1e150)\n"
          << table);
}
