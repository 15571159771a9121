// The tape's size limit (set_max_size; 2^32 - 1 nodes at most, the range of
// a 32-bit index): recording the node past the limit raises instead of
// wrapping, names the limit and the fix, and leaves the tape usable.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;
using doctest::Contains;

TEST_CASE("recording the (n+1)-th node of a tape limited to n raises") {
  Tape tape;
  tape.set_max_size(4);
  const Value x = tape.var(1.0);
  const Value y = x * 2.0;
  const Tape::Mark after_y = tape.mark();
  const Value z = y + x;
  const Value w = exp(z); // the 4th node: allowed
  CHECK(tape.size() == 4);
  CHECK_THROWS_WITH_AS(w + 1.0, Contains("the tape is full"), Error);
  CHECK_THROWS_WITH_AS(w * z, Contains("the limit is 4"), Error);
  CHECK_THROWS_WITH_AS(tape.var(5.0), Contains("rewind()"), Error);
  const std::array<Value, 3> terms = {x, y, z};
  CHECK_THROWS_AS(sum(terms), Error);
  CHECK(tape.size() == 4); // nothing half-recorded

  SUBCASE("the tape stays usable: backward, rewind, and record again") {
    w.backward();
    CHECK(x.grad() == doctest::Approx(3 * std::exp(3.0)));
    CHECK(tape.operands(w.index()).size() == 1); // no stray operands left behind
    tape.rewind(after_y);
    const Value again = y * y; // node #2 again
    CHECK(again.value() == 4.0);
    CHECK(tape.operands(again.index()).size() == 2);
    again.backward();
    CHECK(x.grad() == 8.0);                  // d/dx (2x)^2 = 8x
    CHECK_THROWS_AS((void)z.value(), Error); // dropped by the rewind
  }
  SUBCASE("raising the limit lets it grow") {
    tape.set_max_size(5);
    CHECK((w + 1.0).value() == doctest::Approx(std::exp(3.0) + 1));
    CHECK_THROWS_AS(w + 2.0, Error);
  }
  SUBCASE("clear() empties it for a new graph") {
    tape.clear();
    const Value a = tape.var(2.0);
    CHECK((a * a * a * a).value() == 16.0); // 4 nodes
    CHECK_THROWS_AS(a + a, Error);
  }
}

TEST_CASE("a limit of 0 refuses even the first variable") {
  Tape tape;
  tape.set_max_size(0);
  CHECK_THROWS_AS(tape.var(1.0), Error);
  CHECK(tape.size() == 0);
}

TEST_CASE("the error names the 32-bit index range as the ceiling") {
  Tape tape;
  tape.set_max_size(std::numeric_limits<std::size_t>::max()); // clamped to 2^32 - 1
  CHECK_NOTHROW(tape.var(1.0));
  tape.set_max_size(1);
  CHECK_THROWS_WITH_AS(tape.var(2.0), Contains("2^32 - 1 at most, the index range"), Error);
}

// Anomaly mode and the limit both send finish_node to its rare path:
// whichever order they are set in, each keeps working, and turning anomaly
// mode off leaves the limit in force.
TEST_CASE("the limit holds in anomaly mode, and after it is turned off") {
  Tape tape;
  SUBCASE("limit first") {
    tape.set_max_size(3);
    tape.set_detect_anomaly(true);
  }
  SUBCASE("anomaly mode first") {
    tape.set_detect_anomaly(true);
    tape.set_max_size(3);
  }
  const Value x = tape.var(0.0);
  CHECK_THROWS_WITH_AS(log(x), Contains("anomaly in the forward pass"), Error);
  const Value y = x + 1.0;
  const Value z = y * 2.0; // the 3rd node: allowed
  CHECK_THROWS_WITH_AS(z + 1.0, Contains("the tape is full"), Error);
  tape.set_detect_anomaly(false);
  CHECK_THROWS_WITH_AS(z + 1.0, Contains("the limit is 3"), Error);
  tape.set_max_size(5);
  CHECK(std::isinf(log(x - x).value())); // off again: IEEE -inf, recorded
  CHECK(tape.size() == 5);
}
