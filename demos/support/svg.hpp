// A tiny SVG writer for the demos' pictures: rectangles, circles, lines,
// polylines and text in a fixed-size canvas, written to a file in one go.
// Header-only and dependency-free apart from fmt; not part of the library.
#pragma once

#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include <tapegrad/error.hpp>

namespace demo {

/// An SVG document being built; coordinates are pixels, y grows downwards.
class Svg {
public:
  Svg(double width, double height) : width_(width), height_(height) {}

  /// A filled rectangle; `extra` is any further attributes (e.g. opacity).
  void rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view extra = {}) {
    fmt::format_to(out(),
                   "<rect x='{:.2f}' y='{:.2f}' width='{:.2f}' height='{:.2f}' fill='{}' {}/>\n", x,
                   y, w, h, fill, extra);
  }
  /// A circle with a fill and a thin outline.
  void circle(double x, double y, double r, std::string_view fill, std::string_view stroke) {
    fmt::format_to(out(),
                   "<circle cx='{:.2f}' cy='{:.2f}' r='{:.2f}' fill='{}' stroke='{}' "
                   "stroke-width='1'/>\n",
                   x, y, r, fill, stroke);
  }
  /// A straight line.
  void line(double x1, double y1, double x2, double y2, std::string_view stroke,
            double width = 1.0) {
    fmt::format_to(out(),
                   "<line x1='{:.2f}' y1='{:.2f}' x2='{:.2f}' y2='{:.2f}' stroke='{}' "
                   "stroke-width='{}'/>\n",
                   x1, y1, x2, y2, stroke, width);
  }
  /// A polyline through (x, y) points.
  void polyline(std::span<const std::pair<double, double>> points, std::string_view stroke,
                double width = 2.0) {
    fmt::format_to(out(), "<polyline fill='none' stroke='{}' stroke-width='{}' points='", stroke,
                   width);
    for (const auto& [x, y] : points) fmt::format_to(out(), "{:.2f},{:.2f} ", x, y);
    body_ += "'/>\n";
  }
  /// Text; `anchor` is start, middle or end.
  void text(double x, double y, std::string_view s, double size = 13,
            std::string_view anchor = "start", std::string_view fill = "#222") {
    fmt::format_to(out(),
                   "<text x='{:.2f}' y='{:.2f}' font-family='sans-serif' font-size='{}' "
                   "text-anchor='{}' fill='{}'>{}</text>\n",
                   x, y, size, anchor, fill, s);
  }

  /// Any SVG element, as written (e.g. rotated text).
  void raw(std::string_view element) { body_ += element; }

  /// Writes the document; throws tapegrad::Error if the file cannot be written.
  void save(const std::filesystem::path& path) const {
    std::FILE* f = std::fopen(path.string().c_str(), "wb");
    if (f == nullptr)
      throw tapegrad::Error(fmt::format("cannot write '{}'. Check that --out names a writable "
                                        "folder.",
                                        path.string()));
    fmt::print(
        f,
        "<svg xmlns='http://www.w3.org/2000/svg' width='{0}' height='{1}' "
        "viewBox='0 0 {0} {1}'>\n<rect width='100%' height='100%' fill='white'/>\n{2}</svg>\n",
        width_, height_, body_);
    const bool ok = std::fclose(f) == 0;
    if (!ok) throw tapegrad::Error(fmt::format("writing '{}' failed.", path.string()));
  }

private:
  std::back_insert_iterator<std::string> out() { return std::back_inserter(body_); }
  double width_, height_;
  std::string body_;
};

} // namespace demo
