// A steady-state training step allocates nothing. This executable replaces the
// global operator new and delete with counting versions; each test warms up
// (the tape and buffers grow to their working size), then counts the
// allocations of further steps, which must be zero. The tape's own arrays grow
// with realloc (column.hpp), which operator new does not see: their room,
// Tape::bytes_reserved(), must not change either.
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

#include "counting_new.hpp"

using namespace tapegrad;
using counting_new::allocations;

TEST_CASE("the allocation counter sees a vector's allocation") {
  const std::size_t before = allocations.load();
  std::vector<double> v(100);
  const std::size_t after = allocations.load();
  CHECK(after - before == 1);
}

TEST_CASE("bytes_reserved() sees the tape grow") {
  Tape tape;
  const std::size_t empty = tape.bytes_reserved();
  Value x = tape.var(1.0);
  for (int k = 0; k < 1000; ++k) x = x * 1.5;
  CHECK(tape.bytes_reserved() > empty);
  const std::size_t grown = tape.bytes_reserved();
  tape.clear();
  CHECK(tape.bytes_reserved() == grown); // clear() keeps the memory
}

TEST_CASE("a hand-written training step allocates nothing once warmed up") {
  const nn::Dataset data = nn::make_moons(100, 0.1, 1337);
  Tape tape;
  nn::MLP model(tape, 2, {16, 16, 1}, {.seed = 1337});
  nn::SGD sgd(model.parameters(), {.lr = 0.5, .momentum = 0.9, .weight_decay = 1e-4});
  std::vector<Value> losses;
  losses.reserve(data.size());
  const Tape::Mark mark = tape.mark(); // the parameters are below it
  const auto step = [&] {
    losses.clear();
    for (std::size_t i = 0; i < data.size(); ++i) {
      const Value score = model.forward(data.input(i))[0];
      losses.push_back(nn::hinge(score, data.labels[i] == 1 ? 1.0 : -1.0));
    }
    const Value loss = nn::mean(losses) + 1e-4 * nn::l2_penalty(sgd.parameters());
    loss.backward();
    sgd.step();
    tape.rewind(mark);
    return loss;
  };
  for (int warm = 0; warm < 3; ++warm) step();
  const std::size_t before = allocations.load(), room = tape.bytes_reserved();
  for (int k = 0; k < 20; ++k) step();
  const std::size_t after = allocations.load();
  CHECK(after - before == 0);
  CHECK(tape.bytes_reserved() == room);
  CHECK(tape.size() == 337);
}

TEST_CASE("Trainer::step allocates nothing once warmed up, with Adam and mini-batches") {
  const nn::Dataset data = nn::make_spirals(30, 3, 0.1, 5);
  Tape tape;
  nn::MLP model(tape, 2, {8, 8, 3}, {.hidden = nn::Activation::tanh, .seed = 5});
  nn::Adam adam(model.parameters(), {.lr = 0.01});
  nn::Trainer trainer(model, adam, data,
                      {.loss = nn::Loss::softmax_cross_entropy,
                       .l2 = 1e-4,
                       .batch_size = 16,
                       .seed = 5,
                       .schedule = nn::LinearDecay{.start = 0.01, .end = 0.001, .steps = 50}});
  for (int warm = 0; warm < 12; ++warm) trainer.step(); // several epochs
  const std::size_t before = allocations.load(), room = tape.bytes_reserved();
  double total = 0.0;
  for (int k = 0; k < 30; ++k) total += trainer.step().loss;
  const std::size_t after = allocations.load();
  CHECK(after - before == 0);
  CHECK(tape.bytes_reserved() == room);
  CHECK(total > 0.0);
}

TEST_CASE("a data-parallel Trainer::step (threads = 2) allocates nothing once warmed up") {
  const nn::Dataset data = nn::make_spirals(30, 3, 0.1, 5);
  Tape tape;
  nn::MLP model(tape, 2, {8, 8, 3}, {.hidden = nn::Activation::tanh, .seed = 5});
  nn::Adam adam(model.parameters(), {.lr = 0.01});
  nn::Trainer trainer(model, adam, data,
                      {.loss = nn::Loss::softmax_cross_entropy,
                       .l2 = 1e-4,
                       .batch_size = 16,
                       .seed = 5,
                       .threads = 2});
  for (int warm = 0; warm < 12; ++warm) trainer.step(); // several epochs
  const std::size_t before = allocations.load();
  for (int k = 0; k < 30; ++k) trainer.step();
  CHECK(allocations.load() - before == 0);
}

TEST_CASE("Trainer::step with SGD, hinge loss and the schedule allocates nothing") {
  const nn::Dataset data = nn::make_moons(100, 0.1, 1);
  Tape tape;
  nn::MLP model(tape, 2, {16, 16, 1}, {.seed = 1});
  nn::SGD sgd(model.parameters(), {.lr = 1.0});
  nn::Trainer trainer(
      model, sgd, data,
      {.l2 = 1e-4, .schedule = nn::LinearDecay{.start = 1.0, .end = 0.1, .steps = 100}});
  for (int warm = 0; warm < 3; ++warm) trainer.step();
  const std::size_t before = allocations.load(), room = tape.bytes_reserved();
  for (int k = 0; k < 20; ++k) trainer.step();
  CHECK(allocations.load() - before == 0);
  CHECK(tape.bytes_reserved() == room);
}
