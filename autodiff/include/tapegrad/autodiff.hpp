// tapegrad's engine in one include: Tape, Value, every operation, printing.
//
//   Tape tape;
//   Value x = tape.var(0.5, "x");
//   Value y = sigmoid(2.0 * x + 1.0);
//   y.backward();          // x.grad() == dy/dx
#pragma once

#include "tapegrad/arithmetic.hpp"
#include "tapegrad/compare.hpp"
#include "tapegrad/error.hpp"
#include "tapegrad/exponential.hpp"
#include "tapegrad/functional.hpp"
#include "tapegrad/functions.hpp"
#include "tapegrad/gradcheck.hpp"
#include "tapegrad/graphviz.hpp"
#include "tapegrad/html.hpp"
#include "tapegrad/op.hpp"
#include "tapegrad/piecewise.hpp"
#include "tapegrad/print.hpp"
#include "tapegrad/reductions.hpp"
#include "tapegrad/special.hpp"
#include "tapegrad/tape.hpp"
#include "tapegrad/trigonometric.hpp"
#include "tapegrad/value.hpp"
#include "tapegrad/version.hpp"
