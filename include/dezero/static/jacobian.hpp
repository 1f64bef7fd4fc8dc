// The Jacobian of a function of several values (issue 11, section 2):
//   dezero::jacobian(f, a0, ..., aN-1)            ->  std::array<std::array<double, N>, M>  (row i: the
//                                                     gradient of output i)
//   dezero::value_and_jacobian(f, a...)           ->  ValueAndJacobian<M, N>{value, jacobian}
// f returns its M outputs as a std::tuple, a std::array or a boost::hana::tuple
// (dezero/static/hana_outputs.hpp, included by dezero/sequence.hpp) of expressions (or numbers), which may
// share subexpressions. The outputs are joined into one DAG by `Outputs` nodes, a rule with no value and no
// gradient of its own, so that a shared subexpression is one slot, computed once for all the outputs.
// constexpr where the first derivatives are.
//
// Mode, by work (jacobian_mode): forward mode (the first-order forward sweep's tangents,
// dezero/static/sweep.hpp) gives all M rows in one pass, one derivative-map application per edge and argument
// the edge's operand depends on; reverse mode runs the forward sweep once and then the reverse sweep once per
// output, seeded at that output and visiting only the slots it depends on: one application per edge each
// output needs. Forward mode is used while it needs at most 1.4 times as many (the first-order engine's
// margin, docs/static-engine.md "Two modes"), so reverse mode is for few outputs of many arguments through
// shared nodes.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "dezero/ops/one.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"
#include "dezero/static/placeholders.hpp"
#include "dezero/static/sweep.hpp"
#include "dezero/static/value_and_grad.hpp"

