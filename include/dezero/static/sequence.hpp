// Fixed-size sequences as the argument of a function (issue 12, section 1):
//   dezero::value_and_grad(f, x)  ->  ValueAndGrad<N>{value, grad}   x a std::array<T, N> or a
//   dezero::grad(f, x)            ->  std::array<double, N>           boost::hana::tuple of N numbers
//   dezero::value(f, x)           ->  double
// f takes one parameter, a Hana sequence: the engine calls it once on `placeholders<0, N>`, the placeholders
// var<0>, ..., var<N-1> as a Hana Iterable (what Hana's adapter makes of a std::array: length, at,
// drop_front, is_empty, hence every Foldable and Iterable algorithm), so that the same f, written with
// Hana's algorithms or `hana::at_c<I>(x)` / `x[hana::size_c<I>]`, also runs on a plain std::array<double,
// N> (the adapter is included here). Reading past the end stops at one line of ours. The expression f
// returns is then differentiated by the ordinary engine: no second path.
//
// This header needs Boost.Hana (Debian's libboost-dev) and includes only the Hana headers it uses;
// dezero/static.hpp stays free of Boost.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <type_traits>
#include <utility>

#include <boost/hana/at.hpp>
#include <boost/hana/bool.hpp>
#include <boost/hana/drop_front.hpp>
#include <boost/hana/ext/std/array.hpp>
#include <boost/hana/integral_constant.hpp>
#include <boost/hana/is_empty.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include "dezero/static/detail/fixed_signature.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/detail/run_time_state.hpp"
#include "dezero/static/expression.hpp"
#include "dezero/static/placeholders.hpp"
#include "dezero/static/value_and_grad.hpp"

namespace dezero::static_engine {

struct placeholders_tag {};

// The sequence f is called on: the placeholders var<Begin>, ..., var<End - 1> (an empty object), a Hana
// Iterable as std::array is one. Not a hana::tuple, so that an index past the end says so in one line
// (hana::tuple's says it in pages), and so that f can use on it exactly what it can use on a std::array.
template <std::size_t Begin, std::size_t End>
struct placeholders {
  using hana_tag = placeholders_tag;
  static constexpr std::size_t begin = Begin, size = End - Begin;

  template <std::size_t I>
  DEZERO_INLINE static constexpr auto at() {
    static_assert(I < size,
                  "dezero::value_and_grad(f, x): f reads an element past the end of x (hana::at_c<i>(x) or "
                  "x[hana::size_c<i>] with i at least x's length)");
    return var<Begin + (I < size ? I : 0)>{};
  }
  // x[i] for a compile-time index (hana::size_c<i>, std::integral_constant).
  template <class Index>
  DEZERO_INLINE constexpr auto operator[](Index) const {
    static_assert(
        requires { Index::value; },
        "dezero::value_and_grad(f, x): index the sequence x with a compile-time constant "
        "(x[hana::size_c<i>] or hana::at_c<i>(x)): its elements have different types");
    if constexpr (requires { Index::value; })
      return at<static_cast<std::size_t>(Index::value)>();
    else
      return var<Begin>{};
  }
};

}  // namespace dezero::static_engine

namespace boost::hana {

template <>
struct length_impl<dezero::static_engine::placeholders_tag> {
  template <class Xs>
  static constexpr auto apply(const Xs&) {
    return hana::size_c<Xs::size>;
  }
};
template <>
struct at_impl<dezero::static_engine::placeholders_tag> {
  template <class Xs, class N>
  static constexpr auto apply(const Xs&, const N&) {
    return Xs::template at<N::value>();
  }
};
template <>
struct drop_front_impl<dezero::static_engine::placeholders_tag> {
  template <class Xs, class N>
  static constexpr auto apply(const Xs&, const N&) {
    constexpr std::size_t n = N::value < Xs::size ? N::value : Xs::size;
    return dezero::static_engine::placeholders<Xs::begin + n, Xs::begin + Xs::size>{};
  }
};
template <>
struct is_empty_impl<dezero::static_engine::placeholders_tag> {
  template <class Xs>
  static constexpr auto apply(const Xs&) {
    return hana::bool_c<Xs::size == 0>;
  }
};

}  // namespace boost::hana

namespace dezero::static_engine::detail {

template <std::size_t N>
using sequence_of_placeholders = placeholders<0, N>;

// The expression of f over a sequence of N arguments, or a static_assert saying in one line why there is
// none. A is the type of the user's sequence (for the "not generic" test).
template <class F, std::size_t N, class A>
DEZERO_INLINE constexpr auto sequence_expression_of(const F& f) {
  using P = sequence_of_placeholders<N>;
  if constexpr (N == 0) {
    static_assert(always_false<F>, "dezero::value_and_grad(f, x): x must hold at least one number");
    return constant<double>{0.0};
  } else if constexpr (expression<F>) {
    static_assert(arity<F> <= N,
                  "dezero::value_and_grad(e, x): the expression uses more arguments than x has elements");
    return f;
  } else if constexpr (fixed_signature<F> || !std::invocable<const F&, const P&>) {
    if constexpr (fixed_signature<F> && std::invocable<const F&, const A&>)
      static_assert(always_false<F>,
                    "dezero::value_and_grad(f, x): f is not generic; declare its parameter `const auto&` so "
                    "that it can be called on a sequence of the engine's placeholders");
    else
      static_assert(always_false<F>,
                    "dezero::value_and_grad(f, x): f must take one parameter, the sequence x (or is not a "
                    "function or an expression)");
    return constant<double>{0.0};
  } else {
    using R = std::invoke_result_t<const F&, const P&>;
    if constexpr (expression<R>) {
      return f(P{});
    } else if constexpr (arithmetic<R>) {  // a constant function
      return constant<std::remove_cvref_t<R>>{f(P{})};
    } else {
      static_assert(always_false<F>,
                    "dezero::value_and_grad(f, x): f must return an expression of the elements of x (or a "
                    "number)");
      return constant<double>{0.0};
    }
  }
}

template <class T, std::size_t N>
DEZERO_INLINE constexpr std::array<double, N> as_doubles(const std::array<T, N>& x) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<double, N>{static_cast<double>(x[I])...};
  }
  (std::make_index_sequence<N>{});
}

