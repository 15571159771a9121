// libFuzzer target for the CSV reader: any text given to nn::parse_csv (with
// options taken from the first byte) either parses into a rectangular table
// of finite numbers or throws tapegrad::Error; so does to_dataset on what
// parsed. Anything else is a bug.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <tapegrad/autodiff.hpp>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  nn::CsvOptions options;
  options.delimiter = (data[0] & 1) != 0 ? ';' : ',';
  options.header = (data[0] & 2) == 0;
  options.max_line_length = (data[0] & 4) != 0 ? 64 : 65536;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  nn::Table table;
  try {
    table = nn::parse_csv(text, "<fuzz>", options);
  } catch (const Error&) {
    return 0;
  }
  if (table.columns.empty() && !table.cells.empty()) std::abort();
  if (!table.columns.empty() && table.cells.size() != table.rows() * table.columns.size())
    std::abort(); // ragged
  for (const double x : table.cells)
    if (!std::isfinite(x)) std::abort();
  if (table.columns.empty()) return 0;
  try {
    const nn::Dataset d = nn::to_dataset(table, table.columns.back());
    if (d.size() != table.rows() || d.features + 1 != table.columns.size()) std::abort();
    for (const int label : d.labels)
      if (label < 0 || static_cast<std::size_t>(label) >= d.classes) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
