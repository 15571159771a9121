// Where to_html() draws each node: the nodes the output depends on, in columns
// from the inputs (left) to the output (right), each node near the nodes it
// uses. A private helper of html.cpp.
#pragma once

#include <cstdint>
#include <vector>

#include "tapegrad/tape.hpp"

namespace tapegrad::detail::html {

inline constexpr double box_width = 150;  ///< a node's box, in SVG pixels
inline constexpr double box_height = 72;  ///< four lines: #index name, op, value, grad
inline constexpr double column_gap = 100; ///< room for the partials on the edges
inline constexpr double row_gap = 18;     ///< between two boxes in a column
inline constexpr double margin = 20;      ///< around the drawing

/// The subgraph to draw and where each of its nodes goes.
struct Layout {
  static constexpr std::uint32_t none = UINT32_MAX;
  std::vector<Index> nodes;        ///< out and every node it depends on, in tape order
  std::vector<std::uint32_t> slot; ///< slot[i]: node i's position in `nodes`, or none (i <= out)
  std::vector<double> x, y;        ///< the top-left corner of each box, by position in `nodes`
  double width = 0, height = 0;    ///< of the whole drawing
};

/// The nodes `out` depends on (out included), without positions: one pass
/// down the tape, since a node's operands always come before it.
Layout collect(const Tape& tape, Index out);

/// Gives every collected node a position. Columns by longest path from the
/// inputs (a leaf goes just left of the first node that uses it); within a
/// column, each node as near as room allows to the mean height of its
/// operands, so that most edges run straight.
void place(const Tape& tape, Layout& layout);

} // namespace tapegrad::detail::html
