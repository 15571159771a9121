// Trainer: one training step is mark -> forward each example -> per-example
// losses -> mean (+ L2) -> backward -> optimizer update -> rewind. The loss is
// composed from nn's loss functions, so no gradient is written here. With
// threads > 1 the forward and backward passes run on replicas (parallel.cpp).
#include "tapegrad/nn/trainer.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include <tapegrad/arithmetic.hpp>
#include <tapegrad/error.hpp>
#include <tapegrad/reductions.hpp>

#include "parallel.hpp"
#include "tapegrad/nn/losses.hpp"

namespace tapegrad::nn {

Trainer::Trainer(MLP& model, Optimizer& optimizer, const Dataset& data, TrainOptions options)
    : model_(model), optimizer_(optimizer), data_(data), options_(options),
      batches_(std::max<std::size_t>(data.size(), 1), options.batch_size, options.seed),
      everyone_(data.size()), mark_(model.tape().mark()) {
  check_data(data);
  if (!(options.l2 >= 0.0))
    throw Error(fmt::format("tapegrad::nn: TrainOptions::l2 = {} must be >= 0.", options.l2));
  if (options.threads == 0)
    throw Error("tapegrad::nn: TrainOptions::threads = 0: a step needs at least 1 thread. Use 1 "
                "to train on the calling thread, N > 1 for N threads.");
  losses_.reserve(data.size());
  std::iota(everyone_.begin(), everyone_.end(), std::size_t{0});
  if (options.threads > 1) {
    parallel_ = std::make_unique<detail::DataParallel>(model, options.threads, options.loss);
    parameters_ = model.parameters();
    values_.resize(parameters_.size());
    gradient_.resize(parameters_.size());
  }
}

Trainer::~Trainer() = default;
Trainer::Trainer(Trainer&&) noexcept = default;

void Trainer::check_data(const Dataset& data) const {
  const bool softmax = options_.loss == Loss::softmax_cross_entropy;
  const std::size_t wanted_outputs = softmax ? data.classes : 1;
  if (data.size() == 0 || data.features != model_.inputs() || model_.outputs() != wanted_outputs ||
      (!softmax && data.classes != 2))
    throw Error(fmt::format(
        "tapegrad::nn: the data ({} examples of {} features, {} classes) do not fit {} with this "
        "loss. The model needs one input per feature and {}.",
        data.size(), data.features, data.classes, model_.shape(),
        softmax ? "one output per class" : "one output (two classes, labels 0 and 1)"));
  for (const int label : data.labels)
    if (label < 0 || static_cast<std::size_t>(label) >= data.classes)
      throw Error(fmt::format("tapegrad::nn: a label {} is outside [0, {}). Labels must be class "
                              "numbers 0 .. classes - 1.",
                              label, data.classes));
}

Value Trainer::record_loss(const Dataset& data, std::span<const std::size_t> batch,
                           std::size_t& correct) {
  losses_.clear(); // keeps its capacity
  correct = 0;
  for (const std::size_t i : batch)
    losses_.push_back(detail::example_loss(options_.loss, model_.forward(data.input(i)),
                                           data.labels[i], correct));
  Value loss = mean(losses_);
  if (options_.l2 > 0.0) loss = loss + options_.l2 * l2_penalty(optimizer_.parameters());
  return loss;
}

Value Trainer::parallel_loss(std::span<const std::size_t> batch, std::size_t& correct,
                             double& loss) {
  for (std::size_t j = 0; j < parameters_.size(); ++j) values_[j] = parameters_[j].value();
  const detail::DataParallel::Result result = parallel_->run(values_, data_, batch);
  correct = result.correct;
  loss = result.loss;
  for (std::size_t j = 0; j < gradient_.size(); ++j) { // replica 0, 1, ...: a fixed order
    double g = 0.0;
    for (std::size_t k = 0; k < parallel_->threads(); ++k) g += parallel_->gradient(k)[j];
    gradient_[j] = g;
  }
  // d/dp_j (sum_j p_j g_j) = g_j exactly: backward() puts the summed gradient
  // where the optimizer reads it, and the L2 term adds its own as in step().
  Value total = dot(parameters_, gradient_, model_.tape().var(0.0));
  if (options_.l2 > 0.0) {
    const Value penalty = options_.l2 * l2_penalty(optimizer_.parameters());
    loss += penalty.value();
    total = total + penalty;
  }
  return total;
}

StepReport Trainer::step() {
  const std::span<const std::size_t> batch = batches_.next();
  std::size_t correct = 0;
  try {
    double loss_value = 0.0;
    const Value loss =
        parallel_ ? parallel_loss(batch, correct, loss_value) : record_loss(data_, batch, correct);
    if (!parallel_) loss_value = loss.value();
    loss.backward();
    if (options_.schedule) optimizer_.set_lr((*options_.schedule)(step_));
    const StepReport report{.step = step_,
                            .loss = loss_value,
                            .accuracy =
                                static_cast<double>(correct) / static_cast<double>(batch.size()),
                            .lr = optimizer_.lr()};
    optimizer_.step();
    model_.tape().rewind(mark_);
    ++step_;
    return report;
  } catch (...) {
    model_.tape().rewind(mark_); // a failed step leaves no nodes behind
    throw;
  }
}

StepReport Trainer::evaluate() { return evaluate(data_); }

StepReport Trainer::evaluate(const Dataset& data) {
  check_data(data);
  if (everyone_.size() < data.size()) { // another, larger set: grow once
    everyone_.resize(data.size());
    std::iota(everyone_.begin(), everyone_.end(), std::size_t{0});
  }
  std::size_t correct = 0;
  try {
    const Value loss = record_loss(data, std::span(everyone_).first(data.size()), correct);
    const StepReport report{.step = step_,
                            .loss = loss.value(),
                            .accuracy =
                                static_cast<double>(correct) / static_cast<double>(data.size()),
                            .lr = optimizer_.lr()};
    model_.tape().rewind(mark_);
    return report;
  } catch (...) {
    model_.tape().rewind(mark_);
    throw;
  }
}

} // namespace tapegrad::nn
