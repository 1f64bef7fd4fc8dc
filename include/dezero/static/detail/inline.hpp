// The static engine's entry points (value_and_grad, grad, value) flatten: whatever the callable's body calls
// is inlined into them. They are also inlined into their caller, as hand-written code would be: otherwise
// g++ and clang keep a larger gradient (matyas, a Rosenbrock term) as an out-of-line call, and a loop over
// points around it can be neither unrolled nor vectorised. Everything the sweep calls is DEZERO_INLINE, so
// the code stays straight-line even where the compiler drops the flattening of an inlined function (g++).
#pragma once

#include "dezero/ops/inline.hpp"

#if defined(__GNUC__)
#define DEZERO_STATIC_FLATTEN [[gnu::flatten]]
#define DEZERO_STATIC_ENTRY [[gnu::always_inline, gnu::flatten]] inline
#else
#define DEZERO_STATIC_FLATTEN
#define DEZERO_STATIC_ENTRY inline
#endif
