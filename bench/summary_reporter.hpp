// SummaryReporter: Google Benchmark's console output, then one table that puts
// each workload's figures side by side, so every ratio comes from one run.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

namespace bench {

/// Collects the "<workload>/<kind>" results (see workloads.hpp) and, when the
/// run ends, prints per workload: gradient and primal time and their ratio, ns
/// per tape node for record and reverse, tape bytes per node, heap allocations
/// per step, and ADOL-C's time. With repetitions it uses the medians.
class SummaryReporter : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

private:
  struct Result {
    std::vector<double> cpu_ns;             ///< one per repetition
    std::map<std::string, double> counters; ///< from the last repetition
    double median_ns = -1;                  ///< from the "median" aggregate, if any
  };
  /// Median CPU time of a benchmark in ns, or -1 when it did not run.
  [[nodiscard]] double time_ns(const std::string& name) const;
  [[nodiscard]] double counter(const std::string& name, const std::string& key) const;
  std::map<std::string, Result> results_;
};

} // namespace bench
