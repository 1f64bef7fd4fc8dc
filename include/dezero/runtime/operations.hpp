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

#include "dezero/ops/rules.hpp"
#include "dezero/runtime/core.hpp"

namespace dezero {

namespace detail {

template <class T>
concept variable = std::same_as<std::remove_cvref_t<T>, Variable>;

// What DeZero's as_variable accepts besides a Variable.
template <class T>
concept constant =
    std::is_arithmetic_v<std::remove_cvref_t<T>> || std::same_as<std::remove_cvref_t<T>, NDArray>;

template <class T>
concept operand = variable<T> || constant<T>;

// Binary operators take a Variable on at least one side.
template <class A, class B>
concept variable_operands = (variable<A> && operand<B>) || (constant<A> && variable<B>);

inline const Variable& as_variable(const Variable& x) { return x; }
inline Variable as_variable(const NDArray& x) { return Variable(x); }
template <class T>
requires std::is_arithmetic_v<T> Variable as_variable(T x) { return Variable(static_cast<double>(x)); }

}  // namespace detail

template <detail::operand A, detail::operand B>
Variable add(const A& x0, const B& x1) {
  return detail::apply(ops::Add{}, detail::as_variable(x0), detail::as_variable(x1));
}
template <detail::operand A, detail::operand B>
Variable sub(const A& x0, const B& x1) {
  return detail::apply(ops::Sub{}, detail::as_variable(x0), detail::as_variable(x1));
}
template <detail::operand A, detail::operand B>
Variable mul(const A& x0, const B& x1) {
  return detail::apply(ops::Mul{}, detail::as_variable(x0), detail::as_variable(x1));
}
template <detail::operand A, detail::operand B>
Variable div(const A& x0, const B& x1) {
  return detail::apply(ops::Div{}, detail::as_variable(x0), detail::as_variable(x1));
}

inline Variable neg(const Variable& x) { return detail::apply(ops::Neg{}, x); }
inline Variable square(const Variable& x) { return detail::apply(ops::Square{}, x); }
inline Variable pow(const Variable& x, double c) { return detail::apply(ops::Pow{c}, x); }
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
    return add(a, b);
  else
    return add(b, a);  // __radd__
}
template <class A, class B>
requires detail::variable_operands<A, B> Variable operator*(A&& a, B&& b) {
  if constexpr (detail::variable<A>)
    return mul(a, b);
  else
    return mul(b, a);  // __rmul__
}
template <class A, class B>
requires detail::variable_operands<A, B> Variable operator-(A&& a, B&& b) { return sub(a, b); }
template <class A, class B>
requires detail::variable_operands<A, B> Variable operator/(A&& a, B&& b) { return div(a, b); }
inline Variable operator-(const Variable& x) { return neg(x); }

}  // namespace dezero
