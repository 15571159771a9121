// The second derivatives of every op, for the sweeps of functional.cpp.
//
// One function, one switch over Op with no default: an op added to op.hpp
// without a rule here is a compile error (-Wswitch, -Werror), never a silently
// wrong number.
#pragma once

#include "tape_view.hpp"

namespace tapegrad::detail {

/// For node `node` with operands a_j and second partials H_jk =
/// d²node/da_j da_k, adds  adjoint × Σ_k H_jk tangent[a_k]  to adj_dot[a_j]
/// for every operand j. `tangent` and `adj_dot` are indexed by node. Throws
/// an Error for a node whose operand count its op's rule cannot read (a node
/// recorded by hand with push_operand/finish_node under a misleading op).
void add_curvature(const TapeView& tape, Index node, double adjoint, const double* tangent,
                   double* adj_dot);

} // namespace tapegrad::detail
