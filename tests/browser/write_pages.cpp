// Writes the pages the browser test opens: the seed network's (the README's
// 30-second example), one with a name that needs escaping, and the moons MLP
// on one sample (~700 nodes) to time the layout of a bigger graph.
//
// Usage: write_pages DIR    (writes DIR/seed.html, DIR/names.html, DIR/moons.html)
#include <cstdio>
#include <filesystem>
#include <string>

#include <tapegrad/autodiff.hpp>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_pages DIR\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  {
    // One operation per statement, so that every compiler records the nodes
    // in the order check_pages.py's own copy of this network assumes.
    Tape tape;
    const Value x = tape.var(0.5, "x");
    const Value w1 = tape.var(0.2, "w1"), b1 = tape.var(0.1, "b1");
    const Value w2 = tape.var(0.4, "w2"), b2 = tape.var(0.2, "b2");
    const Value a1 = sigmoid(w1 * x + b1);
    const Value y_hat = sigmoid(w2 * a1 + b2);
    const double y = 1.0;
    const Value y_term = y * log(y_hat);
    const Value other_term = (1 - y) * log(1 - y_hat);
    const Value loss = -(y_term + other_term);
    write_html(tape, loss, dir / "seed.html");
  }
  {
    Tape tape;
    const Value a = tape.var(2.0, "<b>&\"</script>");
    write_html(tape, (a * a).named("it's"), dir / "names.html");
  }
  {
    Tape tape;
    nn::MLP model(tape, 2, {16, 16, 16, 1}, {.seed = 1337}); // ~700 nodes
    const double sample[2] = {0.5, -0.25};
    const Value loss = nn::hinge(model(sample)[0], 1.0);
    std::printf("moons page: %zu nodes on the tape\n", tape.size());
    write_html(tape, loss, dir / "moons.html");
  }
}
