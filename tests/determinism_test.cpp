// Determinism: the same seeds give bit-identical training runs, twice in a
// row in one process (every loss of every step and every final parameter),
// and a different seed gives a different run.
#include <bit>
#include <cstdint>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

namespace {

struct Run {
  std::vector<std::uint64_t> losses;     ///< each step's loss, as IEEE bits
  std::vector<std::uint64_t> parameters; ///< the final parameters, as IEEE bits
};

std::vector<std::uint64_t> bits(const std::vector<double>& xs) {
  std::vector<std::uint64_t> out;
  for (const double x : xs) out.push_back(std::bit_cast<std::uint64_t>(x));
  return out;
}

/// micrograd's moons setup, with mini-batches so the batch order matters too.
Run moons_with_sgd(std::uint64_t seed) {
  const nn::Dataset data = nn::make_moons(60, 0.1, seed);
  Tape tape;
  nn::MLP model(tape, 2, {16, 16, 1}, {.seed = seed});
  nn::SGD sgd(model.parameters(), {.lr = 0.5, .momentum = 0.9});
  nn::Trainer trainer(model, sgd, data,
                      {.loss = nn::Loss::hinge, .l2 = 1e-4, .batch_size = 20, .seed = seed});
  std::vector<double> losses;
  trainer.run(30, [&](const nn::StepReport& r) { losses.push_back(r.loss); });
  return {bits(losses), bits(model.parameter_values())};
}

/// Softmax on spirals with Adam: exp, log and sqrt in the loop.
Run spirals_with_adam(std::uint64_t seed) {
  const nn::Dataset data = nn::make_spirals(30, 3, 0.2, seed);
  Tape tape;
  nn::MLP model(tape, 2, {12, 3}, {.init = nn::Init::he_uniform, .seed = seed});
  nn::Adam adam(model.parameters(), {.lr = 0.02});
  nn::Trainer trainer(model, adam, data,
                      {.loss = nn::Loss::softmax_cross_entropy, .batch_size = 32, .seed = seed});
  std::vector<double> losses;
  trainer.run(30, [&](const nn::StepReport& r) { losses.push_back(r.loss); });
  return {bits(losses), bits(model.parameter_values())};
}

} // namespace

TEST_CASE("the same seed gives a bit-identical SGD run on moons twice in a row") {
  const Run first = moons_with_sgd(1337);
  const Run second = moons_with_sgd(1337);
  REQUIRE(first.losses.size() == 30);
  CHECK(first.losses == second.losses);
  CHECK(first.parameters == second.parameters);
  const Run other = moons_with_sgd(1338);
  CHECK(other.losses != first.losses);
  CHECK(other.parameters != first.parameters);
}

TEST_CASE("the same seed gives a bit-identical Adam run on spirals twice in a row") {
  const Run first = spirals_with_adam(7);
  const Run second = spirals_with_adam(7);
  REQUIRE(first.parameters.size() == 12 * (2 + 1) + 3 * (12 + 1));
  CHECK(first.losses == second.losses);
  CHECK(first.parameters == second.parameters);
  CHECK(spirals_with_adam(8).parameters != first.parameters);
}
