// fmin, fmax, clamp, floor, ceil, round and trunc (piecewise.hpp): gradients
// three ways on both sides of every kink and step, and the documented rule at
// the kink itself (PyTorch's): ties share, clamp is inclusive, NaN is ignored.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

#include "gradient_check.hpp"

using namespace tapegrad;
using check::check_gradient;

namespace {
using std::ceil, std::clamp, std::floor, std::fmax, std::fmin, std::round, std::trunc;
using tapegrad::ceil, tapegrad::floor, tapegrad::fmax, tapegrad::fmin, tapegrad::round,
    tapegrad::trunc, tapegrad::clamp, check::clamp;

/// a's gradient and b's after backward() from f(a, b).
template <class F> std::array<double, 2> grads(F f, double a, double b) {
  Tape tape;
  const Value x = tape.var(a), y = tape.var(b);
  f(x, y).backward();
  return {x.grad(), y.grad()};
}
} // namespace

TEST_CASE("fmin and fmax match on both sides of the tie, and with constants") {
  for (const double a : {-2.0, -1e-9, 0.0, 0.5, 1.0 - 1e-3, 1.0 + 1e-3, 7.0})
    for (const double b : {-1.0, 0.0, 1.0, 1e-12}) {
      if (a == b) continue; // at the tie, finite differences see the kink
      const double step = check::step_within(a, std::abs(a - b));
      check_gradient([](auto x, auto y) { return fmax(x, y); }, std::array{a, b}, 1e-6, 1e-12,
                     step);
      check_gradient([](auto x, auto y) { return fmin(x, y); }, std::array{a, b}, 1e-6, 1e-12,
                     step);
      check_gradient([b](auto x) { return fmax(x, b) * fmin(b, x); }, std::array{a}, 1e-6, 1e-12,
                     step);
      check_gradient([b](auto x) { return fmin(x, b) + fmax(b, x); }, std::array{a}, 1e-6, 1e-12,
                     step);
    }
}

TEST_CASE("fmin and fmax share the gradient evenly at a tie (torch.maximum's rule)") {
  using A = std::array<double, 2>;
  CHECK(grads([](Value x, Value y) { return fmax(x, y); }, 2.0, 2.0) == A{0.5, 0.5});
  CHECK(grads([](Value x, Value y) { return fmin(x, y); }, 2.0, 2.0) == A{0.5, 0.5});
  CHECK(grads([](Value x, Value y) { return fmax(y, x); }, -0.0, 0.0) == A{0.5, 0.5});
  CHECK(grads([](Value x, Value y) { return fmax(x, y); }, 3.0, 2.0) == A{1.0, 0.0});
  CHECK(grads([](Value x, Value y) { return fmin(x, y); }, 3.0, 2.0) == A{0.0, 1.0});
  CHECK(grads([](Value x, Value) { return fmax(x, x); }, 3.0, 0.0) == A{1.0, 0.0});
  CHECK(grads([](Value x, Value) { return fmax(x, 3.0) + fmin(3.0, x); }, 3.0, 0.0) == A{1.0, 0.0});
  CHECK(grads([](Value x, Value) { return fmax(x, 1.0); }, 1.0, 0.0) == A{0.5, 0.0});
}

TEST_CASE("fmin and fmax ignore a NaN argument, as std::fmin and std::fmax do") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  using A = std::array<double, 2>;
  CHECK(grads([](Value x, Value y) { return fmax(x, y); }, nan, 2.0) == A{0.0, 1.0});
  CHECK(grads([](Value x, Value y) { return fmin(x, y); }, 2.0, nan) == A{1.0, 0.0});
  Tape tape;
  const Value x = tape.var(nan);
  CHECK(fmax(x, 4.0).value() == 4.0);
  CHECK(tape.partials(fmax(x, 4.0).index())[0] == 0.0);
  CHECK(fmin(tape.var(-1.0), nan).value() == -1.0);
}

TEST_CASE("clamp matches inside and outside its bounds, with double or Value bounds") {
  for (const double a : {-3.0, -1.0 - 1e-6, -1.0 + 1e-6, 0.0, 0.7, 2.0 - 1e-4, 2.0 + 1e-4, 9.0}) {
    check_gradient([](auto x) { return clamp(x, -1.0, 2.0); }, std::array{a});
    check_gradient([](auto x, auto lo, auto hi) { return clamp(x, lo, hi); },
                   std::array{a, -1.0, 2.0});
    check_gradient([](auto x, auto lo, auto hi) { return clamp(x * x, lo, hi) * lo * hi; },
                   std::array{a, -1.0, 2.0});
  }
}

