// Misuse of the engine raises tapegrad::Error with a message that says what
// happened and how to fix it; it never reads another node's data.
#include <array>
#include <cstddef>
#include <span>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;
using doctest::Contains;

TEST_CASE("values from two tapes cannot be combined") {
  Tape first, second;
  const Value a = first.var(1.0);
  const Value b = second.var(2.0);
  CHECK_THROWS_WITH_AS(a + b, Contains("from another Tape"), Error);
  CHECK_THROWS_WITH_AS(b * a, Contains("record them all on one Tape"), Error);
  const std::array<Value, 2> ab = {a, b};
  CHECK_THROWS_AS(sum(ab), Error);
  CHECK_THROWS_AS(first.backward(b), Error);
  SUBCASE("a failed operation leaves the tape as it was") {
    CHECK(first.size() == 1);
    const Value c = a * 3.0;
    c.backward();
    CHECK(first.operands(c.index()).size() == 1);
    CHECK(a.grad() == 3.0);
  }
}

// sum and dot check each handle once, while pushing it: a bad one in the
// middle must still leave no half-built node (the operands pushed before it
// are dropped) and name itself, whichever side of a product it is on.
TEST_CASE("a bad operand in the middle of sum or dot leaves the tape as it was") {
  Tape tape, other;
  const std::array<Value, 3> w = {tape.var(1.0), tape.var(2.0), tape.var(3.0)};
  const Value b = tape.var(0.5);
  const Value foreign = other.var(4.0);
  const std::array<Value, 3> x_bad_input = {tape.var(1.0), foreign, tape.var(1.0)};
  const std::array<Value, 3> w_bad_weight = {w[0], w[1], Value{}};
  const std::array<Value, 3> x = {w[2], w[1], w[0]};
  const std::array<double, 3> c = {1.0, 2.0, 3.0};
  const std::array<Value, 3> terms = {w[0], foreign, w[2]};
  const std::size_t size = tape.size();
  CHECK_THROWS_WITH_AS(dot(w, x_bad_input, b), Contains("from another Tape"), Error);
  CHECK_THROWS_WITH_AS(dot(w_bad_weight, x, b), Contains("empty Value"), Error);
  CHECK_THROWS_WITH_AS(dot(w_bad_weight, c, b), Contains("empty Value"), Error);
  CHECK_THROWS_WITH_AS(sum(terms), Contains("from another Tape"), Error);
  tape.push_operand(b, 1.0); // a node of one's own, half built, then a bad call
  CHECK_THROWS_WITH_AS(dot(w, x_bad_input, b), Contains("from another Tape"), Error);
  CHECK(tape.size() == size);
  const Value y = dot(w, x, b); // 1*3 + 2*2 + 3*1 + 0.5, with nothing stray in it
  CHECK(y.value() == 10.5);
  CHECK(tape.operands(y.index()).size() == 7);
  y.backward();
  CHECK(w[0].grad() == 3.0 + 3.0); // as a weight (times x0 = w2) and as input x2 (times w2)
  CHECK(b.grad() == 1.0);
}

TEST_CASE("an empty Value cannot be used") {
  Tape tape;
  const Value x = tape.var(1.0);
  const Value empty;
  CHECK(empty.empty());
  CHECK_THROWS_WITH_AS(x + empty, Contains("empty Value"), Error);
  CHECK_THROWS_WITH_AS(empty * 2.0, Contains("Assign it a variable"), Error);
  CHECK_THROWS_WITH_AS(exp(empty), Contains("empty Value"), Error);
  CHECK_THROWS_WITH_AS((void)empty.value(), Contains("to read its value"), Error);
  CHECK_THROWS_AS((void)empty.grad(), Error);
  CHECK_THROWS_AS(empty.backward(), Error);
  CHECK_THROWS_AS(tape.backward(empty), Error);
  CHECK_THROWS_AS(empty.set_value(1.0), Error);
  CHECK(tape.size() == 1);
}

TEST_CASE("set_value() on a computed node is an error") {
  Tape tape;
  const Value x = tape.var(1.0, "x");
  const Value y = exp(x).named("y");
  CHECK_THROWS_WITH_AS(y.set_value(2.0), Contains("computed, not a variable"), Error);
  CHECK_THROWS_WITH_AS(y.set_value(2.0), Contains("exp(#0)"), Error);
  CHECK(y.value() == doctest::Approx(2.718281828459045));
}

