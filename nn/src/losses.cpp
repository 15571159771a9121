// The losses, each a few engine operations. Batch means accumulate the
// per-example losses in a running sum (one add node each) rather than a
// buffer, so a loss call allocates nothing.
#include "tapegrad/nn/losses.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include <tapegrad/arithmetic.hpp>
#include <tapegrad/error.hpp>
#include <tapegrad/functions.hpp>
#include <tapegrad/reductions.hpp>

namespace tapegrad::nn {

namespace {

void check_batch(std::string_view loss, std::size_t predictions, std::size_t targets) {
  if (predictions != targets || predictions == 0)
    throw Error(fmt::format("tapegrad::nn: {}() got {} predictions and {} targets. Pass one "
                            "target per prediction, at least one of each.",
                            loss, predictions, targets));
}

/// (1/n) sum_i f(p_i, t_i), accumulated node by node.
template <class F>
Value batch_mean(std::string_view loss, std::span<const Value> predictions,
                 std::span<const double> targets, F f) {
  check_batch(loss, predictions.size(), targets.size());
  Value total = f(predictions[0], targets[0]);
  for (std::size_t i = 1; i < predictions.size(); ++i)
    total = total + f(predictions[i], targets[i]);
  return total / static_cast<double>(predictions.size());
}

} // namespace

Value squared_error(Value prediction, double target) {
  const Value diff = prediction - target;
  return diff * diff; // d/dp = 2 (p - t), from the engine's product rule
}

Value binary_cross_entropy(Value probability, double target) {
  if (target == 1.0) return -log(probability);
  if (target == 0.0) return -log(1.0 - probability);
  return -(target * log(probability) + (1.0 - target) * log(1.0 - probability));
}

Value binary_cross_entropy_with_logits(Value logit, double target) {
  // ln(1 - s(z)) = ln s(-z): both terms stay finite for |z| up to 1e4 and beyond.
  if (target == 1.0) return -log_sigmoid(logit);
  if (target == 0.0) return -log_sigmoid(-logit);
  return -(target * log_sigmoid(logit) + (1.0 - target) * log_sigmoid(-logit));
}

Value hinge(Value score, double target) {
  if (target != 1.0 && target != -1.0)
    throw Error(fmt::format("tapegrad::nn: hinge() needs a label of -1 or +1, got {}. Map class "
                            "0/1 to -1/+1 (2 y - 1).",
                            target));
  return relu(1.0 - target * score);
}

Value softmax_cross_entropy(std::span<const Value> logits, std::size_t label) {
  if (logits.empty() || label >= logits.size())
    throw Error(fmt::format("tapegrad::nn: softmax_cross_entropy() got class {} for {} logits. "
                            "Pass one logit per class and a class in [0, {}).",
                            label, logits.size(), logits.size()));
  // m is a constant: logsumexp(z) = m + ln sum_k e^(z_k - m) holds for any m,
  // so its gradient is exact even though m is not recorded.
  double m = -std::numeric_limits<double>::infinity();
  for (const Value& z : logits) m = std::max(m, z.value());
  Value total = exp(logits[0] - m);
  for (std::size_t k = 1; k < logits.size(); ++k) total = total + exp(logits[k] - m);
  return (log(total) + m) - logits[label];
}

Value l2_penalty(std::span<const Value> params) {
  if (params.empty())
    throw Error("tapegrad::nn: l2_penalty() of no parameters. Pass model.parameters().");
  // 0 + sum_i p_i p_i as one dot node; each p_i is both weight and input, so
  // the engine passes back p_i + p_i = 2 p_i, the derivative of p_i^2.
  const Value zero = params.front().tape().var(0.0);
  return dot(params, params, zero);
}

Value mean(std::span<const Value> values) {
  if (values.empty()) throw Error("tapegrad::nn: mean() of no values. Pass at least one.");
  return sum(values) / static_cast<double>(values.size());
}

Value mse_loss(std::span<const Value> predictions, std::span<const double> targets) {
  return batch_mean("mse_loss", predictions, targets, squared_error);
}

Value bce_loss(std::span<const Value> probabilities, std::span<const double> targets) {
  return batch_mean("bce_loss", probabilities, targets, binary_cross_entropy);
}

Value bce_with_logits_loss(std::span<const Value> logits, std::span<const double> targets) {
  return batch_mean("bce_with_logits_loss", logits, targets, binary_cross_entropy_with_logits);
}

Value hinge_loss(std::span<const Value> scores, std::span<const double> targets) {
  return batch_mean("hinge_loss", scores, targets, hinge);
}

void softmax(std::span<const double> logits, std::span<double> out) {
  if (logits.size() != out.size() || logits.empty())
    throw Error("tapegrad::nn: softmax() needs as many outputs as logits, at least one.");
  const double m = *std::max_element(logits.begin(), logits.end());
  double total = 0.0;
  for (std::size_t k = 0; k < logits.size(); ++k) total += out[k] = std::exp(logits[k] - m);
  for (double& p : out) p /= total;
}

} // namespace tapegrad::nn
