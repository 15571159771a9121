// The program tests/gdb debugs. It records a few tapes (the seed network, a
// zoo of ops and awkward numbers, a rewound tape, a long one) and, for each,
// stops in inspect() with the text tapegrad's own printing gives, so the gdb
// script can check that the pretty-printers say exactly the same.
#include <array>
#include <string>
#include <vector>

#include <tapegrad/autodiff.hpp>

using namespace tapegrad;

namespace {

/// Where gdb stops: `tape` and `v` must print as `tape_text` and `value_text`
/// (what format_tape and format_value say). Not inlined, and with a side
/// effect, so that optimized builds keep the call and its arguments.
[[gnu::noinline]] void inspect(const Tape& tape, const Value& v, const std::string& tape_text,
                               const std::string& value_text) {
  asm volatile("" : : "r"(&tape), "r"(&v), "r"(&tape_text), "r"(&value_text) : "memory");
}

void check(const Tape& tape, const Value& v) {
  inspect(tape, v, format_tape(tape), format_value(v));
}

/// The seed homework's problem 3, as demos/homework.cpp records it.
void seed_network() {
  Tape tape;
  const double x = 0.5, y = 1.0;
  const Value w1 = tape.var(0.2, "w1"), b1 = tape.var(0.1, "b1");
  const Value w2 = tape.var(0.4, "w2"), b2 = tape.var(0.2, "b2");
  const Value z1 = (w1 * x + b1).named("z1");
  const Value a1 = sigmoid(z1).named("a1");
  const Value z2 = (w2 * a1 + b2).named("z2");
  const Value y_hat = sigmoid(z2).named("y_hat");
  const Value loss = (-(y * log(y_hat) + (1 - y) * log(1 - y_hat))).named("L");
  check(tape, loss); // before backward: every grad 0 (grads_ still empty)
  loss.backward();
  check(tape, loss);
  check(tape, w1);
}

/// Every kind of op, constants on both sides, and numbers whose printing is
/// easy to get wrong: exponents, -0, inf, NaN, round-trip digits.
void zoo() {
  Tape tape;
  const Value a = tape.var(0.1, "a"), b = tape.var(0.2, "b \"quoted\" {x|y}");
  const Value tiny = tape.var(1e-05, "tiny"), big = tape.var(1e16), whole = tape.var(123456789.0);
  const std::array<Value, 3> three = {a, b, tiny};
  const std::array<double, 3> coefficients = {0.5, -2.0, 3.0};
  std::vector<Value> all = {a + b,
                            a + 1.0,
                            1.0 - a,
                            a - b,
                            a * b,
                            3.0 * a,
                            a / b,
                            2.0 / a,
                            -a,
                            exp(a),
                            log(a),
                            sqrt(a),
                            pow(a, 2.5),
                            pow(2.0, a),
                            pow(a, b),
                            relu(a),
                            sigmoid(a),
                            log_sigmoid(a),
                            softplus(a),
                            tanh(a),
                            abs(a),
                            sin(a),
                            cos(a),
                            sum(three),
                            dot(three, coefficients, b),
                            tiny * big,
                            -0.0 * a,
                            exp(whole),
                            log(a - 1.0),
                            erf(a),
                            atan2(a, b),
                            fmax(a, b),
                            clamp(a, 0.0, 0.05),
                            Value(2.0) - a};
  // An op of one's own: gdb must print its define_op() name, as fmt does.
  tape.push_operand(a, 1.0 / ((1.0 + a.value()) * (1.0 + a.value())));
  all.push_back(tape.finish_node(tape.define_op("softsign"), a.value() / (1.0 + a.value())));
  all.push_back(sum(all).named("ŷ total"));
  all.back().backward();
  check(tape, all.back());
  check(tape, all[26]);             // -0.0 * a: value -0
  check(tape, all[all.size() - 2]); // softsign(#0)
}

/// Handles that no longer (or never) name a node.
void empty_and_stale() {
  Tape tape;
  const Value w = tape.var(0.5, "w");
  const auto mark = tape.mark();
  const Value dropped = (w * 2.0).named("dropped");
  tape.rewind(mark);
  const Value reused = (w * 3.0).named("reused"); // same index as `dropped`
  check(tape, dropped);
  check(tape, reused);
  check(tape, Value());
  check(tape, Value(2.5)); // a constant
}

/// More nodes than gdb prints by default (`set print elements`, 200).
void long_tape() {
  Tape tape;
  Value v = tape.var(1.0, "start");
  for (int k = 0; k < 300; ++k) v = v * 1.01;
  v.backward();
  check(tape, v);
}

} // namespace

int main() {
  seed_network();
  zoo();
  empty_and_stale();
  long_tape();
}
