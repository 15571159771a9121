// SGD and Adam: the update rules, one loop over the parameters each, plus the
// checks on their settings. The gradients come from the last backward().
#include "tapegrad/nn/optimizers.hpp"

#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include <tapegrad/error.hpp>

namespace tapegrad::nn {

namespace {

void require(bool ok, std::string_view optimizer, std::string_view setting, double value,
             std::string_view range) {
  if (!ok)
    throw Error(fmt::format("tapegrad::nn: {} setting {} = {} is out of range. Use {}.", optimizer,
                            setting, value, range));
}

} // namespace

Optimizer::Optimizer(std::span<const Value> params, double lr)
    : params_(params.begin(), params.end()) {
  set_lr(lr);
}

Optimizer::~Optimizer() = default;

void Optimizer::zero_grad() const {
  if (!params_.empty()) params_.front().tape().zero_grad();
}

void Optimizer::set_lr(double lr) {
  require(std::isfinite(lr) && lr >= 0.0, "the optimizer's", "lr", lr, "a finite number >= 0");
  lr_ = lr;
}

SGD::SGD(std::span<const Value> params, SGDOptions options)
    : Optimizer(params, options.lr), options_(options), velocity_(params.size(), 0.0) {
  require(options.momentum >= 0.0 && options.momentum < 1.0, "SGD", "momentum", options.momentum,
          "a number in [0, 1)");
  require(std::isfinite(options.weight_decay) && options.weight_decay >= 0.0, "SGD", "weight_decay",
          options.weight_decay, "a finite number >= 0");
}

void SGD::step() {
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Value& p = params_[i];
    const double x = p.value();
    const double g = p.grad() + options_.weight_decay * x;
    velocity_[i] = options_.momentum * velocity_[i] + g;
    p.set_value(x - lr_ * velocity_[i]);
  }
  ++steps_;
}

Adam::Adam(std::span<const Value> params, AdamOptions options)
    : Optimizer(params, options.lr), options_(options), m_(params.size(), 0.0),
      v_(params.size(), 0.0) {
  require(options.beta1 >= 0.0 && options.beta1 < 1.0, "Adam", "beta1", options.beta1,
          "a number in [0, 1)");
  require(options.beta2 >= 0.0 && options.beta2 < 1.0, "Adam", "beta2", options.beta2,
          "a number in [0, 1)");
  require(std::isfinite(options.eps) && options.eps > 0.0, "Adam", "eps", options.eps,
          "a small positive number such as 1e-8");
  require(std::isfinite(options.weight_decay) && options.weight_decay >= 0.0, "Adam",
          "weight_decay", options.weight_decay, "a finite number >= 0");
}

void Adam::step() {
  const double t = static_cast<double>(steps_ + 1);
  // Bias corrections: m and v start at 0, so early averages are too small by
  // the factors 1 - b1^t and 1 - b2^t.
  const double correction1 = 1.0 - std::pow(options_.beta1, t);
  const double correction2 = 1.0 - std::pow(options_.beta2, t);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Value& p = params_[i];
    const double x = p.value();
    const double g = p.grad() + options_.weight_decay * x;
    m_[i] = options_.beta1 * m_[i] + (1.0 - options_.beta1) * g;
    v_[i] = options_.beta2 * v_[i] + (1.0 - options_.beta2) * g * g;
    const double m_hat = m_[i] / correction1;
    const double v_hat = v_[i] / correction2;
    p.set_value(x - lr_ * m_hat / (std::sqrt(v_hat) + options_.eps));
  }
  ++steps_;
}

} // namespace tapegrad::nn
