// Placeholders: the stand-ins for a function's arguments. value_and_grad calls the user's function on
// placeholders to obtain the expression; users who build expressions by hand write
//   constexpr auto x = dezero::arg<0>;  constexpr auto y = dezero::arg<1>;
//   auto e = x * y + sin(x);            // an expression of two arguments
#pragma once

#include <concepts>
#include <cstddef>
#include <utility>

#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"

namespace dezero::static_engine {

template <std::size_t I>
inline constexpr var<I> arg{};

namespace detail {

template <class F, class Indices>
inline constexpr bool invocable_on_placeholders = false;
template <class F, std::size_t... I>
inline constexpr bool invocable_on_placeholders<F, std::index_sequence<I...>> =
    std::invocable<const F&, var<I>...>;

// f(arg<0>, ..., arg<N-1>): the function's expression.
template <class F, std::size_t... I>
DEZERO_INLINE constexpr auto call_on_placeholders(const F& f, std::index_sequence<I...>) {
  return f(var<I>{}...);
}

}  // namespace detail

}  // namespace dezero::static_engine

namespace dezero {
using static_engine::arg;
}  // namespace dezero
