// The operators on static expressions, found by argument-dependent lookup: + - * / and the comparisons
// < <= > >= == != between two expressions or an expression and an arithmetic constant on either side, and
// unary minus. Each one makes a node of the shared rule; operand order is kept as written (c - x is
// Sub(c, x)). A comparison is a condition for dezero::where, 1 or 0 at the evaluation point.
#pragma once

#include "dezero/ops/rules.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"

namespace dezero::static_engine {

template <class A, class B>
requires detail::binary_operands<A, B> DEZERO_INLINE constexpr auto operator+(const A& a, const B& b) {
  return apply(ops::Add{}, a, b);
}

template <class A, class B>
requires detail::binary_operands<A, B> DEZERO_INLINE constexpr auto operator-(const A& a, const B& b) {
  return apply(ops::Sub{}, a, b);
}

template <class A, class B>
requires detail::binary_operands<A, B> DEZERO_INLINE constexpr auto operator*(const A& a, const B& b) {
  return apply(ops::Mul{}, a, b);
}

template <class A, class B>
requires detail::binary_operands<A, B> DEZERO_INLINE constexpr auto operator/(const A& a, const B& b) {
  return apply(ops::Div{}, a, b);
}

#define DEZERO_STATIC_COMPARISON(op, Rule)                                                                  \
  template <class A, class B>                                                                               \
  requires detail::binary_operands<A, B> DEZERO_INLINE constexpr auto operator op(const A& a, const B& b) { \
    return apply(ops::Rule{}, a, b);                                                                        \
  }
DEZERO_STATIC_COMPARISON(<, Less)
DEZERO_STATIC_COMPARISON(<=, LessEqual)
DEZERO_STATIC_COMPARISON(>, Greater)
DEZERO_STATIC_COMPARISON(>=, GreaterEqual)
DEZERO_STATIC_COMPARISON(==, Equal)
DEZERO_STATIC_COMPARISON(!=, NotEqual)
#undef DEZERO_STATIC_COMPARISON

template <expression E>
DEZERO_INLINE constexpr auto operator-(const E& x) {
  return apply(ops::Neg{}, x);
}

template <expression E>
DEZERO_INLINE constexpr E operator+(const E& x) {
  return x;
}

}  // namespace dezero::static_engine
