// The arithmetic operators on static expressions, found by argument-dependent lookup: + - * / between two
// expressions or an expression and an arithmetic constant on either side, and unary minus. Each one makes
// a node of the shared rule; operand order is kept as written (c - x is Sub(c, x)).
#pragma once

#include "dezero/ops/rules.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"

namespace dezero::static_engine {

namespace detail {
template <class A, class B>
concept binary_operands = (expression<A> && operand<B>) || (arithmetic<A> && expression<B>);
}  // namespace detail

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

template <expression E>
DEZERO_INLINE constexpr auto operator-(const E& x) {
  return apply(ops::Neg{}, x);
}

template <expression E>
DEZERO_INLINE constexpr E operator+(const E& x) {
  return x;
}

}  // namespace dezero::static_engine
