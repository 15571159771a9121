// libFuzzer target for the IDX reader: any bytes given to nn::parse_idx_images
// or nn::parse_idx_labels (the first byte picks which), raw or gzipped, either
// parse into sizes that match the bytes returned or throw tapegrad::Error; so
// does to_dataset on what parsed (pixels in [0, 1], labels below the classes).
// Anything else is a bug. The output is capped (IdxLimits) so that a small
// gzip bomb costs an error, not the fuzzer's memory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include <tapegrad/autodiff.hpp>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const nn::IdxLimits limits{.max_bytes = std::size_t{1} << 20};
  const std::span<const std::uint8_t> bytes(data + 1, size - 1);
  try {
    if ((data[0] & 1) == 0) {
      const nn::IdxImages images = nn::parse_idx_images(bytes, "<fuzz>", limits);
      if (images.count == 0 || images.rows == 0 || images.columns == 0) std::abort();
      if (images.pixels.size() != images.count * images.rows * images.columns) std::abort();
      const std::vector<std::uint8_t> labels(images.count, data[0] >> 1);
      const nn::Dataset d = nn::to_dataset(images, labels, 10, "<images>", "<labels>");
      if (d.size() != images.count || d.inputs.size() != images.pixels.size()) std::abort();
      for (const double x : d.inputs)
        if (!(x >= 0.0 && x <= 1.0)) std::abort();
    } else {
      const std::vector<std::uint8_t> labels = nn::parse_idx_labels(bytes, "<fuzz>", limits);
      if (labels.empty()) std::abort();
    }
  } catch (const Error&) {
  }
  return 0;
}
