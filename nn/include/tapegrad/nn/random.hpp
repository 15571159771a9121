// Rng: the one random number generator of tapegrad::nn, so that a seed gives
// the same initial weights, data sets and batch orders on every compiler and
// standard library. std::*_distribution is not used: its output is
// implementation-defined. Generator: xoshiro256** seeded through splitmix64.
#pragma once

#include <cmath>
#include <cstdint>

namespace tapegrad::nn {

/// splitmix64: advances `state` by the golden-ratio increment and returns a
/// well-mixed 64-bit word. Used to turn one seed into xoshiro's 256-bit state.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// A seeded xoshiro256** generator with its own mappings to doubles. Every
/// mapping is plain IEEE arithmetic on the 64-bit words (normal() also uses
/// std::log, std::sqrt and std::cos), so uniform draws are bit-identical
/// everywhere.
class Rng {
public:
  /// The state is four successive splitmix64 outputs of `seed`.
  explicit constexpr Rng(std::uint64_t seed) noexcept {
    for (std::uint64_t& word : state_) word = splitmix64(seed);
  }

  /// A generator with the given xoshiro256** state (not all zero), for
  /// checking against the reference implementation's published outputs.
  static constexpr Rng from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2,
                                  std::uint64_t s3) noexcept {
    Rng rng(0);
    rng.state_[0] = s0, rng.state_[1] = s1, rng.state_[2] = s2, rng.state_[3] = s3;
    return rng;
  }

  /// The next 64 random bits (xoshiro256**).
  constexpr std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /// Uniform in [0, 1): the top 53 bits times 2^-53, so every value is a
  /// multiple of 2^-53 and exact.
  constexpr double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Uniform in [lo, hi): lo + (hi - lo) * uniform().
  constexpr double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }

  /// Standard normal N(0, 1) by the Box-Muller transform:
  /// sqrt(-2 ln u1) cos(2 pi u2) with u1 in (0, 1], u2 in [0, 1).
  double normal() noexcept {
    const double u1 = 1.0 - uniform(); // (0, 1]: ln(u1) is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
  }

  /// Uniform integer in [0, n) for n >= 1, unbiased: draws that fall in the
  /// incomplete last block of size 2^64 mod n are rejected and redrawn.
  constexpr std::uint64_t below(std::uint64_t n) noexcept {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n + 1) % n;
    for (;;) {
      const std::uint64_t r = next();
      if (r <= limit) return r % n;
    }
  }

private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }
  std::uint64_t state_[4] = {};
};

} // namespace tapegrad::nn
