// `one` and `zero`, adjoints known as types. `one`: the adjoint of a result with respect to itself. A rule's
// `gy * ...` vanishes when gy is `one`, and a rule that passes its gradient through unchanged (Add) returns
// `one` itself, which both engines detect at compile time: the static engine to drop the multiplication, the
// runtime engine to share the gradient object instead of copying it, as DeZero's Add does.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "dezero/ops/inline.hpp"

namespace dezero::ops {

struct one {
  DEZERO_INLINE constexpr operator double() const { return 1.0; }
  DEZERO_INLINE friend constexpr double operator-(one) { return -1.0; }
  template <class T>
  requires std::is_arithmetic_v<T> DEZERO_INLINE friend constexpr T operator*(one, const T& x) { return x; }
  template <class T>
  requires std::is_arithmetic_v<T> DEZERO_INLINE friend constexpr T operator*(const T& x, one) { return x; }
  template <class T>
  requires std::is_arithmetic_v<T> DEZERO_INLINE friend constexpr auto operator/(one, const T& x) {
    return 1.0 / x;
  }
};

// `zero`: what a rule's derivative map returns for an input that receives no gradient (a comparison's
// operands, a rounding function's argument, where's condition). The static engine drops the edge at compile
// time; the runtime engine gives such an input zeros of its shape, as DeZero gives a constant its gradient.
struct zero {};

namespace detail {
template <std::size_t>
using input_value = double;
template <class Rule, std::size_t I, std::size_t... J>
constexpr bool passes_gradient(std::index_sequence<J...>) {
  return std::is_same_v<decltype(std::declval<const Rule&>().template grad<I>(
                            one{}, 0.0, std::declval<input_value<J>>()...)),
                        one>;
}
template <class Rule, std::size_t I, std::size_t... J>
constexpr bool blocks_gradient(std::index_sequence<J...>) {
  return std::is_same_v<decltype(std::declval<const Rule&>().template grad<I>(
                            one{}, 0.0, std::declval<input_value<J>>()...)),
                        zero>;
}
}  // namespace detail

// True when Rule's derivative map for input I is `zero`: no gradient flows into that input.
template <class Rule, std::size_t I>
inline constexpr bool blocks_gradient =
    detail::blocks_gradient<Rule, I>(std::make_index_sequence<Rule::arity>{});

// True when Rule's derivative map for input I returns the output gradient itself.
template <class Rule, std::size_t I>
inline constexpr bool passes_gradient =
    detail::passes_gradient<Rule, I>(std::make_index_sequence<Rule::arity>{});

}  // namespace dezero::ops
