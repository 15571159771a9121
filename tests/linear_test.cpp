// linear(): a layer's weighted sums, one dot node per row of weights. It must
// record exactly the nodes dot() records (same operands, partials and value,
// bit for bit), check every handle before writing anything, and write its
// outputs only once every row is on the tape.
#include <array>
#include <cstddef>
#include <random>
#include <span>
#include <type_traits>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

#include "gradient_check.hpp"

using namespace tapegrad;
using doctest::Contains;

namespace {
/// Node `a` and node `b` have the same op, operands, partials and value.
bool same_node(const Tape& tape, Index a, Index b) {
  const auto args_a = tape.operands(a), args_b = tape.operands(b);
  const auto parts_a = tape.partials(a), parts_b = tape.partials(b);
  if (tape.op(a) != tape.op(b) || args_a.size() != args_b.size()) return false;
  for (std::size_t k = 0; k < args_a.size(); ++k)
    if (args_a[k] != args_b[k] || parts_a[k] != parts_b[k]) return false;
  return tape.value(a) == tape.value(b);
}
} // namespace

TEST_CASE("linear() records, row by row, the nodes dot() records") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> number(-2.0, 2.0);
  for (std::size_t rows = 1; rows <= 5; ++rows)
    for (std::size_t inputs = 0; inputs <= 6; ++inputs) {
      CAPTURE(rows);
      CAPTURE(inputs);
      Tape tape;
      std::vector<Value> w, x, b;
      std::vector<double> c;
      for (std::size_t k = 0; k < rows * inputs; ++k) w.push_back(tape.var(number(rng)));
      for (std::size_t i = 0; i < inputs; ++i) x.push_back(tape.var(number(rng)) * 1.5);
      for (std::size_t i = 0; i < inputs; ++i) c.push_back(number(rng));
      for (std::size_t j = 0; j < rows; ++j) b.push_back(tape.var(number(rng)));
      std::vector<Value> out(rows), out_c(rows);
      linear(w, x, b, out);
      linear(w, std::span<const double>(c), b, out_c);
      for (std::size_t j = 0; j < rows; ++j) {
        const auto row = std::span<const Value>(w).subspan(j * inputs, inputs);
        CHECK(same_node(tape, out[j].index(), dot(row, x, b[j]).index()));
        CHECK(
            same_node(tape, out_c[j].index(), dot(row, std::span<const double>(c), b[j]).index()));
      }
      CHECK(out[0].index() + rows == out_c[0].index()); // one node per row, in order
    }
}

TEST_CASE("linear()'s gradients match finite differences and dual numbers") {
  // A 2-input, 2-output layer, its outputs combined so that every weight,
  // input and bias reaches the result along more than one path.
  check::check_gradient(
      [](auto w00, auto w01, auto w10, auto w11, auto x0, auto x1, auto b0, auto b1) {
        if constexpr (std::is_same_v<decltype(w00), Value>) {
          const std::array<Value, 4> w = {w00, w01, w10, w11};
          const std::array<Value, 2> x = {x0, x1}, b = {b0, b1};
          std::array<Value, 2> out;
          linear(w, x, b, out);
          return out[0] * out[1] + out[1];
        } else {
          const auto out0 = b0 + w00 * x0 + w01 * x1, out1 = b1 + w10 * x0 + w11 * x1;
          return out0 * out1 + out1;
        }
      },
      std::array{0.3, -1.2, 0.8, 0.5, 2.0, 0.7, 0.1, -0.4});
  SUBCASE("with constant inputs: d/dw_(j,i) = x_i, d/db_j = 1") {
    Tape tape;
    const std::array<Value, 4> w = {tape.var(1.0), tape.var(2.0), tape.var(3.0), tape.var(4.0)};
    const std::array<Value, 2> b = {tape.var(0.5), tape.var(-0.5)};
    const std::array<double, 2> x = {10.0, 100.0};
    std::array<Value, 2> out;
    linear(w, x, b, out);
    CHECK(out[0].value() == 0.5 + 10.0 + 200.0);
    CHECK(out[1].value() == -0.5 + 30.0 + 400.0);
    const Value y = 2.0 * out[0] + 3.0 * out[1];
    y.backward();
    CHECK(w[0].grad() == 20.0);
    CHECK(w[1].grad() == 200.0);
    CHECK(w[2].grad() == 30.0);
    CHECK(w[3].grad() == 300.0);
    CHECK(b[0].grad() == 2.0);
    CHECK(b[1].grad() == 3.0);
  }
}

