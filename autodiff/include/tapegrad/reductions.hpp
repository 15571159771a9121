// Operations with many operands, recorded as one node each: a sum, a
// neuron's weighted sum b + sum_i w_i x_i, a layer's weighted sums, and the
// max and logsumexp of many terms.
//
// One n-ary node instead of a chain of binary ones keeps the tape short (one
// value and gradient instead of n) while the reverse sweep stays the same loop.
#pragma once

#include <initializer_list>
#include <span>

#include "tapegrad/autodiff_export.hpp"
#include "tapegrad/tape.hpp"

namespace tapegrad {

/// a_0 + a_1 + ... + a_(n-1) as one node.   d/da_i = 1;   d² = 0
/// Of no terms, or of constants only, it is a constant (0 for none).
TAPEGRAD_AUTODIFF_EXPORT Value sum(std::span<const Value> terms);
/// sum({a, b, c}).
TAPEGRAD_AUTODIFF_EXPORT Value sum(std::initializer_list<Value> terms);

/// The largest of a_0 ... a_(n-1) as one node (torch.amax): a NaN term makes
/// it NaN. d/da_i = 1/k for each of the k terms equal to the maximum, 0 for
/// the others (ties share the gradient evenly, as torch.amax; a NaN result
/// gives its gradient to the first NaN term);  d² = 0.
/// Throws on an empty span (there would be no tape to record it on).
TAPEGRAD_AUTODIFF_EXPORT Value max(std::span<const Value> terms);

/// ln(e^a_0 + ... + e^a_(n-1)) as one node, stable for any terms: with m the
/// largest, m + log1p(sum over the others of e^(a_i - m)), which neither
/// overflows nor loses the small terms. d/da_i = softmax_i = e^(a_i - L);
/// d²/da_i da_j = softmax_i (δ_ij - softmax_j). Where the largest term is
/// infinite (all -inf, or some +inf), the result is it and the terms equal to
/// it share the gradient evenly (the limit of softmax); NaN as max().
/// Throws on an empty span.
TAPEGRAD_AUTODIFF_EXPORT Value logsumexp(std::span<const Value> terms);

/// b + sum_i w_i x_i with constant inputs x, as one node (a neuron).
/// d/dw_i = x_i,  d/db = 1;  d² = 0 (recorded as Op::dot_c).   Throws if w and x
/// differ in length.
TAPEGRAD_AUTODIFF_EXPORT Value dot(std::span<const Value> w, std::span<const double> x, Value b);

/// b + sum_i w_i x_i with Value inputs, as one node.
/// d/dw_i = x_i,  d/dx_i = w_i,  d/db = 1;  d²/dw_i dx_i = 1, every other 0 (a
/// row where no product has both factors on the tape is recorded as Op::dot_c).
/// Throws if w and x differ in length.
TAPEGRAD_AUTODIFF_EXPORT Value dot(std::span<const Value> w, std::span<const Value> x, Value b);

/// A layer's weighted sums (PyTorch's linear): out_j = b_j + sum_i w_(j,i) x_i,
/// one dot() node per output, for j < b.size(). w holds the rows one after
/// the other, row j (output j's weights) at w[j * x.size() ...]. The nodes are
/// those dot() records, but every handle is checked once for all the rows.
/// out is written after all the rows are recorded (it may share memory with
/// w, x or b). If a row fails (a full tape, out of memory, anomaly mode), no
/// row stays on the tape and out is untouched. Throws if w.size() is not
/// b.size() * x.size() or out.size() is not b.size(); with no rows (b empty)
/// no handle is read or checked.
TAPEGRAD_AUTODIFF_EXPORT void linear(std::span<const Value> w, std::span<const Value> x,
                                     std::span<const Value> b, std::span<Value> out);

/// linear() with constant inputs x (data): d/dw_(j,i) = x_i,  d/db_j = 1.
TAPEGRAD_AUTODIFF_EXPORT void linear(std::span<const Value> w, std::span<const double> x,
                                     std::span<const Value> b, std::span<Value> out);

} // namespace tapegrad
