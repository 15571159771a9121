// Labelled data sets for classification: the Dataset container and two
// generators, make_moons (scikit-learn's two interleaving half circles) and
// make_spirals (K interleaved spiral arms, CS231n's multi-class toy problem).
// Both are deterministic for a seed (nn::Rng), noise included.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tapegrad/nn_export.hpp"

namespace tapegrad::nn {

/// Examples with `features` numbers each and a class label in [0, classes).
struct Dataset {
  std::size_t features = 0;   ///< numbers per example
  std::size_t classes = 0;    ///< labels are 0 .. classes - 1
  std::vector<double> inputs; ///< row-major: example i is inputs[i*features, (i+1)*features)
  std::vector<int> labels;    ///< one per example

  /// Number of examples.
  [[nodiscard]] std::size_t size() const noexcept { return labels.size(); }
  /// Example i's features.
  [[nodiscard]] std::span<const double> input(std::size_t i) const {
    return std::span<const double>(inputs).subspan(i * features, features);
  }
};

/// n points on two interleaving half circles (scikit-learn's make_moons):
/// class 0 on (cos t, sin t), class 1 on (1 - cos t, 1/2 - sin t), t in
/// [0, pi] evenly spaced (ceil(n/2) points of class 0); then Gaussian noise of
/// standard deviation `noise` on each coordinate; then shuffled. Throws
/// tapegrad::Error if n < 2 or noise is negative or not finite.
TAPEGRAD_NN_EXPORT Dataset make_moons(std::size_t n, double noise, std::uint64_t seed);

/// `classes` spiral arms of `per_class` points each in the plane: point i of
/// arm k is at radius r = i / (per_class - 1) and angle
/// theta = 4 k + 4 r + noise * N(0, 1), i.e. r (sin theta, cos theta);
/// shuffled. Throws tapegrad::Error if classes < 2 or per_class < 2.
TAPEGRAD_NN_EXPORT Dataset make_spirals(std::size_t per_class, std::size_t classes, double noise,
                                        std::uint64_t seed);

/// Shuffles the examples in place (Fisher-Yates with Rng::below).
TAPEGRAD_NN_EXPORT void shuffle(Dataset& data, std::uint64_t seed);

/// Mini-batches of example indices: each epoch visits every example once, in
/// an order reshuffled from the seed at the start of the epoch; the last
/// batch of an epoch may be smaller. next() allocates nothing.
class TAPEGRAD_NN_EXPORT MiniBatches {
public:
  /// Batches of `batch_size` out of `examples` (0 or >= examples: the whole
  /// set each time, in order). Throws tapegrad::Error if examples is 0.
  MiniBatches(std::size_t examples, std::size_t batch_size, std::uint64_t seed = 0);
  /// The indices of the next batch; valid until the next call.
  std::span<const std::size_t> next();
  /// The epoch the last batch came from, counting from 0.
  [[nodiscard]] std::size_t epoch() const noexcept { return epoch_; }
  /// Examples per full batch.
  [[nodiscard]] std::size_t batch_size() const noexcept { return batch_size_; }

private:
  std::vector<std::size_t> order_;
  std::size_t batch_size_;
  std::size_t position_ = 0;
  std::size_t epoch_ = 0;
  std::uint64_t state_; ///< Rng seed for the next epoch's shuffle
};

} // namespace tapegrad::nn
