// The generated code: a forward sweep that computes every slot of the DAG once, in topological order,
// and a reverse sweep that visits the slots in the opposite order, each exactly once, after all of its
// parents have added their contributions to its adjoint. Both are pack expansions over the slot indices:
// straight-line code with no loop, no tape, no heap and no virtual call.
//
// Decided at compile time:
//   - the root's adjoint is `one`, a type, so the rules' `gy * ...` vanish at the root;
//   - constants receive no adjoint: their contributions are never computed;
//   - the first contribution to an adjoint initialises it (`g = c`), later ones add (`g = g + c`): no
//     adjoint starts as `0 +`, and an argument the function does not use gets exactly 0.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "dezero/static/dag.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"

namespace dezero::static_engine::detail {

// The adjoint of the result with respect to itself: 1, known to the compiler.
struct one {
  constexpr operator double() const { return 1.0; }
  friend constexpr double operator-(one) { return -1.0; }
  template <arithmetic T>
  friend constexpr T operator*(one, const T& x) {
    return x;
  }
  template <arithmetic T>
  friend constexpr T operator*(const T& x, one) {
    return x;
  }
  template <arithmetic T>
  friend constexpr auto operator/(one, const T& x) {
    return 1.0 / x;
  }
};

template <class E>
DEZERO_STATIC_INLINE constexpr const E& at(const E& e, path<>) {
  return e;
}
template <class E, std::size_t I, std::size_t... Is>
DEZERO_STATIC_INLINE constexpr const auto& at(const E& e, path<I, Is...>) {
  return at(child<I>(e), path<Is...>{});
}

template <class... Refs>
struct refs {};

template <class Node>
struct rule_of_t;
template <class Rule, class... Args>
struct rule_of_t<node<Rule, Args...>> {
  using type = Rule;
};

// Slot indices of the operands as numbers: an argument I is `size + I`, a constant -1.
template <std::size_t S, std::size_t I>
constexpr long target(ref_var<I>) {
  return static_cast<long>(S + I);
}
template <std::size_t S, std::size_t K>
constexpr long target(ref_slot<K>) {
  return static_cast<long>(K);
}
template <std::size_t S, class P>
constexpr long target(ref_const<P>) {
  return -1;
}

// The generated code for expression type E of N arguments.
template <class E, std::size_t N>
struct program {
  using dag_type = dag<E>;
  using plan_type = typename dag_type::plan;
  using root = typename dag_type::ref;
  static constexpr std::size_t size = plan_type::size;

  using values = std::array<double, size>;
  using arguments = std::array<double, N>;

  // operand_targets[k][i]: what operand i of slot k refers to, as a number.
  template <class Node, class Path, class... Refs>
  static constexpr std::array<long, 2> operand_targets(slot<Node, Path, Refs...>) {
    std::array<long, 2> t{-1, -1};
    std::size_t i = 0;
    ((t[i++] = target<size>(Refs{})), ...);
    return t;
  }

  // first[k][i]: operand i of slot k is the first contribution to its adjoint in the reverse sweep.
  static constexpr auto first = []<std::size_t... K>(std::index_sequence<K...>) {
    std::array<std::array<long, 2>, size> targets{operand_targets(slot_at<plan_type, K>{})...};
    std::array<std::array<bool, 2>, size> first{};
    std::array<bool, size + N> seen{};
    for (std::size_t k = size; k-- > 0;)
      for (std::size_t i = 0; i < 2; ++i)
        if (const long t = targets[k][i]; t >= 0) {
          first[k][i] = !seen[static_cast<std::size_t>(t)];
          seen[static_cast<std::size_t>(t)] = true;
        }
    return first;
  }
  (std::make_index_sequence<size>{});

