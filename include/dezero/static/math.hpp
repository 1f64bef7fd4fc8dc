// Elementary functions on static expressions, found by argument-dependent lookup, so that generic code
// written as `using std::exp; return exp(x);` runs on double, on these expressions and on
// dezero::Variable alike. pow takes an integer exponent (Pow<int>: multiplications, constexpr) or a
// floating-point one (Pow); the exponent is a constant of the node, not an input.
#pragma once

#include <concepts>

#include "dezero/ops/rules.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"

namespace dezero::static_engine {

template <expression E>
DEZERO_INLINE constexpr auto square(const E& x) {
  return apply(ops::Square{}, x);
}
template <expression E>
DEZERO_INLINE constexpr auto exp(const E& x) {
  return apply(ops::Exp{}, x);
}
template <expression E>
DEZERO_INLINE constexpr auto log(const E& x) {
  return apply(ops::Log{}, x);
}
template <expression E>
DEZERO_INLINE constexpr auto sqrt(const E& x) {
  return apply(ops::Sqrt{}, x);
}
template <expression E>
DEZERO_INLINE constexpr auto sin(const E& x) {
  return apply(ops::Sin{}, x);
}
template <expression E>
DEZERO_INLINE constexpr auto cos(const E& x) {
  return apply(ops::Cos{}, x);
}
template <expression E>
DEZERO_INLINE constexpr auto tanh(const E& x) {
  return apply(ops::Tanh{}, x);
}

template <expression E, std::integral N>
DEZERO_INLINE constexpr auto pow(const E& x, N n) {
  return apply(ops::Pow<int>{static_cast<int>(n)}, x);
}
template <expression E, std::floating_point C>
DEZERO_INLINE constexpr auto pow(const E& x, C c) {
  return apply(ops::Pow<double>{static_cast<double>(c)}, x);
}

}  // namespace dezero::static_engine
