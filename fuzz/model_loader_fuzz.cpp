// libFuzzer target for the model loader: any text given to
// nn::parse_parameters either loads (and then saves back to a file that loads
// to the same bits) or throws tapegrad::Error and leaves the model exactly as
// it was. Anything else (a crash, a sanitizer report, another exception, a
// half-changed model) is a bug.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <tapegrad/autodiff.hpp>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Tape tape;
  static nn::MLP model(tape, 2, {3, 1}, {.seed = 1});
  static const std::vector<double> start = model.parameter_values();
  model.set_parameter_values(start);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    nn::parse_parameters(model, text, "<fuzz>");
  } catch (const Error&) {
    if (model.parameter_values() != start) std::abort(); // a failed load changed the model
    return 0;
  }
  const std::vector<double> loaded = model.parameter_values();
  for (const double p : loaded)
    if (!std::isfinite(p)) std::abort(); // NaN or Inf accepted
  // A loaded model saves to text that loads back to the same bits.
  const std::string saved = nn::format_parameters(model);
  model.set_parameter_values(start);
  nn::parse_parameters(model, saved, "<saved>");
  if (model.parameter_values() != loaded) std::abort();
  return 0;
}
