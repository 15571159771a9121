// Neuron, Layer and MLP: micrograd's nn.py on a tapegrad Tape. The parameters
// are recorded once, as leaves, when a module is built; calling a module
// records its forward pass above them. A neuron is one n-ary `dot` node
// (b + sum_i w_i x_i) followed by its activation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <tapegrad/tape.hpp>

#include "tapegrad/nn/activation.hpp"
#include "tapegrad/nn/module.hpp"
#include "tapegrad/nn/random.hpp"
#include "tapegrad/nn_export.hpp"

namespace tapegrad::nn {

/// How a neuron's weights are drawn; biases always start at 0. One
/// Rng::uniform() draw per weight, in parameters() order.
enum class Init {
  uniform,    ///< micrograd's: w ~ U(-1, 1)
  he_uniform, ///< Kaiming/He for ReLU: w ~ U(-sqrt(6/n), sqrt(6/n)), n = inputs
};

/// One neuron: act(b + sum_i w_i x_i).
class TAPEGRAD_NN_EXPORT Neuron final : public Module {
public:
  /// Records `inputs` weights (drawn from `rng` as `init` says) and a bias of 0.
  Neuron(Tape& tape, std::size_t inputs, Activation activation, Rng& rng,
         Init init = Init::uniform);

  /// The neuron's output for constant inputs (data).
  Value operator()(std::span<const double> x) const;
  /// The neuron's output for inputs on the tape (another layer's outputs).
  Value operator()(std::span<const Value> x) const;
  /// act(b + w.x) with plain doubles, recording nothing.
  [[nodiscard]] double predict(std::span<const double> x) const;

  [[nodiscard]] std::vector<Value> parameters() const override;
  [[nodiscard]] std::size_t parameter_count() const override { return w_.size() + 1; }
  /// "Neuron(3, relu)".
  [[nodiscard]] std::string shape() const override;

  /// The weights, one per input.
  [[nodiscard]] std::span<const Value> weights() const noexcept { return w_; }
  /// The bias.
  [[nodiscard]] Value bias() const noexcept { return b_; }
  /// The activation applied to the weighted sum.
  [[nodiscard]] Activation activation() const noexcept { return activation_; }
  /// How many inputs the neuron takes.
  [[nodiscard]] std::size_t inputs() const noexcept { return w_.size(); }

private:
  friend class Layer;
  /// A neuron of existing parameters (a Layer's row).
  Neuron(std::vector<Value> w, Value b, Activation activation)
      : w_(std::move(w)), b_(b), activation_(activation) {}
  void check_inputs(std::size_t n) const;
  std::vector<Value> w_;
  Value b_;
  Activation activation_;
};

/// A layer of neurons that all see the same inputs. It holds their weights
/// as the rows of one matrix and their biases; calling it records every
/// neuron's `dot` node (one linear() call), then every activation.
class TAPEGRAD_NN_EXPORT Layer final : public Module {
public:
  /// `outputs` neurons of `inputs` inputs each, drawn in order from `rng`.
  Layer(Tape& tape, std::size_t inputs, std::size_t outputs, Activation activation, Rng& rng,
        Init init = Init::uniform);

  /// The layer's outputs for constant inputs.
  [[nodiscard]] std::vector<Value> operator()(std::span<const double> x) const;
  /// The layer's outputs for inputs on the tape.
  [[nodiscard]] std::vector<Value> operator()(std::span<const Value> x) const;
  /// Writes the outputs into `out` (outputs() long): allocates nothing.
  void forward(std::span<const double> x, std::span<Value> out) const;
  /// Writes the outputs into `out` (outputs() long): allocates nothing.
  void forward(std::span<const Value> x, std::span<Value> out) const;
  /// The outputs with plain doubles, recording nothing, into `out`.
  void predict(std::span<const double> x, std::span<double> out) const;

  [[nodiscard]] std::vector<Value> parameters() const override;
  [[nodiscard]] std::size_t parameter_count() const override;
  /// "Layer(2, 16, relu)".
  [[nodiscard]] std::string shape() const override;

