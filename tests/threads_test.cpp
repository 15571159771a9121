// Independent tapes on independent threads: four threads at once record and
// differentiate the same random graphs (and train the same small network),
// each on its own Tape, and every number must be bit-identical to the
// single-threaded result. Run under ThreadSanitizer by .ci/tsan.sh.
#include <bit>
#include <cstdint>
#include <span>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>
#include <tapegrad/nn.hpp>

#include "fuzz_generator.hpp"

using namespace tapegrad;

namespace {

constexpr std::uint64_t graphs = 2000;
constexpr int threads = 4;

/// The output value and every input's gradient of graphs 1..n, as bits.
std::vector<std::uint64_t> differentiate_graphs(std::uint64_t n) {
  fz::Generator generator;
  fz::Graph g;
  Tape tape; // one per thread, reused for every graph
  std::vector<Value> values, scratch;
  std::vector<std::uint64_t> bits;
  for (std::uint64_t seed = 1; seed <= n; ++seed) {
    generator.make(seed, g);
    tape.clear();
    values.clear();
    for (const double x : g.inputs) values.push_back(tape.var(x));
    for (const fz::Node& node : g.nodes)
      values.push_back(fz::apply<Value>(g, node, values, scratch));
    values.back().backward();
    bits.push_back(std::bit_cast<std::uint64_t>(values.back().value()));
    for (std::size_t i = 0; i < g.inputs.size(); ++i)
      bits.push_back(std::bit_cast<std::uint64_t>(values[i].grad()));
  }
  return bits;
}

/// The Hessians (hessian(), each on a tape of its own) of graphs 1..n, as bits.
std::vector<std::uint64_t> hessians_of_graphs(std::uint64_t n) {
  fz::Generator generator;
  fz::Graph g;
  std::vector<std::uint64_t> bits;
  for (std::uint64_t seed = 1; seed <= n; ++seed) {
    generator.make(seed, g);
    const auto f = [&g](std::span<const Value> in) {
      std::vector<Value> values(in.begin(), in.end()), scratch;
      for (const fz::Node& node : g.nodes)
        values.push_back(fz::apply<Value>(g, node, values, scratch));
      return values.back();
    };
    for (const double h : hessian(f, g.inputs)) bits.push_back(std::bit_cast<std::uint64_t>(h));
  }
  return bits;
}

/// Losses of 20 SGD steps on moons and the final parameters, as bits.
std::vector<std::uint64_t> train_moons() {
  const nn::Dataset data = nn::make_moons(40, 0.1, 5);
  Tape tape;
  nn::MLP model(tape, 2, {8, 8, 1}, {.seed = 5});
  nn::SGD sgd(model.parameters(), {.lr = 0.5});
  nn::Trainer trainer(model, sgd, data, {.loss = nn::Loss::hinge, .batch_size = 16, .seed = 5});
  std::vector<std::uint64_t> bits;
  trainer.run(
      20, [&](const nn::StepReport& r) { bits.push_back(std::bit_cast<std::uint64_t>(r.loss)); });
  for (const double p : model.parameter_values()) bits.push_back(std::bit_cast<std::uint64_t>(p));
  return bits;
}

/// Runs `work` on `threads` threads at once and returns each one's result.
template <class Work> std::vector<std::vector<std::uint64_t>> on_threads(Work work) {
  std::vector<std::vector<std::uint64_t>> results(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&results, &work, t] { results[static_cast<std::size_t>(t)] = work(); });
  for (std::thread& th : pool) th.join();
  return results;
}

} // namespace

TEST_CASE("tapes on four threads at once give gradients bit-identical to one thread") {
  const std::vector<std::uint64_t> reference = differentiate_graphs(graphs);
  REQUIRE(reference.size() > graphs);
  const auto results = on_threads([] { return differentiate_graphs(graphs); });
  for (const auto& r : results) CHECK(r == reference);
}

TEST_CASE("hessian() on four threads at once gives Hessians bit-identical to one thread") {
  const std::vector<std::uint64_t> reference = hessians_of_graphs(graphs / 4);
  const auto results = on_threads([] { return hessians_of_graphs(graphs / 4); });
  for (const auto& r : results) CHECK(r == reference);
}

TEST_CASE("four networks trained on four threads at once match the single-threaded run") {
  const std::vector<std::uint64_t> reference = train_moons();
  const auto results = on_threads(train_moons);
  for (const auto& r : results) CHECK(r == reference);
}

TEST_CASE("threads that misuse their own tapes get their own errors") {
  // Errors are thrown and caught per thread; no tape sees another's nodes.
  std::vector<int> caught(threads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&caught, t] {
      Tape tape;
      tape.set_detect_anomaly(true);
      const Value x = tape.var(static_cast<double>(t));
      for (int k = 0; k < 200; ++k) {
        try {
          (void)log(x - static_cast<double>(t)); // log(0): anomaly
        } catch (const Error&) {
          ++caught[static_cast<std::size_t>(t)];
        }
      }
    });
  for (std::thread& th : pool) th.join();
  for (const int c : caught) CHECK(c == 200);
}