TEST_CASE("clamp passes the gradient to a at the bounds themselves (torch.clamp's rule)") {
  for (const double a : {-1.0, 2.0}) {
    Tape tape;
    const Value x = tape.var(a), lo = tape.var(-1.0), hi = tape.var(2.0);
    clamp(x, lo, hi).backward();
    CHECK(x.grad() == 1.0);
    CHECK(lo.grad() == 0.0);
    CHECK(hi.grad() == 0.0);
    const Value y = clamp(x, -1.0, 2.0);
    y.backward();
    CHECK(y.value() == a);
    CHECK(x.grad() == 1.0);
  }
  struct Case {
    double x, lo, hi, value, dx, dlo, dhi;
  };
  for (const Case c : {Case{-5, -1, 2, -1, 0, 1, 0}, Case{5, -1, 2, 2, 0, 0, 1},
                       Case{0, 3, 1, 1, 0, 0, 1},    // lo > hi: hi, as torch.clamp
                       Case{5, 3, 1, 1, 0, 0, 1},    //
                       Case{0, 1, 1, 1, 0, 0, 0},    // lo == hi, a below: no gradient
                       Case{1, 1, 1, 1, 1, 0, 0}}) { // lo == hi == a: a's
    CAPTURE(c.x);
    CAPTURE(c.lo);
    CAPTURE(c.hi);
    Tape tape;
    const Value x = tape.var(c.x), lo = tape.var(c.lo), hi = tape.var(c.hi);
    const Value y = clamp(x, lo, hi);
    y.backward();
    CHECK(y.value() == c.value);
    CHECK(x.grad() == c.dx);
    CHECK(lo.grad() == c.dlo);
    CHECK(hi.grad() == c.dhi);
    CHECK(clamp(x, c.lo, c.hi).value() == c.value);
  }
  Tape tape;
  const Value n = tape.var(std::numeric_limits<double>::quiet_NaN());
  CHECK(std::isnan(clamp(n, 0.0, 1.0).value()));
}

TEST_CASE("floor, ceil, round and trunc have derivative 0, on both sides of a step and on it") {
  for (const double a :
       {-2.5, -2.0, -1.5 - 1e-9, -0.5, -1e-300, 0.0, 0.49, 0.5, 0.51, 1.0, 2.5, 1e300}) {
    CAPTURE(a);
    Tape tape;
    const Value x = tape.var(a);
    for (const Value y : {floor(x), ceil(x), round(x), trunc(x)}) {
      y.backward();
      CHECK(x.grad() == 0.0);
    }
    CHECK(floor(x).value() == std::floor(a));
    CHECK(ceil(x).value() == std::ceil(a));
    CHECK(round(x).value() == std::round(a)); // halves away from 0
    CHECK(trunc(x).value() == std::trunc(a));
    // Off the steps (at integers, and at halves for round) finite differences
    // agree, with a step short of the nearest.
    const double distance = std::abs(a - std::round(2 * a) / 2);
    if (distance > 0) {
      const double step = check::step_within(a, distance);
      check_gradient([](auto v) { return floor(v) + v; }, std::array{a}, 1e-6, 1e-12, step);
      check_gradient([](auto v) { return ceil(v) * v; }, std::array{a}, 1e-6, 1e-12, step);
      check_gradient([](auto v) { return trunc(v) - v; }, std::array{a}, 1e-6, 1e-12, step);
      check_gradient([](auto v) { return round(v) * v; }, std::array{a}, 1e-6, 1e-12, step);
    }
  }
  Tape tape;
  CHECK(round(tape.var(2.5)).value() == 3.0);
  CHECK(round(tape.var(-0.5)).value() == -1.0);
}

TEST_CASE("the ops print with their names, a folded constant as c") {
  Tape tape;
  const Value x = tape.var(0.5);
  CHECK(format_call(tape, fmax(x, 2.0).index()) == "fmax(#0, c)");
  CHECK(format_call(tape, fmin(2.0, x).index()) == "fmin(#0, c)");
  CHECK(format_call(tape, clamp(x, 0.0, 1.0).index()) == "clamp(#0, c)");
  CHECK(format_call(tape, clamp(x, x, x).index()) == "clamp(#0, #0, #0)");
  CHECK(format_call(tape, round(x).index()) == "round(#0)");
}
