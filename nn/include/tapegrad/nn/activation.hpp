// Activations a layer applies to each neuron's weighted sum, by name. The
// double version computes exactly what the Value version records, so that
// MLP::predict (no tape) and MLP::forward (on the tape) agree bit for bit.
#pragma once

#include <cmath>
#include <string_view>

#include <tapegrad/functions.hpp>

namespace tapegrad::nn {

/// What a layer does to each neuron's weighted sum b + w.x.
enum class Activation {
  linear,  ///< nothing: the output layer of a regression or a classifier's logits
  relu,    ///< max(z, 0): micrograd's hidden layers
  tanh,    ///< tanh z
  sigmoid, ///< 1 / (1 + e^-z)
};

/// "linear", "relu", "tanh" or "sigmoid".
constexpr std::string_view to_string(Activation a) noexcept {
  switch (a) {
  case Activation::linear: return "linear";
  case Activation::relu: return "relu";
  case Activation::tanh: return "tanh";
  case Activation::sigmoid: return "sigmoid";
  }
  return "?";
}

/// Applies `a` to z on the tape (linear records nothing and returns z).
inline Value activate(Activation a, Value z) {
  switch (a) {
  case Activation::linear: return z;
  case Activation::relu: return relu(z);
  case Activation::tanh: return tanh(z);
  case Activation::sigmoid: return sigmoid(z);
  }
  return z;
}

/// Applies `a` to a plain double, with the same formulas as the engine's ops.
inline double activate(Activation a, double z) {
  switch (a) {
  case Activation::linear: return z;
  case Activation::relu: return z > 0.0 ? z : 0.0;
  case Activation::tanh: return std::tanh(z);
  case Activation::sigmoid: {
    const double e = std::exp(-std::abs(z)); // the engine's overflow-free form
    return z >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  }
  }
  return z;
}

} // namespace tapegrad::nn
