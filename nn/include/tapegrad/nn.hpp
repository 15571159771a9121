// tapegrad::nn in one include: modules (Neuron, Layer, MLP), losses,
// optimizers, data sets, the training loop, CSV tables and model files.
//
//   nn::MLP model(tape, 2, {16, 16, 1});   // micrograd's MLP(2, [16, 16, 1])
//   std::vector<Value> out = model({0.5, -1.0});
#pragma once

#include <tapegrad/autodiff.hpp>

#include "tapegrad/nn/activation.hpp"
#include "tapegrad/nn/csv.hpp"
#include "tapegrad/nn/datasets.hpp"
#include "tapegrad/nn/idx.hpp"
#include "tapegrad/nn/losses.hpp"
#include "tapegrad/nn/mlp.hpp"
#include "tapegrad/nn/model_io.hpp"
#include "tapegrad/nn/module.hpp"
#include "tapegrad/nn/optimizers.hpp"
#include "tapegrad/nn/random.hpp"
#include "tapegrad/nn/trainer.hpp"
