// Internal to tapegrad::nn (not installed): the Trainer's data-parallel step.
// Each of N replicas of the model lives on a Tape of its own; replica k
// records share k of a mini-batch, differentiates the share's part of the
// mean loss (in chunks of a few examples, so the tape stays in the cache) and
// keeps its gradient. Replica 0 runs on the calling thread, the
// others on persistent worker threads; the Trainer sums the gradients in
// replica order, so a run is bit-identical for a given seed and thread count.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include <tapegrad/tape.hpp>

#include "tapegrad/nn/datasets.hpp"
#include "tapegrad/nn/mlp.hpp"
#include "tapegrad/nn/trainer.hpp"

namespace tapegrad::nn::detail {

/// Records example `label`'s loss for the model outputs `out` (as `loss`
/// says) and adds 1 to `correct` if the outputs classify it right.
Value example_loss(Loss loss, std::span<const Value> out, int label, std::size_t& correct);

/// N replicas of an MLP on N tapes, and N - 1 worker threads to run them.
class DataParallel {
public:
  /// Builds `threads` replicas of `model` (same shape and activations) and
  /// starts threads - 1 workers, which wait for run().
  DataParallel(const MLP& model, std::size_t threads, Loss loss);
  /// Stops and joins the workers.
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  /// What run() measured, summed over the replicas.
  struct Result {
    double loss = 0.0;       ///< the batch's mean loss (sum of the shares' parts)
    std::size_t correct = 0; ///< examples classified right
  };

  /// Sets every replica's parameters to `values` (model.parameters() order),
  /// splits `batch` into contiguous shares, one per replica, and has each
  /// replica differentiate sum(share's losses) / batch.size(), a few
  /// examples at a time (record, backward(), add the gradients, rewind).
  /// Rethrows the first replica's exception, if any, after all have finished.
  Result run(std::span<const double> values, const Dataset& data,
             std::span<const std::size_t> batch);

  /// Replica k's gradient after run(), in model.parameters() order.
  [[nodiscard]] std::span<const double> gradient(std::size_t k) const noexcept {
    return replicas_[k]->grads;
  }
  /// How many replicas (threads) there are.
  [[nodiscard]] std::size_t threads() const noexcept { return replicas_.size(); }

private:
  struct Replica {
    Tape tape;
    MLP model;
    std::vector<Value> params; ///< model.parameters(), kept
    std::vector<Value> losses; ///< the share's per-example losses, reused
    std::vector<double> grads; ///< d(share's part of the loss)/d(parameter)
    Tape::Mark mark;           ///< above the parameters
    double loss = 0.0;         ///< the share's part of the mean loss
    std::size_t correct = 0;   ///< of the share
    std::exception_ptr error;  ///< what the share threw, if anything
    Replica(std::size_t inputs, const std::vector<std::size_t>& sizes, MLPOptions options);
  };
  /// What run() hands the workers: read by them only between start and done.
  struct Job {
    std::span<const double> values;
    const Dataset* data = nullptr;
    std::span<const std::size_t> batch;
  };

  void work(std::size_t k);  ///< replica k's share of the current job
  void serve(std::size_t k); ///< worker thread k's loop
  Loss loss_;
  std::vector<std::unique_ptr<Replica>> replicas_;
  Job job_;
  std::mutex mutex_;
  std::condition_variable start_; ///< a new job (or stop) for the workers
  std::condition_variable done_;  ///< the last worker finished its share
  std::uint64_t generation_ = 0;  ///< jobs handed out so far
  std::size_t pending_ = 0;       ///< workers still busy with the current job
  bool stop_ = false;
  std::vector<std::jthread> workers_; ///< last: joined first, before the rest goes
};

} // namespace tapegrad::nn::detail
