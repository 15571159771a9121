// Model files: formatting and strict parsing of the text format, and the
// atomic write (POSIX: mkstemp in the target's folder, write, fsync, rename,
// fsync of the folder). Parsing fills a scratch vector first and only then
// touches the model, so a bad file never leaves it half loaded.
#include "tapegrad/nn/model_io.hpp"

#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <tapegrad/error.hpp>

namespace tapegrad::nn {

namespace {

constexpr std::string_view magic = "tapegrad-parameters";

/// Reads the text line by line, counting lines for the error messages.
class Lines {
public:
  Lines(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  /// The next line without its "\n" (and "\r"); throws if the text has ended.
  std::string_view next(std::string_view expected) {
    if (text_.empty())
      fail(fmt::format("the file ends early: expected {} on line {}. The file is truncated; "
                       "save the model again.",
                       expected, number_ + 1));
    ++number_;
    const std::size_t newline = text_.find('\n');
    std::string_view line = text_.substr(0, newline);
    text_.remove_prefix(newline == std::string_view::npos ? text_.size() : newline + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    return line;
  }
  /// The next line, which must be "<key> <rest>"; returns rest.
  std::string_view field(std::string_view key) {
    const std::string_view line = next(fmt::format("'{} ...'", key));
    if (!line.starts_with(key) || line.size() <= key.size() || line[key.size()] != ' ')
      fail(fmt::format("line {} is '{}' but should start with '{} '. The file is corrupt or not a "
                       "tapegrad parameter file.",
                       number_, shorten(line), key));
    return line.substr(key.size() + 1);
  }
  [[noreturn]] void fail(std::string_view what) const {
    throw Error(fmt::format("tapegrad::nn: cannot load '{}': {}", source_, what));
  }
  [[nodiscard]] std::size_t number() const noexcept { return number_; }
  /// True if only blank lines remain.
  [[nodiscard]] bool done() const noexcept {
    return text_.find_first_not_of("\r\n") == std::string_view::npos;
  }

  static std::string shorten(std::string_view s) {
    return s.size() <= 60 ? std::string(s) : fmt::format("{}...", s.substr(0, 60));
  }

private:
  std::string_view text_;
  std::string_view source_;
  std::size_t number_ = 0;
};

template <class T> bool parse_whole(std::string_view s, T& out, int base = 10) {
  const char* end = s.data() + s.size();
  std::from_chars_result r{};
  if constexpr (std::is_floating_point_v<T>)
    r = std::from_chars(s.data(), end, out);
  else
    r = std::from_chars(s.data(), end, out, base);
  return !s.empty() && r.ec == std::errc() && r.ptr == end;
}

std::string system_error(std::string_view what, const std::filesystem::path& path) {
  return fmt::format("tapegrad::nn: cannot save the model: {} '{}' failed: {}. Check that the "
                     "folder exists and is writable, and that the disk is not full.",
                     what, path.string(), std::strerror(errno));
}

} // namespace

std::uint64_t parameters_checksum(std::span<const double> values) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL; // FNV-1a 64 offset basis
  for (const double x : values) {
    const auto bits = std::bit_cast<std::uint64_t>(x);
    for (int byte = 0; byte < 8; ++byte) {
      hash ^= (bits >> (8 * byte)) & 0xffU;
      hash *= 0x100000001b3ULL; // FNV 64 prime
    }
  }
  return hash;
}

std::string format_parameters(const Module& model) {
  const std::vector<double> values = model.parameter_values();
  std::string text = fmt::format("{} {}\nshape {}\ncount {}\n", magic, model_format_version,
                                 model.shape(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]))
      throw Error(fmt::format("tapegrad::nn: cannot save {}: parameter {} is {}. The model has "
                              "diverged; lower the learning rate and train again.",
                              model.shape(), i, values[i]));
    // fmt's "{}" is the shortest decimal that reads back to the same double.
    fmt::format_to(std::back_inserter(text), "{}\n", values[i]);
  }
  fmt::format_to(std::back_inserter(text), "checksum {:016x}\nend\n", parameters_checksum(values));
  return text;
}

void parse_parameters(Module& model, std::string_view text, std::string_view source) {
  Lines lines(text, source);
  const std::string_view version = lines.field(magic);
  int v = 0;
  if (!parse_whole(version, v))
    lines.fail(fmt::format("the version '{}' on line 1 is not a number.", Lines::shorten(version)));
  if (v != model_format_version)
    lines.fail(fmt::format("it is version {} of the format; this build reads version {}. Use "
                           "the tapegrad that wrote it, or save the model again.",
                           v, model_format_version));
  const std::string_view shape = lines.field("shape");
  if (shape != model.shape())
    lines.fail(fmt::format("it holds the parameters of {}, but the model is {}. Build the model "
                           "with the same shape and activations as the saved one.",
                           Lines::shorten(shape), model.shape()));
  const std::string_view count_text = lines.field("count");
  std::size_t count = 0;
  if (!parse_whole(count_text, count) || count != model.parameter_count())
    lines.fail(fmt::format("line 3 says 'count {}' but {} has {} parameters. The file is corrupt.",
                           Lines::shorten(count_text), model.shape(), model.parameter_count()));

  std::vector<double> values(count);
  for (double& x : values) {
    const std::string_view line = lines.next("a parameter value");
    if (!parse_whole(line, x) || !std::isfinite(x))
      lines.fail(fmt::format("line {} should hold a finite number (parameter {} of {}) but is "
                             "'{}'. The file is corrupt or truncated.",
                             lines.number(), lines.number() - 3, count, Lines::shorten(line)));
  }
  std::string_view line = lines.next("'checksum ...' or 'end'");
  if (line.starts_with("checksum ")) {
    std::uint64_t stored = 0;
    if (!parse_whole(line.substr(9), stored, 16) || stored != parameters_checksum(values))
      lines.fail(fmt::format("the checksum on line {} does not match the values: the file is "
                             "corrupt. (A file edited by hand may drop the checksum line.)",
                             lines.number()));
    line = lines.next("'end'");
  }
  if (line != "end")
    lines.fail(fmt::format("line {} is '{}' but should be 'end' after {} values. The file is "
                           "corrupt.",
                           lines.number(), Lines::shorten(line), count));
  if (!lines.done())
    lines.fail(
        fmt::format("there is more after 'end' on line {}. The file is corrupt.", lines.number()));
  model.set_parameter_values(values); // everything checked: now change the model
}

void save_parameters(const Module& model, const std::filesystem::path& path) {
  const std::string text = format_parameters(model); // throws before touching the disk
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string temp = (folder / (path.filename().string() + ".tmp.XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) throw Error(system_error("creating a temporary file next to", path));
  const auto give_up = [&](std::string_view what) {
    const std::string message = system_error(what, temp);
    ::close(fd);
    ::unlink(temp.c_str());
    throw Error(message);
  };
  for (std::size_t written = 0; written < text.size();) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) give_up("writing");
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) give_up("flushing (fsync)");
  if (::close(fd) != 0) {
    const std::string message = system_error("closing", temp);
    ::unlink(temp.c_str());
    throw Error(message);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string message = system_error("renaming the temporary file onto", path);
    ::unlink(temp.c_str());
    throw Error(message);
  }
  // The rename is durable once the folder's entry is on disk too.
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void load_parameters(Module& model, const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw Error(fmt::format("tapegrad::nn: cannot open the model file '{}'. Check the path.",
                            path.string()));
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) throw Error(fmt::format("tapegrad::nn: reading '{}' failed.", path.string()));
  parse_parameters(model, contents.str(), path.string());
}

} // namespace tapegrad::nn
