// The sweeps behind gradient, hvp, hessian and jacobian: over a recorded tape,
// through its public read API, into arrays of their own.
//
//   tangent (forward):  t[i] = Σ_k p_ik t[a_k]                  (t = dx·v)
//   adjoint (reverse):  g[a_k] += p_ik g[i]                       (backward's)
//   its tangent:        h[a_k] += p_ik h[i] + g[i] Σ_l H^i_kl t[a_l]
// where p_ik = d node_i / d a_k is stored on the tape and H^i is node i's
// second derivative (curvature.cpp). After the sweeps g = d out/d x and
// h = H·v at the inputs.
#include "tapegrad/functional.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "curvature.hpp"
#include "tape_view.hpp"
#include "tapegrad/error.hpp"

namespace tapegrad {
namespace {

/// Whether `out` is a node of `tape` (false for a constant); throws for an
/// empty Value or one that is not live on `tape`.
bool check_output(const Tape& tape, Value out, std::string_view call) {
  if (out.empty())
    throw Error(fmt::format("tapegrad: {}: the function returned an empty (default-constructed) "
                            "Value. Return a Value computed from the inputs it is given.",
                            call));
  if (out.is_constant()) return false;
  if (!tape.is_live(out)) {
    if (&out.tape() != &tape)
      throw Error(fmt::format("tapegrad: {}: the function returned a Value recorded on another "
                              "Tape (node #{}). Compute the result from the Values the function "
                              "is given, not from Values captured from elsewhere.",
                              call, out.index()));
    tape.throw_unusable(out, fmt::format("as the output of {}", call));
  }
  return true;
}

/// Throws unless every input is a live leaf of `tape`.
void check_inputs(const Tape& tape, std::span<const Value> inputs, std::string_view call) {
  for (const Value& v : inputs) {
    if (v.empty()) Tape::throw_empty(fmt::format("as an input of {}", call));
    if (!tape.is_live(v)) tape.throw_unusable(v, fmt::format("as an input of {}", call));
    if (tape.op(v.index()) != Op::leaf)
      throw Error(fmt::format("tapegrad: {}: input node #{} is computed ({}), not a leaf. "
                              "Differentiate with respect to variables made by tape.var().",
                              call, v.index(), op_name(tape.op(v.index()))));
  }
}

/// p t, but 0 when t = 0: as in backward(), a node that does not move passes
/// nothing on, even through an infinite partial (sqrt'(0)).
double times(double p, double t) { return t == 0.0 ? 0.0 : p * t; }

/// The nodes a sweep from `out` covers: 0 .. out.
std::size_t span_of(Value out) { return static_cast<std::size_t>(out.index()) + 1; }

/// g = d out / d node for nodes 0 .. out: backward()'s loop, into `g`.
void adjoint_sweep(const TapeView& tape, Index out, std::vector<double>& g) {
  std::fill_n(g.begin(), out + 1, 0.0);
  g[out] = 1.0;
  for (Index i = out + 1; i-- > 0;) {
    const double gi = g[i];
    if (gi == 0.0) continue;
    const auto args = tape.operands(i);
    const auto ps = tape.partials(i);
    for (std::size_t k = 0; k < args.size(); ++k) g[args[k]] += ps[k] * gi;
  }
}

/// t = the tangent of every node 0 .. count - 1 when the inputs move along v.
void tangent_sweep(const TapeView& tape, std::size_t count, std::span<const Value> inputs,
                   std::span<const double> v, std::vector<double>& t) {
  std::fill_n(t.begin(), count, 0.0); // a leaf's tangent: 0, or its seed
  for (std::size_t k = 0; k < inputs.size(); ++k) t[inputs[k].index()] += v[k];
  for (Index i = 0; i < count; ++i) {
    const auto args = tape.operands(i);
    if (args.empty()) continue;
    const auto ps = tape.partials(i);
    double ti = 0.0;
    for (std::size_t k = 0; k < args.size(); ++k) ti += times(ps[k], t[args[k]]);
    t[i] = ti;
  }
}

/// h = the tangent of the adjoints, given the adjoints g and the tangents t.
void adjoint_tangent_sweep(const TapeView& tape, Index out, const std::vector<double>& g,
                           const std::vector<double>& t, std::vector<double>& h) {
  std::fill_n(h.begin(), out + 1, 0.0);
  for (Index i = out + 1; i-- > 0;) {
    const double gi = g[i], hi = h[i];
    if (gi == 0.0 && hi == 0.0) continue;
    const auto args = tape.operands(i);
    const auto ps = tape.partials(i);
    if (hi != 0.0)
      for (std::size_t k = 0; k < args.size(); ++k) h[args[k]] += ps[k] * hi;
    if (gi != 0.0 && !args.empty()) detail::add_curvature(tape, i, gi, t.data(), h.data());
  }
}

/// Adjoints and their tangents in one reverse loop (hvp's, one direction).
void second_order_sweep(const TapeView& tape, Index out, const std::vector<double>& t,
                        std::vector<double>& g, std::vector<double>& h) {
  std::fill_n(g.begin(), out + 1, 0.0);
  std::fill_n(h.begin(), out + 1, 0.0);
  g[out] = 1.0;
  for (Index i = out + 1; i-- > 0;) {
    const double gi = g[i], hi = h[i];
    if (gi == 0.0 && hi == 0.0) continue;
    const auto args = tape.operands(i);
    const auto ps = tape.partials(i);
    for (std::size_t k = 0; k < args.size(); ++k) {
      g[args[k]] += ps[k] * gi;
      h[args[k]] += times(ps[k], hi);
    }
    if (gi != 0.0 && !args.empty()) detail::add_curvature(tape, i, gi, t.data(), h.data());
  }
}

} // namespace

std::vector<double> gradient_on(const Tape& tape, Value out, std::span<const Value> inputs) {
  SweepMemory memory;
  return gradient_on(tape, out, inputs, memory);
}

std::vector<double> gradient_on(const Tape& tape, Value out, std::span<const Value> inputs,
                                SweepMemory& memory) {
  check_inputs(tape, inputs, "gradient");
  if (!check_output(tape, out, "gradient")) return std::vector<double>(inputs.size(), 0.0);
  std::vector<double>& g = SweepMemory::grown(memory.adjoint_, span_of(out));
  adjoint_sweep(TapeView(tape), out.index(), g);
  std::vector<double> result(inputs.size(), 0.0);
  for (std::size_t k = 0; k < inputs.size(); ++k)
    if (inputs[k].index() <= out.index()) result[k] = g[inputs[k].index()];
  return result;
}

std::vector<double> hvp_on(const Tape& tape, Value out, std::span<const Value> inputs,
                           std::span<const double> v) {
  SweepMemory memory;
  return hvp_on(tape, out, inputs, v, memory);
}

std::vector<double> hvp_on(const Tape& tape, Value out, std::span<const Value> inputs,
                           std::span<const double> v, SweepMemory& memory) {
  if (v.size() != inputs.size())
    throw Error(fmt::format("tapegrad: hvp_on: {} inputs and a direction v of length {}. Pass "
                            "one coordinate of v per input.",
                            inputs.size(), v.size()));
  check_inputs(tape, inputs, "hvp");
  if (!check_output(tape, out, "hvp")) return std::vector<double>(inputs.size(), 0.0);
  // Inputs recorded after `out` cannot change it: they are left out of the sweep.
  const std::size_t n = span_of(out);
  std::vector<double>& t = SweepMemory::grown(memory.tangent_, n);
  std::vector<double>& g = SweepMemory::grown(memory.adjoint_, n);
  std::vector<double>& h = SweepMemory::grown(memory.adjoint_tangent_, n);
  std::vector<Value> within;
  std::vector<double> v_within;
  for (std::size_t k = 0; k < inputs.size(); ++k)
    if (inputs[k].index() < n) {
      within.push_back(inputs[k]);
      v_within.push_back(v[k]);
    }
  tangent_sweep(TapeView(tape), n, within, v_within, t);
  second_order_sweep(TapeView(tape), out.index(), t, g, h);
  std::vector<double> result(inputs.size(), 0.0);
  for (std::size_t k = 0; k < inputs.size(); ++k)
    if (inputs[k].index() < n) result[k] = h[inputs[k].index()];
  return result;
}

std::vector<double> hessian_on(const Tape& tape, Value out, std::span<const Value> inputs) {
  check_inputs(tape, inputs, "hessian");
  const std::size_t dim = inputs.size();
  std::vector<double> hessian(dim * dim, 0.0);
  if (!check_output(tape, out, "hessian")) return hessian;
  const std::size_t n = span_of(out);
  std::vector<double> t(n), g(n), h(n);
  adjoint_sweep(TapeView(tape), out.index(), g);
  for (std::size_t j = 0; j < dim; ++j) {
    if (inputs[j].index() >= n) continue; // recorded after out: a row of 0
    const double one = 1.0;
    tangent_sweep(TapeView(tape), n, std::span(&inputs[j], 1), std::span(&one, 1), t);
    adjoint_tangent_sweep(TapeView(tape), out.index(), g, t, h);
    for (std::size_t i = 0; i < dim; ++i)
      if (inputs[i].index() < n) hessian[i * dim + j] = h[inputs[i].index()];
  }
  // Symmetric in exact arithmetic; rounding makes H[i][j] and H[j][i] differ by
  // an ulp or so. Their mean makes H exactly symmetric.
  for (std::size_t i = 0; i < dim; ++i)
    for (std::size_t j = i + 1; j < dim; ++j) {
      const double mean = 0.5 * (hessian[i * dim + j] + hessian[j * dim + i]);
      hessian[i * dim + j] = hessian[j * dim + i] = mean;
    }
  return hessian;
}

std::vector<double> jacobian_on(const Tape& tape, std::span<const Value> outs,
                                std::span<const Value> inputs) {
  if (outs.empty())
    throw Error("tapegrad: jacobian: the function returned no outputs. Return a "
                "std::vector<Value> with at least one Value.");
  check_inputs(tape, inputs, "jacobian");
  std::size_t n = 0; // the nodes the sweeps cover: up to the last output
  std::vector<bool> on_tape(outs.size());
  for (std::size_t i = 0; i < outs.size(); ++i) {
    on_tape[i] = check_output(tape, outs[i], "jacobian");
    if (on_tape[i]) n = std::max(n, span_of(outs[i]));
  }
  const std::size_t rows = outs.size(), cols = inputs.size();
  std::vector<double> jacobian(rows * cols, 0.0);
  if (n == 0) return jacobian;
  std::vector<double> work(n);
  if (cols < rows) { // forward: one tangent sweep per input gives a column
    for (std::size_t j = 0; j < cols; ++j) {
      if (inputs[j].index() >= n) continue;
      const double one = 1.0;
      tangent_sweep(TapeView(tape), n, std::span(&inputs[j], 1), std::span(&one, 1), work);
      for (std::size_t i = 0; i < rows; ++i)
        if (on_tape[i]) jacobian[i * cols + j] = work[outs[i].index()];
    }
    return jacobian;
  }
  for (std::size_t i = 0; i < rows; ++i) { // reverse: one adjoint sweep per output gives a row
    if (!on_tape[i]) continue;
    adjoint_sweep(TapeView(tape), outs[i].index(), work); // zeroes all n, sweeps 0 .. out
    for (std::size_t j = 0; j < cols; ++j)
      if (inputs[j].index() <= outs[i].index()) jacobian[i * cols + j] = work[inputs[j].index()];
  }
  return jacobian;
}

std::vector<double>& SweepMemory::grown(std::vector<double>& column, std::size_t nodes) {
  if (column.size() < nodes) column.resize(nodes);
  return column;
}

std::size_t SweepMemory::bytes() const noexcept {
  return sizeof(double) * (tangent_.capacity() + adjoint_.capacity() + adjoint_tangent_.capacity());
}

namespace detail {

std::vector<Value> make_inputs(Tape& tape, std::span<const double> x) {
  std::vector<Value> in;
  in.reserve(x.size());
  for (const double xi : x) in.push_back(tape.var(xi));
  return in;
}

void check_same_length(std::span<const double> x, std::span<const double> v,
                       std::string_view call) {
  if (x.size() != v.size())
    throw Error(fmt::format("tapegrad: {}: the point has {} coordinates and the direction v has "
                            "{}. Pass a v of the same length as x.",
                            call, x.size(), v.size()));
}

} // namespace detail
} // namespace tapegrad
