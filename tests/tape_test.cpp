// The tape itself: what backward() does to gradients, fan-out, deep graphs,
// clear(), mark()/rewind(), names and leaves.
#include <span>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;

TEST_CASE("fan-out accumulates: a node used twice gets both contributions") {
  Tape tape;
  SUBCASE("x * x gives 2x") {
    const Value x = tape.var(3.0);
    (x * x).backward();
    CHECK(x.grad() == 6.0);
  }
  SUBCASE("b = a + a; c = b + b gives dc/da = 4") {
    const Value a = tape.var(-2.0);
    const Value b = a + a;
    const Value c = b + b;
    c.backward();
    CHECK(b.grad() == 2.0);
    CHECK(a.grad() == 4.0);
  }
  SUBCASE("a value reused by many later nodes") {
    const Value x = tape.var(0.5);
    Value total = tape.var(0.0);
    for (int k = 1; k <= 100; ++k) total += x * static_cast<double>(k);
    total.backward();
    CHECK(x.grad() == 5050.0);
  }
}

TEST_CASE("backward() gives fresh gradients and replaces earlier ones") {
  Tape tape;
  const Value x = tape.var(2.0, "x");
  const Value y = tape.var(5.0, "y");
  const Value f = x * y; // df/dx = y, df/dy = x
  const Value g = x + x; // dg/dx = 2

  f.backward();
  CHECK(x.grad() == 5.0);
  CHECK(y.grad() == 2.0);
  CHECK(f.grad() == 1.0);

  SUBCASE("calling it twice gives the same gradients, not double") {
    f.backward();
    CHECK(x.grad() == 5.0);
    CHECK(y.grad() == 2.0);
  }
  SUBCASE("from another output, earlier gradients are replaced everywhere") {
    g.backward();
    CHECK(x.grad() == 2.0);
    CHECK(y.grad() == 0.0); // g does not depend on y
    CHECK(f.grad() == 0.0); // f is not an input of g
    CHECK(g.grad() == 1.0);
  }
  SUBCASE("nodes recorded after the output get gradient 0") {
    x.backward();
    CHECK(x.grad() == 1.0);
    CHECK(f.grad() == 0.0);
    CHECK(g.grad() == 0.0);
  }
  SUBCASE("zero_grad() sets every gradient to 0") {
    tape.zero_grad();
    CHECK(x.grad() == 0.0);
    CHECK(f.grad() == 0.0);
  }
}

TEST_CASE("before any backward() every gradient reads 0") {
  Tape tape;
  const Value x = tape.var(1.0);
  const Value y = exp(x);
  CHECK(x.grad() == 0.0);
  CHECK(y.grad() == 0.0);
}

TEST_CASE("a graph of 10^7 nodes runs backward without recursion") {
  Tape tape;
  constexpr int n = 10'000'000;
  tape.reserve(n + 1, n);
  const Value x = tape.var(1.0);
  Value y = x;
  for (int i = 0; i < n; ++i) y = y * 1.0000001; // d y/dx = 1.0000001^n
  CHECK(tape.size() == n + 1);
  y.backward();
  CHECK(x.grad() == doctest::Approx(std::pow(1.0000001, n)).epsilon(1e-9));
}

TEST_CASE("clear() forgets every node, and the tape records again") {
  Tape tape;
  const Value x = tape.var(1.0, "x");
  (x * 2.0).backward();
  REQUIRE(tape.size() == 2);
  tape.clear();
  CHECK(tape.size() == 0);
  const Value y = tape.var(4.0);
  CHECK(y.index() == 0);
  CHECK(tape.name(0) == ""); // the old name went with the old node
  sqrt(y).backward();
  CHECK(y.grad() == 0.25);
}

