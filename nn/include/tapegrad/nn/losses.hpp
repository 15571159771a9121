// Losses, composed from the engine's operations (so their gradients are the
// engine's, and each is tested against finite differences): per-example
// losses, their batch means, and the L2 penalty. The stable forms use
// log_sigmoid and log-sum-exp, never log(sigmoid(z)) or log(sum(exp(z))).
#pragma once

#include <cstddef>
#include <span>

#include <tapegrad/tape.hpp>

#include "tapegrad/nn_export.hpp"

namespace tapegrad::nn {

// --- One example ---------------------------------------------------------------

/// (p - t)^2.
TAPEGRAD_NN_EXPORT Value squared_error(Value prediction, double target);

/// Binary cross-entropy of a probability p in (0, 1), the seed homework's
/// form: -(t ln p + (1 - t) ln(1 - p)). A term whose weight t or 1 - t is 0 is
/// not recorded, so p = 1 with t = 1 gives 0, not NaN. For a network's raw
/// output use binary_cross_entropy_with_logits: it cannot overflow.
TAPEGRAD_NN_EXPORT Value binary_cross_entropy(Value probability, double target);

/// Binary cross-entropy of a logit z (p = sigmoid(z)), stable for any z:
/// -(t ln s(z) + (1 - t) ln s(-z)) with ln s computed by log_sigmoid.
/// d/dz = s(z) - t.
TAPEGRAD_NN_EXPORT Value binary_cross_entropy_with_logits(Value logit, double target);

/// Hinge (max-margin) loss of a score s for a label t in {-1, +1}:
/// max(0, 1 - t s), micrograd's moons loss. Throws if t is not +-1.
TAPEGRAD_NN_EXPORT Value hinge(Value score, double target);

/// Softmax cross-entropy of K logits for the class `label` in [0, K):
/// -ln softmax(z)_label = logsumexp(z) - z_label, with the largest logit m
/// taken out first: logsumexp(z) = m + ln sum_k e^(z_k - m), so no e^z
/// overflows. d/dz_k = softmax(z)_k - [k = label].
TAPEGRAD_NN_EXPORT Value softmax_cross_entropy(std::span<const Value> logits, std::size_t label);

/// sum_i p_i^2 over the parameters, as one dot node. Add `alpha * l2_penalty(
/// params)` to a loss for weight decay (micrograd's moons demo: alpha = 1e-4).
TAPEGRAD_NN_EXPORT Value l2_penalty(std::span<const Value> params);

// --- A batch: the mean of the per-example losses ---------------------------------

/// (1/n) sum_i v_i, as one sum node and one scaling. Throws on an empty span.
TAPEGRAD_NN_EXPORT Value mean(std::span<const Value> values);

/// Mean squared error over a batch. Throws if the lengths differ or are 0.
TAPEGRAD_NN_EXPORT Value mse_loss(std::span<const Value> predictions,
                                  std::span<const double> targets);
/// Mean binary_cross_entropy over a batch of probabilities.
TAPEGRAD_NN_EXPORT Value bce_loss(std::span<const Value> probabilities,
                                  std::span<const double> targets);
/// Mean binary_cross_entropy_with_logits over a batch of logits.
TAPEGRAD_NN_EXPORT Value bce_with_logits_loss(std::span<const Value> logits,
                                              std::span<const double> targets);
/// Mean hinge loss over a batch of scores with labels +-1.
TAPEGRAD_NN_EXPORT Value hinge_loss(std::span<const Value> scores, std::span<const double> targets);

/// softmax(z) in plain doubles (stable), e.g. to show a classifier's confidence.
TAPEGRAD_NN_EXPORT void softmax(std::span<const double> logits, std::span<double> out);

} // namespace tapegrad::nn
