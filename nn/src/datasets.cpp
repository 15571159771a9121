// make_moons, make_spirals, shuffle and MiniBatches. Every random number
// comes from nn::Rng, so a seed means the same data on every platform that
// has the same libm (noise uses log, sqrt and cos).
#include "tapegrad/nn/datasets.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include <fmt/format.h>

#include <tapegrad/error.hpp>

#include "tapegrad/nn/random.hpp"

namespace tapegrad::nn {

namespace {

constexpr double pi = 3.14159265358979323846;

/// Fisher-Yates over [first, first + n): swaps item i with a random j <= i.
template <class Swap> void fisher_yates(std::size_t n, Rng& rng, Swap swap) {
  for (std::size_t i = n; i-- > 1;) swap(i, static_cast<std::size_t>(rng.below(i + 1)));
}

} // namespace

void shuffle(Dataset& data, std::uint64_t seed) {
  Rng rng(seed);
  fisher_yates(data.size(), rng, [&data](std::size_t i, std::size_t j) {
    std::swap(data.labels[i], data.labels[j]);
    for (std::size_t f = 0; f < data.features; ++f)
      std::swap(data.inputs[i * data.features + f], data.inputs[j * data.features + f]);
  });
}

Dataset make_moons(std::size_t n, double noise, std::uint64_t seed) {
  if (n < 2 || !std::isfinite(noise) || noise < 0.0)
    throw Error(fmt::format("tapegrad::nn: make_moons({}, {}) needs at least 2 points and a "
                            "noise >= 0.",
                            n, noise));
  Dataset data{.features = 2, .classes = 2, .inputs = {}, .labels = {}};
  data.inputs.reserve(2 * n);
  data.labels.reserve(n);
  const std::size_t outer = (n + 1) / 2, inner = n - outer;
  const auto angle = [](std::size_t i, std::size_t count) {
    return count == 1 ? 0.0 : pi * static_cast<double>(i) / static_cast<double>(count - 1);
  };
  for (std::size_t i = 0; i < outer; ++i) {
    data.inputs.insert(data.inputs.end(), {std::cos(angle(i, outer)), std::sin(angle(i, outer))});
    data.labels.push_back(0);
  }
  for (std::size_t i = 0; i < inner; ++i) {
    const double t = angle(i, inner);
    data.inputs.insert(data.inputs.end(), {1.0 - std::cos(t), 0.5 - std::sin(t)});
    data.labels.push_back(1);
  }
  Rng rng(seed);
  if (noise > 0.0)
    for (double& x : data.inputs) x += noise * rng.normal();
  shuffle(data, rng.next());
  return data;
}

Dataset make_spirals(std::size_t per_class, std::size_t classes, double noise, std::uint64_t seed) {
  if (per_class < 2 || classes < 2 || !std::isfinite(noise) || noise < 0.0)
    throw Error(fmt::format("tapegrad::nn: make_spirals({}, {}, {}) needs at least 2 points per "
                            "class, at least 2 classes and a noise >= 0.",
                            per_class, classes, noise));
  Dataset data{.features = 2, .classes = classes, .inputs = {}, .labels = {}};
  data.inputs.reserve(2 * per_class * classes);
  data.labels.reserve(per_class * classes);
  Rng rng(seed);
  for (std::size_t k = 0; k < classes; ++k)
    for (std::size_t i = 0; i < per_class; ++i) {
      const double r = static_cast<double>(i) / static_cast<double>(per_class - 1);
      const double theta = 4.0 * static_cast<double>(k) + 4.0 * r + noise * rng.normal();
      data.inputs.insert(data.inputs.end(), {r * std::sin(theta), r * std::cos(theta)});
      data.labels.push_back(static_cast<int>(k));
    }
  shuffle(data, rng.next());
  return data;
}

MiniBatches::MiniBatches(std::size_t examples, std::size_t batch_size, std::uint64_t seed)
    : order_(examples),
      batch_size_(batch_size == 0 || batch_size > examples ? examples : batch_size), state_(seed) {
  if (examples == 0)
    throw Error("tapegrad::nn: MiniBatches over 0 examples. Give it a non-empty data set.");
  std::iota(order_.begin(), order_.end(), std::size_t{0});
}

std::span<const std::size_t> MiniBatches::next() {
  if (position_ >= order_.size()) {
    position_ = 0;
    ++epoch_;
  }
  if (position_ == 0 && batch_size_ < order_.size()) {
    // A fresh order each epoch, from a seed that advances with the epochs.
    Rng rng(splitmix64(state_));
    fisher_yates(order_.size(), rng,
                 [this](std::size_t i, std::size_t j) { std::swap(order_[i], order_[j]); });
  }
  const std::size_t count = std::min(batch_size_, order_.size() - position_);
  const std::span<const std::size_t> batch(order_.data() + position_, count);
  position_ += count;
  return batch;
}

} // namespace tapegrad::nn
