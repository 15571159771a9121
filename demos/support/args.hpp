// Command-line flags shared by the training demos: --steps N, --seed N,
// --out DIR and --help, with errors that say which flag was wrong.
#pragma once

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace demo {

/// The demos' settings; the defaults are set by each demo.
struct Args {
  std::size_t steps = 100;
  std::uint64_t seed = 0;
  std::filesystem::path out;
  bool help = false;
};

/// Parses argv into `args` (which holds the defaults). Returns an error
/// message, or "" on success.
inline std::string parse_args(int argc, char** argv, Args& args) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      args.help = true;
      continue;
    }
    if (flag != "--steps" && flag != "--seed" && flag != "--out")
      return fmt::format("unknown flag '{}'", flag);
    if (i + 1 >= argc) return fmt::format("{} needs a value", flag);
    const std::string_view value = argv[++i];
    if (flag == "--out") {
      args.out = std::string(value);
      continue;
    }
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size())
      return fmt::format("{} needs a whole number, got '{}'", flag, value);
    if (flag == "--steps") {
      if (n == 0) return "--steps needs at least 1";
      args.steps = static_cast<std::size_t>(n);
    } else {
      args.seed = n;
    }
  }
  return {};
}

} // namespace demo