  template <std::size_t I>
  DEZERO_STATIC_INLINE static constexpr const double& get(ref_var<I>, const E&, const arguments& x,
                                                          const values&) {
    return x[I];
  }
  template <class P>
  DEZERO_STATIC_INLINE static constexpr const auto& get(ref_const<P>, const E& e, const arguments&,
                                                        const values&) {
    return at(e, P{}).value;
  }
  template <std::size_t K>
  DEZERO_STATIC_INLINE static constexpr const double& get(ref_slot<K>, const E&, const arguments&,
                                                          const values& v) {
    return v[K];
  }

  template <class Node, class Path>
  DEZERO_STATIC_INLINE static constexpr auto rule(const E& e) {
    if constexpr (std::is_same_v<Path, no_path>)
      return typename rule_of_t<Node>::type{};
    else
      return at(e, Path{}).rule;
  }

  template <std::size_t K, class Node, class Path, class... Refs>
  DEZERO_STATIC_INLINE static constexpr void forward(slot<Node, Path, Refs...>, const E& e,
                                                     const arguments& x, values& v) {
    v[K] = static_cast<double>(rule<Node, Path>(e)(get(Refs{}, e, x, v)...));
  }

  template <std::size_t... K>
  DEZERO_STATIC_INLINE static constexpr void forward_all(std::index_sequence<K...>, const E& e,
                                                         const arguments& x, values& v) {
    (forward<K>(slot_at<plan_type, K>{}, e, x, v), ...);
  }

  template <bool First, class C>
  DEZERO_STATIC_INLINE static constexpr void accumulate(double& adjoint, const C& contribution) {
    if constexpr (First)
      adjoint = static_cast<double>(contribution);
    else
      adjoint = adjoint + static_cast<double>(contribution);
  }

  template <std::size_t K, std::size_t I, class Ref, class Rule, class G, class... Xs>
  DEZERO_STATIC_INLINE static constexpr void propagate(Ref, const Rule& rule, const G& gy, const double& y,
                                                       values& g, arguments& gx, const Xs&... xs) {
    if constexpr (target<size>(Ref{}) >= 0) {
      constexpr auto t = static_cast<std::size_t>(target<size>(Ref{}));
      const auto contribution = rule.template grad<I>(gy, y, xs...);
      if constexpr (t < size)
        accumulate<first[K][I]>(g[t], contribution);
      else
        accumulate<first[K][I]>(gx[t - size], contribution);
    }
  }

  template <std::size_t K, class... Refs, std::size_t... I, class Rule, class G, class... Xs>
  DEZERO_STATIC_INLINE static constexpr void propagate_all(refs<Refs...>, std::index_sequence<I...>,
                                                           const Rule& rule, const G& gy, const double& y,
                                                           values& g, arguments& gx, const Xs&... xs) {
    (propagate<K, I>(Refs{}, rule, gy, y, g, gx, xs...), ...);
  }

  template <std::size_t K, class Node, class Path, class... Refs>
  DEZERO_STATIC_INLINE static constexpr void backward(slot<Node, Path, Refs...>, const E& e,
                                                      const arguments& x, const values& v, values& g,
                                                      arguments& gx) {
    constexpr auto operands = std::index_sequence_for<Refs...>{};
    if constexpr (K + 1 == size)
      propagate_all<K>(refs<Refs...>{}, operands, rule<Node, Path>(e), one{}, v[K], g, gx,
                       get(Refs{}, e, x, v)...);
    else
      propagate_all<K>(refs<Refs...>{}, operands, rule<Node, Path>(e), g[K], v[K], g, gx,
                       get(Refs{}, e, x, v)...);
  }

  template <std::size_t... K>
  DEZERO_STATIC_INLINE static constexpr void backward_all(std::index_sequence<K...>, const E& e,
                                                          const arguments& x, const values& v, values& g,
                                                          arguments& gx) {
    (backward<size - 1 - K>(slot_at<plan_type, size - 1 - K>{}, e, x, v, g, gx), ...);
  }
};

}  // namespace dezero::static_engine::detail
