// Pictures of an image classifier for the demos: a confusion matrix with the
// class names, and a grid of images with their true and predicted labels.
// SVG through demo::Svg; an image is one path per grey level (16 levels),
// one rectangle per run of equal pixels, so a 28 x 28 picture takes ~3 kB.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <filesystem>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "svg.hpp"

namespace demo {

/// counts[t * k + p]: examples of true class t predicted as p (k classes).
inline void plot_confusion(std::span<const std::size_t> counts,
                           std::span<const std::string_view> names,
                           const std::filesystem::path& path, std::string_view title) {
  const std::size_t k = names.size();
  const auto at = [](std::size_t i) { return static_cast<double>(i); };
  const double cell = 46, left = 110, top = 60, width = left + cell * at(k) + 20,
               height = top + cell * at(k) + 110;
  Svg svg(width, height);
  svg.text(width / 2, 24, title, 15, "middle");
  svg.text(left + cell * at(k) / 2, top - 30, "predicted", 13, "middle");
  for (std::size_t t = 0; t < k; ++t) {
    std::size_t row = 0;
    for (std::size_t p = 0; p < k; ++p) row += counts[t * k + p];
    svg.text(left - 6, top + cell * (at(t) + 0.5) + 4, names[t], 11, "end");
    for (std::size_t p = 0; p < k; ++p) {
      const std::size_t n = counts[t * k + p];
      const double share = row == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(row);
      // Right answers in blue, mistakes in red; darker = a larger share of the row.
      const int shade = static_cast<int>(255 - 200 * std::min(1.0, t == p ? share : 4 * share));
      const std::string fill =
          t == p ? fmt::format("rgb({0},{0},255)", shade) : fmt::format("rgb(255,{0},{0})", shade);
      svg.rect(left + cell * at(p), top + cell * at(t), cell - 1, cell - 1, fill);
      if (n > 0)
        svg.text(left + cell * (at(p) + 0.5), top + cell * (at(t) + 0.5) + 4, fmt::format("{}", n),
                 11, "middle", shade < 128 ? "white" : "#222");
    }
  }
  for (std::size_t p = 0; p < k; ++p) {
    const double x = left + cell * (at(p) + 0.5), y = top + cell * at(k) + 8;
    // Column names, turned to fit under the narrow columns.
    svg.raw(fmt::format("<text x='{0:.2f}' y='{1:.2f}' font-family='sans-serif' font-size='11' "
                        "text-anchor='end' fill='#222' transform='rotate(-45 {0:.2f} {1:.2f})'>{2}"
                        "</text>\n",
                        x, y + 6, names[p]));
  }
  svg.text(14, top + cell * at(k) / 2, "true", 13, "start");
  svg.save(path);
}

/// A pixel in [0, 1] as one of 16 grey levels, 0 = black.
inline std::size_t grey(double pixel) {
  return static_cast<std::size_t>(std::clamp(pixel, 0.0, 1.0) * 15.0 + 0.5);
}

/// One image of the grid: its pixels in [0, 1] (rows x columns) and a caption.
struct Captioned {
  std::span<const double> pixels;
  std::string caption;
  std::string caption2;
};

/// The images in a grid of `per_row` columns, each with two caption lines.
inline void plot_image_grid(std::span<const Captioned> images, std::size_t rows,
                            std::size_t columns, std::size_t per_row,
                            const std::filesystem::path& path, std::string_view title) {
  const double scale = 3, w = static_cast<double>(columns) * scale,
               h = static_cast<double>(rows) * scale, pad = 14, caption = 30;
  const std::size_t lines = (images.size() + per_row - 1) / per_row;
  const double cell_w = std::max(w, 100.0) + pad, cell_h = h + caption + pad;
  const double width = cell_w * static_cast<double>(per_row) + pad;
  Svg svg(width, cell_h * static_cast<double>(lines) + 40);
  svg.text(width / 2, 24, title, 15, "middle");
  for (std::size_t i = 0; i < images.size(); ++i) {
    const double x0 = pad + cell_w * static_cast<double>(i % per_row) + (cell_w - pad - w) / 2,
                 y0 = 40 + cell_h * static_cast<double>(i / per_row);
    svg.rect(x0, y0, w, h, "black");
    // One path per grey level, in pixel units: a run of equal pixels is "M c r h n v 1 h -n z".
    std::array<std::string, 16> paths;
    for (std::size_t r = 0; r < rows; ++r) {
      std::size_t c = 0;
      while (c < columns) {
        const std::size_t level = grey(images[i].pixels[r * columns + c]);
        std::size_t end = c + 1;
        while (end < columns && grey(images[i].pixels[r * columns + end]) == level) ++end;
        if (level > 0)
          fmt::format_to(std::back_inserter(paths[level]), "M{} {}h{}v1h-{}z", c, r, end - c,
                         end - c);
        c = end;
      }
    }
    std::string group = fmt::format(
        "<g shape-rendering='crispEdges' transform='translate({:.2f} {:.2f}) scale({})'>", x0, y0,
        scale);
    for (std::size_t level = 1; level < paths.size(); ++level)
      if (!paths[level].empty())
        fmt::format_to(std::back_inserter(group), "<path fill='#{0:x}{0:x}{0:x}' d='{1}'/>", level,
                       paths[level]);
    svg.raw(group + "</g>\n");
    svg.text(x0 + w / 2, y0 + h + 13, images[i].caption, 10, "middle", "#1a7f37");
    svg.text(x0 + w / 2, y0 + h + 25, images[i].caption2, 10, "middle", "#c62828");
  }
  svg.save(path);
}

} // namespace demo
