// Printing: the tape as a table (fmt and iostream), a Value as one node line,
// and the words used for ops with constants folded in.
#include <sstream>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;
using doctest::Contains;

TEST_CASE("a Value prints as its node: index, op, operands, value, grad, name") {
  Tape tape;
  const Value w = tape.var(0.4, "w2");
  const Value a = tape.var(0.5, "a1");
  const Value z = (w * a).named("z");
  CHECK(fmt::format("{}", w) == "#0 leaf value=0.4 grad=0 \"w2\"");
  CHECK(fmt::format("{}", z) == "#2 mul(#0, #1) value=0.2 grad=0 \"z\"");
  z.backward();
  CHECK(fmt::format("{}", w) == "#0 leaf value=0.4 grad=0.5 \"w2\"");
  std::ostringstream out;
  out << z;
  CHECK(out.str() == "#2 mul(#0, #1) value=0.2 grad=1 \"z\"");
}

TEST_CASE("constants folded into a node print as c, on their side") {
  Tape tape;
  const Value x = tape.var(2.0);
  CHECK(format_call(tape, (x + 1.0).index()) == "add(#0, c)");
  CHECK(format_call(tape, (1.0 - x).index()) == "sub(c, #0)");
  CHECK(format_call(tape, (3.0 * x).index()) == "mul(#0, c)");
  CHECK(format_call(tape, (3.0 / x).index()) == "div(c, #0)");
  CHECK(format_call(tape, pow(x, 2.0).index()) == "pow(#0, c)");
  CHECK(format_call(tape, pow(2.0, x).index()) == "pow(c, #0)");
  CHECK(format_call(tape, (-x).index()) == "neg(#0)");
  CHECK(format_call(tape, 0) == "leaf");
}

TEST_CASE("the tape prints as a table with a header and one row per node") {
  Tape tape;
  const Value x = tape.var(0.5, "x");
  const Value y = sigmoid(x).named("y");
  y.backward();
  const std::string table = fmt::format("{}", tape);
  std::ostringstream streamed;
  streamed << tape;
  CHECK(table == streamed.str());
  CHECK(table == format_tape(tape));

  std::istringstream lines(table);
  std::string header, row0, row1, extra;
  std::getline(lines, header);
  std::getline(lines, row0);
  std::getline(lines, row1);
  CHECK_FALSE(std::getline(lines, extra));
  CHECK(header.find("op(operands)") != std::string::npos);
  CHECK(header.find("grad") != std::string::npos);
  CHECK(row0.find("leaf") != std::string::npos);
  CHECK(row0.find(" x") != std::string::npos);
  CHECK(row1.find("sigmoid(#0)") != std::string::npos);
  CHECK(row1.find("0.622459") != std::string::npos); // sigmoid(0.5)
  CHECK(row1.find(" y") != std::string::npos);
  CHECK(row0.find("0.235004") != std::string::npos); // s(1 - s)
}

TEST_CASE("empty and stale Values print without throwing") {
  Tape tape;
  const Value empty;
  CHECK(fmt::format("{}", empty) == "<empty Value>");
  const Value x = tape.var(1.0);
  tape.clear();
  CHECK(fmt::format("{}", x) == "<stale Value #0>");
}

TEST_CASE("an operand list names each operand with its value") {
  Tape tape;
  const Value a = tape.var(1.5, "a");
  const Value b = tape.var(2.0);
  const Value c = a / b;
  CHECK(format_operands(tape, c.index()) == "#0=1.5 \"a\", #1=2");
  CHECK(format_operands(tape, a.index()) == "none");
}
