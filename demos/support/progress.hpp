// Training progress for the demos: on a terminal, one line redrawn in place
// with a bar; in a pipe or a file, plain lines a log can keep (every
// `every`-th step and the last). isatty() tells which.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <unistd.h>

namespace demo {

/// Shows "step k/n loss L accuracy A%" as training goes.
class Progress {
public:
  explicit Progress(std::size_t total)
      : total_(total), tty_(::isatty(::fileno(stdout)) != 0), every_(total >= 20 ? total / 20 : 1) {
  }

  /// Reports step k (0-based) of total.
  void update(std::size_t k, double loss, double accuracy) { show(k, loss, accuracy, ""); }
  /// Reports step k with a rate after the accuracy, e.g. "1234 images/s".
  void update(std::size_t k, double loss, double accuracy, double rate, std::string_view unit) {
    show(k, loss, accuracy, fmt::format(" {:>6.0f} {}", rate, unit));
  }

private:
  void show(std::size_t k, double loss, double accuracy, const std::string& tail) {
    const std::size_t done = k + 1;
    if (tty_) {
      constexpr std::size_t width = 30;
      const std::size_t filled = total_ == 0 ? width : done * width / total_;
      fmt::print("\r[{}{}] {:>4}/{} loss {:.4f} accuracy {:5.1f}%{}", std::string(filled, '#'),
                 std::string(width - filled, '.'), done, total_, loss, 100.0 * accuracy, tail);
      if (done == total_) fmt::print("\n");
      std::fflush(stdout);
    } else if (k % every_ == 0 || done == total_) {
      fmt::print("step {:>4}/{} loss {:.4f} accuracy {:.1f}%{}\n", done, total_, loss,
                 100.0 * accuracy, tail);
    }
  }

  std::size_t total_;
  bool tty_;
  std::size_t every_;
};

} // namespace demo
