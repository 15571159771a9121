// dot() and linear() check their spans of handles with a quick test first:
// when every handle of a span comes from one epoch of this tape (a layer's
// weights from one, its inputs from another), one comparison of the span's
// highest index stands in for a check per handle; anything else falls back to
// is_live() on each. The quick test must never pass a span that has a handle
// is_live() refuses: these tests build spans of each kind, one epoch and
// mixed, and compare dot() and linear() with is_live() handle by handle.
#include <array>
#include <cstddef>
#include <new>
#include <random>
#include <span>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

using namespace tapegrad;
using doctest::Contains;

namespace {
/// b + sum w_i x_i computed from the handles' values, for comparing with dot().
double expected_dot(std::span<const Value> w, std::span<const Value> x, Value b) {
  double total = b.value();
  for (std::size_t i = 0; i < w.size(); ++i) total += w[i].value() * x[i].value();
  return total;
}

/// Whether every handle of `vs` is live on `tape`.
bool all_live(const Tape& tape, std::span<const Value> vs) {
  for (const Value& v : vs)
    if (!tape.is_live(v)) return false;
  return true;
}
} // namespace

TEST_CASE("dot() takes a span of one epoch whose handles are all live") {
  Tape tape;
  const std::vector<Value> params = {tape.var(1.0), tape.var(2.0), tape.var(3.0)};
  const Tape::Mark outer = tape.mark();
  (void)tape.var(0.0);
  tape.rewind(outer); // params are now below every cut, from an older epoch
  const std::vector<Value> data = {tape.var(4.0), tape.var(5.0), tape.var(6.0)};
  const Tape::Mark inner = tape.mark();
  tape.rewind(inner); // data survived a cut above them: older, above the lowest cut
  const Value b = tape.var(0.5);
  const std::vector<Value> current = {b * 1.0, b * 2.0, b * 4.0};

  CHECK(dot(params, current, b).value() == expected_dot(params, current, b));
  CHECK(dot(data, params, b).value() == expected_dot(data, params, b));
  CHECK(dot(current, data, b).value() == expected_dot(current, data, b));
  const std::vector<Value> mixed = {params[0], data[1], current[2]};
  CHECK(dot(mixed, mixed, b).value() == expected_dot(mixed, mixed, b));
}

TEST_CASE("dot() refuses a span of one epoch that holds one stale handle") {
  Tape tape;
  const Value w = tape.var(2.0);
  const Tape::Mark mark = tape.mark();
  const std::vector<Value> first = {w * 1.0, w * 2.0, w * 3.0}; // nodes 1, 2, 3
  tape.rewind(mark);
  const std::vector<Value> second = {w * 4.0, w * 5.0, w * 6.0, w * 7.0}; // 1 .. 4 again
  const Value b = tape.var(0.5);
  // All of `first` share one epoch, and their indices are below size(): only
  // the cut tells they are stale.
  CHECK_THROWS_WITH_AS(dot(first, std::span(second).first(3), b), Contains("stale Value"), Error);
  CHECK_THROWS_WITH_AS(dot(std::span(second).first(3), first, b), Contains("stale Value"), Error);
  // Mixed epochs: a live node of this step first, then a stale one.
  const std::vector<Value> mixed = {second[0], first[1]};
  CHECK_THROWS_WITH_AS(dot(mixed, std::span(second).first(2), b), Contains("stale Value"), Error);
  CHECK(tape.size() == 6);

  // One epoch, one survivor and one dropped node: a mark between them.
  tape.rewind(mark);
  const Value kept = w * 8.0; // node 1
  const Tape::Mark between = tape.mark();
  const Value lost = w * 9.0; // node 2
  tape.rewind(between);
  (void)(w * 10.0); // node 2 again, so `lost` has an index below size()
  const std::vector<Value> pair = {kept, lost};
  CHECK_THROWS_WITH_AS(dot(pair, pair, w), Contains("stale Value"), Error);
  CHECK(dot(std::span(pair).first(1), std::span(pair).first(1), w).value() == 16.0 * 16.0 + 2.0);
}