namespace dezero {

// The values of f's outputs and its Jacobian; `auto [value, jacobian] = dezero::value_and_jacobian(f, x, y);`
template <std::size_t M, std::size_t N>
struct ValueAndJacobian {
  std::array<double, M> value;
  std::array<std::array<double, N>, M> jacobian;
};

namespace static_engine::detail {

// Joins two outputs into one DAG: a node whose value is not used and through which no gradient flows.
struct Outputs {
  static constexpr std::string_view name = "Outputs";
  static constexpr std::size_t arity = 2;
  template <class X0, class X1>
  DEZERO_INLINE constexpr double operator()(const X0&, const X1&) const {
    return 0.0;
  }
  template <std::size_t I, class G, class Y, class X0, class X1>
  DEZERO_INLINE constexpr ops::zero grad(const G&, const Y&, const X0&, const X1&) const {
    return {};
  }
};

// What f may return: a list of outputs, each an operand (an expression or a number). `size` is 0 for anything
// else; `unpack(outputs, g)` is g(outputs...). std::tuple and std::array here; boost::hana::tuple in
// dezero/static/hana_outputs.hpp (included by dezero/sequence.hpp), so that this header needs no Boost.
template <class T>
struct output_list {
  static constexpr std::size_t size = 0;
};
template <class... T>
struct output_list<std::tuple<T...>> {
  static constexpr std::size_t size = (operand<T> && ...) ? sizeof...(T) : 0;
  template <class G>
  DEZERO_INLINE static constexpr auto unpack(const std::tuple<T...>& outputs, const G& g) {
    return std::apply(g, outputs);
  }
};
template <class T, std::size_t M>
struct output_list<std::array<T, M>> {
  static constexpr std::size_t size = operand<T> ? M : 0;
  template <class G>
  DEZERO_INLINE static constexpr auto unpack(const std::array<T, M>& outputs, const G& g) {
    return std::apply(g, outputs);
  }
};

// outputs(o0, o1, ..., oM-1) = Outputs(o0, Outputs(o1, ...)), each output an operand (a number becomes a
// constant); node types directly, since two constants are a node here too.
template <class X>
DEZERO_INLINE constexpr auto join(const X& x) {
  return as_operand(x);
}
template <class X, class Y, class... Rest>
DEZERO_INLINE constexpr auto join(const X& x, const Y& y, const Rest&... rest) {
  using A = decltype(as_operand(x));
  using B = decltype(join(y, rest...));
  using result = node<Outputs, A, B>;
  if constexpr (stateless<result>)
    return result{};
  else
    return result{{Outputs{}, as_operand(x), join(y, rest...)}};
}

// The slot of index K of a plan.
template <std::size_t K, class S>
S slot_type(const indexed<K, S>*);
template <class Slots, std::size_t K>
struct slot_at;
template <std::size_t N, class... I, std::size_t K>
struct slot_at<slots<N, I...>, K> {
  struct all : I... {};
  using type = decltype(slot_type<K>(static_cast<const all*>(nullptr)));
};

// The references of the M outputs, from the root's chain of Outputs slots.
template <class Plan, class Ref, std::size_t M>
struct output_refs {
  using type = std::tuple<Ref>;
};
template <class Plan, std::size_t K, std::size_t M>
requires(M > 1) struct output_refs<Plan, ref_slot<K>, M> {
  template <class S>
  struct split;
  template <class Path, class R0, class R1>
  struct split<slot<Outputs, Path, R0, R1>> {
    using type = decltype(std::tuple_cat(std::tuple<R0>{}, typename output_refs<Plan, R1, M - 1>::type{}));
  };
  using type = typename split<typename slot_at<Plan, K>::type>::type;
};

// Forward or reverse mode, by the derivative-map applications each needs (the comment at the top).
template <class E, std::size_t N, class Refs>
struct jacobian_mode;
template <class E, std::size_t N, class... Refs>
struct jacobian_mode<E, N, std::tuple<Refs...>> {
  using p = program<E, N>;
  template <class Ref>
  static constexpr std::size_t reverse_work() {
    if constexpr (std::is_same_v<typename ref_traits<Ref>::kind, from_slot>)
      return p::template table_below<ref_traits<Ref>::index>.edges;
    else
      return 0;
  }
  static constexpr bool forward = [] {
    if (N > 64) return false;  // the dependency masks hold 64 arguments
    std::size_t work = 0;
    for (std::size_t k = 0; k < p::size; ++k)
      for (std::size_t j = 0; j < 2; ++j)
        if (p::targets[k][j] >= 0)
          work += static_cast<std::size_t>(std::popcount(p::operand_dependencies[k][j]));
    return 10 * work <= 14 * (reverse_work<Refs>() + ... + 0);
  }();
};

template <std::size_t M, std::size_t N, class E>
DEZERO_INLINE constexpr ValueAndJacobian<M, N> run_jacobian(const E& e, const std::array<double, N>& x) {
  using p = program<E, N>;
  using refs = typename output_refs<typename p::plan_type, typename p::root, M>::type;
  constexpr bool forward = jacobian_mode<E, N, refs>::forward;
  typename p::values v{};
  std::conditional_t<forward, typename p::tangents, char> t{};  // no tangents in reverse mode
  if constexpr (p::size > 0 && forward)
    p::forward_tangents(p::plan, std::make_index_sequence<N>{}, e, x, v, t);
  else if constexpr (p::size > 0)
    p::forward_all(p::plan, e, x, v);
  // Row i: the tangent of output i (a slot's components, an argument's unit vector, a constant's 0), or in
  // reverse mode the reverse sweep seeded at output i.
  const auto row = [&]<class Ref, std::size_t... C>(Ref, std::index_sequence<C...> c) DEZERO_LAMBDA_INLINE {
    constexpr std::size_t k = ref_traits<Ref>::index;
    if constexpr (std::is_same_v<typename ref_traits<Ref>::kind, from_argument>) {
      return std::array<double, N>{(C == k ? 1.0 : 0.0)...};
    } else if constexpr (!std::is_same_v<typename ref_traits<Ref>::kind, from_slot>) {
      return std::array<double, N>{};
    } else if constexpr (forward) {
      return std::array<double, N>{(((p::dependencies[k] >> C) & 1u) != 0 ? t[k][C].value() : 0.0)...};
    } else {
      std::array<double, N> g{};
      p::template backward_from<k>(p::reversed, c, e, x, v, g);
      return g;
    }
  };
  return [&]<std::size_t... I>(std::index_sequence<I...>) DEZERO_LAMBDA_INLINE {
    return ValueAndJacobian<M, N>{
        {static_cast<double>(p::template get<std::tuple_element_t<I, refs>>(e, x, v))...},
        {row(std::tuple_element_t<I, refs>{}, std::make_index_sequence<N>{})...}};
  }
  (std::make_index_sequence<M>{});
}

// The number of outputs of f over N placeholders (0 if f cannot be called on them or returns something else).
template <class F, std::size_t N>
constexpr std::size_t outputs_of_f() {
  if constexpr (invocable_on_placeholders<F, std::make_index_sequence<N>>)
    return output_list<std::remove_cvref_t<decltype(call_on_placeholders(
        std::declval<const F&>(), std::make_index_sequence<N>{}))>>::size;
  else
    return 0;
}

// The outputs of f joined into one expression, or a static_assert saying in one line why f has none.
template <class F, std::size_t N, class... A>
DEZERO_INLINE constexpr auto outputs_of(const F& f) {
  if constexpr (!(arithmetic<A> && ...)) {
    static_assert(always_false<F>, "dezero::jacobian(f, a...): the arguments a... must be numbers");
    return constant<double>{0.0};
  } else if constexpr (!invocable_on_placeholders<F, std::make_index_sequence<N>>) {
    static_assert(always_false<F>,
                  "dezero::jacobian(f, a...): f cannot be called with that many arguments (or is not "
                  "generic: declare its parameters `auto`)");
    return constant<double>{0.0};
  } else if constexpr (outputs_of_f<F, N>() == 0) {
    static_assert(always_false<F>,
                  "dezero::jacobian(f, a...): f must return its outputs as a std::tuple, a std::array or a "
                  "boost::hana::tuple (with dezero/sequence.hpp) of expressions (or numbers)");
    return constant<double>{0.0};
  } else {
    const auto outputs = call_on_placeholders(f, std::make_index_sequence<N>{});
    return output_list<std::remove_cvref_t<decltype(outputs)>>::unpack(
        outputs, [](const auto&... o) DEZERO_LAMBDA_INLINE { return join(o...); });
  }
}

}  // namespace static_engine::detail

template <class F, class... A>
DEZERO_STATIC_ENTRY constexpr auto value_and_jacobian(const F& f, const A&... a) {
  using namespace static_engine::detail;
  constexpr std::size_t N = sizeof...(A), M = outputs_of_f<F, N>();
  const auto e = outputs_of<F, N, A...>(f);
  if constexpr (M == 0)
    return ValueAndJacobian<1, N>{};  // after the static_assert of outputs_of
  else
    return run_jacobian<M, N>(e, std::array<double, N>{static_cast<double>(a)...});
}

template <class F, class... A>
DEZERO_STATIC_ENTRY constexpr auto jacobian(const F& f, const A&... a) {
  return value_and_jacobian(f, a...).jacobian;
}

}  // namespace dezero
