// The Trainer's data-parallel step (see parallel.hpp). Hand-off is one mutex
// and two condition variables: run() publishes the job and bumps a
// generation counter under the lock, each worker does its share and counts
// itself done under the lock, so every read of the job and every write of a
// replica's results is ordered by the lock (ThreadSanitizer checks this).
// Nothing is allocated per step once the replicas' tapes have grown.
#include "parallel.hpp"

#include <algorithm>

#include <tapegrad/arithmetic.hpp>
#include <tapegrad/reductions.hpp>

#include "tapegrad/nn/losses.hpp"

namespace tapegrad::nn::detail {

namespace {
/// Examples a replica records before each backward(). The fashion model's
/// tape takes 1.24 MB per image: 8 images (10 MB per thread) stay in the
/// L3 cache, 32 stream through memory. Per image, chunks of 8 ran 25-35%
/// faster than 64 on one thread here (bench/README.md, "Fashion-MNIST").
constexpr std::size_t chunk_size = 8;
} // namespace

Value example_loss(Loss loss, std::span<const Value> out, int label, std::size_t& correct) {
  if (loss == Loss::softmax_cross_entropy) {
    const auto best = std::max_element(out.begin(), out.end(),
                                       [](Value a, Value b) { return a.value() < b.value(); });
    correct += (best - out.begin()) == label;
    return softmax_cross_entropy(out, static_cast<std::size_t>(label));
  }
  const Value score = out[0];
  correct += (score.value() > 0.0) == (label == 1);
  const double sign = label == 1 ? 1.0 : -1.0;
  switch (loss) {
  case Loss::hinge: return hinge(score, sign);
  case Loss::mse: return squared_error(score, sign);
  case Loss::binary_cross_entropy:
    return binary_cross_entropy_with_logits(score, label == 1 ? 1.0 : 0.0);
  case Loss::softmax_cross_entropy: break; // handled above
  }
  return score; // not reached
}

DataParallel::Replica::Replica(std::size_t inputs, const std::vector<std::size_t>& sizes,
                               MLPOptions options)
    : model(tape, inputs, sizes, options), params(model.parameters()), grads(params.size(), 0.0),
      mark(tape.mark()) {}

DataParallel::DataParallel(const MLP& model, std::size_t threads, Loss loss) : loss_(loss) {
  std::vector<std::size_t> sizes;
  for (const Layer& layer : model.layers()) sizes.push_back(layer.outputs());
  MLPOptions options = model.options();
  options.name_parameters = false; // the values are copied in each step; names would be noise
  replicas_.reserve(threads);
  for (std::size_t k = 0; k < threads; ++k)
    replicas_.push_back(std::make_unique<Replica>(model.inputs(), sizes, options));
  workers_.reserve(threads - 1);
  for (std::size_t k = 1; k < threads; ++k) workers_.emplace_back([this, k] { serve(k); });
}

DataParallel::~DataParallel() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  start_.notify_all();
  workers_.clear(); // joins
}

void DataParallel::serve(std::size_t k) {
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      start_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    work(k);
    {
      const std::lock_guard lock(mutex_);
      if (--pending_ == 0) done_.notify_one();
    }
  }
}

void DataParallel::work(std::size_t k) {
  Replica& r = *replicas_[k];
  r.loss = 0.0;
  r.correct = 0;
  r.error = nullptr;
  // Share k of n examples: [k n / N, (k + 1) n / N), contiguous, in batch order.
  const std::size_t n = job_.batch.size(), shares = replicas_.size();
  const std::span<const std::size_t> share =
      job_.batch.subspan(k * n / shares, (k + 1) * n / shares - k * n / shares);
  try {
    std::fill(r.grads.begin(), r.grads.end(), 0.0);
    if (share.empty()) return;
    for (std::size_t j = 0; j < r.params.size(); ++j) r.params[j].set_value(job_.values[j]);
    // A few examples at a time: the tape of a chunk stays in the cache, where
    // a whole share's would stream through memory (see chunk_size).
    for (std::size_t first = 0; first < share.size(); first += chunk_size) {
      r.losses.clear();
      for (const std::size_t i : share.subspan(first, std::min(chunk_size, share.size() - first)))
        r.losses.push_back(example_loss(loss_, r.model.forward(job_.data->input(i)),
                                        job_.data->labels[i], r.correct));
      // This chunk's part of the batch's mean: the same 1/n as mean() gives.
      const Value part = sum(r.losses) / static_cast<double>(n);
      part.backward();
      r.loss += part.value();
      for (std::size_t j = 0; j < r.params.size(); ++j) r.grads[j] += r.params[j].grad();
      r.tape.rewind(r.mark);
    }
  } catch (...) {
    r.error = std::current_exception();
    r.tape.rewind(r.mark); // a failed share leaves no nodes behind
  }
}

DataParallel::Result DataParallel::run(std::span<const double> values, const Dataset& data,
                                       std::span<const std::size_t> batch) {
  for (auto& r : replicas_) // grown once to the largest share: no allocation in steady state
    if (r->losses.capacity() < batch.size()) r->losses.reserve(batch.size());
  {
    const std::lock_guard lock(mutex_);
    job_ = Job{.values = values, .data = &data, .batch = batch};
    pending_ = workers_.size();
    ++generation_;
  }
  start_.notify_all();
  work(0);
  {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
  }
  Result result;
  for (const auto& r : replicas_) { // replica order: the same sums every run
    if (r->error) std::rethrow_exception(r->error);
    result.loss += r->loss;
    result.correct += r->correct;
  }
  return result;
}

} // namespace tapegrad::nn::detail
