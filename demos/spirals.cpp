// A multi-class demo: three interleaved spiral arms, an MLP(2, [32, 32, 3])
// trained with softmax cross-entropy and Adam (learning rate decaying
// linearly), in mini-batches. Shows progress, draws the decision regions and
// the loss/accuracy curve as SVG, and prints the final training accuracy.
#include <algorithm>
#include <array>
#include <filesystem>
#include <vector>

#include <fmt/format.h>
#include <tapegrad/nn.hpp>

#include "support/args.hpp"
#include "support/plots.hpp"
#include "support/progress.hpp"

using namespace tapegrad;

namespace {

constexpr std::size_t classes = 3;
constexpr std::size_t per_class = 100;

constexpr const char* usage = R"(usage: spirals [--steps N] [--seed N] [--out DIR]
Trains an MLP(2, [32, 32, 3]) to tell 3 spiral arms apart (softmax cross-entropy, Adam).
  --steps N   training steps of 100-point mini-batches (default 600)
  --seed N    seed of the data, the initial weights and the batch order (default 1)
  --out DIR   folder for spirals-regions.svg and spirals-training.svg (default spirals-out)
)";

} // namespace

int main(int argc, char** argv) try {
  demo::Args args{.steps = 600, .seed = 1, .out = "spirals-out", .help = false};
  if (const std::string error = demo::parse_args(argc, argv, args); !error.empty()) {
    fmt::print(stderr, "spirals: {}\n{}", error, usage);
    return 2;
  }
  if (args.help) {
    fmt::print("{}", usage);
    return 0;
  }

  const nn::Dataset data = nn::make_spirals(per_class, classes, 0.2, args.seed);
  Tape tape;
  nn::MLP model(tape, 2, {32, 32, classes}, {.init = nn::Init::he_uniform, .seed = args.seed});
  nn::Adam adam(model.parameters(), {.lr = 0.01});
  nn::Trainer trainer(
      model, adam, data,
      {.loss = nn::Loss::softmax_cross_entropy,
       .batch_size = 100,
       .seed = args.seed,
       .schedule = nn::LinearDecay{.start = 0.01, .end = 0.001, .steps = args.steps}});
  fmt::print("{} ({} parameters), {} points in {} classes, seed {}\n", model.shape(),
             model.parameter_count(), data.size(), classes, args.seed);

  demo::Progress progress(args.steps);
  std::vector<nn::StepReport> history;
  trainer.run(args.steps, [&](const nn::StepReport& r) {
    history.push_back(r);
    progress.update(r.step, r.loss, r.accuracy);
  });
  const nn::StepReport final_report = trainer.evaluate(); // the whole training set
  history.push_back(final_report);

  std::filesystem::create_directories(args.out);
  const auto regions = args.out / "spirals-regions.svg";
  const auto curves = args.out / "spirals-training.svg";
  demo::plot_regions(
      data,
      [&](double x, double y) {
        const std::vector<double> logits = model.predict(std::array{x, y});
        return static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
      },
      regions,
      fmt::format("MLP(2, [32, 32, 3]) on 3 spirals: {:.0f}% after {} steps",
                  100.0 * final_report.accuracy, args.steps));
  demo::plot_training(history, curves, "spirals: softmax cross-entropy, Adam, batches of 100");
  fmt::print("wrote {} and {}\n", regions.string(), curves.string());
  fmt::print("final training accuracy: {:.1f}%\n", 100.0 * final_report.accuracy);
} catch (const std::exception& e) {
  fmt::print(stderr, "spirals: {}\n", e.what());
  return 1;
}