template <class... T>
DEZERO_INLINE constexpr std::array<double, sizeof...(T)> as_doubles(const boost::hana::tuple<T...>& x) {
  return boost::hana::unpack(
      x, [](const auto&... xi) { return std::array<double, sizeof...(T)>{static_cast<double>(xi)...}; });
}

// An f whose expression is a constant expression (a lambda without captures, whose constants are literals):
// its expression is built once, by the compiler, into a constant object. Built at run time, an expression
// of a sequence is a fold: each step copies the expression so far into a new node, and for a Rosenbrock of
// 16 variables (constants in every term) g++ kept those 15 growing objects in memory, copied them one by
// one, and read pow's exponents back from them: 5x the hand-written time. A constant object costs nothing
// to build, and the optimizer sees every constant in it.
template <class F, std::size_t N, class A>
concept constant_sequence_function = std::default_initializable<F> && requires {
  typename std::integral_constant<bool, (sequence_expression_of<F, N, A>(F{}), true)>;
} && !writes_state<std::remove_cvref_t<decltype(sequence_expression_of<F, N, A>(F{}))>>;  // not shared

template <class F, std::size_t N, class A>
inline constexpr auto constant_expression = sequence_expression_of<F, N, A>(F{});

template <class F, std::size_t N, class A>
DEZERO_INLINE constexpr ValueAndGrad<N> sequence_value_and_grad(const F& f, const A& x) {
  if constexpr (constant_sequence_function<F, N, A>) {
    constexpr const auto& e = constant_expression<F, N, A>;
    if constexpr (expression<decltype(e)>)
      return run(e, as_doubles(x));
    else
      return {value_of_constant(e), {}};
  } else {
    const auto e = sequence_expression_of<F, N, A>(f);
    if constexpr (expression<decltype(e)>)
      return run(e, as_doubles(x));
    else
      return {value_of_constant(e), {}};
  }
}

template <class F, std::size_t N, class A>
DEZERO_INLINE constexpr double sequence_value(const F& f, const A& x) {
  if constexpr (constant_sequence_function<F, N, A>) {
    constexpr const auto& e = constant_expression<F, N, A>;
    if constexpr (expression<decltype(e)>)
      return run_value(e, as_doubles(x));
    else
      return value_of_constant(e);
  } else {
    const auto e = sequence_expression_of<F, N, A>(f);
    if constexpr (expression<decltype(e)>)
      return run_value(e, as_doubles(x));
    else
      return value_of_constant(e);
  }
}

// Every element of a hana::tuple argument must be a number: checked before anything else is instantiated.
template <class... T>
inline constexpr bool numbers = (arithmetic<T> && ...);

}  // namespace dezero::static_engine::detail

namespace dezero {

template <class F, class T, std::size_t N>
requires static_engine::arithmetic<T> DEZERO_STATIC_ENTRY constexpr ValueAndGrad<N> value_and_grad(
    const F& f, const std::array<T, N>& x) {
  return static_engine::detail::sequence_value_and_grad<F, N>(f, x);
}

template <class F, class... T>
DEZERO_STATIC_ENTRY constexpr ValueAndGrad<sizeof...(T)> value_and_grad(const F& f,
                                                                        const boost::hana::tuple<T...>& x) {
  static_assert(static_engine::detail::numbers<T...>,
                "dezero::value_and_grad(f, x): the elements of the sequence x must be numbers");
  if constexpr (static_engine::detail::numbers<T...>)
    return static_engine::detail::sequence_value_and_grad<F, sizeof...(T)>(f, x);
  else
    return {};
}

template <class F, class T, std::size_t N>
requires static_engine::arithmetic<T> DEZERO_STATIC_ENTRY constexpr std::array<double, N> grad(
    const F& f, const std::array<T, N>& x) {
  return value_and_grad(f, x).grad;
}

template <class F, class... T>
DEZERO_STATIC_ENTRY constexpr std::array<double, sizeof...(T)> grad(const F& f,
                                                                    const boost::hana::tuple<T...>& x) {
  return value_and_grad(f, x).grad;
}

template <class F, class T, std::size_t N>
requires static_engine::arithmetic<T> DEZERO_STATIC_ENTRY constexpr double value(const F& f,
                                                                                 const std::array<T, N>& x) {
  return static_engine::detail::sequence_value<F, N>(f, x);
}

template <class F, class... T>
DEZERO_STATIC_ENTRY constexpr double value(const F& f, const boost::hana::tuple<T...>& x) {
  static_assert(static_engine::detail::numbers<T...>,
                "dezero::value(f, x): the elements of the sequence x must be numbers");
  if constexpr (static_engine::detail::numbers<T...>)
    return static_engine::detail::sequence_value<F, sizeof...(T)>(f, x);
  else
    return 0.0;
}

}  // namespace dezero