  /// The neurons, in order: handles to the layer's own parameters.
  [[nodiscard]] std::vector<Neuron> neurons() const;
  /// How many inputs each neuron takes.
  [[nodiscard]] std::size_t inputs() const noexcept { return inputs_; }
  /// How many neurons (outputs) the layer has.
  [[nodiscard]] std::size_t outputs() const noexcept { return biases_.size(); }
  /// The activation of every neuron.
  [[nodiscard]] Activation activation() const noexcept { return activation_; }

private:
  void check_shapes(std::size_t in, std::size_t out) const;
  [[nodiscard]] std::span<const Value> row(std::size_t j) const {
    return std::span(weights_).subspan(j * inputs_, inputs_);
  }
  template <class Input> void record(std::span<const Input> x, std::span<Value> out) const;
  std::size_t inputs_;
  Activation activation_;
  std::vector<Value> weights_; ///< the neurons' weights, row after row (as linear() takes them)
  std::vector<Value> biases_;  ///< the neurons' biases, in order
};

/// How an MLP is built; every field has micrograd's default.
struct MLPOptions {
  Activation hidden = Activation::relu;   ///< activation of every hidden layer
  Activation output = Activation::linear; ///< activation of the last layer
  Init init = Init::uniform;              ///< how weights are drawn (biases are 0)
  std::uint64_t seed = 0;                 ///< the Rng seed for the weights
  bool name_parameters = true;            ///< name leaves "L1.N3.w0", "L1.N3.b" on the tape
};

/// A multi-layer perceptron: `MLP model(tape, 2, {16, 16, 1});` is micrograd's
/// MLP(2, [16, 16, 1]): two ReLU layers of 16 and a linear output.
class TAPEGRAD_NN_EXPORT MLP final : public Module {
public:
  /// Layers of the given sizes on `inputs` inputs. Throws tapegrad::Error if
  /// `inputs` is 0, `sizes` is empty, or a size is 0.
  MLP(Tape& tape, std::size_t inputs, const std::vector<std::size_t>& sizes,
      MLPOptions options = {});

  /// The outputs for constant inputs (data), as new Values on the tape.
  [[nodiscard]] std::vector<Value> operator()(std::span<const double> x) const;
  /// The outputs for constant inputs: `model({0.5, -1.0})`.
  [[nodiscard]] std::vector<Value> operator()(std::initializer_list<double> x) const;
  /// The outputs for inputs that are themselves on the tape.
  [[nodiscard]] std::vector<Value> operator()(std::span<const Value> x) const;
  /// The outputs for inputs that are themselves on the tape: `model({x, y})`.
  [[nodiscard]] std::vector<Value> operator()(std::initializer_list<Value> x) const;

  /// Like operator() but into the model's own buffers: allocates nothing. The
  /// span is valid until the next forward(); copy the Values you keep.
  std::span<const Value> forward(std::span<const double> x);
  /// Like operator() but into the model's own buffers: allocates nothing.
  std::span<const Value> forward(std::span<const Value> x);

  /// The outputs with plain doubles, recording nothing (for plotting and
  /// evaluation); equal bit for bit to the values forward() records.
  [[nodiscard]] std::vector<double> predict(std::span<const double> x) const;

  [[nodiscard]] std::vector<Value> parameters() const override;
  [[nodiscard]] std::size_t parameter_count() const override;
  /// "MLP(2, [16, 16, 1], relu, linear)".
  [[nodiscard]] std::string shape() const override;

  /// The layers, in order.
  [[nodiscard]] std::span<const Layer> layers() const noexcept { return layers_; }
  /// How many inputs the model takes.
  [[nodiscard]] std::size_t inputs() const noexcept { return inputs_; }
  /// How many outputs the model gives (the last layer's size).
  [[nodiscard]] std::size_t outputs() const noexcept { return layers_.back().outputs(); }
  /// The tape the parameters live on.
  [[nodiscard]] Tape& tape() const noexcept { return *tape_; }
  /// The options the model was built with.
  [[nodiscard]] const MLPOptions& options() const noexcept { return options_; }

private:
  void check_inputs(std::size_t n) const;
  /// The forward pass: every layer in turn, from `a` into `b` and back;
  /// returns the last layer's outputs (in a or b, each as wide as the widest layer).
  template <class Input>
  std::span<const Value> record(std::span<const Input> x, std::span<Value> a,
                                std::span<Value> b) const;

  Tape* tape_;
  std::size_t inputs_;
  MLPOptions options_;
  std::vector<Layer> layers_;
  std::vector<Value> scratch_[2]; ///< forward()'s ping-pong activation buffers
};

} // namespace tapegrad::nn
