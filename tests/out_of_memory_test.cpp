// Running out of memory while the tape grows or is rewound: the operation throws
// std::bad_alloc, and the tape is left as it was before it, so the program can
// free memory and go on. In particular the operands a half-built node had
// pushed are dropped, never attached to the next node (which would give it
// stray partials, and wrong gradients).
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

#include "counting_new.hpp"

using namespace tapegrad;

TEST_CASE("the allocation hook fails exactly the allocation it is set to") {
  counting_new::fail_in = 2;
  std::vector<double> first(10);
  CHECK_THROWS_AS(std::vector<double>(10), std::bad_alloc);
  std::vector<double> third(10);
  CHECK(counting_new::fail_in == 0);
}

TEST_CASE("out of memory while growing the operands of a node leaves the tape as it was") {
  Tape tape;
  tape.reserve(16, 64); // room for 64 operands: the 65th term of the sum grows them
  const Value x = tape.var(2.0, "x");
  const std::vector<Value> terms(100, x);
  counting_new::fail_in = 1;
  CHECK_THROWS_AS(sum(terms), std::bad_alloc);
  CHECK(tape.size() == 1);
  const Value y = x * 3.0; // its one operand, and nothing left from the sum
  CHECK(tape.operands(y.index()).size() == 1);
  y.backward();
  CHECK(x.grad() == 3.0);
  const Value s = sum(terms); // the memory is back: the same sum works
  CHECK(s.value() == 200.0);
  s.backward();
  CHECK(x.grad() == 100.0);
}

TEST_CASE("out of memory while naming a new variable leaves no unnamed leaf behind") {
  Tape tape;
  tape.reserve(16, 64);
  const Value x = tape.var(2.0, "x");
  counting_new::fail_in = 1; // the name's storage (longer than a short string)
  CHECK_THROWS_AS(tape.var(3.0, "a name too long to be stored inside the string"), std::bad_alloc);
  CHECK(tape.size() == 1);
  const Value y = tape.var(4.0, "y");
  CHECK(y.index() == 1);
  CHECK(tape.name(1) == "y");
  CHECK(x.name() == "x");
}

TEST_CASE("out of memory in rewind() leaves the tape as it was") {
  // rewind() remembers each cut in a list that may have to grow. If that
  // fails, the tape must not be cut either: cut but still in its old epoch,
  // the dropped nodes' handles would pass as live and read their successors.
  Tape tape;
  tape.reserve(16, 64);
  const Value x = tape.var(2.0);
  const Tape::Mark mark = tape.mark();
  const Value y = x * 3.0; // node 1
  counting_new::fail_in = 1;
  CHECK_THROWS_AS(tape.rewind(mark), std::bad_alloc);
  CHECK(tape.size() == 2);
  CHECK(y.value() == 6.0); // not rewound: y is still live
  tape.rewind(mark);       // now it works
  const Value z = x * 5.0; // node 1 again
  CHECK_THROWS_AS((void)y.value(), Error);
  CHECK(z.value() == 10.0);
}

TEST_CASE("out of memory while growing the nodes leaves the tape as it was") {
  Tape tape;
  tape.reserve(3, 64); // room for three nodes: the fourth grows them
  const Value x = tape.var(2.0, "x");
  const Value y = tape.var(5.0, "y");
  const Value xy = x * y;
  counting_new::fail_in = 1;
  CHECK_THROWS_AS(xy * x, std::bad_alloc); // its two operands are pushed, then the node fails
  CHECK(tape.size() == 3);
  const Value z = xy + 1.0;
  CHECK(tape.operands(z.index()).size() == 1);
  z.backward();
  CHECK(x.grad() == 5.0);
  CHECK(y.grad() == 2.0);
}

TEST_CASE("out of memory while linear() makes room for its rows records none of them") {
  // linear() makes room for all its rows before recording the first, so
  // running out of memory cannot leave the first rows behind.
  Tape tape;
  tape.reserve(125, 64); // 124 leaves; 3 rows of 40 constant inputs need 123 operands
  std::vector<Value> w;
  for (int k = 0; k < 120; ++k) w.push_back(tape.var(1.0));
  const std::vector<Value> b = {tape.var(0.5), tape.var(1.5), tape.var(2.5)};
  const std::vector<double> x(40, 2.0);
  const Value sentinel = tape.var(0.0);
  std::vector<Value> out(3, sentinel);
  const std::size_t size = tape.size();
  std::size_t failing = 0; // growing the nodes takes 3 allocations, then the operands 2
  SUBCASE("growing the nodes") { failing = 1; }
  SUBCASE("growing the operand indices") { failing = 4; }
  SUBCASE("growing the partials") { failing = 5; }
  counting_new::fail_in = failing;
  CHECK_THROWS_AS(linear(w, x, b, out), std::bad_alloc);
  CHECK(tape.size() == size);
  for (const Value& v : out) CHECK(v.index() == sentinel.index());
  const Value y = sentinel * 3.0; // its one operand, and nothing left from linear()
  CHECK(tape.operands(y.index()).size() == 1);
  linear(w, x, b, out); // the memory is back
  CHECK(out[2].value() == 2.5 + 40 * 2.0);
}
