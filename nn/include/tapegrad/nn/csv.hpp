// A reader for numeric CSV tables (a header row of names, then rows of
// numbers), strict enough to trust: every malformed cell, ragged row, NaN or
// Inf, overlong line or empty file is a tapegrad::Error that names the file,
// the line and the column, and says how to fix it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tapegrad/nn/datasets.hpp"
#include "tapegrad/nn_export.hpp"

namespace tapegrad::nn {

/// How read_csv reads.
struct CsvOptions {
  char delimiter = ',';                ///< between cells
  bool header = true;                  ///< the first non-blank line names the columns
  std::size_t max_line_length = 65536; ///< longer lines are an error (not a CSV of numbers)
};

/// A table of finite doubles, row-major.
struct TAPEGRAD_NN_EXPORT Table {
  std::vector<std::string> columns; ///< the header's names ("" for each without a header)
  std::vector<double> cells;        ///< rows() * columns.size() numbers, row by row

  /// Number of data rows.
  [[nodiscard]] std::size_t rows() const noexcept {
    return columns.empty() ? 0 : cells.size() / columns.size();
  }
  /// Row r.
  [[nodiscard]] std::span<const double> row(std::size_t r) const {
    return std::span<const double>(cells).subspan(r * columns.size(), columns.size());
  }
  /// The position of the column named `name`; throws tapegrad::Error if none is.
  [[nodiscard]] std::size_t column(std::string_view name) const;
};

/// Parses CSV text. `source` names it in error messages (a file name).
/// Cells are trimmed of spaces and tabs; blank lines, a UTF-8 byte-order mark
/// and CRLF line ends are accepted; quotes are not (numbers need none).
TAPEGRAD_NN_EXPORT Table parse_csv(std::string_view text, std::string_view source = "<csv>",
                                   const CsvOptions& options = {});

/// Reads and parses a CSV file.
TAPEGRAD_NN_EXPORT Table read_csv(const std::filesystem::path& path,
                                  const CsvOptions& options = {});

/// A classification Dataset from a table: the column `label` holds class
/// numbers 0, 1, ... (integers), every other column is a feature. Throws
/// tapegrad::Error if a label is not a non-negative integer.
TAPEGRAD_NN_EXPORT Dataset to_dataset(const Table& table, std::string_view label);

} // namespace tapegrad::nn
