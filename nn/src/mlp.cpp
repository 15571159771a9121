// Neuron, Layer and MLP: building (recording the parameters and drawing their
// initial values) and the forward pass, on the tape and in plain doubles.
// No derivative is written here: a neuron is the engine's `dot` node plus an
// activation, and the engine records their partials.
#include "tapegrad/nn/mlp.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h> // fmt::join

#include <tapegrad/error.hpp>
#include <tapegrad/reductions.hpp>

namespace tapegrad::nn {

namespace {

double draw_weight(Rng& rng, Init init, std::size_t inputs) {
  switch (init) {
  case Init::uniform: return rng.uniform(-1.0, 1.0);
  case Init::he_uniform: {
    // U(-a, a) with a = sqrt(6 / n) has variance 2 / n, He's choice for ReLU.
    const double a = std::sqrt(6.0 / static_cast<double>(inputs));
    return rng.uniform(-a, a);
  }
  }
  return 0.0;
}

/// b + sum_i w_i x_i in plain doubles, in the order of the engine's dot node.
double weighted_sum(std::span<const Value> w, std::span<const double> x, Value b) {
  double z = b.value();
  for (std::size_t i = 0; i < w.size(); ++i) z += w[i].value() * x[i];
  return z;
}

void check_fan_in(std::size_t inputs) {
  if (inputs == 0)
    throw Error("tapegrad::nn: a Neuron with 0 inputs has nothing to weigh. Give it at least "
                "one input.");
}

} // namespace

// --- Neuron -----------------------------------------------------------------------

Neuron::Neuron(Tape& tape, std::size_t inputs, Activation activation, Rng& rng, Init init)
    : activation_(activation) {
  check_fan_in(inputs);
  w_.reserve(inputs);
  for (std::size_t i = 0; i < inputs; ++i) w_.push_back(tape.var(draw_weight(rng, init, inputs)));
  b_ = tape.var(0.0);
}

void Neuron::check_inputs(std::size_t n) const {
  if (n != w_.size())
    throw Error(
        fmt::format("tapegrad::nn: {} got {} inputs. Pass exactly {}.", shape(), n, w_.size()));
}

Value Neuron::operator()(std::span<const double> x) const {
  check_inputs(x.size());
  return activate(activation_, dot(w_, x, b_));
}

Value Neuron::operator()(std::span<const Value> x) const {
  check_inputs(x.size());
  return activate(activation_, dot(w_, x, b_));
}

double Neuron::predict(std::span<const double> x) const {
  check_inputs(x.size());
  return activate(activation_, weighted_sum(w_, x, b_));
}

std::vector<Value> Neuron::parameters() const {
  std::vector<Value> params(w_);
  params.push_back(b_);
  return params;
}

std::string Neuron::shape() const {
  return fmt::format("Neuron({}, {})", w_.size(), to_string(activation_));
}

// --- Layer ------------------------------------------------------------------------

Layer::Layer(Tape& tape, std::size_t inputs, std::size_t outputs, Activation activation, Rng& rng,
             Init init)
    : inputs_(inputs), activation_(activation) {
  check_fan_in(inputs);
  if (outputs == 0)
    throw Error("tapegrad::nn: a Layer of 0 neurons would output nothing. Give it at least one.");
  // Neuron by neuron, as a Neuron records itself: its weights, then its bias.
  weights_.reserve(outputs * inputs);
  biases_.reserve(outputs);
  for (std::size_t j = 0; j < outputs; ++j) {
    for (std::size_t i = 0; i < inputs; ++i)
      weights_.push_back(tape.var(draw_weight(rng, init, inputs)));
    biases_.push_back(tape.var(0.0));
  }
}

std::vector<Neuron> Layer::neurons() const {
  std::vector<Neuron> neurons;
  neurons.reserve(outputs());
  for (std::size_t j = 0; j < outputs(); ++j) {
    const auto w = row(j);
    neurons.push_back(Neuron(std::vector<Value>(w.begin(), w.end()), biases_[j], activation_));
  }
  return neurons;
}

void Layer::check_shapes(std::size_t in, std::size_t out) const {
  if (in != inputs_)
    throw Error(
        fmt::format("tapegrad::nn: {} got {} inputs. Pass exactly {}.", shape(), in, inputs_));
  if (out != outputs())
    throw Error(fmt::format("tapegrad::nn: {} writes {} outputs but was given room for {}. Pass "
                            "room for exactly {}.",
                            shape(), outputs(), out, outputs()));
}

// Every neuron's weighted sum first (one dot node each, as Neuron records
// it), then the activations: linear() checks the parameters and inputs once
// for the whole layer instead of once per neuron.
template <class Input> void Layer::record(std::span<const Input> x, std::span<Value> out) const {
  check_shapes(x.size(), out.size());
  linear(weights_, x, biases_, out);
  for (Value& v : out) v = activate(activation_, v);
}

void Layer::forward(std::span<const double> x, std::span<Value> out) const { record(x, out); }
void Layer::forward(std::span<const Value> x, std::span<Value> out) const { record(x, out); }

std::vector<Value> Layer::operator()(std::span<const double> x) const {
  std::vector<Value> out(outputs());
  forward(x, out);
  return out;
}

std::vector<Value> Layer::operator()(std::span<const Value> x) const {
  std::vector<Value> out(outputs());
  forward(x, out);
  return out;
}

void Layer::predict(std::span<const double> x, std::span<double> out) const {
  check_shapes(x.size(), out.size());
  for (std::size_t j = 0; j < outputs(); ++j)
    out[j] = activate(activation_, weighted_sum(row(j), x, biases_[j]));
}

std::vector<Value> Layer::parameters() const {
  std::vector<Value> params;
  params.reserve(parameter_count());
  for (std::size_t j = 0; j < outputs(); ++j) { // micrograd's order: a neuron's w, then its b
    params.insert(params.end(), row(j).begin(), row(j).end());
    params.push_back(biases_[j]);
  }
  return params;
}

std::size_t Layer::parameter_count() const { return outputs() * (inputs_ + 1); }

std::string Layer::shape() const {
  return fmt::format("Layer({}, {}, {})", inputs_, outputs(), to_string(activation_));
}

// --- MLP --------------------------------------------------------------------------

MLP::MLP(Tape& tape, std::size_t inputs, const std::vector<std::size_t>& sizes, MLPOptions options)
    : tape_(&tape), inputs_(inputs), options_(options) {
  if (inputs == 0 || sizes.empty() || std::find(sizes.begin(), sizes.end(), 0) != sizes.end())
    throw Error(fmt::format("tapegrad::nn: MLP({}, [{}]) cannot be built: it needs at least one "
                            "input and one layer, and every layer needs at least one neuron.",
                            inputs, fmt::join(sizes, ", ")));
  Rng rng(options.seed);
  layers_.reserve(sizes.size());
  std::size_t fan_in = inputs;
  for (std::size_t l = 0; l < sizes.size(); ++l) {
    const Activation act = l + 1 == sizes.size() ? options.output : options.hidden;
    layers_.emplace_back(tape, fan_in, sizes[l], act, rng, options.init);
    fan_in = sizes[l];
  }
  if (options.name_parameters)
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const std::vector<Neuron> neurons = layers_[l].neurons();
      for (std::size_t j = 0; j < neurons.size(); ++j) {
        const auto w = neurons[j].weights();
        for (std::size_t i = 0; i < w.size(); ++i) w[i].named(fmt::format("L{}.N{}.w{}", l, j, i));
        neurons[j].bias().named(fmt::format("L{}.N{}.b", l, j));
      }
    }
  const std::size_t widest = *std::max_element(sizes.begin(), sizes.end());
  for (std::vector<Value>& buffer : scratch_) buffer.resize(widest);
}

