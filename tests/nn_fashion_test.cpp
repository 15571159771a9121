// A short training run on the installed Fashion-MNIST (Debian's
// dataset-fashion-mnist; skipped when absent): the fashion demo's model on the
// first 2,000 training images for one epoch, on two threads, must classify
// the first 1,000 test images far better than chance (10%).
#include <algorithm>
#include <filesystem>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

namespace {
const bool fashion_installed = std::filesystem::exists(
    std::filesystem::path(nn::fashion_mnist_default_dir) / "train-images-idx3-ubyte.gz");
}

TEST_CASE("one epoch on 2,000 Fashion-MNIST images beats 60% test accuracy" *
          doctest::skip(!fashion_installed)) {
  nn::FashionMnist sets = nn::load_fashion_mnist();
  sets.train.labels.resize(2000);
  sets.train.inputs.resize(2000 * sets.train.features);
  Tape tape;
  nn::MLP model(tape, 784, {128, 10}, {.init = nn::Init::he_uniform, .seed = 1});
  nn::Adam adam(model.parameters(), {.lr = 1e-3});
  nn::Trainer trainer(
      model, adam, sets.train,
      {.loss = nn::Loss::softmax_cross_entropy, .batch_size = 64, .seed = 1, .threads = 2});
  double first_loss = 0.0, last_loss = 0.0;
  for (int k = 0; k < 32; ++k) { // 2,000 / 64 rounded up: one epoch
    const double loss = trainer.step().loss;
    if (k == 0) first_loss = loss;
    last_loss = loss;
  }
  CHECK(last_loss < first_loss);
  std::size_t right = 0;
  for (std::size_t i = 0; i < 1000; ++i) {
    const std::vector<double> logits = model.predict(sets.test.input(i));
    right += std::max_element(logits.begin(), logits.end()) - logits.begin() == sets.test.labels[i];
  }
  CHECK(right > 600); // 69% here; chance is 10%
}
