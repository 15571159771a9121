// Trainer: the training loop every demo and test would otherwise write by
// hand. Each step records a mini-batch's forward pass and loss above a mark,
// runs backward(), lets the optimizer update the parameters and rewinds the
// tape, reporting the loss and accuracy. A steady-state step allocates nothing.
// With TrainOptions::threads = N > 1 each step is data-parallel: N replicas of
// the model on N tapes each take a share of the batch, and their gradients are
// summed into the model's parameters in a fixed order before the update.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <tapegrad/tape.hpp>

#include "tapegrad/nn/datasets.hpp"
#include "tapegrad/nn/mlp.hpp"
#include "tapegrad/nn/optimizers.hpp"
#include "tapegrad/nn_export.hpp"

namespace tapegrad::nn {

namespace detail {
class DataParallel; // nn/src/parallel.hpp
}

/// Which loss the Trainer minimises. With one output, labels 0/1 are the
/// targets -1/+1 for hinge and mse, 0/1 for the cross-entropy, and the
/// predicted class is "output > 0". With K outputs (softmax_cross_entropy),
/// the predicted class is the largest logit.
enum class Loss {
  hinge,                ///< mean max(0, 1 - t s): micrograd's moons demo
  mse,                  ///< mean (s - t)^2 with t = +-1
  binary_cross_entropy, ///< mean BCE of the logit s (binary_cross_entropy_with_logits)
  softmax_cross_entropy ///< mean softmax cross-entropy over K logits
};

/// How the Trainer trains.
struct TrainOptions {
  Loss loss = Loss::hinge;                  ///< what to minimise
  double l2 = 0.0;                          ///< adds l2 * sum p^2 over all parameters
  std::size_t batch_size = 0;               ///< examples per step; 0 = the whole set
  std::uint64_t seed = 0;                   ///< seed of the batch order
  std::optional<LinearDecay> schedule = {}; ///< if set, lr = schedule(step) before each update
  /// Threads per step(), >= 1. 1 records the batch on the model's tape. N > 1
  /// records share k of each batch (a contiguous slice) on a replica of the
  /// model on a tape of its own, on thread k, and sums the N gradients in
  /// order k = 0, 1, ... into the model's parameters: bit-identical results
  /// for a given seed and N, equal to 1 thread's up to rounding.
  std::size_t threads = 1;
};

/// What one step (or an evaluation) measured, before the update.
struct StepReport {
  std::size_t step = 0;  ///< 0-based step number
  double loss = 0.0;     ///< data loss + l2 penalty, what backward() differentiated
  double accuracy = 0.0; ///< fraction of the batch classified right, in [0, 1]
  double lr = 0.0;       ///< the learning rate the update used
};

/// Trains `model` on `data` with `optimizer`. The model, optimizer and data
/// must outlive the Trainer. Construct it after the model and before
/// recording anything else: it marks the tape there and rewinds to the mark.
class TAPEGRAD_NN_EXPORT Trainer {
public:
  /// Throws tapegrad::Error if the data do not fit the model or the loss
  /// (features vs inputs, classes vs outputs), or if options.threads is 0.
  Trainer(MLP& model, Optimizer& optimizer, const Dataset& data, TrainOptions options = {});
  ~Trainer();
  Trainer(Trainer&&) noexcept; ///< the worker threads move along
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// One step: forward the next batch, loss, backward, update, rewind.
  StepReport step();
  /// Loss and accuracy of the current parameters on a whole data set (the
  /// training set by default), recording above the mark and rewinding.
  /// Changes nothing. Runs on the calling thread, whatever `threads` is.
  StepReport evaluate();
  /// Loss and accuracy on another data set of the same kind.
  StepReport evaluate(const Dataset& data);

  /// Runs `steps` steps, calling on_step(report) after each; returns the last.
  template <class OnStep> StepReport run(std::size_t steps, OnStep&& on_step) {
    StepReport report;
    for (std::size_t k = 0; k < steps; ++k) on_step(report = step());
    return report;
  }

  /// Steps taken so far.
  [[nodiscard]] std::size_t steps() const noexcept { return step_; }

private:
  /// Records the mean loss over `batch` of `data` and counts the right
  /// answers; returns the loss Value (tape above the mark).
  Value record_loss(const Dataset& data, std::span<const std::size_t> batch, std::size_t& correct);
  void check_data(const Dataset& data) const;
  /// step()'s data-parallel form: the replicas' gradients, summed, become the
  /// model's through one dot node (sum_j p_j g_j) on the model's tape.
  Value parallel_loss(std::span<const std::size_t> batch, std::size_t& correct, double& loss);

  MLP& model_;
  Optimizer& optimizer_;
  const Dataset& data_;
  TrainOptions options_;
  MiniBatches batches_;
  std::vector<Value> losses_;         ///< per-example losses of the batch, reused
  std::vector<std::size_t> everyone_; ///< 0 .. n-1, for evaluate()
  Tape::Mark mark_;
  std::size_t step_ = 0;
  // threads > 1 only:
  std::unique_ptr<detail::DataParallel> parallel_;
  std::vector<Value> parameters_; ///< model.parameters(), the replicas' order
  std::vector<double> values_;    ///< their values, handed to the replicas
  std::vector<double> gradient_;  ///< the replicas' gradients, summed
};

} // namespace tapegrad::nn
