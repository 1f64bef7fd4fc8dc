// Scalar math that the standard library lacks but generic code and the rules want: `square`.
// Found by ordinary lookup from namespace dezero and by `using dezero::square;` in user code; the engines
// add their own overloads, found by argument-dependent lookup.
#pragma once

#include <cmath>
#include <concepts>

#include "dezero/ops/inline.hpp"

namespace dezero {

template <class T>
requires std::is_arithmetic_v<T> DEZERO_INLINE constexpr T square(T x) noexcept { return x * x; }

// x ** c as numpy computes it for arrays: the exponents 2, 1, 0.5, 0 and -1 by the operations numpy
// substitutes (square, copy, sqrt, ones, reciprocal), which glibc's correctly rounded pow agrees with; ten
// times faster than a pow call on the runtime engine's hot paths.
DEZERO_INLINE double numpy_power(double x, double c) {
  if (c == 2.0) return x * x;
  if (c == 1.0) return x;
  if (c == 0.5) return std::sqrt(x);
  if (c == 0.0) return 1.0;
  if (c == -1.0) return 1.0 / x;
  return std::pow(x, c);
}

}  // namespace dezero
