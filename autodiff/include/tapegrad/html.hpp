// The reverse sweep as a web page: one self-contained HTML file (its CSS, JS
// and SVG drawing inline, nothing fetched) that draws the graph `out` depends
// on, left to right like micrograd's draw_dot, and steps through backward()
// node by node, writing each chain-rule product out in numbers.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "tapegrad/autodiff_export.hpp"
#include "tapegrad/tape.hpp"
#include "tapegrad/value.hpp"

namespace tapegrad {

/// The most nodes a page draws. A graph with more gets a page that says so
/// (and how to draw a part of it) instead of one that a browser chokes on.
inline constexpr std::size_t html_max_nodes = 2500;

/// The page for `out` and the nodes it depends on. Step 0 shows the forward
/// pass (every value, every local partial on its edge); each later step is
/// one node that backward() from `out` visits, in its order, with the
/// products it passes to its operands; the last shows every gradient. The
/// page opens at the step in its URL (`page.html#step=3`, `#step=end`).
/// The sweep is computed from the partials on the tape: backward() need not
/// have been called, and the tape's gradients are neither read nor changed.
/// Throws tapegrad::Error if `out` is empty, stale or from another tape.
TAPEGRAD_AUTODIFF_EXPORT std::string to_html(const Tape& tape, Value out);

/// Writes to_html(tape, out) to `path`, replacing it atomically (a temporary
/// file next to it, then a rename): a reader never sees half a page. Throws
/// tapegrad::Error naming the path if it cannot be written, leaving no file.
TAPEGRAD_AUTODIFF_EXPORT void write_html(const Tape& tape, Value out,
                                         const std::filesystem::path& path);

} // namespace tapegrad
