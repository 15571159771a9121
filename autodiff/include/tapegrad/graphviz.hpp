// Drawing a recorded graph with Graphviz, like micrograd's draw_dot: one box per
// node (index, name, value, grad), one small ellipse per operation, and arrows
// from each operand to the operation, labelled with the local derivative the
// tape stored for it. Render with `dot -Tsvg graph.dot -o graph.svg`.
#pragma once

#include <string>

#include "tapegrad/autodiff_export.hpp"
#include "tapegrad/tape.hpp"

namespace tapegrad {

/// The whole tape as a Graphviz DOT digraph (left to right, in tape order).
/// A constant folded into a node (`mul(#0, c)`) is drawn as a small "c".
TAPEGRAD_AUTODIFF_EXPORT std::string to_dot(const Tape& tape);

/// Only `root` and the nodes it depends on (micrograd's draw_dot(root)).
/// Throws tapegrad::Error if `root` is not a live node of `tape`.
TAPEGRAD_AUTODIFF_EXPORT std::string to_dot(const Tape& tape, Value root);

/// Writes to_dot(tape) to the file at `path`, replacing it. Throws
/// tapegrad::Error, naming the path and the reason, if it cannot be written.
TAPEGRAD_AUTODIFF_EXPORT void write_dot(const Tape& tape, const std::string& path);

/// Writes to_dot(tape, root) to the file at `path`, as write_dot(tape, path).
TAPEGRAD_AUTODIFF_EXPORT void write_dot(const Tape& tape, Value root, const std::string& path);

} // namespace tapegrad
