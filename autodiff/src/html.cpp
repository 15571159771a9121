// to_html(): the reverse sweep as one self-contained web page. C++ does all
// the work a test can check: which nodes are drawn and where, every number
// (formatted here, to 6 significant digits), and the sweep itself, replayed
// from the partials on the tape exactly as Tape::backward runs it. The page's
// script (html_page.hpp) only shows, for the step in the URL, the numbers
// this file wrote into it.
#include "tapegrad/html.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "html_layout.hpp"
#include "html_page.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/op.hpp"

namespace tapegrad {
namespace {

using detail::html::box_height;
using detail::html::box_width;
using detail::html::Layout;

/// Every number on the page: 6 significant digits, as the tape's printout.
std::string number(double x) { return fmt::format("{:.6g}", x); }

/// Appends `text` so that HTML shows it as typed, in content and attributes.
void append_html(std::string& out, std::string_view text) {
  for (const char ch : text) {
    switch (ch) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += ch;
    }
  }
}

/// Appends `text` as a JSON string that is also safe inside a <script>
/// element: `<`, `>` and `&` are written as \u escapes, so no name can close
/// the element (`</script>`) or open a comment (`<!--`).
void append_json(std::string& out, std::string_view text) {
  out += '"';
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (byte < 0x20 || ch == '<' || ch == '>' || ch == '&') {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", byte);
    } else {
      out += ch;
    }
  }
  out += '"';
}

/// "#8 z2", or "#8" for a node without a name, shortened for a box.
std::string label(const Tape& tape, Index i, std::size_t max_name = 1000) {
  std::string_view name = tape.name(i);
  std::string text = fmt::format("#{}", i);
  if (name.empty()) return text;
  text += ' ';
  if (name.size() <= max_name) return text += name;
  std::size_t cut = max_name; // not inside a UTF-8 sequence
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return text += std::string(name.substr(0, cut)) + "\u2026";
}

/// Node i as its op applied to its operands: "mul(#3, c)", "dot(17 operands)".
std::string call(const Tape& tape, Index i) {
  const Op op = tape.op(i);
  if (op == Op::leaf) return "leaf";
  const auto operands = tape.operands(i);
  if (operands.size() > 3) return fmt::format("{}({} operands)", tape.op_name(op), operands.size());
  std::string text = fmt::format("{}(", tape.op_name(op));
  if (op_constant(op) == ConstantAt::before) text += operands.empty() ? "c" : "c, ";
  for (std::size_t k = 0; k < operands.size(); ++k)
    fmt::format_to(std::back_inserter(text), "{}#{}", k == 0 ? "" : ", ", operands[k]);
  if (op_constant(op) == ConstantAt::after) text += operands.empty() ? "c" : ", c";
  return text + ")";
}

/// The steps of backward() from `out`, as Tape::backward takes them: from out
/// down to node 0, skipping every node whose gradient is 0 (out does not
/// depend on it). Each step is [node, its gradient, [[operand, partial,
/// operand's gradient after this step], ...]]. Returns how many steps.
std::size_t append_sweep(std::string& json, const Tape& tape, Index out) {
  std::vector<double> grads(std::size_t{out} + 1, 0.0);
  grads[out] = 1.0; // d(out)/d(out)
  std::size_t steps = 0;
  json += '[';
  for (Index i = out + 1; i-- > 0;) {
    const double upstream = grads[i];
    if (upstream == 0.0) continue; // as backward(): out does not depend on node i
    fmt::format_to(std::back_inserter(json), "{}[{},\"{}\",[", steps++ == 0 ? "" : ",", i,
                   number(upstream));
    const auto operands = tape.operands(i);
    const auto partials = tape.partials(i);
    for (std::size_t k = 0; k < operands.size(); ++k) {
      grads[operands[k]] += partials[k] * upstream; // the chain rule, as backward() does it
      fmt::format_to(std::back_inserter(json), R"({}[{},"{}","{}"])", k == 0 ? "" : ",",
                     operands[k], number(partials[k]), number(grads[operands[k]]));
    }
    json += "]]";
  }
  json += ']';
  return steps;
}

/// The drawing: an edge per operand (the local partial next to its arrow
/// head), then a box per node, so that boxes cover edges.
void append_svg(std::string& html, const Tape& tape, const Layout& layout, Index out) {
  auto to = std::back_inserter(html);
  fmt::format_to(to,
                 "<svg id=\"graph-svg\" width=\"{0}\" "
                 "height=\"{1}\" viewBox=\"0 0 {0} {1}\">\n<g id=\"edges\">\n",
                 layout.width, layout.height);
  for (std::size_t s = 0; s < layout.nodes.size(); ++s) {
    const Index i = layout.nodes[s];
    const auto operands = tape.operands(i);
    const auto partials = tape.partials(i);
    const double n = static_cast<double>(operands.size());
    const double spacing = std::min(14.0, (box_height - 16) / std::max(n - 1, 1.0));
    if (operands.empty()) continue;
    // One group per node, of the edges into it: what a step highlights.
    fmt::format_to(to, R"(<g class="into" data-to="{}">)", i);
    for (std::size_t k = 0; k < operands.size(); ++k) {
      const std::uint32_t a = layout.slot[operands[k]];
      const double x1 = layout.x[a] + box_width, y1 = layout.y[a] + box_height / 2;
      const double x2 = layout.x[s];
      const double y2 =
          layout.y[s] + box_height / 2 + (static_cast<double>(k) - (n - 1) / 2) * spacing;
      const double bend = std::max(30.0, (x2 - x1) / 2);
      fmt::format_to(to,
                     R"(<path d="M{:.1f} {:.1f}C{:.1f} {:.1f} {:.1f} {:.1f} {:.1f} {:.1f}"/>)"
                     R"(<text class="partial" x="{:.1f}" y="{:.1f}">{}</text>)",
                     x1, y1, x1 + bend, y1, x2 - bend, y2, x2, y2, x2 - 6, y2 - 3,
                     number(partials[k]));
    }
    html += "</g>\n";
  }
  html += "</g>\n<g id=\"nodes\">\n";
  for (std::size_t s = 0; s < layout.nodes.size(); ++s) {
    const Index i = layout.nodes[s];
    fmt::format_to(
        to, "<g class=\"node{}{}\" data-node=\"{}\" transform=\"translate({:.1f} {:.1f})\">",
        tape.op(i) == Op::leaf ? " leaf" : "", i == out ? " out" : "", i, layout.x[s], layout.y[s]);
    // A long name is shortened in the box and shown whole as a tooltip.
    const std::string head = label(tape, i, 12), whole = label(tape, i);
    if (head != whole) {
      html += "<title>";
      append_html(html, whole);
      html += "</title>";
    }
    fmt::format_to(to, R"(<rect width="{}" height="{}" rx="6"/><text class="head" x="8" y="16">)",
                   box_width, box_height);
    append_html(html, head);
    html += R"(</text><text class="op" x="8" y="32">)";
    append_html(html, call(tape, i));
    fmt::format_to(to,
                   "</text><text class=\"value\" x=\"8\" y=\"48\">value {}</text>"
                   "<text class=\"grad\" x=\"8\" y=\"64\"></text></g>\n",
                   number(tape.value(i)));
  }
  html += "</g>\n</svg>\n";
}

