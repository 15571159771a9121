// Trainer: one training step is mark -> forward each example -> per-example
// losses -> mean (+ L2) -> backward -> optimizer update -> rewind. The loss is
// composed from nn's loss functions, so no gradient is written here.
#include "tapegrad/nn/trainer.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include <tapegrad/arithmetic.hpp>
#include <tapegrad/error.hpp>

#include "tapegrad/nn/losses.hpp"

namespace tapegrad::nn {

Trainer::Trainer(MLP& model, Optimizer& optimizer, const Dataset& data, TrainOptions options)
    : model_(model), optimizer_(optimizer), data_(data), options_(options),
      batches_(std::max<std::size_t>(data.size(), 1), options.batch_size, options.seed),
      everyone_(data.size()), mark_(model.tape().mark()) {
  check_data(data);
  if (!(options.l2 >= 0.0))
    throw Error(fmt::format("tapegrad::nn: TrainOptions::l2 = {} must be >= 0.", options.l2));
  losses_.reserve(data.size());
  std::iota(everyone_.begin(), everyone_.end(), std::size_t{0});
}

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
  for (const std::size_t i : batch) {
    const std::span<const Value> out = model_.forward(data.input(i));
    const int label = data.labels[i];
    if (options_.loss == Loss::softmax_cross_entropy) {
      const auto best = std::max_element(out.begin(), out.end(),
                                         [](Value a, Value b) { return a.value() < b.value(); });
      correct += (best - out.begin()) == label;
      losses_.push_back(softmax_cross_entropy(out, static_cast<std::size_t>(label)));
      continue;
    }
    const Value score = out[0];
    correct += (score.value() > 0.0) == (label == 1);
    const double sign = label == 1 ? 1.0 : -1.0;
    switch (options_.loss) {
    case Loss::hinge: losses_.push_back(hinge(score, sign)); break;
    case Loss::mse: losses_.push_back(squared_error(score, sign)); break;
    case Loss::binary_cross_entropy:
      losses_.push_back(binary_cross_entropy_with_logits(score, label == 1 ? 1.0 : 0.0));
      break;
    case Loss::softmax_cross_entropy: break; // handled above
    }
  }
  Value loss = mean(losses_);
  if (options_.l2 > 0.0) loss = loss + options_.l2 * l2_penalty(optimizer_.parameters());
  return loss;
}

StepReport Trainer::step() {
  const std::span<const std::size_t> batch = batches_.next();
  std::size_t correct = 0;
  try {
    const Value loss = record_loss(data_, batch, correct);
    loss.backward();
    if (options_.schedule) optimizer_.set_lr((*options_.schedule)(step_));
    const StepReport report{.step = step_,
                            .loss = loss.value(),
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
