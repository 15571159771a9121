// Derivatives of a function at a point, in one call: gradient, hessian, hvp
// (Hessian-vector product) and jacobian, as JAX and autodiff (C++) give them.
//
// Each call records `f` once on a Tape of its own (nothing global: independent
// threads are safe) and sweeps that tape. The *_on functions are the same
// sweeps over a tape you recorded yourself; they read the tape and never write
// it (its gradients stay as they were).
//
// Second derivatives are forward-over-reverse: a tangent sweep forward, then a
// reverse sweep carrying each node's adjoint and the adjoint's tangent, which
// needs every op's second derivative (autodiff/src/curvature.cpp; see
// docs/second-derivatives.md).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "tapegrad/autodiff_export.hpp"
#include "tapegrad/tape.hpp"

namespace tapegrad {

// --- On a recorded tape ---------------------------------------------------------

/// The arrays the *_on sweeps work in: up to 3 doubles per node (a tangent, an
/// adjoint and the adjoint's tangent). Pass one to repeated calls on large
/// tapes and they reuse it, instead of allocating and first touching it each
/// time (on 8·10^6 nodes that was most of an hvp's time).
class TAPEGRAD_AUTODIFF_EXPORT SweepMemory {
public:
  /// Bytes held.
  [[nodiscard]] std::size_t bytes() const noexcept;

private:
  friend TAPEGRAD_AUTODIFF_EXPORT std::vector<double>
  gradient_on(const Tape&, Value, std::span<const Value>, SweepMemory&);
  friend TAPEGRAD_AUTODIFF_EXPORT std::vector<double>
  hvp_on(const Tape&, Value, std::span<const Value>, std::span<const double>, SweepMemory&);
  /// `column`, grown to at least `nodes` entries.
  static std::vector<double>& grown(std::vector<double>& column, std::size_t nodes);
  std::vector<double> tangent_, adjoint_, adjoint_tangent_;
};

/// d(out)/d(inputs[i]) for each input: a reverse sweep into an array of its own
/// (the tape's gradients are not touched). `inputs` are leaves of `tape`
/// (tape.var()); a constant `out` gives zeros.
TAPEGRAD_AUTODIFF_EXPORT std::vector<double> gradient_on(const Tape& tape, Value out,
                                                         std::span<const Value> inputs);
/// gradient_on() working in `memory`.
TAPEGRAD_AUTODIFF_EXPORT std::vector<double>
gradient_on(const Tape& tape, Value out, std::span<const Value> inputs, SweepMemory& memory);

/// H·v, H the Hessian of `out` with respect to the leaves `inputs`, without
/// forming H: one tangent sweep forward and one reverse sweep of adjoints and
/// their tangents. Its memory: 3 doubles per node up to `out`.
TAPEGRAD_AUTODIFF_EXPORT std::vector<double>
hvp_on(const Tape& tape, Value out, std::span<const Value> inputs, std::span<const double> v);
/// hvp_on() working in `memory`.
TAPEGRAD_AUTODIFF_EXPORT std::vector<double> hvp_on(const Tape& tape, Value out,
                                                    std::span<const Value> inputs,
                                                    std::span<const double> v, SweepMemory& memory);

/// The n×n Hessian of `out` (n = inputs.size()), row-major: H[i*n + j] =
/// d²out/d inputs[i] d inputs[j]. One adjoint sweep, then n tangent sweeps
/// (unit vectors); made exactly symmetric by averaging H and Hᵀ.
TAPEGRAD_AUTODIFF_EXPORT std::vector<double> hessian_on(const Tape& tape, Value out,
                                                        std::span<const Value> inputs);

/// The m×n Jacobian of `outs` (m of them) with respect to the n leaves
/// `inputs`, row-major: J[i*n + j] = d outs[i] / d inputs[j]. m reverse
/// sweeps, or n forward ones when n < m. A constant output gives a row of 0.
TAPEGRAD_AUTODIFF_EXPORT std::vector<double>
jacobian_on(const Tape& tape, std::span<const Value> outs, std::span<const Value> inputs);

namespace detail {
/// A leaf on `tape` for each x[i], in order.
TAPEGRAD_AUTODIFF_EXPORT std::vector<Value> make_inputs(Tape& tape, std::span<const double> x);
/// Throws the Error for v and w of different lengths in `call`.
TAPEGRAD_AUTODIFF_EXPORT void check_same_length(std::span<const double> x,
                                                std::span<const double> v, std::string_view call);
} // namespace detail

// --- Of a function at a point -------------------------------------------------------

/// df/dx_i at x: f takes std::span<const Value> and returns a Value. An f that
/// returns a constant (a Value made from a double) has gradient 0.
template <class F> std::vector<double> gradient(F&& f, std::span<const double> x) {
  Tape tape;
  const std::vector<Value> in = detail::make_inputs(tape, x);
  const Value out = std::forward<F>(f)(std::span<const Value>(in));
  return gradient_on(tape, out, in);
}

/// The n×n Hessian of f at x, row-major: H[i*n + j] = d²f/dx_i dx_j (symmetric).
template <class F> std::vector<double> hessian(F&& f, std::span<const double> x) {
  Tape tape;
  const std::vector<Value> in = detail::make_inputs(tape, x);
  const Value out = std::forward<F>(f)(std::span<const Value>(in));
  return hessian_on(tape, out, in);
}

/// H·v for the Hessian H of f at x, without forming H (x and v of one length).
template <class F>
std::vector<double> hvp(F&& f, std::span<const double> x, std::span<const double> v) {
  detail::check_same_length(x, v, "hvp");
  Tape tape;
  const std::vector<Value> in = detail::make_inputs(tape, x);
  const Value out = std::forward<F>(f)(std::span<const Value>(in));
  return hvp_on(tape, out, in, v);
}

/// The m×n Jacobian of F at x, row-major: J[i*n + j] = dF_i/dx_j; F takes
/// std::span<const Value> and returns std::vector<Value> (at least one).
template <class F> std::vector<double> jacobian(F&& f, std::span<const double> x) {
  Tape tape;
  const std::vector<Value> in = detail::make_inputs(tape, x);
  const std::vector<Value> outs = std::forward<F>(f)(std::span<const Value>(in));
  return jacobian_on(tape, outs, in);
}

} // namespace tapegrad
