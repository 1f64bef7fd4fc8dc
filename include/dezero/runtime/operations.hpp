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
  return detail::apply(ops::Add{}, detail::as_input(std::forward<A>(x0)),
                       detail::as_input(std::forward<B>(x1)));
}
template <detail::operand A, detail::operand B>
Variable sub(A&& x0, B&& x1) {
  return detail::apply(ops::Sub{}, detail::as_input(std::forward<A>(x0)),
                       detail::as_input(std::forward<B>(x1)));
}
template <detail::operand A, detail::operand B>
Variable mul(A&& x0, B&& x1) {
  return detail::apply(ops::Mul{}, detail::as_input(std::forward<A>(x0)),
                       detail::as_input(std::forward<B>(x1)));
}
template <detail::operand A, detail::operand B>
Variable div(A&& x0, B&& x1) {
  return detail::apply(ops::Div{}, detail::as_input(std::forward<A>(x0)),
                       detail::as_input(std::forward<B>(x1)));
}

// Every function here is a template, instantiated where it is used: as inline functions, each of the forty
// made its RuleFunction (a class with a vtable) in every translation unit, 3 s of g++ for a goldstein file.
// The argument is a Variable, a constant, or what converts to a Variable (a Function call's Outputs).
namespace detail {
template <class X>
concept unary_operand = operand<X> || std::convertible_to<X, Variable>;
template <unary_operand X>
decltype(auto) as_unary_operand(X&& x) {
  if constexpr (operand<X>)
    return as_variable(std::forward<X>(x));
  else
    return Variable(std::forward<X>(x));
}
}  // namespace detail

template <detail::unary_operand X>
Variable neg(X&& x) {
  return detail::apply(ops::Neg{}, detail::as_unary_operand(std::forward<X>(x)));
}
template <detail::unary_operand X>
Variable pow(X&& x, double c) {
  return detail::apply(ops::Pow<double>{c}, detail::as_unary_operand(std::forward<X>(x)));
}

// One function of a Variable per rule of one argument (the <cmath> names; fabs is abs).
#define DEZERO_RUNTIME_UNARY(f, Rule)                                                \
  template <detail::unary_operand X>                                                 \
  Variable f(X&& x) {                                                                \
    return detail::apply(ops::Rule{}, detail::as_unary_operand(std::forward<X>(x))); \
  }
// square and sign of a number are dezero::square and dezero::sign of dezero/ops/math.hpp (a number), as
// they were when these were functions of a Variable only.
#define DEZERO_RUNTIME_UNARY_NOT_OF_NUMBERS(f, Rule)                                 \
  template <detail::unary_operand X>                                                 \
  requires(!std::is_arithmetic_v<std::remove_cvref_t<X>>) Variable f(X&& x) {        \
    return detail::apply(ops::Rule{}, detail::as_unary_operand(std::forward<X>(x))); \
  }
DEZERO_RUNTIME_UNARY_NOT_OF_NUMBERS(square, Square)
DEZERO_RUNTIME_UNARY(exp, Exp)
DEZERO_RUNTIME_UNARY(log, Log)
DEZERO_RUNTIME_UNARY(sqrt, Sqrt)
DEZERO_RUNTIME_UNARY(sin, Sin)
DEZERO_RUNTIME_UNARY(cos, Cos)
DEZERO_RUNTIME_UNARY(tanh, Tanh)
DEZERO_RUNTIME_UNARY(abs, Abs)
DEZERO_RUNTIME_UNARY(fabs, Abs)
DEZERO_RUNTIME_UNARY_NOT_OF_NUMBERS(sign, Sign)
DEZERO_RUNTIME_UNARY(tan, Tan)
DEZERO_RUNTIME_UNARY(asin, Asin)
DEZERO_RUNTIME_UNARY(acos, Acos)
DEZERO_RUNTIME_UNARY(atan, Atan)
DEZERO_RUNTIME_UNARY(sinh, Sinh)
DEZERO_RUNTIME_UNARY(cosh, Cosh)
DEZERO_RUNTIME_UNARY(asinh, Asinh)
DEZERO_RUNTIME_UNARY(acosh, Acosh)
DEZERO_RUNTIME_UNARY(atanh, Atanh)
DEZERO_RUNTIME_UNARY(exp2, Exp2)
DEZERO_RUNTIME_UNARY(expm1, Expm1)
DEZERO_RUNTIME_UNARY(log2, Log2)
DEZERO_RUNTIME_UNARY(log10, Log10)
DEZERO_RUNTIME_UNARY(log1p, Log1p)
DEZERO_RUNTIME_UNARY(cbrt, Cbrt)
DEZERO_RUNTIME_UNARY(erf, Erf)
DEZERO_RUNTIME_UNARY(erfc, Erfc)
DEZERO_RUNTIME_UNARY(floor, Floor)
DEZERO_RUNTIME_UNARY(ceil, Ceil)
DEZERO_RUNTIME_UNARY(round, Round)
DEZERO_RUNTIME_UNARY(trunc, Trunc)
#undef DEZERO_RUNTIME_UNARY
#undef DEZERO_RUNTIME_UNARY_NOT_OF_NUMBERS