/// The page for a graph too big to draw: what happened, and what to do.
std::string too_big(const Tape& tape, Index out, std::size_t nodes) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<title>tapegrad: graph too big to draw</title>\n</head>\n<body>\n<h1>";
  append_html(html, fmt::format("{} depends on {} nodes", label(tape, out), nodes));
  fmt::format_to(std::back_inserter(html),
                 "</h1>\n<p>This page draws at most {} nodes, so that a browser stays "
                 "responsive. Draw a part of the graph instead: call to_html(tape, v) with an "
                 "intermediate Value v (a layer's output, one sample's loss), or record a smaller "
                 "batch.</p>\n</body>\n</html>\n",
                 html_max_nodes);
  return html;
}

} // namespace

std::string to_html(const Tape& tape, Value out) {
  if (out.empty())
    throw Error("tapegrad: to_html() was given an empty (default-constructed) Value. Pass the "
                "output to draw the sweep from, e.g. the loss.");
  if (&out.tape() != &tape)
    throw Error(fmt::format("tapegrad: to_html() was given a Value (node #{}) of another Tape. "
                            "Pass the Tape that recorded it.",
                            out.index()));
  (void)out.value(); // throws if the node was dropped by clear() or rewind()

  Layout layout = detail::html::collect(tape, out.index());
  if (layout.nodes.size() > html_max_nodes) return too_big(tape, out.index(), layout.nodes.size());
  detail::html::place(tape, layout);

  std::string data = "{\"out\":";
  append_json(data, label(tape, out.index()));
  data += ",\"names\":{";
  bool first = true;
  for (const Index i : layout.nodes) {
    if (tape.name(i).empty()) continue;
    fmt::format_to(std::back_inserter(data), "{}\"{}\":", first ? "" : ",", i);
    append_json(data, tape.name(i));
    first = false;
  }
  data += "},\"steps\":";
  const std::size_t steps = append_sweep(data, tape, out.index());
  data += "}";

  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>";
  const std::string out_label = label(tape, out.index());
  append_html(html, fmt::format("tapegrad: the reverse sweep from {}", out_label));
  html += "</title>\n<style>\n";
  html += detail::html::page_css;
  html += "</style>\n</head>\n<body>\n<header>\n<h1>backward() from <span class=\"out-label\">";
  append_html(html, out_label);
  fmt::format_to(std::back_inserter(html), fmt::runtime(detail::html::page_controls), steps);
  html += "<p>";
  append_html(html, fmt::format(fmt::runtime(detail::html::page_step_zero), steps, out_label));
  html += "</p></section>\n<div id=\"graph\">\n";
  append_svg(html, tape, layout, out.index());
  html += "</div>\n<script type=\"application/json\" id=\"sweep-data\">";
  html += data;
  html += "</script>\n<script>\n";
  html += detail::html::page_js;
  html += "</script>\n</body>\n</html>\n";
  return html;
}

void write_html(const Tape& tape, Value out, const std::filesystem::path& path) {
  const std::string html = to_html(tape, out); // throws before touching the disk
  const auto fail = [&](std::string_view what) {
    return Error(fmt::format("tapegrad: write_html() could not write \"{}\" ({}: {}). Check that "
                             "its folder exists and is writable, or choose another path.",
                             path.string(), what,
                             std::error_code(errno, std::generic_category()).message()));
  };
  // A temporary file next to the page, renamed onto it when complete.
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  std::string temp = (folder / (path.filename().string() + ".tmp.XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) throw fail("creating a temporary file next to it");
  for (std::size_t written = 0; written < html.size();) {
    const ssize_t n = ::write(fd, html.data() + written, html.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const Error error = fail("writing");
      ::close(fd);
      ::unlink(temp.c_str());
      throw error;
    }
    written += static_cast<std::size_t>(n);
  }
  // mkstemp makes the file private (0600); a page is for reading: 0644.
  bool finished = ::fchmod(fd, 0644) == 0;
  finished = ::close(fd) == 0 && finished;
  if (!finished || ::rename(temp.c_str(), path.c_str()) != 0) {
    const Error error = fail("finishing the temporary file");
    ::unlink(temp.c_str());
    throw error;
  }
}

} // namespace tapegrad
