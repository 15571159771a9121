// Saving and loading a model's parameters in a plain text format (docs/nn.md):
//
//   tapegrad-parameters 1
//   shape MLP(2, [16, 16, 1], relu, linear)
//   count 337
//   -0.4377528384057283          <- one value per line, parameters() order
//   ...
//   checksum 5c3ad1e1c6a2f2a4    <- FNV-1a 64 of the values' IEEE-754 bits
//   end
//
// Values are printed as the shortest decimal that reads back to the same
// double, so a load restores the model bit for bit. A save is atomic; a load
// checks everything before it changes the model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "tapegrad/nn/module.hpp"
#include "tapegrad/nn_export.hpp"

namespace tapegrad::nn {

/// The version this build writes, and the only one it reads.
inline constexpr int model_format_version = 1;

/// The file's text for `model`. Throws tapegrad::Error if a parameter is NaN
/// or infinite (a diverged model is not worth keeping).
TAPEGRAD_NN_EXPORT std::string format_parameters(const Module& model);

/// Sets `model`'s parameters from a file's text. `source` names the text in
/// error messages. Throws tapegrad::Error naming the line if the text is not
/// such a file, has another version, another shape or count, a malformed or
/// non-finite value, a wrong checksum, or is cut short; the model is then
/// unchanged.
TAPEGRAD_NN_EXPORT void parse_parameters(Module& model, std::string_view text,
                                         std::string_view source = "<text>");

/// Writes the file atomically: into a temporary file in the same folder,
/// flushed to disk (fsync), then renamed over `path`, so a crash leaves either
/// the old file or the new one, never a broken one. Throws tapegrad::Error
/// (with the system's reason) if it cannot.
TAPEGRAD_NN_EXPORT void save_parameters(const Module& model, const std::filesystem::path& path);

/// Reads the file and sets the parameters; see parse_parameters.
TAPEGRAD_NN_EXPORT void load_parameters(Module& model, const std::filesystem::path& path);

/// FNV-1a 64 over the 8 little-endian bytes of each value's IEEE-754 bits, in
/// order: the file's checksum line.
TAPEGRAD_NN_EXPORT std::uint64_t parameters_checksum(std::span<const double> values) noexcept;

} // namespace tapegrad::nn