// One function of two operands (a Variable on at least one side) per rule of two, in the order written.
// Two Variables also have an overload of the form of `std::max(const T&, const T&)` (brought in by
// `using std::max;`), which wins over it by being more constrained.
#define DEZERO_RUNTIME_BINARY(f, Rule)                                       \
  template <class A, class B>                                                \
  requires detail::variable_operands<A, B> Variable f(A&& x0, B&& x1) {      \
    return detail::apply(ops::Rule{}, detail::as_input(std::forward<A>(x0)), \
                         detail::as_input(std::forward<B>(x1)));             \
  }                                                                          \
  template <detail::variable V>                                              \
  Variable f(const V& x0, const V& x1) {                                     \
    return detail::apply(ops::Rule{}, x0, x1);                               \
  }
DEZERO_RUNTIME_BINARY(atan2, Atan2)
DEZERO_RUNTIME_BINARY(hypot, Hypot)
DEZERO_RUNTIME_BINARY(max, Maximum)
DEZERO_RUNTIME_BINARY(min, Minimum)
DEZERO_RUNTIME_BINARY(fmax, Fmax)
DEZERO_RUNTIME_BINARY(fmin, Fmin)
#undef DEZERO_RUNTIME_BINARY

// x ** y with a variable exponent, or a number raised to a Variable.
template <class A, class B>
requires(detail::operand<A>&& detail::variable<B>) Variable pow(A&& x, B&& y) {
  return detail::apply(ops::PowVariable{}, detail::as_input(std::forward<A>(x)),
                       detail::as_input(std::forward<B>(y)));
}

// Comparisons give a condition: a Variable of 1 where the relation holds and 0 elsewhere (numpy's boolean
// array, as float64), a leaf outside the graph, through which no gradient flows.
#define DEZERO_RUNTIME_COMPARISON(op, Rule)                                                             \
  template <class A, class B>                                                                           \
  requires detail::variable_operands<A, B> Variable operator op(A&& a, B&& b) {                         \
    return Variable::from_value(                                                                        \
        detail::evaluate(ops::Rule{}, detail::as_variable(a).value(), detail::as_variable(b).value())); \
  }
DEZERO_RUNTIME_COMPARISON(<, Less)
DEZERO_RUNTIME_COMPARISON(<=, LessEqual)
DEZERO_RUNTIME_COMPARISON(>, Greater)
DEZERO_RUNTIME_COMPARISON(>=, GreaterEqual)
DEZERO_RUNTIME_COMPARISON(==, Equal)
DEZERO_RUNTIME_COMPARISON(!=, NotEqual)
#undef DEZERO_RUNTIME_COMPARISON

// numpy's where: a where the condition is non-zero, b elsewhere, elementwise with broadcasting; the gradient
// flows into the chosen operand only. The condition is a Variable (a comparison), an NDArray or a number.
template <detail::operand C, detail::operand A, detail::operand B>
requires(detail::variable<C> || detail::variable<A> || detail::variable<B>) Variable
    where(const C& condition, A&& a, B&& b) {
  Variable c = detail::as_variable(condition);
  return detail::apply(ops::Where<true>{}, c, detail::as_input(std::forward<A>(a))) +
         detail::apply(ops::Where<false>{}, c, detail::as_input(std::forward<B>(b)));
}

// where's derivative map on Variables (dezero/ops/rules.hpp, Masked), so that it is differentiable again.
template <bool When>
Variable masked(const Variable& condition, const Variable& g) {
  return detail::apply(ops::Masked<When>{}, condition, g);
}

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
template <detail::variable X>
Variable operator-(X&& x) {
  return neg(std::forward<X>(x));
}

}  // namespace dezero
