// Running out of memory while the tape grows: the operation throws
// std::bad_alloc, and the tape is left as it was before it, so the program can
// free memory and go on. In particular the operands a half-built node had
// pushed are dropped, never attached to the next node (which would give it
// stray partials, and wrong gradients).
//
// The tape's arrays grow with realloc (column.hpp), so these tests run out of
// memory for real: they lower the process's address-space limit
// (RLIMIT_AS) just above what it uses, for the one call that must fail. The
// sanitizers reserve terabytes of address space for their own use, so under
// them those tests are skipped; the names of nodes live in std::strings,
// whose allocations the counting operator new can fail one by one.
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/autodiff.hpp>

#include "sanitized.hpp"

#include "counting_new.hpp"

using namespace tapegrad;

namespace {
using tapegrad_test::sanitized;

/// The process's address space now, in bytes (VmSize in /proc/self/status).
std::size_t address_space() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmSize:") {
      std::size_t kib = 0;
      status >> kib;
      return kib * 1024;
    }
    status.ignore(1 << 16, '\n');
  }
  return 0;
}

/// Calls `f` with the address space limited to what the process uses now plus
/// `headroom` bytes; returns whether it threw std::bad_alloc.
template <class F> bool runs_out_of_memory(std::size_t headroom, F&& f) {
  rlimit old{};
  getrlimit(RLIMIT_AS, &old);
  rlimit tight = old;
  tight.rlim_cur = address_space() + headroom;
  REQUIRE(setrlimit(RLIMIT_AS, &tight) == 0);
  bool threw = false;
  try {
    f();
  } catch (const std::bad_alloc&) {
    threw = true;
  }
  setrlimit(RLIMIT_AS, &old); // before doctest allocates anything
  return threw;
}
} // namespace

TEST_CASE("the allocation hook fails exactly the allocation it is set to") {
  counting_new::fail_in = 2;
  std::vector<double> first(10);
  CHECK_THROWS_AS(std::vector<double>(10), std::bad_alloc);
  std::vector<double> third(10);
  CHECK(counting_new::fail_in == 0);
}

TEST_CASE("out of memory while growing the operands of a node leaves the tape as it was") {
  if (sanitized) return;
  Tape tape;
  const Value x = tape.var(2.0, "x");
  const std::vector<Value> terms(4'000'000, x); // 48 MB of operands for one node
  CHECK(runs_out_of_memory(16 << 20, [&] { (void)sum(terms); }));
  CHECK(tape.size() == 1);
  const Value y = x * 3.0; // its one operand, and nothing left from the sum
  CHECK(tape.operands(y.index()).size() == 1);
  y.backward();
  CHECK(x.grad() == 3.0);
  const Value s = sum(terms); // the memory is back: the same sum works
  CHECK(s.value() == 8e6);
  s.backward();
  CHECK(x.grad() == 4e6);
}

TEST_CASE("out of memory while naming a new variable leaves no unnamed leaf behind") {
  Tape tape;
  tape.reserve(16, 64);
  const Value x = tape.var(2.0, "x");
  counting_new::fail_in = 1; // the name's storage (longer than a short string)
  CHECK_THROWS_AS(tape.var(3.0, "a name too long to be stored inside the string"), std::bad_alloc);
  CHECK(tape.size() == 1);
  const Value y = tape.var(4.0, "y");
  CHECK(y.index() == 1);
  CHECK(tape.name(1) == "y");
  CHECK(x.name() == "x");
}

TEST_CASE("out of memory while a long chain grows the tape leaves every node recorded intact") {
  if (sanitized) return;
  Tape tape;
  const Value x = tape.var(1.0, "x");
  Value z = x;
  std::size_t recorded = 0;
  CHECK(runs_out_of_memory(16 << 20, [&] {
    for (;;) { // until a node's operand or the node itself finds no room
      z = z * 1.0 + x;
      ++recorded;
    }
  }));
  // Every node of the chain but the failed one is there; the failed one left
  // no stray operand behind.
  CHECK(recorded > 1000);
  const Value y = z + 1.0;
  CHECK(tape.operands(y.index()).size() == 1);
  y.backward();
  CHECK(x.grad() == static_cast<double>(recorded + 1));
}

TEST_CASE("out of memory while linear() makes room for its rows records none of them") {
  // linear() makes room for all its rows before recording the first, so
  // running out of memory cannot leave the first rows behind.
  if (sanitized) return;
  Tape tape;
  const std::size_t n = 1000, rows = 1000; // a million weights: 12 MB of operands
  std::vector<Value> w;
  w.reserve(n * rows);
  for (std::size_t k = 0; k < n * rows; ++k) w.push_back(tape.var(1.0));
  std::vector<Value> b;
  for (std::size_t j = 0; j < rows; ++j) b.push_back(tape.var(0.5));
  const std::vector<double> x(n, 2.0);
  const Value sentinel = tape.var(0.0);
  std::vector<Value> out(rows, sentinel);
  const std::size_t size = tape.size();
  CHECK(runs_out_of_memory(4 << 20, [&] { linear(w, x, b, out); }));
  CHECK(tape.size() == size);
  for (const Value& v : out) CHECK(v.index() == sentinel.index());
  const Value y = sentinel * 3.0; // its one operand, and nothing left from linear()
  CHECK(tape.operands(y.index()).size() == 1);
  linear(w, x, b, out); // the memory is back
  CHECK(out[2].value() == 0.5 + 1000 * 2.0);
}
