// `scaled`: a tangent of the static engine's forward mode, the number k * v kept as its two factors. k is
// made only of constants (the rules' literals, the expression's integer constants), so once the code is
// inlined the optimizer knows it, and every `if` on it below is decided at compile time.
//
// Why: the rules written once for both engines compute `2 * gy * x` for pow(x, 2), `gy * 3` for 3 * e, and
// so on. Applied to tangents one after the other, 3 * (2 * x) is two multiplications where 6 * x is one,
// and compilers may not fold them: IEEE rounding makes that refactoring invalid in general. It is exact
// when one of the two factors is a power of two (scaling by 2^n commutes with rounding), and that is the
// only case folded here: a product of constants is taken only when one of them is a power of two, and
// a sum of two tangents keeps its common factor only when that factor is a power of two. Otherwise the
// pending factor is applied, in the order a plain evaluation would apply it.
//
// The folding makes equal tangents equal expressions: in goldstein, d/dx and d/dy of
// 19 - 14x + 3x^2 - 14y + 6xy + 3y^2 both become (-14 + 6x) + 6y, which the compiler then computes once.
#pragma once

#include <bit>
#include <concepts>
#include <cstdint>
#include <type_traits>

#include "dezero/static/detail/inline.hpp"

namespace dezero::static_engine::detail {

// True for +-2^n, n of a normal double: multiplying by it is exact unless the result leaves the range.
DEZERO_INLINE constexpr bool power_of_two(double k) {
  const auto bits = std::bit_cast<std::uint64_t>(k);
  const auto exponent = (bits >> 52) & 0x7ffu;
  return (bits & ((std::uint64_t{1} << 52) - 1)) == 0 && exponent != 0 && exponent != 0x7ffu;
}

struct scaled {
  double k;  // the constant factor
  double v;  // the run-time factor

  DEZERO_INLINE constexpr double value() const { return k * v; }

  DEZERO_INLINE friend constexpr scaled operator-(const scaled& a) { return {-a.k, a.v}; }

  // By an integer: a constant of the expression or a literal of a rule, so the factors may combine.
  template <std::integral N>
  DEZERO_INLINE friend constexpr scaled operator*(const scaled& a, N n) {
    const auto c = static_cast<double>(n);
    if (power_of_two(a.k) || power_of_two(c)) return {a.k * c, a.v};
    return {c, a.value()};
  }
  // By a floating-point number, which may be known only at run time: it goes to the run-time factor.
  template <std::floating_point D>
  DEZERO_INLINE friend constexpr scaled operator*(const scaled& a, D d) {
    if (power_of_two(a.k)) return {a.k, a.v * static_cast<double>(d)};
    return {1.0, a.value() * static_cast<double>(d)};
  }
  template <class X>
  requires std::is_arithmetic_v<X> DEZERO_INLINE friend constexpr scaled operator*(X x, const scaled& a) {
    return a * x;
  }
  template <class X>
  requires std::is_arithmetic_v<X> DEZERO_INLINE friend constexpr scaled operator/(const scaled& a, X x) {
    if (power_of_two(a.k)) return {a.k, a.v / static_cast<double>(x)};
    return {1.0, a.value() / static_cast<double>(x)};
  }

  DEZERO_INLINE friend constexpr scaled operator+(const scaled& a, const scaled& b) {
    if (power_of_two(a.k) && a.k == b.k) return {a.k, a.v + b.v};
    if (power_of_two(a.k) && a.k == -b.k) return {a.k, a.v - b.v};
    return {1.0, a.value() + b.value()};
  }
  DEZERO_INLINE friend constexpr scaled operator-(const scaled& a, const scaled& b) { return a + -b; }
};

// where's derivative map on a tangent: the tangent where the condition is When, else 0.
template <bool When, class C>
requires std::is_arithmetic_v<C> DEZERO_INLINE constexpr scaled masked(C condition, const scaled& t) {
  return (condition != 0) == When ? t : scaled{1.0, 0.0};
}

// The tangent of an operand that does not depend on the argument: nothing to add.
struct no_tangent {};
DEZERO_INLINE constexpr const scaled& operator+(const scaled& a, no_tangent) { return a; }
DEZERO_INLINE constexpr const scaled& operator+(no_tangent, const scaled& b) { return b; }
DEZERO_INLINE constexpr no_tangent operator+(no_tangent, no_tangent) { return {}; }

// A rule's derivative map returns the tangent it was given, times something: a `scaled`. (A rule of one's
// own that computes its result another way still works; it just folds nothing.)
template <class T>
DEZERO_INLINE constexpr scaled as_scaled(const T& t) {
  if constexpr (std::is_same_v<T, scaled>)
    return t;
  else
    return {1.0, static_cast<double>(t)};
}

}  // namespace dezero::static_engine::detail
