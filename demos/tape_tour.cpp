// A tour of the tape: a tiny expression (micrograd's first example), then the
// seed homework's problem 3, each recorded, printed as a table, traced through
// backward() in words, and drawn with Graphviz (.dot, and .svg when `dot` is
// installed), and, with --html, written as web pages that step through the
// sweep in a browser. docs/backprop-in-gdb.md steps through the same run in gdb.
//
// Usage: tape_tour [tiny|seed] [--out DIR] [--html DIR]
//        (both parts by default; pictures in --out, pages in --html)
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <tapegrad/autodiff.hpp>
#include <tapegrad/graphviz.hpp>
#include <tapegrad/html.hpp>

using namespace tapegrad;

namespace {

/// Where --html writes the pages; empty: no pages.
std::filesystem::path html_folder;

/// Writes `name`.html into html_folder, if --html asked for pages.
void write_page(const Tape& tape, Value out, const std::string& name) {
  if (html_folder.empty()) return;
  const std::filesystem::path page = html_folder / (name + ".html");
  write_html(tape, out, page);
  fmt::print("  wrote the sweep as a web page: {} (open it in a browser; {}.html#step=3 opens "
             "step 3)\n\n",
             page.string(), name);
}

/// Writes `name`.dot and, when Graphviz's `dot` is on the PATH, `name`.svg.
void draw(const Tape& tape, const std::string& name) {
  write_dot(tape, name + ".dot");
  fmt::print("  drew the graph: {}.dot", name);
  // std::system only runs what we name here; asking the shell first keeps a
  // machine without Graphviz quiet instead of printing "dot: not found".
  if (std::system("command -v dot >/dev/null 2>&1") == 0 &&
      std::system(fmt::format("dot -Tsvg '{0}.dot' -o '{0}.svg'", name).c_str()) == 0)
    fmt::print(" and {}.svg", name);
  fmt::print("\n\n");
}

/// The forward pass as a table, the reverse sweep step by step, the gradients.
void walk(Tape& tape, Value out, const std::string& picture) {
  fmt::print("  the tape after the forward pass (every grad is 0):\n{}\n", tape);
  fmt::print("  backward() from #{} {}, one line per node, last node first:\n", out.index(),
             out.name());
  tape.set_trace(stdout); // each step in words: node, upstream grad, what each operand gets
  out.backward();
  tape.set_trace(nullptr);
  fmt::print("\n  the tape after backward(): grad = d({})/d(node)\n{}\n", out.name(), tape);
  draw(tape, picture);
}

/// micrograd's first example: L = (a*b + c) * f.
void tiny_expression(const std::string& picture) {
  fmt::print("1. A tiny expression: L = (a*b + c) * f\n\n");
  Tape tape;
  const Value a = tape.var(2.0, "a"), b = tape.var(-3.0, "b");
  const Value c = tape.var(10.0, "c"), f = tape.var(-2.0, "f");
  const Value e = (a * b).named("e");
  const Value d = (e + c).named("d");
  const Value loss = (d * f).named("L");
  walk(tape, loss, picture);
  write_page(tape, loss, "tape_tour_tiny");
}

/// The seed homework's problem 3: a 1-1-1 sigmoid network and its
/// binary cross-entropy loss, with the names the hand derivation uses.
void seed_network(const std::string& picture) {
  fmt::print("2. The seed homework's problem 3: x = .5, y = 1, w1 = .2, b1 = .1, w2 = .4, "
             "b2 = .2\n\n");
  Tape tape;
  const double x = 0.5, y = 1.0;
  const Value w1 = tape.var(0.2, "w1"), b1 = tape.var(0.1, "b1");
  const Value w2 = tape.var(0.4, "w2"), b2 = tape.var(0.2, "b2");
  const Value z1 = (w1 * x + b1).named("z1");
  const Value a1 = sigmoid(z1).named("a1");
  const Value z2 = (w2 * a1 + b2).named("z2");
  const Value y_hat = sigmoid(z2).named("y_hat");
  // L = -(y ln y_hat + (1 - y) ln(1 - y_hat)), one term per statement so that
  // every compiler records the nodes in this order (C++ may evaluate the two
  // sides of + in either order, and the tutorial quotes node numbers).
  const Value y_term = y * log(y_hat);
  const Value other_term = (1 - y) * log(1 - y_hat);
  const Value loss = (-(y_term + other_term)).named("L");
  walk(tape, loss, picture);
  write_page(tape, loss, "tape_tour_seed");
  fmt::print("  the seed's answers: dL/dw2 = {:.4f}, dL/db2 = {:.4f}, dL/dw1 = {:.4f}, "
             "dL/db1 = {:.4f}\n",
             w2.grad(), b2.grad(), w1.grad(), b1.grad());
}

} // namespace

int main(int argc, char** argv) {
  std::string_view part;
  std::string out = ".";
  for (int k = 1; k < argc; ++k) {
    const std::string_view arg = argv[k];
    if ((arg == "tiny" || arg == "seed") && part.empty()) {
      part = arg;
    } else if (arg == "--out" && k + 1 < argc) {
      out = argv[++k];
    } else if (arg == "--html" && k + 1 < argc) {
      html_folder = argv[++k];
    } else {
      fmt::print(arg == "--help" ? stdout : stderr,
                 "usage: tape_tour [tiny|seed] [--out DIR] [--html DIR]   (both parts by "
                 "default; the pictures go to --out, the current folder by default; --html "
                 "also writes each sweep as a web page there)\n");
      return arg == "--help" ? 0 : 2;
    }
  }
  try {
    std::filesystem::create_directories(out); // like moons and spirals: --out may be new
    if (!html_folder.empty()) std::filesystem::create_directories(html_folder);
    if (part != "seed") tiny_expression(out + "/tape_tour_tiny");
    if (part != "tiny") seed_network(out + "/tape_tour_seed");
  } catch (const std::exception& e) { // the folder cannot be made or written
    fmt::print(stderr, "{}\n", e.what());
    return 1;
  }
}
