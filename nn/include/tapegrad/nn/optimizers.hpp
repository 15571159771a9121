// Optimizers: SGD (with momentum and weight decay) and Adam, with PyTorch's
// update rules. Each keeps its own copy of the parameter list and its state
// buffers, sized once, so step() allocates nothing. step() reads the
// gradients the last backward() left and changes the leaves with set_value.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include <tapegrad/tape.hpp>

#include "tapegrad/nn_export.hpp"

namespace tapegrad::nn {

/// What SGD and Adam share: the parameters, the learning rate, a step count.
class TAPEGRAD_NN_EXPORT Optimizer {
public:
  virtual ~Optimizer();
  Optimizer(const Optimizer&) = delete;            ///< holds per-parameter state
  Optimizer& operator=(const Optimizer&) = delete; ///< holds per-parameter state
  /// Updates every parameter from its gradient.
  virtual void step() = 0;

  /// Sets every gradient on the parameters' tape to 0 (backward() already
  /// replaces gradients; this is for symmetry with PyTorch).
  void zero_grad() const;
  /// The learning rate the next step() uses.
  [[nodiscard]] double lr() const noexcept { return lr_; }
  /// Changes the learning rate (a schedule calls this each step). Throws
  /// tapegrad::Error if lr is negative or not finite.
  void set_lr(double lr);
  /// The parameters, in the order given.
  [[nodiscard]] std::span<const Value> parameters() const noexcept { return params_; }
  /// How many step()s have been taken.
  [[nodiscard]] std::size_t steps() const noexcept { return steps_; }

protected:
  /// Keeps the parameters to update and the learning rate (checked by set_lr).
  Optimizer(std::span<const Value> params, double lr);

  std::vector<Value> params_; ///< the parameters step() updates
  double lr_ = 0.0;           ///< the learning rate of the next step()
  std::size_t steps_ = 0;     ///< step()s taken so far
};

/// SGD's settings.
struct SGDOptions {
  double lr = 0.01;          ///< learning rate eta
  double momentum = 0.0;     ///< mu in [0, 1); 0 is plain SGD
  double weight_decay = 0.0; ///< lambda >= 0: adds lambda p to each gradient
};

/// Stochastic gradient descent, PyTorch's form:
///   g = dL/dp + lambda p;   v = mu v + g (v starts at 0);   p = p - eta v.
class TAPEGRAD_NN_EXPORT SGD final : public Optimizer {
public:
  /// Throws tapegrad::Error on a setting out of range.
  SGD(std::span<const Value> params, SGDOptions options = {});
  void step() override;
  /// The settings (lr as given at construction; see lr() for the current one).
  [[nodiscard]] const SGDOptions& options() const noexcept { return options_; }

private:
  SGDOptions options_;
  std::vector<double> velocity_;
};

/// Adam's settings, PyTorch's defaults.
struct AdamOptions {
  double lr = 1e-3;          ///< learning rate eta
  double beta1 = 0.9;        ///< decay of the first-moment average, in [0, 1)
  double beta2 = 0.999;      ///< decay of the second-moment average, in [0, 1)
  double eps = 1e-8;         ///< added to sqrt(v_hat), > 0
  double weight_decay = 0.0; ///< lambda >= 0: adds lambda p to each gradient (L2, not AdamW)
};

/// Adam (Kingma & Ba), PyTorch's form, at step t = 1, 2, ...:
///   g = dL/dp + lambda p;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
///   p = p - eta (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
class TAPEGRAD_NN_EXPORT Adam final : public Optimizer {
public:
  /// Throws tapegrad::Error on a setting out of range.
  Adam(std::span<const Value> params, AdamOptions options = {});
  void step() override;
  /// The settings.
  [[nodiscard]] const AdamOptions& options() const noexcept { return options_; }

private:
  AdamOptions options_;
  std::vector<double> m_, v_;
};

/// micrograd's learning-rate schedule, generalised: a straight line from
/// `start` at step 0 to `end` at step `steps`, then `end`:
///   lr(k) = start + (end - start) * min(k, steps) / steps.
/// LinearDecay{1.0, 0.1, 100} is micrograd's lr = 1 - 0.9 k / 100.
struct LinearDecay {
  double start = 1.0;      ///< lr at step 0
  double end = 0.1;        ///< lr from step `steps` on
  std::size_t steps = 100; ///< length of the ramp (0: always `end`)

  /// The learning rate for step k (0-based).
  [[nodiscard]] constexpr double operator()(std::size_t k) const noexcept {
    if (k >= steps) return end;
    return start + (end - start) * static_cast<double>(k) / static_cast<double>(steps);
  }
};

} // namespace tapegrad::nn
