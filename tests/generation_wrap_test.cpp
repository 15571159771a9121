// Where the generation a Value keeps wraps around. Generations are 64 bits and a Value
// keeps their low 32 (tape.hpp); the process's generation counter starts 2^10 below
// 2^32 (tape.cpp), so this program, like every test program, crosses the point
// where those 32 bits go from 2^32 - 1 to 0. Live handles must stay live and
// stale ones stale on both sides of it.
#include <cstdint>
#include <new>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;
using doctest::Contains;

namespace {
constexpr std::uint64_t wrap = std::uint64_t{1} << 32;
}

TEST_CASE("handles keep their meaning where a Value's 32-bit generation wraps around") {
  // A Tape and one handle of it, then the Tape destroyed: the next Tape made
  // in the same storage, after the wrap, must still see the handle as foreign.
  alignas(Tape) unsigned char storage[sizeof(Tape)];
  Tape* gone = new (storage) Tape;
  const Value orphan = gone->var(1.0);
  gone->~Tape();

  Tape tape;
  const Value w = tape.var(2.0, "w"); // below every cut: a parameter
  const Tape::Mark outer = tape.mark();
  (void)tape.var(0.0);
  tape.rewind(outer); // the lowest cut is now 1, so `data` is checked against the cuts
  const Value data = tape.var(3.0, "data");
  const Tape::Mark inner = tape.mark();
  REQUIRE(inner.generation < wrap); // this program has not crossed the wrap yet

  const Value first_step = w * data; // dropped by the first rewind below
  Value previous = first_step;
  for (int step = 0; step < 2048; ++step) {
    tape.rewind(inner);
    const Value y = w * data;
    if (y.value() != 6.0 || previous.empty()) FAIL("a live handle lost its value at step " << step);
    CHECK_THROWS_AS((void)previous.value(), Error); // the last step's node is gone
    previous = y;
  }
  REQUIRE(tape.mark().generation > wrap); // the loop crossed it

  CHECK(w.value() == 2.0);
  CHECK(data.value() == 3.0);
  CHECK_THROWS_WITH_AS((void)first_step.value(), Contains("stale Value"), Error);

  Tape* next = new (storage) Tape;
  CHECK(&orphan.tape() == next);
  CHECK_THROWS_WITH_AS((void)orphan.value(), Contains("whose Tape was destroyed"), Error);
  next->~Tape();

  tape.rewind(outer); // a mark from before the wrap is still understood
  CHECK(tape.size() == 1);
  CHECK_THROWS_AS((void)data.value(), Error);
  CHECK(w.value() == 2.0);
}