void MLP::check_inputs(std::size_t n) const {
  if (n != inputs_)
    throw Error(fmt::format("tapegrad::nn: {} takes {} inputs but was given {}. Pass one number "
                            "per input feature.",
                            shape(), inputs_, n));
}

template <class Input>
std::span<const Value> MLP::record(std::span<const Input> x, std::span<Value> a,
                                   std::span<Value> b) const {
  check_inputs(x.size());
  std::span<Value> out = a.first(layers_[0].outputs());
  layers_[0].forward(x, out);
  for (std::size_t l = 1; l < layers_.size(); ++l) {
    const std::span<Value> next = (l % 2 == 0 ? a : b).first(layers_[l].outputs());
    layers_[l].forward(std::span<const Value>(out), next);
    out = next;
  }
  return out;
}

std::span<const Value> MLP::forward(std::span<const double> x) {
  return record(x, scratch_[0], scratch_[1]);
}
std::span<const Value> MLP::forward(std::span<const Value> x) {
  return record(x, scratch_[0], scratch_[1]);
}

std::vector<Value> MLP::operator()(std::span<const double> x) const {
  std::vector<Value> a(scratch_[0].size()), b(a.size());
  const auto out = record(x, a, b);
  return {out.begin(), out.end()};
}

std::vector<Value> MLP::operator()(std::initializer_list<double> x) const {
  return (*this)(std::span<const double>(x.begin(), x.size()));
}

std::vector<Value> MLP::operator()(std::span<const Value> x) const {
  std::vector<Value> a(scratch_[0].size()), b(a.size());
  const auto out = record(x, a, b);
  return {out.begin(), out.end()};
}

std::vector<Value> MLP::operator()(std::initializer_list<Value> x) const {
  return (*this)(std::span<const Value>(x.begin(), x.size()));
}

std::vector<double> MLP::predict(std::span<const double> x) const {
  check_inputs(x.size());
  std::vector<double> in(x.begin(), x.end()), out;
  for (const Layer& layer : layers_) {
    out.assign(layer.outputs(), 0.0);
    layer.predict(in, out);
    std::swap(in, out);
  }
  return in;
}

std::vector<Value> MLP::parameters() const {
  std::vector<Value> params;
  params.reserve(parameter_count());
  for (const Layer& layer : layers_) {
    const std::vector<Value> p = layer.parameters();
    params.insert(params.end(), p.begin(), p.end());
  }
  return params;
}

std::size_t MLP::parameter_count() const {
  std::size_t n = 0;
  for (const Layer& layer : layers_) n += layer.parameter_count();
  return n;
}

std::string MLP::shape() const {
  std::vector<std::size_t> sizes;
  for (const Layer& layer : layers_) sizes.push_back(layer.outputs());
  return fmt::format("MLP({}, [{}], {}, {})", inputs_, fmt::join(sizes, ", "),
                     to_string(options_.hidden), to_string(options_.output));
}

} // namespace tapegrad::nn
