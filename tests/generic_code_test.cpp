// Code written once for double and for Value: comparisons that return bool,
// select(), constants made from doubles, sum({...}). The same template must
// compute the same numbers with both types, and the Value run the gradient.
#include <algorithm>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;
using doctest::Contains;

namespace {
/// A smooth-ish function with a branch, std::max, T(1) and an accumulator that
/// starts as a constant: what an engineer writes without thinking of AD.
template <class T> T generic(T x, T y) {
  T acc = T(0.0);
  for (int k = 1; k <= 3; ++k) acc += std::max(x, y) * T(k);
  if (x > 1.0) acc = acc + x * x;
  return select(y < x, acc - y, acc + T(1) / y);
}
} // namespace

TEST_CASE(
    "a template gives the same value for double and Value, and the gradient of the branch taken") {
  for (const auto& point : {std::pair{0.5, 2.0}, std::pair{3.0, 0.25}, std::pair{1.5, 1.25}}) {
    const double x0 = point.first,
                 y0 = point.second; // (clang 14: no structured bindings in CAPTURE)
    CAPTURE(x0);
    CAPTURE(y0);
    Tape tape;
    const Value x = tape.var(x0), y = tape.var(y0);
    const Value f = generic(x, y);
    CHECK(f.value() == doctest::Approx(generic(x0, y0)).epsilon(1e-15));
    f.backward();
    // Central differences of the double version, away from every branch point.
    const double h = 1e-6;
    CHECK(x.grad() ==
          doctest::Approx((generic(x0 + h, y0) - generic(x0 - h, y0)) / (2 * h)).epsilon(1e-7));
    CHECK(y.grad() ==
          doctest::Approx((generic(x0, y0 + h) - generic(x0, y0 - h)) / (2 * h)).epsilon(1e-7));
  }
}

TEST_CASE("comparisons compare values and return bool, with Values and doubles on either side") {
  Tape tape;
  const Value a = tape.var(1.0), b = tape.var(2.0), also_one = tape.var(1.0);
  CHECK(a < b);
  CHECK(b > a);
  CHECK(a <= also_one);
  CHECK(a >= also_one);
  CHECK(a == also_one);
  CHECK(a != b);
  CHECK(a < 1.5);
  CHECK(0.5 < a);
  CHECK(2.0 == b);
  CHECK_FALSE(a > 1.0);
  const Value nan = tape.var(std::nan(""));
  CHECK_FALSE(nan < a);
  CHECK_FALSE(nan >= a);
  CHECK_FALSE(nan == nan);
  CHECK(tape.size() == 4); // nothing was recorded
}

TEST_CASE("std::max and std::sort work on Values, and the gradient goes to the one chosen") {
  Tape tape;
  const Value x = tape.var(3.0, "x"), y = tape.var(-1.0, "y"), z = tape.var(2.0, "z");
  const Value m = std::max(x, y);
  CHECK(m.index() == x.index());
  std::vector<Value> v = {x, y, z};
  std::sort(v.begin(), v.end());
  CHECK(v[0].name() == "y");
  CHECK(v[1].name() == "z");
  CHECK(v[2].name() == "x");
  const Value out = std::min(x, z) * 5.0;
  out.backward();
  CHECK(z.grad() == 5.0);
  CHECK(x.grad() == 0.0);
}

TEST_CASE("select() picks one of two without recording, for Value and double") {
  Tape tape;
  const Value x = tape.var(-2.0);
  const Value r = select(x > 0.0, x, 0.0); // relu written generically
  CHECK(r.is_constant());
  CHECK(r.value() == 0.0);
  const Value s = select(x < 0.0, x * x, x);
  CHECK(s.value() == 4.0);
  s.backward();
  CHECK(x.grad() == -4.0);
  CHECK(select(true, 1.5, 2.5) == 1.5);
  CHECK(tape.size() == 2);
}

TEST_CASE("a Value made from a double is a constant until it meets a tape") {
  Tape tape;
  const Value x = tape.var(2.0, "x");
  Value acc = 0.0;
  CHECK(acc.is_constant());
  CHECK_FALSE(acc.empty());
  CHECK(acc.grad() == 0.0);
  CHECK(acc.name().empty());
  acc += x; // folds the constant in: one node, add(#0, c)
  CHECK_FALSE(acc.is_constant());
  CHECK(format_call(tape, acc.index()) == "add(#0, c)");
  const Value two = 2.0;
  CHECK(format_call(tape, (two - x).index()) == "sub(c, #0)");
  CHECK(format_call(tape, (x / two).index()) == "mul(#0, c)");
  CHECK(format_call(tape, pow(two, x).index()) == "pow(c, #0)");
  // Constants only: a constant, on no tape, whatever the operation.
  const std::size_t size = tape.size();
  const Value c = exp(two) * Value(3.0) + sqrt(Value(4.0));
  CHECK(c.is_constant());
  CHECK(c.value() == doctest::Approx(3.0 * std::exp(2.0) + 2.0));
  CHECK(tape.size() == size);
  CHECK(format_value(c).find("<constant") == 0);
  // Misuse names the constant.
  CHECK_THROWS_WITH_AS(c.backward(), Contains("a constant"), Error);
  CHECK_THROWS_WITH_AS(c.set_value(1.0), Contains("a constant"), Error);
  CHECK_THROWS_WITH_AS(c.named("c"), Contains("a constant"), Error);
  CHECK_THROWS_WITH_AS((void)c.tape(), Contains("a constant"), Error);
  CHECK_THROWS_WITH_AS(tape.backward(c), Contains("a constant"), Error);
  // An empty Value is still an error, not a constant.
  const Value empty;
  CHECK(empty.empty());
  CHECK_FALSE(empty.is_constant());
  CHECK_THROWS_WITH_AS(empty + 1.0, Contains("empty Value"), Error);
  CHECK_THROWS_WITH_AS(Value(1.0) * empty, Contains("empty Value"), Error);
  CHECK_THROWS_WITH_AS(x + empty, Contains("empty Value"), Error);
  // A NaN constant stays a NaN constant (not an empty handle).
  const Value nan = std::nan("");
  CHECK(nan.is_constant());
  CHECK(std::isnan(nan.value()));
}

TEST_CASE("sum({...}) takes a braced list; of constants or of nothing it is a constant") {
  Tape tape;
  const Value a = tape.var(1.0), b = tape.var(2.0);
  const Value s = sum({a, b, Value(4.0)});
  CHECK(s.value() == 7.0);
  CHECK(tape.operands(s.index()).size() == 2); // the constant is folded in
  s.backward();
  CHECK(a.grad() == 1.0);
  CHECK(sum({}).is_constant());
  CHECK(sum({}).value() == 0.0);
  CHECK(sum({Value(1.5), Value(2.5)}).value() == 4.0);
}
