// The backward() trace (Tape::set_trace): one line per node, in words, with the
// numbers of the seed homework's problem 3, and nothing when it is off.
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;

namespace {

/// What `trace` received, as lines; closes it.
std::vector<std::string> lines_of(std::FILE* trace) {
  std::rewind(trace);
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, trace) != nullptr) text += buffer;
  std::fclose(trace);
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// The lines backward() from `out` traces on `tape`; the trace is off after.
std::vector<std::string> traced_backward(Tape& tape, Value out) {
  std::FILE* trace = std::tmpfile();
  REQUIRE(trace != nullptr);
  tape.set_trace(trace);
  out.backward();
  tape.set_trace(nullptr);
  return lines_of(trace);
}

/// The seed's 1-1-1 sigmoid network and its binary cross-entropy, recorded in
/// the order demos/tape_tour.cpp records it (one term per statement).
struct SeedNetwork {
  Tape tape;
  Value w1 = tape.var(0.2, "w1"), b1 = tape.var(0.1, "b1");
  Value w2 = tape.var(0.4, "w2"), b2 = tape.var(0.2, "b2");
  Value z1 = (w1 * 0.5 + b1).named("z1");
  Value a1 = sigmoid(z1).named("a1");
  Value z2 = (w2 * a1 + b2).named("z2");
  Value y_hat = sigmoid(z2).named("y_hat");
  Value y_term = 1.0 * log(y_hat);
  Value other_term = (1.0 - 1.0) * log(1.0 - y_hat);
  Value loss = (-(y_term + other_term)).named("L");
};

} // namespace

TEST_CASE("backward() traced on the seed network says each chain-rule step in words") {
  SeedNetwork net;
  const std::vector<std::string> lines = traced_backward(net.tape, net.loss);
  // Node 10 is ln y_hat: it passes 1/y_hat x -1 = dL/dy_hat = -1/y_hat to
  // y_hat; the sigmoid multiplies by y_hat(1 - y_hat), the seed's factors.
  const std::vector<std::string> expected = {
      "#16 neg(#15): grad 1 \u2192 #15 += -1 \u00d7 1",
      "#15 add(#11, #14): grad -1 \u2192 #11 += 1 \u00d7 -1, #14 += 1 \u00d7 -1",
      "#14 mul(#13, c): grad -1 \u2192 #13 += 0 \u00d7 -1",
      "#11 mul(#10, c): grad -1 \u2192 #10 += 1 \u00d7 -1",
      "#10 log(#9): grad -1 \u2192 #9 += 1.65709 \u00d7 -1",
      "#9 sigmoid(#8): grad -1.65709 \u2192 #8 += 0.239295 \u00d7 -1.65709",
      "#8 add(#7, #3): grad -0.396533 \u2192 #7 += 1 \u00d7 -0.396533, #3 += 1 \u00d7 -0.396533",
      "#7 mul(#2, #6): grad -0.396533 \u2192 #2 += 0.549834 \u00d7 -0.396533, "
      "#6 += 0.4 \u00d7 -0.396533",
      "#6 sigmoid(#5): grad -0.158613 \u2192 #5 += 0.247517 \u00d7 -0.158613",
      "#5 add(#4, #1): grad -0.0392594 \u2192 #4 += 1 \u00d7 -0.0392594, "
      "#1 += 1 \u00d7 -0.0392594",
      "#4 mul(#0, c): grad -0.0392594 \u2192 #0 += 0.5 \u00d7 -0.0392594",
      "#3 leaf: grad -0.396533 (a leaf: nothing to pass on)",
      "#2 leaf: grad -0.218027 (a leaf: nothing to pass on)",
      "#1 leaf: grad -0.0392594 (a leaf: nothing to pass on)",
      "#0 leaf: grad -0.0196297 (a leaf: nothing to pass on)",
  };
  REQUIRE(lines.size() == expected.size());
  for (std::size_t k = 0; k < lines.size(); ++k) CHECK(lines[k] == expected[k]);
}

TEST_CASE("the trace skips the nodes the output does not depend on") {
  // (1 - y) = 0 multiplies ln(1 - y_hat): nodes 12 and 13 pass nothing back,
  // so backward()'s loop skips them and the trace has no line for them.
  SeedNetwork net;
  for (const std::string& line : traced_backward(net.tape, net.loss)) {
    CHECK(line.rfind("#12 ", 0) != 0);
    CHECK(line.rfind("#13 ", 0) != 0);
  }
  CHECK(net.tape.grad(12) == 0.0);
  CHECK(net.tape.grad(13) == 0.0);
}

TEST_CASE("each traced grad is the gradient backward() leaves on the node") {
  SeedNetwork net;
  const std::vector<std::string> lines = traced_backward(net.tape, net.loss);
  Index previous = static_cast<Index>(net.tape.size());
  for (const std::string& line : lines) {
    unsigned node = 0;
    REQUIRE(std::sscanf(line.c_str(), "#%u", &node) == 1);
    CHECK(node < previous); // last node first, each node once
    previous = node;
    const std::string grad = fmt::format(": grad {:.6g}", net.tape.grad(node));
    CHECK_MESSAGE(line.find(grad) != std::string::npos, line);
  }
}

TEST_CASE("tracing changes no gradient, and switched off it prints nothing") {
  SeedNetwork traced, plain;
  CHECK(traced_backward(traced.tape, traced.loss).size() == 15);
  plain.loss.backward();
  for (Index i = 0; i < traced.tape.size(); ++i) CHECK(traced.tape.grad(i) == plain.tape.grad(i));

  std::FILE* after_off = std::tmpfile();
  REQUIRE(after_off != nullptr);
  traced.tape.set_trace(after_off);
  traced.tape.set_trace(nullptr);
  traced.loss.backward();
  CHECK(lines_of(after_off).empty());
}

TEST_CASE("a traced node with many operands names each one") {
  Tape tape;
  const std::vector<Value> terms = {tape.var(1.0), tape.var(2.0), tape.var(3.0)};
  const Value total = sum(terms);
  const std::vector<std::string> lines = traced_backward(tape, total);
  REQUIRE(!lines.empty());
  CHECK(lines[0] == "#3 sum(#0, #1, #2): grad 1 \u2192 #0 += 1 \u00d7 1, #1 += 1 \u00d7 1, "
                    "#2 += 1 \u00d7 1");
}
