// Scalar math that the standard library lacks but generic code and the rules want: `square`, `sign`,
// `where` (numpy's names) and `masked`.
// Found by ordinary lookup from namespace dezero and by `using dezero::square;` in user code; the engines
// add their own overloads, found by argument-dependent lookup.
#pragma once

#include <cmath>
#include <concepts>

#include "dezero/ops/inline.hpp"
#include "dezero/ops/one.hpp"

namespace dezero {

template <class T>
requires std::is_arithmetic_v<T> DEZERO_INLINE constexpr T square(T x) noexcept { return x * x; }

// 1 for x > 0, -1 for x < 0, x itself for 0, -0 and nan (numpy's sign). The derivative of abs.
template <class T>
requires std::is_arithmetic_v<T> DEZERO_INLINE constexpr T sign(T x) noexcept {
  return x > 0 ? T(1) : x < 0 ? T(-1) : x;
}

// a where the condition holds, b elsewhere: the branch-free choice that generic code writes once for
// doubles, the static engine and the runtime engine (docs/static-engine.md, "Choosing without branching").
template <class C, class A, class B>
requires std::is_arithmetic_v<C> && std::is_arithmetic_v<A> && std::is_arithmetic_v<B>
    DEZERO_INLINE constexpr std::common_type_t<A, B> where(C condition, A a, B b) noexcept {
  return condition ? a : b;
}

// g where the condition (1 or 0) is When, else 0: how a gradient reaches the operand where chose.
template <bool When, class C, class G>
requires std::is_arithmetic_v<C> &&(std::is_arithmetic_v<G> || std::is_same_v<G, ops::one>)DEZERO_INLINE
    constexpr double masked(C condition, G g) noexcept {
  return (condition != 0) == When ? static_cast<double>(g) : 0.0;
}

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