TEST_CASE("dot() refuses a span of handles of a destroyed Tape in the same storage") {
  alignas(Tape) unsigned char storage[sizeof(Tape)];
  Tape* gone = new (storage) Tape;
  const std::vector<Value> orphans = {gone->var(1.0), gone->var(2.0)};
  gone->~Tape();
  Tape* tape = new (storage) Tape;
  const std::vector<Value> live = {tape->var(3.0), tape->var(4.0), tape->var(5.0)};
  const Tape::Mark mark = tape->mark();
  tape->rewind(mark); // live is now older than the current epoch, below every cut
  CHECK_THROWS_WITH_AS(dot(orphans, std::span(live).first(2), live[2]),
                       Contains("whose Tape was destroyed"), Error);
  CHECK(dot(std::span(live).first(2), std::span(live).last(2), live[0]).value() ==
        3.0 + 3.0 * 4.0 + 4.0 * 5.0);
  tape->~Tape();
}

TEST_CASE("dot() and linear() on random spans throw exactly when is_live() refuses a handle") {
  // Handles of five kinds, from many epochs: parameters below every cut, data
  // between two marks, nodes of the current step, stale nodes of earlier
  // steps and data of earlier rounds, and handles that were never this
  // tape's. A span is drawn from one kind (the quick test's case, as a layer's
  // weights are) or mixed, and dot() must agree with is_live().
  Tape tape, other;
  std::vector<Value> params;
  for (int i = 0; i < 8; ++i) params.push_back(tape.var(0.1 * i));
  const Tape::Mark outer = tape.mark();
  Tape::Mark inner = outer;
  std::vector<Value> data, current, stale, foreign = {other.var(1.0), other.var(2.0), Value{}};
  std::mt19937 random(2026);
  int refused = 0, taken = 0;
  for (int step = 0; step < 3000; ++step) {
    if (step % 100 == 0) { // a new round: new data between the two marks
      tape.rewind(outer);
      stale.insert(stale.end(), data.begin(), data.end());
      data.clear();
      for (int i = 0; i < 4; ++i) data.push_back(tape.var(1.0 + i));
      inner = tape.mark();
    }
    current.clear();
    for (int i = 0; i < 6; ++i) current.push_back(params[random() % 8] * (1.0 + i));
    const std::vector<Value>* kinds[] = {&params, &data, &current, &stale, &foreign};
    const std::size_t n = 1 + random() % 5;
    std::vector<Value> w(n), x(n);
    if (random() % 2 == 0) { // one kind, consecutive handles: mostly made together
      const std::vector<Value>& kind = *kinds[random() % 5];
      const std::size_t w_start = random(), x_start = random();
      for (std::size_t i = 0; i < n; ++i) {
        w[i] = kind[(w_start + i) % kind.size()];
        x[i] = kind[(x_start + i) % kind.size()];
      }
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        const std::vector<Value>& from_w = *kinds[random() % 5];
        const std::vector<Value>& from_x = *kinds[random() % 5];
        w[i] = from_w[random() % from_w.size()];
        x[i] = from_x[random() % from_x.size()];
      }
    }
    const std::size_t size = tape.size();
    const Value b = params[0];
    // linear() tests each span on its own (w, then x): one row of it must
    // agree too, with Value inputs and with constant ones.
    std::array<Value, 1> out;
    const std::vector<double> ones(n, 1.0);
    if (all_live(tape, w) && all_live(tape, x)) {
      CHECK(dot(w, x, b).value() == expected_dot(w, x, b));
      linear(w, x, std::span(&b, 1), out);
      CHECK(out[0].value() == expected_dot(w, x, b));
      ++taken;
    } else {
      CHECK_THROWS_AS(dot(w, x, b), Error);
      CHECK_THROWS_AS(linear(w, x, std::span(&b, 1), out), Error);
      CHECK(tape.size() == size); // and nothing half built
      ++refused;
    }
    if (all_live(tape, w))
      CHECK_NOTHROW(linear(w, ones, std::span(&b, 1), out));
    else
      CHECK_THROWS_AS(linear(w, ones, std::span(&b, 1), out), Error);
    tape.rewind(inner); // this step's nodes join the stale ones
    stale.insert(stale.end(), current.begin(), current.end());
  }
  CHECK(taken > 500);
  CHECK(refused > 500);
}
