// Graphviz export (tapegrad/graphviz.hpp): boxes with value and grad, op
// ellipses, partials on the arrows, constants, escaping, the graph below a
// root, files and their errors; and, where Graphviz is installed, that `dot`
// accepts what we write.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>
#include <tapegrad/graphviz.hpp>

using namespace tapegrad;
using doctest::Contains;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// micrograd's first example: L = (a*b + c) * f, after backward().
struct Tiny {
  Tape tape;
  Value a = tape.var(2.0, "a"), b = tape.var(-3.0, "b");
  Value c = tape.var(10.0, "c"), f = tape.var(-2.0, "f");
  Value e = (a * b).named("e");
  Value d = (e + c).named("d");
  Value loss = (d * f).named("L");
  Tiny() { loss.backward(); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

TEST_CASE("each node is a box with its index, name, value and grad") {
  Tiny t;
  const std::string dot = to_dot(t.tape);
  CHECK(dot.rfind("digraph tape {\n", 0) == 0);
  CHECK(dot.substr(dot.size() - 2) == "}\n");
  CHECK(has(dot, "n4 [shape=record, label=\"{ #4 e | value -6 | grad -2 }\"];"));
  CHECK(has(dot, "n6 [shape=record, label=\"{ #6 L | value -8 | grad 1 }\"];"));
  // Leaves (what an optimizer updates) are filled.
  CHECK(has(dot, "n0 [shape=record, label=\"{ #0 a | value 2 | grad 6 }\", style=filled"));
}

TEST_CASE("each operation is an ellipse fed by its operands, with the partials on the arrows") {
  Tiny t;
  const std::string dot = to_dot(t.tape);
  CHECK(has(dot, "op4 [shape=ellipse, label=\"mul\"];"));
  CHECK(has(dot, "op4 -> n4;"));
  // d(a*b)/da = b = -3 and d(a*b)/db = a = 2: what backward() multiplies by.
  CHECK(has(dot, "n0 -> op4 [label=\"\u2202 -3\"];"));
  CHECK(has(dot, "n1 -> op4 [label=\"\u2202 2\"];"));
  CHECK(has(dot, "op5 [shape=ellipse, label=\"add\"];"));
  CHECK_FALSE(has(dot, "op0 ")); // a leaf has no operation
}

TEST_CASE("every arrow joins two declared nodes") {
  Tiny t;
  std::istringstream lines(to_dot(t.tape));
  std::set<std::string> declared;
  int arrows = 0;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string from, arrow, to;
    words >> from >> arrow >> to;
    if (arrow == "->") {
      ++arrows;
      if (!to.empty() && to.back() == ';') to.pop_back();
      CHECK_MESSAGE(declared.count(from) == 1, line);
      CHECK_MESSAGE(declared.count(to) == 1, line);
    } else if (arrow.rfind("[", 0) == 0) {
      declared.insert(from);
    }
  }
  CHECK(arrows == 9); // 3 ops x (2 operands + 1 result)
}

TEST_CASE("a constant folded into a node is drawn as c") {
  Tape tape;
  const Value x = tape.var(0.5, "x");
  const Value y = (1.0 - x * 3.0).named("y");
  const std::string dot = to_dot(tape);
  CHECK(has(dot, "c1 [shape=plaintext, label=\"c\"];"));
  CHECK(has(dot, "c1 -> op1 [style=dashed];"));
  CHECK(has(dot, "c2 -> op2 [style=dashed];"));
  CHECK(has(dot, "n0 -> op1 [label=\"\u2202 3\"];"));
  CHECK(has(dot, "n1 -> op2 [label=\"\u2202 -1\"];"));
  CHECK(y.index() == 2);
}

TEST_CASE("names cannot break the record syntax") {
  Tape tape;
  tape.var(1.0, "a|b {c} <d> \"e\" \\");
  CHECK(has(to_dot(tape), "#0 a\\|b \\{c\\} \\<d\\> \\\"e\\\" \\\\ | value 1"));
}

TEST_CASE("to_dot(tape, root) draws only root and what it depends on") {
  Tiny t;
  const Value unrelated = t.tape.var(7.0, "unrelated");
  const std::string dot = to_dot(t.tape, t.d);
  CHECK(has(dot, "#5 d"));
  CHECK(has(dot, "#4 e"));
  CHECK(has(dot, "#2 c"));
  CHECK_FALSE(has(dot, "#3 f"));
  CHECK_FALSE(has(dot, "#6 L"));
  CHECK_FALSE(has(dot, "unrelated"));
  CHECK(unrelated.index() == 7);
}

TEST_CASE("to_dot(tape, root) refuses a root from elsewhere") {
  Tiny t;
  Tape other;
  const Value stranger = other.var(1.0);
  CHECK_THROWS_WITH_AS(to_dot(t.tape, stranger), Contains("not a node of this tape"), Error);
  CHECK_THROWS_AS(to_dot(t.tape, Value()), Error);
  const auto mark = t.tape.mark();
  const Value dropped = t.tape.var(1.0);
  t.tape.rewind(mark);
  CHECK_THROWS_AS(to_dot(t.tape, dropped), Error);
}

TEST_CASE("write_dot writes to_dot's text, and says which path it could not write") {
  Tiny t;
  const std::string path = "graphviz_test_tiny.dot";
  write_dot(t.tape, path);
  CHECK(read_file(path) == to_dot(t.tape));
  write_dot(t.tape, t.e, path); // replaces the file
  CHECK(read_file(path) == to_dot(t.tape, t.e));
  std::remove(path.c_str());

  const std::string bad = "no-such-folder/graph.dot";
  CHECK_THROWS_WITH_AS(write_dot(t.tape, bad), Contains("\"no-such-folder/graph.dot\""), Error);
  CHECK_THROWS_WITH_AS(write_dot(t.tape, bad), Contains("No such file or directory"), Error);
}

TEST_CASE("an empty tape is an empty graph") {
  const Tape tape;
  const std::string dot = to_dot(tape);
  CHECK(dot.rfind("digraph tape {", 0) == 0);
  CHECK_FALSE(has(dot, "->"));
}

TEST_CASE("Graphviz's dot accepts the graph (where it is installed)") {
  if (std::system("command -v dot >/dev/null 2>&1") != 0) {
    MESSAGE("Graphviz's dot is not installed: not checked");
    return;
  }
  Tiny t;
  Tape tape;
  const Value x = tape.var(0.5, "x \"odd\" {name}");
  (sigmoid(x * 2.0 + 1.0) / (1.0 - x)).backward();
  for (const Tape* graph : {&t.tape, &tape}) {
    const std::string path = "graphviz_test_check.dot";
    write_dot(*graph, path);
    CHECK(std::system(fmt::format("dot -Tsvg {} -o /dev/null", path).c_str()) == 0);
    std::remove(path.c_str());
  }
}