TEST_CASE("mark() and rewind(): leaves before the mark survive each step") {
  Tape tape;
  const Value w = tape.var(0.5, "w");
  const Value b = tape.var(0.1, "b");
  const Tape::Mark mark = tape.mark();
  for (int step = 0; step < 3; ++step) {
    const Value loss = pow(w * 2.0 + b - 1.0, 2.0);
    loss.backward();
    const double dw = w.grad(), db = b.grad();
    // d/dw (2w + b - 1)^2 = 4(2w + b - 1), d/db = 2(2w + b - 1)
    CHECK(dw == doctest::Approx(4 * (2 * w.value() + b.value() - 1)));
    CHECK(db == doctest::Approx(2 * (2 * w.value() + b.value() - 1)));
    w.set_value(w.value() - 0.1 * dw);
    b.set_value(b.value() - 0.1 * db);
    tape.rewind(mark);
    CHECK(tape.size() == 2);
    CHECK(w.name() == "w"); // survivors keep their names
  }
  CHECK(w.value() < 0.5); // the loss went down the slope
}

TEST_CASE("set_value() changes a leaf in place; computed nodes keep their values") {
  Tape tape;
  const Value x = tape.var(1.0);
  const Value y = x * 3.0;
  x.set_value(2.0);
  CHECK(x.value() == 2.0);
  CHECK(y.value() == 3.0); // recorded with x = 1: record the graph again to update it
  CHECK((x * 3.0).value() == 6.0);
}

TEST_CASE("nodes can be named and read back by index") {
  Tape tape;
  const Value x = tape.var(0.5, "x");
  const Value y = sigmoid(x).named("y");
  CHECK(x.name() == "x");
  CHECK(y.name() == "y");
  CHECK(tape.name(1) == "y");
  y.named("renamed");
  CHECK(y.name() == "renamed");
  CHECK(tape.op(1) == Op::sigmoid);
  CHECK(tape.operands(1).size() == 1);
  CHECK(tape.operands(1)[0] == 0);
  CHECK(tape.at(1).value() == y.value());
  CHECK(tape.value(0) == 0.5);
}

TEST_CASE("Values are small copyable handles") {
  static_assert(sizeof(Value) == 16); // two registers: tape, and index + generation (or a constant)
  static_assert(std::is_trivially_copyable_v<Value>);
  Tape tape;
  const Value x = tape.var(3.0);
  const Value copy = x; // NOLINT: copying is the point
  CHECK(copy.index() == x.index());
  CHECK(&copy.tape() == &tape);
}

TEST_CASE("bytes_used counts 25 bytes per node and 12 per operand") {
  Tape tape;
  CHECK(tape.bytes_used() == 0);
  const Value x = tape.var(1.0); // a leaf: no operands
  const Value y = x * x;         // two operands
  (void)exp(y);                  // one operand
  CHECK(tape.bytes_used() == 3 * 25 + 3 * 12);
}

// The arrays grow by doubling (column.hpp), with a count of what is in use: growth in the middle of
// a node, a node with more operands than the whole room, reserve() below and above what is in use,
// and rewind() into grown memory must all keep every node's operands and values.
TEST_CASE("the tape grows in the middle of a node and keeps every node intact") {
  Tape tape;
  tape.reserve(3, 2); // smaller than what follows: growth must take over
  std::vector<Value> xs;
  for (int i = 0; i < 1000; ++i) xs.push_back(tape.var(i + 1.0));
  const Tape::Mark mark = tape.mark();
  for (int round = 0; round < 3; ++round) {
    const Value total = sum(xs); // 1000 operands at once
    const Value products = dot(std::span(xs).first(500), std::span(xs).last(500), total);
    CHECK(tape.operands(total.index()).size() == 1000);
    CHECK(tape.operands(products.index()).size() == 1001);
    CHECK(total.value() == 500500.0);
    products.backward();
    CHECK(xs[0].grad() == 1.0 + xs[500].value()); // via total, and as w_0 of the dot
    CHECK(xs[999].grad() == 1.0 + xs[499].value());
    CHECK(tape.bytes_used() == 25 * 1002 + 12 * 2001);
    tape.reserve(1, 1); // no effect below what is in use
    CHECK(tape.size() == 1002);
    tape.rewind(mark);
  }
}
