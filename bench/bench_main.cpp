// tapegrad_bench: checks every workload's gradient against its hand-derived
// one (a broken tape fails here, before any timing), then runs the suite and
// prints the summary table. Options: Google Benchmark's, plus --n=<size> for
// the chain, chain_literal, poly and grow workloads (default 10^6).
//
// `--run=<workload> --steps=K` instead runs K gradient steps of one workload,
// untimed and unchecked, and exits: what bench/count_instructions.sh counts
// with callgrind.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "alloc_counter.hpp"
#include "summary_reporter.hpp"
#include "workloads.hpp"

namespace bench {

namespace {
std::size_t n = 1'000'000;
}

std::size_t problem_size() { return n; }

bool report_check(std::string_view workload, std::string_view backend, double error,
                  double tolerance) {
  const bool ok = error <= tolerance;
  std::printf("check %-13.*s %-24.*s max relative error %.2e %s\n",
              static_cast<int>(workload.size()), workload.data(), static_cast<int>(backend.size()),
              backend.data(), error, ok ? "ok" : "FAILED");
  return ok;
}

void set_tape_counters(benchmark::State& state, TapeUse use, std::uint64_t allocations_before) {
  set_allocation_counter(state, allocations_before); // first: adding counters allocates
  state.counters["nodes"] = static_cast<double>(use.nodes);
  state.counters["bytes_per_node"] =
      static_cast<double>(use.bytes) / static_cast<double>(use.nodes);
}

void set_allocation_counter(benchmark::State& state, std::uint64_t allocations_before) {
  const auto allocations = allocation_count() - allocations_before;
  state.counters["allocs_per_step"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations());
}

/// The number in "--name=<number>", or exits with a message if there is none.
std::size_t count_option(std::string_view arg) {
  const std::string digits(arg.substr(arg.find('=') + 1));
  char* end = nullptr;
  const unsigned long long count = std::strtoull(digits.c_str(), &end, 10);
  if (digits.empty() || *end != '\0' || digits.front() == '-') {
    std::fprintf(stderr, "tapegrad_bench: %s is not a count: write a whole number after the =\n",
                 std::string(arg).c_str());
    std::exit(1);
  }
  return count;
}

/// --run=<workload> --steps=K: K untimed steps of one workload; the exit status.
int run_steps(std::string_view workload, std::size_t steps) {
  const std::pair<std::string_view, double (*)(std::size_t)> workloads[] = {
      {"mlp_step", run_mlp_step},   {"mlp_scalar", run_mlp_scalar},
      {"chain", run_chain},         {"chain_literal", run_chain_literal},
      {"seed_step", run_seed_step}, {"poly", run_poly},
      {"grow", run_grow},           {"second_order", run_second_order},
  };
  for (const auto& [name, run] : workloads)
    if (name == workload) {
      const double result = run(steps);
      std::printf("%s: %zu steps after one warm-up step (result %.17g)\n",
                  std::string(name).c_str(), steps, result);
      return 0;
    }
  std::fprintf(stderr, "tapegrad_bench: unknown workload '%s' in --run; use one of:",
               std::string(workload).c_str());
  for (const auto& [name, run] : workloads) std::fprintf(stderr, " %s", std::string(name).c_str());
  std::fprintf(stderr, "\n");
  return 1;
}

} // namespace bench

int main(int argc, char** argv) {
  // Take out --n=<size>, --run=<workload> and --steps=K before Google
  // Benchmark reads the rest.
  int kept = 1;
  std::string_view run;
  std::size_t steps = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--n="))
      bench::n = bench::count_option(arg);
    else if (arg.starts_with("--run="))
      run = arg.substr(6);
    else if (arg.starts_with("--steps="))
      steps = bench::count_option(arg);
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  if (bench::n < 2) {
    std::fprintf(stderr, "tapegrad_bench: --n must be at least 2\n");
    return 1;
  }
  if (!run.empty()) {
    if (argc > 1) {
      std::fprintf(stderr, "tapegrad_bench: --run takes only --n and --steps, not '%s'\n", argv[1]);
      return 1;
    }
    return bench::run_steps(run, steps);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  bool ok = bench::verify_mlp_step();
  ok = bench::verify_mlp_scalar() && ok;
  ok = bench::verify_chain() && ok;
  ok = bench::verify_chain_literal() && ok;
  ok = bench::verify_seed_step() && ok;
  ok = bench::verify_poly() && ok;
  ok = bench::verify_second_order() && ok;
#ifdef TAPEGRAD_BENCH_ADOLC
  ok = bench::verify_adolc() && ok;
#endif
  if (!ok) {
    std::fprintf(stderr, "tapegrad_bench: a gradient check failed; not timing a wrong tape\n");
    return 1;
  }
  std::fflush(stdout);

  bench::register_mlp_step();
  bench::register_mlp_scalar();
  bench::register_chain();
  bench::register_chain_literal();
  bench::register_seed_step();
  bench::register_poly();
  bench::register_grow();
  bench::register_second_order();
#ifdef TAPEGRAD_BENCH_ADOLC
  bench::register_adolc();
#endif
  bench::SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
