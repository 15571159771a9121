// libFuzzer target for the engine: the bytes are decoded into an expression
// graph (tests/fuzz_support.hpp) that the differential checker records on a
// tape and compares with dual numbers and finite differences. Any
// disagreement aborts with the graph; tapegrad::Error is not expected either
// (a decoded graph uses the API correctly).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_generator.hpp"

namespace {

/// The numbers a byte picks from: ordinary ones, kinks, domain edges, far out.
constexpr std::array<double, 16> numbers = {0.0,    1.0, -1.0, 0.5,   2.0,  -2.5, 1e-12, -1e-12,
                                            1e-300, 3.0, 1e3,  -0.25, 20.0, -40,  400,   0.1};

struct Bytes {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t at = 0;
  bool empty() const { return at >= size; }
  std::uint8_t next() { return at < size ? data[at++] : 0; }
  double number() {
    const std::uint8_t b = next();
    if (b < 128) return numbers[b % numbers.size()];
    std::uint64_t bits = 0;
    for (int k = 0; k < 8; ++k) bits = bits << 8 | next();
    double x = 0;
    std::memcpy(&x, &bits, sizeof x);
    return std::isfinite(x) && std::abs(x) < 1e6 ? x : 0.5;
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fz::Generator generator;
  static fz::Checker checker;
  static fz::Graph g;
  Bytes in{data, size};
  std::vector<double> inputs(1 + in.next() % 4);
  for (double& x : inputs) x = in.number();
  generator.begin(g, inputs);
  while (!in.empty() && g.nodes.size() < 64) {
    const auto kind = static_cast<fz::Kind>(in.next() % fz::kind_count);
    const auto ids = static_cast<std::uint32_t>(g.size());
    fz::Node n{kind, static_cast<std::uint32_t>(g.args.size()), 0,
               static_cast<std::uint32_t>(g.consts.size()), 0};
    const bool constant = fz::has_constant(kind);
    std::uint32_t operands = fz::is_binary(kind) ? 2 : 1;
    const std::uint32_t terms = 1 + in.next() % 4;
    if (kind == fz::Kind::sum) operands = terms;
    if (kind == fz::Kind::dot_c) operands = terms + 1;
    if (kind == fz::Kind::dot) operands = 2 * terms + 1;
    for (std::uint32_t a = 0; a < operands; ++a) g.args.push_back(in.next() % ids);
    if (constant) g.consts.push_back(in.number());
    if (kind == fz::Kind::dot_c)
      for (std::uint32_t t = 0; t < terms; ++t) g.consts.push_back(in.number());
    n.count = static_cast<std::uint32_t>(g.args.size()) - n.first;
    n.count_c = static_cast<std::uint32_t>(g.consts.size()) - n.first_c;
    generator.append(g, n);
  }
  fz::Counts counts;
  std::string error;
  try {
    error = checker.check(g, counts);
  } catch (const tapegrad::Error& e) {
    error = e.what();
  }
  if (!error.empty()) {
    std::fprintf(stderr, "%s\n%s", error.c_str(), fz::print(g).c_str());
    std::abort();
  }
  return 0;
}
