// Layered layout for to_html(): columns by longest path (tape order already is
// a topological order, so one pass finds them), then rows by the barycentre
// heuristic, one sweep over the columns from left to right. Linear in the
// number of edges, apart from sorting each column.
#include "html_layout.hpp"

#include <algorithm>
#include <limits>

namespace tapegrad::detail::html {
namespace {

constexpr double row_height = box_height + row_gap;

/// A node with no operands: a leaf (or an empty sum), drawn next to its user.
bool is_source(const Tape& tape, Index i) { return tape.operands(i).empty(); }

/// Puts the boxes of one column in order of the heights they want, then
/// pushes apart the ones that overlap and moves the column back up by the
/// mean push, so that it stays centred on what its nodes want.
void pack(std::vector<std::uint32_t>& column, const std::vector<double>& want,
          std::vector<double>& y) {
  std::stable_sort(column.begin(), column.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return want[a] < want[b]; });
  double pushed = 0;
  for (std::size_t k = 0; k < column.size(); ++k) {
    const std::uint32_t s = column[k];
    y[s] = k == 0 ? want[s] : std::max(want[s], y[column[k - 1]] + row_height);
    pushed += y[s] - want[s];
  }
  const double shift = column.empty() ? 0 : pushed / static_cast<double>(column.size());
  for (const std::uint32_t s : column) y[s] -= shift;
}

} // namespace

Layout collect(const Tape& tape, Index out) {
  Layout layout;
  std::vector<bool> needed(std::size_t{out} + 1, false);
  needed[out] = true;
  std::size_t count = 0;
  for (Index i = out + 1; i-- > 0;) {
    if (!needed[i]) continue;
    ++count;
    for (const Index operand : tape.operands(i)) needed[operand] = true;
  }
  layout.slot.assign(std::size_t{out} + 1, Layout::none);
  layout.nodes.reserve(count);
  for (Index i = 0; i <= out; ++i) {
    if (!needed[i]) continue;
    layout.slot[i] = static_cast<std::uint32_t>(layout.nodes.size());
    layout.nodes.push_back(i);
  }
  return layout;
}

void place(const Tape& tape, Layout& layout) {
  const std::vector<Index>& nodes = layout.nodes;
  const std::size_t n = nodes.size();
  const auto slot_of = [&](Index i) { return layout.slot[i]; };

  // Columns: a computed node one right of its rightmost operand...
  std::vector<int> column(n, 0);
  for (std::size_t s = 0; s < n; ++s)
    for (const Index operand : tape.operands(nodes[s]))
      column[s] = std::max(column[s], column[slot_of(operand)] + 1);
  // ...and a source one left of its leftmost user, next to that user's port.
  constexpr int unused = std::numeric_limits<int>::max();
  std::vector<int> pulled(n, unused);
  std::vector<std::uint32_t> anchor(n, Layout::none);
  std::vector<double> port(n, 0); // where on the anchor's height, in rows
  for (std::size_t s = n; s-- > 0;) {
    const auto operands = tape.operands(nodes[s]);
    for (std::size_t k = 0; k < operands.size(); ++k) {
      const std::uint32_t a = slot_of(operands[k]);
      if (!is_source(tape, operands[k]) || column[s] - 1 > pulled[a]) continue;
      pulled[a] = column[s] - 1;
      anchor[a] = static_cast<std::uint32_t>(s);
      port[a] = (static_cast<double>(k) - static_cast<double>(operands.size() - 1) / 2) * 0.5;
    }
  }
  for (std::size_t s = 0; s < n; ++s)
    if (pulled[s] != unused) column[s] = pulled[s];
  const int columns = n == 0 ? 0 : *std::max_element(column.begin(), column.end()) + 1;
  std::vector<std::vector<std::uint32_t>> by_column(static_cast<std::size_t>(columns));
  for (std::size_t s = 0; s < n; ++s)
    by_column[static_cast<std::size_t>(column[s])].push_back(static_cast<std::uint32_t>(s));

  // Rows, first for the computed nodes only (a source's height follows its
  // anchor's), then for everything, the sources at their anchors' ports.
  std::vector<double> want(n, 0), first(n, 0);
  layout.y.assign(n, 0);
  for (int round = 0; round < 2; ++round) {
    std::vector<double>& y = round == 0 ? first : layout.y;
    for (auto& col : by_column) {
      std::vector<std::uint32_t> placed;
      double next_free = 0; // for nodes whose operands are all sources
      for (const std::uint32_t s : col) {
        const auto operands = tape.operands(nodes[s]);
        if (operands.empty()) {
          if (round == 0) continue;
          want[s] = anchor[s] == Layout::none ? next_free : first[anchor[s]] + port[s] * row_height;
        } else {
          double total = 0;
          int counted = 0;
          // The computed operands set the height; the sources hang around it.
          for (const Index operand : operands)
            if (!is_source(tape, operand)) total += y[slot_of(operand)], ++counted;
          if (counted == 0 && round == 1)
            for (const Index operand : operands) total += y[slot_of(operand)], ++counted;
          want[s] = counted == 0 ? next_free : total / counted;
        }
        next_free = std::max(next_free, want[s] + row_height);
        placed.push_back(s);
      }
      pack(placed, want, y);
    }
  }

  // From the top-left corner, with a margin around everything.
  const double top = n == 0 ? 0 : *std::min_element(layout.y.begin(), layout.y.end());
  layout.x.resize(n);
  for (std::size_t s = 0; s < n; ++s) {
    layout.x[s] = margin + column[s] * (box_width + column_gap);
    layout.y[s] += margin - top;
  }
  layout.width = 2 * margin + columns * (box_width + column_gap) - column_gap;
  const double bottom = n == 0 ? 0 : *std::max_element(layout.y.begin(), layout.y.end());
  layout.height = bottom + box_height + margin;
}

} // namespace tapegrad::detail::html