TEST_CASE("linear() refuses spans of the wrong shape") {
  Tape tape;
  const std::array<Value, 6> w = {tape.var(1.0), tape.var(2.0), tape.var(3.0),
                                  tape.var(4.0), tape.var(5.0), tape.var(6.0)};
  const std::array<Value, 2> b = {tape.var(0.0), tape.var(0.0)};
  const std::array<Value, 3> x = {w[0], w[1], w[2]};
  std::array<Value, 2> out;
  std::array<Value, 3> too_many_out;
  const std::size_t size = tape.size();
  CHECK_THROWS_WITH_AS(linear(std::span(w).first(5), x, b, out),
                       Contains("linear() got 5 weights, 3 inputs, 2 biases"), Error);
  CHECK_THROWS_WITH_AS(linear(w, std::span(x).first(2), b, out), Contains("needs 4 weights"),
                       Error);
  CHECK_THROWS_WITH_AS(linear(w, x, b, too_many_out), Contains("room for 3 outputs"), Error);
  const std::array<double, 2> c = {1.0, 2.0};
  CHECK_THROWS_WITH_AS(linear(w, c, b, out), Contains("needs 4 weights, 2 outputs"), Error);
  CHECK(tape.size() == size);
}

TEST_CASE("linear() refuses an unusable handle in any span, and records nothing") {
  Tape tape, other;
  std::vector<Value> w = {tape.var(1.0), tape.var(2.0), tape.var(3.0), tape.var(4.0)};
  std::vector<Value> x = {tape.var(1.0), tape.var(2.0)};
  std::vector<Value> b = {tape.var(0.5), tape.var(0.25)};
  const Tape::Mark mark = tape.mark();
  const Value stale = tape.var(9.0);
  tape.rewind(mark);
  const Value before = tape.var(7.0); // the old `stale` node's place, re-recorded
  const Value sentinel = tape.var(-1.0);
  std::array<Value, 2> out = {sentinel, sentinel};
  const std::size_t size = tape.size();

  const char* why = "";
  SUBCASE("a stale weight") {
    w[2] = stale;
    why = "stale Value";
  }
  SUBCASE("an input from another tape") {
    x[1] = other.var(3.0);
    why = "from another Tape";
  }
  SUBCASE("an empty bias") {
    b[1] = Value{};
    why = "empty Value";
  }
  tape.push_operand(before, 1.0); // half a node of the caller's own, then a failed call
  CHECK_THROWS_WITH_AS(linear(w, x, b, out), Contains(why), Error);
  CHECK(tape.size() == size);
  CHECK(out[0].index() == sentinel.index());
  CHECK(out[1].index() == sentinel.index());
  const Value y = before * 2.0; // nothing of the failed call attaches to it
  CHECK(tape.operands(y.index()).size() == 1);
}

TEST_CASE("linear() may write its outputs over its inputs") {
  Tape tape;
  const std::array<Value, 4> w = {tape.var(1.0), tape.var(-2.0), tape.var(0.5), tape.var(3.0)};
  const std::array<Value, 2> b = {tape.var(0.1), tape.var(0.2)};
  std::array<Value, 2> x = {tape.var(2.0), tape.var(5.0)};
  std::array<Value, 2> separate;
  linear(w, x, b, separate);
  linear(w, x, b, x); // in place: each row must still read the old inputs
  CHECK(x[0].value() == separate[0].value());
  CHECK(x[1].value() == separate[1].value());
  CHECK(x[0].value() == 0.1 + 2.0 - 10.0);
  // Written row by row, an output would replace a handle that a later row
  // still reads: output 0 over row 1's bias, or over row 1's weights.
  SUBCASE("over a later row's bias") {
    std::array<Value, 3> biases = {b[0], b[1], b[1]};
    linear(w, std::span(separate), std::span(biases).first(2), std::span(biases).last(2));
    std::array<Value, 2> expected;
    linear(w, std::span(separate), b, expected);
    CHECK(biases[1].value() == expected[0].value());
    CHECK(biases[2].value() == expected[1].value());
  }
  SUBCASE("over a later row's weights") {
    std::array<Value, 4> weights = w;
    linear(weights, std::span(separate), b, std::span(weights).subspan(2, 2));
    std::array<Value, 2> expected;
    linear(w, std::span(separate), b, expected);
    CHECK(weights[2].value() == expected[0].value());
    CHECK(weights[3].value() == expected[1].value());
  }
}

