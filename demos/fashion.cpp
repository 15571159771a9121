// Fashion-MNIST with a scalar engine: an MLP 784-128-10 (ReLU), softmax
// cross-entropy and Adam (lr 1e-3) on mini-batches of 64, data-parallel on
// --threads threads (nn::Trainer's TrainOptions::threads). Reads Debian's
// dataset-fashion-mnist, shows progress with images per second, prints the
// test accuracy after each epoch, draws the confusion matrix and a grid of
// misclassified test images, and saves the model.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <tapegrad/nn.hpp>

#include "support/classifier_plots.hpp"
#include "support/progress.hpp"

using namespace tapegrad;

namespace {

constexpr const char* usage =
    R"(usage: fashion [--epochs N] [--limit N] [--test-limit N] [--threads N] [--seed N] [--data DIR] [--out DIR]
Trains an MLP 784-128-10 (ReLU) on Fashion-MNIST with Adam (lr 1e-3), batches of 64.
  --epochs N      passes over the training images (default 10)
  --limit N       train on the first N training images (default all 60,000)
  --test-limit N  test on the first N test images (default all 10,000)
  --threads N     threads per step (default: the machine's cores); a run is
                  bit-identical for a given seed and thread count
  --seed N        seed of the initial weights and the batch order (default 1)
  --data DIR      the IDX files (default /usr/share/datasets/fashion-mnist,
                  from Debian's dataset-fashion-mnist package)
  --out DIR       folder for fashion-confusion.svg, fashion-mistakes.svg and
                  fashion-model.txt (default fashion-out)
)";

struct Options {
  std::size_t epochs = 10;
  std::size_t limit = 0;
  std::size_t test_limit = 0;
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::uint64_t seed = 1;
  std::filesystem::path data{nn::fashion_mnist_default_dir};
  std::filesystem::path out = "fashion-out";
  bool help = false;
};

/// Parses argv into `o`; returns an error message or "".
std::string parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      o.help = true;
      continue;
    }
    if (i + 1 >= argc) return fmt::format("{} needs a value", flag);
    const std::string_view value = argv[++i];
    if (flag == "--data" || flag == "--out") {
      (flag == "--data" ? o.data : o.out) = std::string(value);
      continue;
    }
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size())
      return fmt::format("{} needs a whole number, got '{}'", flag, value);
    if (flag == "--seed") {
      o.seed = n;
      continue;
    }
    if (n == 0) return fmt::format("{} needs at least 1", flag);
    if (flag == "--epochs")
      o.epochs = n;
    else if (flag == "--limit")
      o.limit = n;
    else if (flag == "--test-limit")
      o.test_limit = n;
    else if (flag == "--threads")
      o.threads = n;
    else
      return fmt::format("unknown flag '{}'", flag);
  }
  return {};
}

/// The first n examples of `data` (all if n is 0 or larger).
void keep_first(nn::Dataset& data, std::size_t n) {
  if (n == 0 || n >= data.size()) return;
  data.labels.resize(n);
  data.inputs.resize(n * data.features);
}

std::size_t predicted_class(const nn::MLP& model, std::span<const double> x) {
  const std::vector<double> logits = model.predict(x);
  return static_cast<std::size_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

} // namespace

