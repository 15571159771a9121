// An operation of one's own, recorded with push_operand() and finish_node()
// under an op code from define_op(): it prints with its own name everywhere
// a built-in op does, and the codes that would corrupt the tape are refused.
#include <cmath>
#include <cstdio>
#include <string>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;
using doctest::Contains;

namespace {
/// softsign(a) = a / (1 + |a|), the docs' example.   d/da = 1 / (1 + |a|)^2
Value softsign(Value a) {
  Tape& tape = a.tape();
  const Op op = tape.define_op("softsign"); // the same code every call
  const double x = a.value(), d = 1.0 + std::abs(x);
  tape.push_operand(a, 1.0 / (d * d));
  return tape.finish_node(op, x / d);
}

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string text;
  for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
  return text;
}
} // namespace

TEST_CASE("an op of one's own differentiates like a built-in one") {
  Tape tape;
  const Value x = tape.var(-1.5, "x");
  const Value y = softsign(x * 2.0);
  CHECK(y.value() == doctest::Approx(-3.0 / 4.0));
  y.backward();
  CHECK(x.grad() == doctest::Approx(2.0 / 16.0));
  CHECK(tape.define_op("softsign") == tape.op(y.index()));
  CHECK(is_custom(tape.op(y.index())));
}

TEST_CASE("an op of one's own prints with its name in the table, trace, DOT, page and errors") {
  Tape tape;
  const Value x = tape.var(0.5, "x");
  const Value y = softsign(x).named("y");
  CHECK(tape.op_name(tape.op(y.index())) == "softsign");
  CHECK(format_call(tape, y.index()) == "softsign(#0)");
  CHECK(format_tape(tape).find("softsign(#0)") != std::string::npos);
  CHECK(to_dot(tape).find("label=\"softsign\"") != std::string::npos);
  CHECK(to_html(tape, y).find("softsign") != std::string::npos);
  std::FILE* trace = std::tmpfile();
  REQUIRE(trace != nullptr);
  tape.set_trace(trace);
  y.backward();
  tape.set_trace(nullptr);
  CHECK(read_all(trace).find("#1 softsign(#0): grad 1") != std::string::npos);
  std::fclose(trace);
  // Anomaly mode names it too: softsign of an infinite input is NaN here.
  const Value inf = tape.var(INFINITY);
  tape.set_detect_anomaly(true);
  CHECK_THROWS_WITH_AS(softsign(inf), Contains("softsign(#"), Error);
}

TEST_CASE("define_op() and finish_node() refuse what would corrupt the tape") {
  Tape tape;
  const Value x = tape.var(1.0);
  CHECK_THROWS_WITH_AS(tape.define_op(""), Contains("1 to 32 letters"), Error);
  CHECK_THROWS_WITH_AS(tape.define_op("soft sign"), Contains("1 to 32 letters"), Error);
  CHECK_THROWS_WITH_AS(tape.define_op("a\"b"), Contains("1 to 32 letters"), Error);
  SUBCASE("a leaf with operands: set_value() would then change a computed node") {
    tape.push_operand(x, 2.0);
    CHECK_THROWS_WITH_AS(tape.finish_node(Op::leaf, 2.0), Contains("define_op"), Error);
  }
  SUBCASE("a code define_op() never gave") {
    tape.push_operand(x, 2.0);
    CHECK_THROWS_WITH_AS(tape.finish_node(static_cast<Op>(first_custom_op + 5), 2.0),
                         Contains("define_op() did not give"), Error);
  }
  SUBCASE("more names than codes") {
    for (int k = 0; k < 128; ++k) (void)tape.define_op("op" + std::to_string(k));
    CHECK(tape.define_op("op7") == static_cast<Op>(first_custom_op + 7));
    CHECK_THROWS_WITH_AS(tape.define_op("one_too_many"), Contains("the most it can name"), Error);
  }
  // Nothing stray was left: the next node has exactly its own operand.
  CHECK(tape.size() == 1);
  const Value y = x * 3.0;
  CHECK(tape.operands(y.index()).size() == 1);
  CHECK(tape.var(4.0).value() == 4.0); // a leaf after the refusal is a plain leaf
}
