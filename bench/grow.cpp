// grow: a chain s = sin(s) + x * 0.5 recorded until the tape holds n nodes
// (issue 13's scale test), on a fresh Tape each time: what growing the tape's
// arrays costs in time and in memory.
//
//   grow/first  a new Tape per iteration, grown to n nodes
//   grow/warm   one Tape, clear()ed and grown to n nodes again: the memory is
//               already there, so the gap between the two is growth's cost
//
// `tapegrad_bench --run=grow --n=N` also reports peak memory, which is
// process-wide and only ever rises, so it means something only in a fresh
// process: "grow: N nodes, X bytes/node, tape Y MB, peak RSS Z MB, ratio Z/Y",
// and a first recording's time against a warm one's (MB here are 2^20 bytes).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <tapegrad/autodiff.hpp>

#include "alloc_counter.hpp"
#include "workloads.hpp"

namespace bench {

namespace {
using tapegrad::Tape;
using tapegrad::Value;

/// Records the chain on `tape` until it holds at least `nodes` nodes; the end.
Value grow_chain(Tape& tape, std::size_t nodes) {
  const Value x = tape.var(0.5);
  Value s = tape.var(0.1);
  while (tape.size() < nodes) s = sin(s) + x * 0.5;
  return s;
}

/// A field of /proc/self/status ("VmHWM", "VmRSS") in MB, or -1 if unreadable.
double status_mb(const char* field) {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return -1;
  char line[256];
  double mb = -1;
  const std::size_t length = std::strlen(field);
  while (std::fgets(line, sizeof line, status) != nullptr)
    if (std::strncmp(line, field, length) == 0 && line[length] == ':') {
      long long kb = 0;
      if (std::sscanf(line + length + 1, "%lld", &kb) == 1) mb = static_cast<double>(kb) / 1024.0;
      break;
    }
  std::fclose(status);
  return mb;
}

/// Process CPU time in seconds (user + system: page faults count too).
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

/// Wall-clock time in seconds.
double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void first(benchmark::State& state) {
  TapeUse use;
  const auto allocations = allocation_count();
  for (auto _ : state) {
    Tape tape;
    use = measure_tape_use(tape, [&] { grow_chain(tape, problem_size()); });
    benchmark::DoNotOptimize(tape.size());
  }
  set_tape_counters(state, use, allocations);
}

void warm(benchmark::State& state) {
  Tape tape;
  const TapeUse use = measure_tape_use(tape, [&] { grow_chain(tape, problem_size()); });
  tape.clear(); // warm-up: the first clear() may allocate (its record of the cut)
  grow_chain(tape, problem_size());
  const auto allocations = allocation_count();
  for (auto _ : state) {
    tape.clear();
    benchmark::DoNotOptimize(grow_chain(tape, problem_size()));
  }
  set_tape_counters(state, use, allocations);
}

/// Grows one fresh tape to `nodes`, then backward(), then records it again
/// after clear(), and prints the report (see the top of the file).
void report(std::size_t nodes) {
  const double rss_before = status_mb("VmRSS");
  Tape tape;
  double cpu = cpu_seconds(), wall = wall_seconds();
  Value end = grow_chain(tape, nodes);
  const double first_cpu = cpu_seconds() - cpu, first_wall = wall_seconds() - wall;
  const double tape_mb = static_cast<double>(tape.bytes_used()) / (1024.0 * 1024.0);
  const double bytes_per_node =
      static_cast<double>(tape.bytes_used()) / static_cast<double>(tape.size());
  const double peak_recorded = status_mb("VmHWM");
  tape.backward(end);
  const double peak_backward = status_mb("VmHWM");
  tape.clear();
  cpu = cpu_seconds();
  wall = wall_seconds();
  end = grow_chain(tape, nodes);
  const double warm_cpu = cpu_seconds() - cpu, warm_wall = wall_seconds() - wall;
  std::printf("grow: %zu nodes, %.1f bytes/node, tape %.1f MB, peak RSS %.1f MB, ratio %.3f\n",
              tape.size(), bytes_per_node, tape_mb, peak_backward, peak_backward / tape_mb);
  std::printf("grow: peak RSS after recording (before backward) %.1f MB, ratio %.3f; "
              "RSS before the tape %.1f MB\n",
              peak_recorded, peak_recorded / tape_mb, rss_before);
  std::printf("grow: first recording %.3f s CPU (%.3f s wall), warm recording after clear() "
              "%.3f s CPU (%.3f s wall): first/warm %.2f CPU, %.2f wall\n",
              first_cpu, first_wall, warm_cpu, warm_wall, first_cpu / warm_cpu,
              first_wall / warm_wall);
}
} // namespace

double run_grow(std::size_t steps) {
  report(problem_size()); // the warm-up step: a fresh tape grown once
  double total = 0;
  for (std::size_t i = 0; i < steps; ++i) {
    Tape tape;
    total += grow_chain(tape, problem_size()).value();
  }
  return total;
}

void register_grow() {
  benchmark::RegisterBenchmark("grow/first", first)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("grow/warm", warm)->Unit(benchmark::kMillisecond);
}

} // namespace bench
