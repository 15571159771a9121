// The summary table at the end of a run; see summary_reporter.hpp.
#include "summary_reporter.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ostream>
#include <string_view>

namespace bench {

namespace {
/// "12.3 us"-style text for a time in ns.
std::string format_time(double ns) {
  if (ns < 0) return "-";
  char text[32];
  if (ns < 1e3)
    std::snprintf(text, sizeof text, "%.0f ns", ns);
  else if (ns < 1e6)
    std::snprintf(text, sizeof text, "%.1f us", ns / 1e3);
  else
    std::snprintf(text, sizeof text, "%.1f ms", ns / 1e6);
  return text;
}

std::string format_number(double x, const char* format) {
  if (x < 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, format, x);
  return text;
}
/// The workloads with a gradient, in the table's order (grow has its own line).
const char* const kWorkloads[] = {"mlp_step",      "mlp_scalar", "chain",
                                  "chain_literal", "seed_step",  "poly"};
} // namespace

void SummaryReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    if (run.error_occurred) continue;
    Result& r = results_[run.run_name.function_name];
    const double ns =
        run.GetAdjustedCPUTime() * 1e9 / benchmark::GetTimeUnitMultiplier(run.time_unit);
    if (run.run_type == Run::RT_Aggregate) {
      if (run.aggregate_name != "median") continue;
      r.median_ns = ns;
    } else {
      r.cpu_ns.push_back(ns);
    }
    for (const auto& [key, c] : run.counters) r.counters[key] = c.value;
  }
  ConsoleReporter::ReportRuns(runs);
}

double SummaryReporter::time_ns(const std::string& name) const {
  const auto it = results_.find(name);
  if (it == results_.end()) return -1;
  if (it->second.median_ns >= 0) return it->second.median_ns;
  std::vector<double> t = it->second.cpu_ns;
  if (t.empty()) return -1;
  std::nth_element(t.begin(), t.begin() + t.size() / 2, t.end());
  return t[t.size() / 2];
}

double SummaryReporter::counter(const std::string& name, const std::string& key) const {
  const auto it = results_.find(name);
  if (it == results_.end()) return -1;
  const auto c = it->second.counters.find(key);
  return c == it->second.counters.end() ? -1 : c->second;
}

void SummaryReporter::Finalize() {
  std::ostream& out = GetOutputStream();
  out << "\nSummary (CPU time, median over repetitions when there are several):\n\n"
      << "| workload | gradient | primal | ratio | tape traffic / primal | record ns/node "
         "| reverse ns/node | tape bytes/node | allocs/step | ADOL-C | ADOL-C / tapegrad |\n"
      << "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const std::string w : kWorkloads) {
    const double gradient = time_ns(w + "/gradient"), primal = time_ns(w + "/primal");
    if (gradient < 0 && primal < 0) continue;
    const double nodes = counter(w + "/gradient", "nodes");
    const double record = time_ns(w + "/record"), reverse = time_ns(w + "/reverse");
    const double adolc = time_ns(w + "/adolc"), traffic = time_ns(w + "/tape_traffic");
    const auto per_node = [&](double t) { return t < 0 || nodes <= 0 ? -1 : t / nodes; };
    const auto ratio = [](double a, double b) { return a < 0 || b <= 0 ? -1 : a / b; };
    out << "| " << w << " | " << format_time(gradient) << " | " << format_time(primal) << " | "
        << format_number(ratio(gradient, primal), "%.2fx") << " | "
        << format_number(ratio(traffic, primal), "%.2fx") << " | "
        << format_number(per_node(record), "%.2f") << " | "
        << format_number(per_node(reverse), "%.2f") << " | "
        << format_number(counter(w + "/gradient", "bytes_per_node"), "%.1f") << " | "
        << format_number(counter(w + "/gradient", "allocs_per_step"), "%.0f") << " | "
        << format_time(adolc) << " | " << format_number(ratio(adolc, gradient), "%.2fx") << " |\n";
  }
  out << "\nratio = gradient / primal; tape traffic = writing and reading back one step's tape "
         "bytes, no arithmetic (a floor for any tape that size); nodes per step: ";
  for (const std::string w : kWorkloads)
    out << w << " " << format_number(counter(w + "/gradient", "nodes"), "%.0f") << "  ";
  out << "\n";
  const double first = time_ns("grow/first"), warm = time_ns("grow/warm");
  if (first >= 0 || warm >= 0)
    out << "\ngrow (s = sin(s) + x * 0.5, " << format_number(counter("grow/first", "nodes"), "%.0f")
        << " nodes): first recording on a new Tape " << format_time(first)
        << ", warm (after clear()) " << format_time(warm) << ", first / warm "
        << format_number(first < 0 || warm <= 0 ? -1 : first / warm, "%.2fx") << ", "
        << format_number(counter("grow/first", "bytes_per_node"), "%.1f")
        << " tape bytes/node (peak memory: --run=grow)\n";
  ConsoleReporter::Finalize();
}

} // namespace bench
