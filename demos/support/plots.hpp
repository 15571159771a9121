// The demos' two pictures: a classifier's decision regions with the training
// points on top, and the loss and accuracy curves of a training run. Both are
// SVG files built with demo::Svg.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <tapegrad/nn.hpp>

#include "svg.hpp"

namespace demo {

/// Point colours (strong) and region colours (pale), one per class.
inline constexpr std::array<std::string_view, 6> point_colors = {"#d62728", "#1f77b4", "#2ca02c",
                                                                 "#9467bd", "#ff7f0e", "#8c564b"};
inline constexpr std::array<std::string_view, 6> region_colors = {"#f7c6c6", "#c6daf0", "#cdeccd",
                                                                  "#e2d6ef", "#fde0c2", "#e6d5cf"};

/// Draws the class `classify(x, y)` returns over the data's bounding box
/// (plus a margin) on a grid of cells, then the points in their class colour.
template <class Classify>
void plot_regions(const tapegrad::nn::Dataset& data, Classify classify,
                  const std::filesystem::path& path, std::string_view title) {
  constexpr double size = 520, margin = 40;
  constexpr int cells = 130; // per side; runs of one class merge into one rect
  double lo_x = data.inputs[0], hi_x = lo_x, lo_y = data.inputs[1], hi_y = lo_y;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto p = data.input(i);
    lo_x = std::min(lo_x, p[0]), hi_x = std::max(hi_x, p[0]);
    lo_y = std::min(lo_y, p[1]), hi_y = std::max(hi_y, p[1]);
  }
  const double pad = 0.15 * std::max(hi_x - lo_x, hi_y - lo_y);
  lo_x -= pad, hi_x += pad, lo_y -= pad, hi_y += pad;
  const double span = std::max(hi_x - lo_x, hi_y - lo_y); // square cells
  const double scale = size / span;
  const auto px = [&](double x) { return margin + (x - lo_x) * scale; };
  const auto py = [&](double y) { return margin + size - (y - lo_y) * scale; };

  Svg svg(size + 2 * margin, size + 2 * margin + 10);
  const double cell = size / cells;
  for (int row = 0; row < cells; ++row) {
    const double y = lo_y + span * (cells - row - 0.5) / cells;
    int run_start = 0, run_class = -1;
    for (int col = 0; col <= cells; ++col) {
      const int c = col < cells ? classify(lo_x + span * (col + 0.5) / cells, y) : -2;
      if (c == run_class) continue;
      if (run_class >= 0)
        svg.rect(margin + run_start * cell, margin + row * cell, (col - run_start) * cell + 0.3,
                 cell + 0.3, region_colors[static_cast<std::size_t>(run_class) % 6]);
      run_start = col, run_class = c;
    }
  }
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto p = data.input(i);
    const auto k = static_cast<std::size_t>(data.labels[i]) % 6;
    svg.circle(px(p[0]), py(p[1]), 4.5, point_colors[k], "#222");
  }
  svg.line(margin, margin, margin, margin + size, "#444");
  svg.line(margin, margin + size, margin + size, margin + size, "#444");
  svg.text(margin, margin - 14, title, 15);
  svg.text(margin, margin + size + 18, fmt::format("{:.1f}", lo_x), 11);
  svg.text(margin + size, margin + size + 18, fmt::format("{:.1f}", lo_x + span), 11, "end");
  svg.text(margin - 4, margin + size, fmt::format("{:.1f}", lo_y), 11, "end");
  svg.text(margin - 4, margin + 10, fmt::format("{:.1f}", lo_y + span), 11, "end");
  svg.save(path);
}

/// Loss (left axis, red) and training accuracy (right axis, 0-100%, blue)
/// against the step.
inline void plot_training(std::span<const tapegrad::nn::StepReport> history,
                          const std::filesystem::path& path, std::string_view title) {
  constexpr double width = 640, height = 360, left = 60, right = 60, top = 40, bottom = 40;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  double max_loss = 0.0;
  for (const auto& r : history) max_loss = std::max(max_loss, r.loss);
  if (!(max_loss > 0.0)) max_loss = 1.0;
  const double last = history.size() > 1 ? static_cast<double>(history.size() - 1) : 1.0;
  const auto px = [&](std::size_t k) { return left + plot_w * static_cast<double>(k) / last; };

  Svg svg(width, height);
  for (int tick = 0; tick <= 4; ++tick) { // shared grid lines: 0, 25, 50, 75, 100%
    const double y = top + plot_h * (1.0 - tick / 4.0);
    svg.line(left, y, left + plot_w, y, "#ddd");
    svg.text(left - 6, y + 4, fmt::format("{:.3g}", max_loss * tick / 4.0), 11, "end", "#c0392b");
    svg.text(left + plot_w + 6, y + 4, fmt::format("{}%", 25 * tick), 11, "start", "#1f5fa8");
  }
  std::vector<std::pair<double, double>> loss, accuracy;
  for (std::size_t k = 0; k < history.size(); ++k) {
    loss.emplace_back(px(k), top + plot_h * (1.0 - history[k].loss / max_loss));
    accuracy.emplace_back(px(k), top + plot_h * (1.0 - history[k].accuracy));
  }
  svg.polyline(loss, "#c0392b");
  svg.polyline(accuracy, "#1f5fa8");
  svg.line(left, top + plot_h, left + plot_w, top + plot_h, "#444");
  svg.text(left, top - 16, title, 15);
  svg.text(left + plot_w, top - 16, "loss", 12, "end", "#c0392b");
  svg.text(left + plot_w, top - 4, "training accuracy", 12, "end", "#1f5fa8");
  svg.text(left + plot_w / 2, height - 10, fmt::format("step (0 to {})", history.size() - 1), 12,
           "middle");
  svg.save(path);
}

} // namespace demo
