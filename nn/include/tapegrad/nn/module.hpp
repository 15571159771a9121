// Module: what every trainable piece (Neuron, Layer, MLP) has in common, as in
// micrograd and PyTorch: a list of parameters, and a way to read, set and save
// their values. Modules are move-only: a copy would silently share parameters.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <tapegrad/tape.hpp>

#include "tapegrad/nn_export.hpp"

namespace tapegrad::nn {

/// Base of Neuron, Layer and MLP.
class TAPEGRAD_NN_EXPORT Module {
public:
  virtual ~Module();
  Module(const Module&) = delete;            ///< parameters are handles: copies would alias
  Module& operator=(const Module&) = delete; ///< parameters are handles: copies would alias

  /// Every parameter (a leaf on the model's tape), in micrograd's order:
  /// layer by layer, neuron by neuron, each neuron's weights then its bias.
  [[nodiscard]] virtual std::vector<Value> parameters() const = 0;
  /// How many parameters parameters() returns.
  [[nodiscard]] virtual std::size_t parameter_count() const = 0;
  /// The architecture in one line, e.g. "MLP(2, [16, 16, 1], relu, linear)".
  /// Model files record it, and load refuses a file made for another shape.
  [[nodiscard]] virtual std::string shape() const = 0;

  /// Sets every gradient on the model's tape to 0. Rarely needed:
  /// backward() replaces gradients rather than accumulating them.
  void zero_grad() const;
  /// The parameters' values, in parameters() order.
  [[nodiscard]] std::vector<double> parameter_values() const;
  /// Sets the parameters' values, in parameters() order (e.g. weights
  /// trained elsewhere). Throws tapegrad::Error, changing nothing, if
  /// `values` does not hold exactly parameter_count() numbers.
  void set_parameter_values(std::span<const double> values) const;

protected:
  Module() = default;
  Module(Module&&) noexcept = default;            ///< moves the parameter handles
  Module& operator=(Module&&) noexcept = default; ///< moves the parameter handles
};

} // namespace tapegrad::nn