TEST_CASE("a linear() that fails partway leaves the tape and its outputs as they were") {
  Tape tape;
  const Value param = tape.var(3.0);
  const Tape::Mark outer = tape.mark();
  (void)tape.var(0.0);
  tape.rewind(outer); // param is now from an older epoch, as parameters are
  std::array<Value, 3> w = {tape.var(1.0), tape.var(2.0), tape.var(1e308)};
  const std::array<Value, 3> b = {tape.var(0.0), tape.var(0.0), tape.var(0.0)};
  const std::array<double, 1> x = {10.0};
  const Value sentinel = tape.var(0.0);
  std::array<Value, 3> out = {sentinel, sentinel, sentinel};
  const Tape::Mark before = tape.mark();
  const std::size_t size = tape.size();

  SUBCASE("the tape has room for one row of three") {
    tape.set_max_size(tape.size() + 1);
    CHECK_THROWS_WITH_AS(linear(w, x, b, out), Contains("linear() needs 3 more"), Error);
  }
  SUBCASE("the tape is already past its limit") {
    tape.set_max_size(2);
    CHECK_THROWS_WITH_AS(linear(w, x, b, out), Contains("holds 8 nodes and the limit is 2"), Error);
  }
  SUBCASE("anomaly mode stops at the third row, which overflows") {
    tape.set_detect_anomaly(true);
    CHECK_THROWS_WITH_AS(linear(w, x, b, out), Contains("first to produce NaN or Inf"), Error);
  }
  SUBCASE("anomaly mode stops at the first row") {
    w[0] = w[2];
    tape.set_detect_anomaly(true);
    CHECK_THROWS_WITH_AS(linear(w, x, b, out), Contains("first to produce NaN or Inf"), Error);
  }
  for (const Value& v : out) CHECK(v.index() == sentinel.index());
  CHECK(tape.size() == size); // the rows before the failure are dropped too
  CHECK(tape.is_live(sentinel));
  CHECK(tape.is_live(param));
  CHECK(param.value() == 3.0);
  tape.set_detect_anomaly(false);
  tape.set_max_size(size + 1);
  const Value next = sentinel * 2.0; // a node of its own, with nothing stray in it
  CHECK(tape.operands(next.index()).size() == 1);
  CHECK_NOTHROW(tape.rewind(before)); // a mark from before the failure still holds
  CHECK_NOTHROW(tape.rewind(outer));
  CHECK(tape.is_live(param));
}

// With no rows there is nothing to record, and no handle is read or checked
// (the shapes still are).
TEST_CASE("linear() with no rows records nothing, with no inputs each output is its bias") {
  Tape tape;
  const Value b = tape.var(0.75);
  const std::size_t size = tape.size();
  linear(std::span<const Value>{}, std::span<const Value>{}, std::span<const Value>{},
         std::span<Value>{});
  CHECK(tape.size() == size);
  std::array<Value, 1> out, out_v;
  linear(std::span<const Value>{}, std::span<const double>{}, std::span(&b, 1), out);
  linear(std::span<const Value>{}, std::span<const Value>{}, std::span(&b, 1), out_v);
  CHECK(out[0].value() == 0.75);
  CHECK(out_v[0].value() == 0.75);
  (out[0] + out_v[0]).backward();
  CHECK(b.grad() == 2.0);
}

TEST_CASE("linear() takes live handles of any epochs and names the first bad one") {
  Tape tape, other;
  const Value old = tape.var(1.0);
  const Tape::Mark mark = tape.mark();
  const Value dropped = tape.var(2.0);
  tape.rewind(mark);
  const Value fresh = tape.var(3.0); // dropped's index again, so dropped is stale
  const std::array<double, 3> x = {1.0, 10.0, 100.0};
  const std::array<Value, 1> b = {fresh};
  std::array<Value, 1> out;
  const std::array<Value, 3> mixed = {old, fresh, old * fresh};
  linear(mixed, x, b, out);
  CHECK(out[0].value() == 3.0 + 1.0 + 30.0 + 300.0);
  // The first handle of this epoch and a stale one after it, whose index is
  // below size(): only its epoch tells it is stale.
  const std::array<Value, 3> then_stale = {fresh, fresh, dropped};
  CHECK_THROWS_WITH_AS(linear(then_stale, x, b, out), Contains("stale Value"), Error);
  const std::array<Value, 3> then_foreign = {fresh, old, other.var(0.0)};
  CHECK_THROWS_WITH_AS(linear(then_foreign, x, b, out), Contains("from another Tape"), Error);
  const std::array<Value, 3> inputs = {fresh, fresh, dropped};
  const std::array<Value, 3> weights = {old, old, old};
  CHECK_THROWS_WITH_AS(linear(weights, inputs, b, out), Contains("stale Value"), Error);
  const std::array<Value, 1> stale_bias = {dropped};
  CHECK_THROWS_WITH_AS(linear(weights, x, stale_bias, out), Contains("stale Value"), Error);
}
