// The runtime engine's operations of DeZero's stage 2 (and the elementary functions of the shared
// vocabulary), as free functions and operators on Variable. Each one is a rule from dezero/ops/rules.hpp
// applied by detail::apply: nothing here restates a formula.
//
// Operands: a Variable, any arithmetic value, or an NDArray, on either side, in DeZero's input order:
// x + c is Add(x, c) and c + x is Add(x, c) (DeZero's __radd__ = add); c - x is Sub(c, x); c / x is
// Div(c, x). Constants become leaf Variables, which receive gradients like any input.
#pragma once

#include <concepts>
#include <type_traits>
#include <utility>

#include "dezero/ops/rules.hpp"
#include "dezero/runtime/core.hpp"

namespace dezero {

namespace detail {

// Binary operators take a Variable on at least one side.
template <class A, class B>
concept variable_operands = (variable<A> && operand<B>) || (constant<A> && variable<B>);

}  // namespace detail

template <detail::operand A, detail::operand B>
Variable add(A&& x0, B&& x1) {
  return detail::apply(ops::Add{}, detail::as_variable(std::forward<A>(x0)),
                       detail::as_variable(std::forward<B>(x1)));
}
template <detail::operand A, detail::operand B>
Variable sub(A&& x0, B&& x1) {
  return detail::apply(ops::Sub{}, detail::as_variable(std::forward<A>(x0)),
                       detail::as_variable(std::forward<B>(x1)));
}
template <detail::operand A, detail::operand B>
Variable mul(A&& x0, B&& x1) {
  return detail::apply(ops::Mul{}, detail::as_variable(std::forward<A>(x0)),
                       detail::as_variable(std::forward<B>(x1)));
}
template <detail::operand A, detail::operand B>
Variable div(A&& x0, B&& x1) {
  return detail::apply(ops::Div{}, detail::as_variable(std::forward<A>(x0)),
                       detail::as_variable(std::forward<B>(x1)));
}

inline Variable neg(const Variable& x) { return detail::apply(ops::Neg{}, x); }
inline Variable square(const Variable& x) { return detail::apply(ops::Square{}, x); }
inline Variable pow(const Variable& x, double c) { return detail::apply(ops::Pow<double>{c}, x); }
inline Variable exp(const Variable& x) { return detail::apply(ops::Exp{}, x); }
inline Variable log(const Variable& x) { return detail::apply(ops::Log{}, x); }
inline Variable sqrt(const Variable& x) { return detail::apply(ops::Sqrt{}, x); }
inline Variable sin(const Variable& x) { return detail::apply(ops::Sin{}, x); }
inline Variable cos(const Variable& x) { return detail::apply(ops::Cos{}, x); }
inline Variable tanh(const Variable& x) { return detail::apply(ops::Tanh{}, x); }

// Forwarding references on both sides so that these overloads, not xtensor's operator templates, take
// `NDArray op Variable` (the C++ counterpart of DeZero's __array_priority__).
template <class A, class B>
requires detail::variable_operands<A, B> Variable operator+(A&& a, B&& b) {
  if constexpr (detail::variable<A>)
    return add(std::forward<A>(a), std::forward<B>(b));
  else
    return add(std::forward<B>(b), std::forward<A>(a));  // __radd__
}
template <class A, class B>
requires detail::variable_operands<A, B> Variable operator*(A&& a, B&& b) {
  if constexpr (detail::variable<A>)
    return mul(std::forward<A>(a), std::forward<B>(b));
  else
    return mul(std::forward<B>(b), std::forward<A>(a));  // __rmul__
}
template <class A, class B>
requires detail::variable_operands<A, B> Variable operator-(A&& a, B&& b) {
  return sub(std::forward<A>(a), std::forward<B>(b));
}
template <class A, class B>
requires detail::variable_operands<A, B> Variable operator/(A&& a, B&& b) {
  return div(std::forward<A>(a), std::forward<B>(b));
}
inline Variable operator-(const Variable& x) { return neg(x); }

}  // namespace dezero
