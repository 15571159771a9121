// A user's program to debug: run_consumer.cmake stops gdb in look() and
// prints its arguments, which must show in the pretty-printers' words, loaded
// from the program itself with the one `add-auto-load-safe-path` line of
// docs/backprop-in-gdb.md, however the project got tapegrad.
#include <tapegrad/autodiff.hpp>

namespace {

/// Where gdb stops (`break look`): a tape and one of its Values to print.
[[gnu::noinline]] double look(const tapegrad::Tape& tape, tapegrad::Value y) {
  return y.value() + static_cast<double>(tape.size());
}

} // namespace

int main() {
  tapegrad::Tape tape;
  const tapegrad::Value x = tape.var(0.5, "x");
  const tapegrad::Value y = sigmoid(x).named("y");
  return look(tape, y) > 0.0 ? 0 : 1;
}
