// Module's shared parts: zero_grad and reading/writing all parameter values
// at once (what loading a model file and importing weights use).
#include "tapegrad/nn/module.hpp"

#include <fmt/format.h>

#include <tapegrad/error.hpp>

namespace tapegrad::nn {

Module::~Module() = default;

void Module::zero_grad() const {
  const std::vector<Value> params = parameters();
  if (!params.empty()) params.front().tape().zero_grad();
}

std::vector<double> Module::parameter_values() const {
  std::vector<double> values;
  values.reserve(parameter_count());
  for (const Value& p : parameters()) values.push_back(p.value());
  return values;
}

void Module::set_parameter_values(std::span<const double> values) const {
  const std::vector<Value> params = parameters();
  if (values.size() != params.size())
    throw Error(fmt::format("tapegrad::nn: set_parameter_values() got {} values for {}, which has "
                            "{} parameters. Pass one value per parameter, in parameters() order.",
                            values.size(), shape(), params.size()));
  for (std::size_t i = 0; i < params.size(); ++i) params[i].set_value(values[i]);
}

} // namespace tapegrad::nn
