// Elementary functions on static expressions, found by argument-dependent lookup, so that generic code
// written as `using std::exp; return exp(x);` runs on double, on these expressions and on
// dezero::Variable alike (the list: docs/static-engine.md, "Operations"). pow takes an integer exponent
// (Pow<int>: multiplications, constexpr) or a floating-point one (Pow), a constant of the node, or a
// variable exponent (PowVariable, an input). dezero::where(condition, a, b) chooses without branching.
#pragma once

#include <concepts>
#include <type_traits>

#include "dezero/ops/rules.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"
#include "dezero/static/operators.hpp"

namespace dezero::static_engine {

// One function of one expression per rule of one argument.
#define DEZERO_STATIC_UNARY(f, Rule)           \
  template <expression E>                      \
  DEZERO_INLINE constexpr auto f(const E& x) { \
    return apply(ops::Rule{}, x);              \
  }
DEZERO_STATIC_UNARY(square, Square)
DEZERO_STATIC_UNARY(exp, Exp)
DEZERO_STATIC_UNARY(log, Log)
DEZERO_STATIC_UNARY(sqrt, Sqrt)
DEZERO_STATIC_UNARY(sin, Sin)
DEZERO_STATIC_UNARY(cos, Cos)
DEZERO_STATIC_UNARY(tanh, Tanh)
DEZERO_STATIC_UNARY(abs, Abs)
DEZERO_STATIC_UNARY(fabs, Abs)
DEZERO_STATIC_UNARY(sign, Sign)
DEZERO_STATIC_UNARY(tan, Tan)
DEZERO_STATIC_UNARY(asin, Asin)
DEZERO_STATIC_UNARY(acos, Acos)
DEZERO_STATIC_UNARY(atan, Atan)
DEZERO_STATIC_UNARY(sinh, Sinh)
DEZERO_STATIC_UNARY(cosh, Cosh)
DEZERO_STATIC_UNARY(asinh, Asinh)
DEZERO_STATIC_UNARY(acosh, Acosh)
DEZERO_STATIC_UNARY(atanh, Atanh)
DEZERO_STATIC_UNARY(exp2, Exp2)
DEZERO_STATIC_UNARY(expm1, Expm1)
DEZERO_STATIC_UNARY(log2, Log2)
DEZERO_STATIC_UNARY(log10, Log10)
DEZERO_STATIC_UNARY(log1p, Log1p)
DEZERO_STATIC_UNARY(cbrt, Cbrt)
DEZERO_STATIC_UNARY(erf, Erf)
DEZERO_STATIC_UNARY(erfc, Erfc)
DEZERO_STATIC_UNARY(floor, Floor)
DEZERO_STATIC_UNARY(ceil, Ceil)
DEZERO_STATIC_UNARY(round, Round)
DEZERO_STATIC_UNARY(trunc, Trunc)
#undef DEZERO_STATIC_UNARY

// One function of two operands (an expression on at least one side) per rule of two. max and min also
// take two expressions of one type in a signature of their own, so that they, being more constrained, win
// over `std::max(const T&, const T&)` that `using std::max;` brings in.
#define DEZERO_STATIC_BINARY(f, Rule)                                                             \
  template <class A, class B>                                                                     \
  requires detail::binary_operands<A, B> DEZERO_INLINE constexpr auto f(const A& a, const B& b) { \
    return apply(ops::Rule{}, a, b);                                                              \
  }
#define DEZERO_STATIC_SAME_TYPE(f, Rule)                   \
  template <expression E>                                  \
  DEZERO_INLINE constexpr auto f(const E& a, const E& b) { \
    return apply(ops::Rule{}, a, b);                       \
  }
DEZERO_STATIC_BINARY(atan2, Atan2)
DEZERO_STATIC_BINARY(hypot, Hypot)
DEZERO_STATIC_BINARY(max, Maximum)
DEZERO_STATIC_BINARY(min, Minimum)
DEZERO_STATIC_BINARY(fmax, Fmax)
DEZERO_STATIC_BINARY(fmin, Fmin)
DEZERO_STATIC_SAME_TYPE(max, Maximum)
DEZERO_STATIC_SAME_TYPE(min, Minimum)
#undef DEZERO_STATIC_BINARY
#undef DEZERO_STATIC_SAME_TYPE

template <expression E, std::integral N>
DEZERO_INLINE constexpr auto pow(const E& x, N n) {
  return apply(ops::Pow<int>{static_cast<int>(n)}, x);
}
template <expression E, std::floating_point C>
DEZERO_INLINE constexpr auto pow(const E& x, C c) {
  return apply(ops::Pow<double>{static_cast<double>(c)}, x);
}
// A variable exponent, or a number raised to an expression.
template <class A, expression B>
requires operand<A> DEZERO_INLINE constexpr auto pow(const A& x, const B& y) {
  return apply(ops::PowVariable{}, x, y);
}

// a where the condition holds, b elsewhere; the derivative flows into the chosen operand only.
template <expression C, operand A, operand B>
DEZERO_INLINE constexpr auto where(const C& condition, const A& a, const B& b) {
  return apply(ops::Where<true>{}, condition, a) + apply(ops::Where<false>{}, condition, b);
}

}  // namespace dezero::static_engine

namespace dezero {
using static_engine::where;  // dezero::where, beside the overload for numbers (dezero/ops/math.hpp)
}  // namespace dezero
