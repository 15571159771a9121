// The CSV reader: one pass over the lines, one std::from_chars per cell.
// Errors are written "file:line:column: what is wrong. How to fix it." with
// 1-based line and column (the column counts bytes, where the cell starts).
#include "tapegrad/nn/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h> // fmt::join

#include <tapegrad/error.hpp>

namespace tapegrad::nn {

namespace {

struct Cell {
  std::string_view text;
  std::size_t column; ///< 1-based byte column of the cell's first character
};

std::string_view trim(std::string_view s, std::size_t& offset) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
    ++offset;
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Splits a line into trimmed cells, appending to `cells` (reused).
void split(std::string_view line, char delimiter, std::vector<Cell>& cells) {
  cells.clear();
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = line.find(delimiter, start);
    std::size_t offset = start;
    const std::string_view raw =
        line.substr(start, end == std::string_view::npos ? end : end - start);
    const std::string_view text = trim(raw, offset);
    cells.push_back(Cell{text, offset + 1});
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

[[noreturn]] void fail(std::string_view source, std::size_t line, std::size_t column,
                       std::string_view what) {
  throw Error(fmt::format("{}:{}:{}: {}", source, line, column, what));
}

double parse_number(std::string_view source, std::size_t line, std::size_t index,
                    const Cell& cell) {
  std::string_view text = cell.text;
  if (text.empty())
    fail(source, line, cell.column,
         fmt::format("cell {} is empty. Every cell must hold a number.", index + 1));
  if (text.front() == '+') text.remove_prefix(1); // from_chars takes no '+'
  double x = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec == std::errc::result_out_of_range)
    fail(source, line, cell.column,
         fmt::format("cell {} '{}' is out of the range of a double. Rescale the data.", index + 1,
                     cell.text));
  if (ec != std::errc() || end != text.data() + text.size())
    fail(source, line, cell.column,
         fmt::format("cell {} '{}' is not a number. Write numbers like 12, -0.5 or 3e-4.",
                     index + 1, cell.text));
  if (!std::isfinite(x))
    fail(source, line, cell.column,
         fmt::format("cell {} '{}' is not a finite number. Remove or impute NaN and Inf values "
                     "before loading.",
                     index + 1, cell.text));
  return x;
}

} // namespace

std::size_t Table::column(std::string_view name) const {
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == name) return c;
  throw Error(fmt::format("tapegrad::nn: the table has no column named '{}'. Its columns are: {}.",
                          name, fmt::join(columns, ", ")));
}

Table parse_csv(std::string_view text, std::string_view source, const CsvOptions& options) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3); // UTF-8 byte-order mark
  Table table;
  std::vector<Cell> cells;
  bool have_columns = false;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.size() > options.max_line_length)
      fail(source, line_number, options.max_line_length + 1,
           fmt::format("the line is {} bytes long, more than the limit of {}. Is this a CSV "
                       "table of numbers? (CsvOptions::max_line_length raises the limit.)",
                       line.size(), options.max_line_length));
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue; // blank line
    split(line, options.delimiter, cells);
    if (!have_columns) {
      have_columns = true;
      if (options.header) {
        for (std::size_t c = 0; c < cells.size(); ++c) {
          if (cells[c].text.empty())
            fail(source, line_number, cells[c].column,
                 fmt::format("header cell {} is empty. Name every column.", c + 1));
          table.columns.emplace_back(cells[c].text);
        }
        continue;
      }
      table.columns.assign(cells.size(), std::string());
    }
    if (cells.size() != table.columns.size())
      fail(source, line_number,
           cells.size() > table.columns.size() ? cells[table.columns.size()].column
                                               : line.size() + 1,
           fmt::format("this row has {} cells but the {} has {}. Every row needs one cell per "
                       "column.",
                       cells.size(), options.header ? "header" : "first row",
                       table.columns.size()));
    for (std::size_t c = 0; c < cells.size(); ++c)
      table.cells.push_back(parse_number(source, line_number, c, cells[c]));
  }
  if (!have_columns)
    fail(source, 1, 1, "the file is empty. Expected a header line and rows of numbers.");
  if (table.cells.empty())
    fail(source, line_number, 1, "the file has a header but no rows of numbers. Add data rows.");
  return table;
}

Table read_csv(const std::filesystem::path& path, const CsvOptions& options) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw Error(fmt::format("tapegrad::nn: cannot open '{}' for reading. Check the path and its "
                            "permissions.",
                            path.string()));
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) throw Error(fmt::format("tapegrad::nn: reading '{}' failed.", path.string()));
  return parse_csv(contents.str(), path.string(), options);
}

Dataset to_dataset(const Table& table, std::string_view label) {
  const std::size_t label_column = table.column(label);
  Dataset data;
  data.features = table.columns.size() - 1;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const std::span<const double> row = table.row(r);
    const double y = row[label_column];
    if (!(y >= 0.0 && y == std::floor(y) && y < 1e9))
      throw Error(fmt::format("tapegrad::nn: row {} has label {} in column '{}'. Labels must be "
                              "class numbers 0, 1, 2, ...",
                              r + 1, y, label));
    data.labels.push_back(static_cast<int>(y));
    data.classes = std::max(data.classes, static_cast<std::size_t>(y) + 1);
    for (std::size_t c = 0; c < row.size(); ++c)
      if (c != label_column) data.inputs.push_back(row[c]);
  }
  return data;
}

} // namespace tapegrad::nn