TEST_CASE("a stale Value is detected, never read as another node") {
  Tape tape;
  const Value keep = tape.var(1.0);
  const Tape::Mark mark = tape.mark();
  const Value dropped = keep * 2.0; // node #1

  SUBCASE("after rewind() and recording a new node in the same place") {
    tape.rewind(mark);
    const Value replacement = keep * 5.0; // node #1 again
    CHECK(replacement.index() == dropped.index());
    CHECK_THROWS_WITH_AS((void)dropped.value(), Contains("stale Value"), Error);
    CHECK_THROWS_WITH_AS(dropped + keep, Contains("rewind() dropped"), Error);
    CHECK_THROWS_AS(dropped.backward(), Error);
    CHECK_THROWS_AS((void)dropped.grad(), Error);
    CHECK(keep.value() == 1.0); // survivors still work
    CHECK(replacement.value() == 5.0);
  }
  SUBCASE("after clear(), even the leaves are stale") {
    tape.clear();
    const Value fresh = tape.var(7.0);
    CHECK(fresh.index() == keep.index());
    CHECK_THROWS_AS((void)keep.value(), Error);
    CHECK_THROWS_AS(keep.set_value(3.0), Error);
    CHECK(fresh.value() == 7.0);
  }
  SUBCASE("after several rewinds to different marks") {
    const Tape::Mark later = tape.mark(); // size 2
    const Value above = dropped + 1.0;    // node #2
    tape.rewind(later);
    CHECK(dropped.value() == 2.0); // below the later mark: still live
    CHECK_THROWS_AS((void)above.value(), Error);
    tape.rewind(mark);
    CHECK_THROWS_AS((void)dropped.value(), Error);
    (void)(keep * 3.0);
    (void)(keep * 4.0);
    (void)(keep * 5.0); // the tape grows past both old positions again
    CHECK_THROWS_AS((void)above.value(), Error);
    CHECK_THROWS_AS((void)dropped.value(), Error);
  }
}

TEST_CASE("rewinding to a mark that is gone is an error") {
  Tape tape;
  (void)tape.var(1.0);
  const Tape::Mark low = tape.mark();
  (void)tape.var(2.0);
  const Tape::Mark high = tape.mark();
  tape.rewind(low);
  CHECK_THROWS_WITH_AS(tape.rewind(high), Contains("no longer on this tape"), Error);
  (void)tape.var(3.0);
  (void)tape.var(4.0); // the tape is long enough again, but it is other nodes
  CHECK_THROWS_AS(tape.rewind(high), Error);
  CHECK(tape.size() == 3);
  Tape newer; // its epochs are all later than this tape's
  (void)newer.var(5.0);
  CHECK_THROWS_WITH_AS(tape.rewind(newer.mark()), Contains("not taken on this Tape"), Error);
  CHECK_THROWS_WITH_AS(newer.rewind(high), Contains("another Tape's"), Error);
  // An older tape's mark taken after this one's first epoch, at a size this
  // one has: the epochs alone cannot tell it from this tape's own.
  tape.rewind(tape.mark());
  const Tape::Mark older_tapes = tape.mark();
  for (int i = 0; i < 3; ++i) (void)newer.var(6.0 + i);
  newer.rewind(newer.mark());
  CHECK_THROWS_WITH_AS(newer.rewind(older_tapes), Contains("not taken on this Tape"), Error);
  CHECK_THROWS_WITH_AS(tape.rewind(Tape::Mark{}), Contains("a default Mark"), Error);
  CHECK(tape.size() == 3);
  CHECK(newer.size() == 4);
}

TEST_CASE("reading a node that does not exist is an error") {
  Tape tape;
  (void)tape.var(1.0);
  CHECK_THROWS_WITH_AS((void)tape.value(1), Contains("node #1 does not exist"), Error);
  CHECK_THROWS_AS((void)tape.grad(5), Error);
  CHECK_THROWS_AS((void)tape.operands(9), Error);
  CHECK_THROWS_AS((void)tape.at(1), Error);
}

TEST_CASE("errors are std::exceptions too") {
  Tape tape;
  const Value empty;
  CHECK_THROWS_AS(empty + 1.0, std::runtime_error);
  CHECK_THROWS_AS(empty + 1.0, std::exception);
}

TEST_CASE("a Value whose Tape was destroyed is detected when a new Tape takes its place") {
  // Placement new puts the second tape exactly where the first one was, as a
  // loop body's local Tape would be: the handle then points at a live Tape
  // that is not its own.
  alignas(Tape) unsigned char storage[sizeof(Tape)];
  Tape* first = new (storage) Tape;
  const Value old = first->var(1.0);
  const Tape::Mark old_mark = first->mark();
  first->~Tape();
  Tape* second = new (storage) Tape;
  const Value fresh = second->var(5.0);
  CHECK(&old.tape() == second);
  CHECK(old.index() == fresh.index());
  CHECK_THROWS_WITH_AS((void)old.value(), Contains("whose Tape was destroyed"), Error);
  CHECK_THROWS_AS(old * 2.0, Error);
  CHECK_THROWS_AS(second->rewind(old_mark), Error);
  CHECK(fresh.value() == 5.0);
  second->~Tape();
}
