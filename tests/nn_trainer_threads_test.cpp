// nn::Trainer with TrainOptions::threads: the same result twice for a seed
// and thread count (bit for bit), the same losses as one thread up to
// rounding, odd splits (a batch that does not divide, a share left empty),
// L2, and threads = 0 refused. .ci/tsan.sh runs it under ThreadSanitizer.
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

namespace {

struct Run {
  std::vector<double> losses;     ///< each step's reported loss
  std::vector<double> accuracies; ///< each step's reported accuracy
  std::vector<double> parameters; ///< after the last step
};

/// `steps` steps of a 3-class spirals classifier with Adam on `threads` threads.
Run train(std::size_t threads, std::size_t batch_size, int steps, double l2 = 0.0) {
  const nn::Dataset data = nn::make_spirals(40, 3, 0.1, 7);
  Tape tape;
  nn::MLP model(tape, 2, {12, 12, 3}, {.init = nn::Init::he_uniform, .seed = 7});
  nn::Adam adam(model.parameters(), {.lr = 0.01});
  nn::Trainer trainer(model, adam, data,
                      {.loss = nn::Loss::softmax_cross_entropy,
                       .l2 = l2,
                       .batch_size = batch_size,
                       .seed = 3,
                       .threads = threads});
  Run run;
  for (int k = 0; k < steps; ++k) {
    const nn::StepReport r = trainer.step();
    run.losses.push_back(r.loss);
    run.accuracies.push_back(r.accuracy);
  }
  run.parameters = model.parameter_values();
  return run;
}

std::vector<std::uint64_t> bits(const std::vector<double>& v) {
  std::vector<std::uint64_t> out;
  for (const double x : v) out.push_back(std::bit_cast<std::uint64_t>(x));
  return out;
}

/// |a - b| <= tol * max(|a|, |b|), element by element.
void check_close(const std::vector<double>& a, const std::vector<double>& b, double tol) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i);
    CHECK(std::abs(a[i] - b[i]) <= tol * std::max(std::abs(a[i]), std::abs(b[i])));
  }
}

} // namespace

TEST_CASE("two threads give the same result twice, bit for bit") {
  const Run a = train(2, 32, 20), b = train(2, 32, 20);
  CHECK(bits(a.losses) == bits(b.losses));
  CHECK(bits(a.parameters) == bits(b.parameters));
}

TEST_CASE("threads give one thread's losses and accuracies up to rounding") {
  const Run one = train(1, 32, 8);
  for (const std::size_t threads : {2, 3, 4}) {
    CAPTURE(threads);
    const Run many = train(threads, 32, 8);
    check_close(one.losses, many.losses, 1e-12);
    CHECK(one.accuracies == many.accuracies);
    check_close(one.parameters, many.parameters, 1e-9); // Adam: a few steps of rounding
  }
}

TEST_CASE("shares that do not divide the batch, empty shares and L2 still match one thread") {
  SUBCASE("a batch of 10 on 3 threads, with L2") {
    check_close(train(1, 10, 6, 1e-3).losses, train(3, 10, 6, 1e-3).losses, 1e-12);
  }
  SUBCASE("a batch of 2 on 4 threads: two shares are empty") {
    check_close(train(1, 2, 6).losses, train(4, 2, 6).losses, 1e-12);
  }
  SUBCASE("the whole set as one batch, with an epoch's last, smaller batch") {
    check_close(train(1, 0, 3).losses, train(2, 0, 3).losses, 1e-12);
    check_close(train(1, 50, 6).losses, train(2, 50, 6).losses, 1e-12); // 120 = 50 + 50 + 20
  }
}

TEST_CASE("the threaded trainer learns, and evaluate() sees the shared model") {
  const nn::Dataset data = nn::make_moons(200, 0.1, 1);
  Tape tape;
  nn::MLP model(tape, 2, {16, 16, 1}, {.seed = 1});
  nn::SGD sgd(model.parameters(), {.lr = 0.5});
  nn::Trainer trainer(model, sgd, data, {.loss = nn::Loss::hinge, .batch_size = 50, .threads = 2});
  const double before = trainer.evaluate().loss;
  for (int k = 0; k < 100; ++k) trainer.step();
  const nn::StepReport after = trainer.evaluate();
  CHECK(after.loss < before);
  CHECK(after.accuracy > 0.9);
}

TEST_CASE("threads = 0 is refused with a clear error") {
  const nn::Dataset data = nn::make_moons(10, 0.1, 1);
  Tape tape;
  nn::MLP model(tape, 2, {4, 1});
  nn::SGD sgd(model.parameters());
  CHECK_THROWS_WITH_AS(nn::Trainer(model, sgd, data, {.threads = 0}),
                       doctest::Contains("TrainOptions::threads = 0"), Error);
}