int main(int argc, char** argv) try {
  Options o;
  if (const std::string error = parse(argc, argv, o); !error.empty()) {
    fmt::print(stderr, "fashion: {}\n{}", error, usage);
    return 2;
  }
  if (o.help) {
    fmt::print("{}", usage);
    return 0;
  }

  auto t0 = std::chrono::steady_clock::now();
  nn::FashionMnist sets = nn::load_fashion_mnist(o.data);
  keep_first(sets.train, o.limit);
  keep_first(sets.test, o.test_limit);
  const std::chrono::duration<double> load_time = std::chrono::steady_clock::now() - t0;
  const nn::Dataset& train = sets.train;
  const nn::Dataset& test = sets.test;

  Tape tape;
  nn::MLP model(tape, train.features, {128, 10}, {.init = nn::Init::he_uniform, .seed = o.seed});
  nn::Adam adam(model.parameters(), {.lr = 1e-3});
  constexpr std::size_t batch = 64;
  nn::Trainer trainer(model, adam, train,
                      {.loss = nn::Loss::softmax_cross_entropy,
                       .batch_size = batch,
                       .seed = o.seed,
                       .threads = o.threads});
  fmt::print("{} ({} parameters), {} training and {} test images (read in {:.1f} s), {} "
             "thread{}, seed {}\n",
             model.shape(), model.parameter_count(), train.size(), test.size(), load_time.count(),
             o.threads, o.threads == 1 ? "" : "s", o.seed);
  { // What one image costs on a tape: its forward pass and loss, recorded and dropped.
    const Tape::Mark mark = tape.mark();
    const std::size_t bytes = tape.bytes_used(), nodes = tape.size();
    (void)nn::softmax_cross_entropy(model.forward(train.input(0)),
                                    static_cast<std::size_t>(train.labels[0]));
    fmt::print("tape per image: {} nodes, {:.2f} MB\n", tape.size() - nodes,
               static_cast<double>(tape.bytes_used() - bytes) / 1e6);
    tape.rewind(mark);
  }

  const std::size_t steps = (train.size() + batch - 1) / batch;
  std::vector<std::size_t> confusion(100);
  std::vector<std::size_t> wrong; // misclassified test images, in order
  double accuracy = 0.0, train_seconds = 0.0;
  for (std::size_t epoch = 1; epoch <= o.epochs; ++epoch) {
    fmt::print("epoch {}/{}\n", epoch, o.epochs);
    std::fflush(stdout);
    demo::Progress progress(steps);
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock(); // the process's CPU time, all threads
    std::size_t seen = 0;
    for (std::size_t k = 0; k < steps; ++k) {
      const nn::StepReport r = trainer.step();
      seen += std::min(batch, train.size() - k * batch);
      const std::chrono::duration<double> so_far = std::chrono::steady_clock::now() - start;
      progress.update(k, r.loss, r.accuracy, static_cast<double>(seen) / so_far.count(),
                      "images/s");
    }
    const std::chrono::duration<double> epoch_time = std::chrono::steady_clock::now() - start;
    const double cpu_time =
        static_cast<double>(std::clock() - cpu_start) / static_cast<double>(CLOCKS_PER_SEC);
    train_seconds += epoch_time.count();

    std::fill(confusion.begin(), confusion.end(), 0);
    wrong.clear();
    std::size_t right = 0;
    for (std::size_t i = 0; i < test.size(); ++i) {
      const auto truth = static_cast<std::size_t>(test.labels[i]);
      const std::size_t guess = predicted_class(model, test.input(i));
      ++confusion[truth * 10 + guess];
      if (guess == truth)
        ++right;
      else
        wrong.push_back(i);
    }
    accuracy = static_cast<double>(right) / static_cast<double>(test.size());
    fmt::print("epoch {}/{}: {:.1f} s (CPU {:.1f} s), {:.0f} images/s, test accuracy {:.1f}%\n",
               epoch, o.epochs, epoch_time.count(), cpu_time,
               static_cast<double>(train.size()) / epoch_time.count(), 100.0 * accuracy);
    std::fflush(stdout); // a log piped through tee shows each epoch as it ends
  }

  std::filesystem::create_directories(o.out);
  const auto confusion_path = o.out / "fashion-confusion.svg";
  const auto mistakes_path = o.out / "fashion-mistakes.svg";
  const auto model_path = o.out / "fashion-model.txt";
  demo::plot_confusion(confusion, nn::fashion_mnist_classes, confusion_path,
                       fmt::format("Fashion-MNIST test set: {:.1f}% right after {} epoch{}",
                                   100.0 * accuracy, o.epochs, o.epochs == 1 ? "" : "s"));
  std::vector<demo::Captioned> shown;
  for (std::size_t n = 0; n < std::min<std::size_t>(wrong.size(), 24); ++n) {
    const std::size_t i = wrong[n];
    shown.push_back({.pixels = test.input(i),
                     .caption = std::string(
                         nn::fashion_mnist_classes[static_cast<std::size_t>(test.labels[i])]),
                     .caption2 = std::string(
                         nn::fashion_mnist_classes[predicted_class(model, test.input(i))])});
  }
  demo::plot_image_grid(shown, 28, 28, 8, mistakes_path,
                        "misclassified test images: true label (green), prediction (red)");
  nn::save_parameters(model, model_path);
  fmt::print("{:.1f} s training ({:.1f} s per epoch)\n", train_seconds,
             train_seconds / static_cast<double>(o.epochs));
  fmt::print("wrote {}, {} and {}\n", confusion_path.string(), mistakes_path.string(),
             model_path.string());
  fmt::print("test accuracy: {:.1f}%\n", 100.0 * accuracy);
} catch (const std::exception& e) {
  fmt::print(stderr, "fashion: {}\n", e.what());
  return 1;
}
