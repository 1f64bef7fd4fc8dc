// The static engine's entry points:
//   dezero::value_and_grad(f, a0, ..., aN-1)  ->  ValueAndGrad<N>{value, grad}
//   dezero::grad(f, a0, ..., aN-1)            ->  std::array<double, N>
//   dezero::value(f, a0, ..., aN-1)           ->  double (the forward sweep alone)
// f is a generic callable of N arguments, or an expression built from dezero::arg<I>. f is called on
// placeholders to form the expression; the expression's type is the program (dezero/static/sweep.hpp).
// constexpr whenever the operations are (+ - * /, unary -, square, pow with an integer exponent).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"
#include "dezero/static/placeholders.hpp"
#include "dezero/static/sweep.hpp"

namespace dezero {

// The value of f and its gradient; `auto [value, grad] = dezero::value_and_grad(f, x, y);`
template <std::size_t N>
struct ValueAndGrad {
  double value;
  std::array<double, N> grad;
};

namespace static_engine::detail {

// Forward or reverse mode: program<E, N>::forward_mode_pays (docs/static-engine.md, "Two modes").
template <class E, std::size_t N, bool Forward = program<E, N>::forward_mode_pays>
DEZERO_INLINE constexpr ValueAndGrad<N> run(const E& e, const std::array<double, N>& x) {
  using p = program<E, N>;
  typename p::values v{};
  ValueAndGrad<N> result{};
  if constexpr (p::size == 0) {
    result.grad[E::index] = 1.0;  // f returns one of its arguments
  } else if constexpr (Forward) {
    p::forward_mode(p::plan, std::make_index_sequence<N>{}, e, x, v, result.grad);
  } else {
    p::forward_all(p::plan, e, x, v);
    p::backward_all(p::plan, std::make_index_sequence<N>{}, e, x, v, result.grad);
  }
  result.value = static_cast<double>(p::template get<typename p::root>(e, x, v));
  return result;
}

template <class E, std::size_t N>
DEZERO_INLINE constexpr double run_value(const E& e, const std::array<double, N>& x) {
  using p = program<E, N>;
  typename p::values v{};
  p::forward_all(p::plan, e, x, v);
  return static_cast<double>(p::template get<typename p::root>(e, x, v));
}

// A function of fixed parameter types: a plain function, or a class with one call operator that is not a
// template (a lambda without `auto`). Asked before f is called on placeholders, which convert to double
// only to fail with a message of their own (dezero/static/expression.hpp).
template <class F>
concept non_generic = std::is_function_v<std::remove_pointer_t<F>> || requires {
  &F::operator();
};

// The expression of f over N arguments, or a static_assert saying in one line why there is none.
template <class F, std::size_t N, class... A>
DEZERO_INLINE constexpr auto expression_of(const F& f) {
  if constexpr (!(arithmetic<A> && ...)) {
    static_assert(always_false<F>, "dezero::value_and_grad(f, a...): the arguments a... must be numbers");
    return constant<double>{0.0};
  } else if constexpr (expression<F>) {
    static_assert(arity<F> <= N,
                  "dezero::value_and_grad(e, a...): the expression uses more arguments than given");
    return f;
  } else if constexpr (non_generic<F> || !invocable_on_placeholders<F, std::make_index_sequence<N>>) {
    // Asked only here: calling a generic f on the arguments' type would instantiate its body for them.
    if constexpr (non_generic<F> && std::invocable<const F&, A...>)
      static_assert(
          always_false<F>,
          "dezero::value_and_grad(f, a...): f is not generic; declare its parameters `auto` so that it "
          "can be called on the engine's placeholders");
    else
      static_assert(
          always_false<F>,
          "dezero::value_and_grad(f, a...): f cannot be called with that many arguments (or is not a "
          "function or an expression)");
    return constant<double>{0.0};
  } else {
    using R = decltype(call_on_placeholders(f, std::make_index_sequence<N>{}));
    if constexpr (expression<R>) {
      return call_on_placeholders(f, std::make_index_sequence<N>{});
    } else if constexpr (arithmetic<R>) {  // a constant function
      return constant<R>{call_on_placeholders(f, std::make_index_sequence<N>{})};
    } else {
      static_assert(
          always_false<F>,
          "dezero::value_and_grad(f, a...): f must return an expression of its arguments (or a number)");
      return constant<double>{0.0};
    }
  }
}

template <class T>
DEZERO_INLINE constexpr double value_of_constant(const T& e) {
  return static_cast<double>(e.value);
}

}  // namespace static_engine::detail

template <class F, class... A>
DEZERO_STATIC_ENTRY constexpr ValueAndGrad<sizeof...(A)> value_and_grad(const F& f, const A&... a) {
  using namespace static_engine::detail;
  const auto e = expression_of<F, sizeof...(A), A...>(f);
  if constexpr (static_engine::expression<decltype(e)>)
    return run(e, std::array<double, sizeof...(A)>{static_cast<double>(a)...});
  else
    return {value_of_constant(e), {}};
}

template <class F, class... A>
DEZERO_STATIC_ENTRY constexpr std::array<double, sizeof...(A)> grad(const F& f, const A&... a) {
  return value_and_grad(f, a...).grad;
}

template <class F, class... A>
DEZERO_STATIC_ENTRY constexpr double value(const F& f, const A&... a) {
  using namespace static_engine::detail;
  const auto e = expression_of<F, sizeof...(A), A...>(f);
  if constexpr (static_engine::expression<decltype(e)>)
    return run_value(e, std::array<double, sizeof...(A)>{static_cast<double>(a)...});
  else
    return value_of_constant(e);
}

}  // namespace dezero
