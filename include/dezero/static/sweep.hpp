// The generated code: a forward sweep that computes every slot of the DAG once, in topological order,
// and a reverse sweep that visits the slots in the opposite order, each exactly once, after all of its
// parents have made their contributions to its adjoint. Both are pack expansions over the slot indices:
// straight-line code with no loop, no tape, no heap and no virtual call.
//
// Decided at compile time:
//   - the root's adjoint is `one`, a type, so the rules' `gy * ...` vanish at the root;
//   - constants receive no adjoint: their contributions are never computed;
//   - each edge of the DAG holds its own contribution, and the adjoint of a node is the sum of the
//     contributions into it, added as a balanced tree: no adjoint starts as `0 +`, an argument the
//     function does not use gets exactly 0, and a variable used k times costs a chain of log2(k)
//     additions, not k (goldstein's x has 13 uses: a serial sum made the gradient 1.5x slower).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "dezero/ops/one.hpp"
#include "dezero/static/dag.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"
#include "dezero/static/scaled.hpp"

namespace dezero::static_engine::detail {

// The adjoint of the result with respect to itself: 1, known to the compiler (the shared vocabulary's).
using ops::one;

// The subexpression at a path. Every call that carries the expression object has exactly one candidate
// and explicit template arguments: g++ spends time proportional to the tree size of a deep expression
// type on each overload set it resolves with that type (40 shared levels took minutes).
template <class P>
struct at;
template <>
struct at<path<>> {
  template <class T>
  DEZERO_INLINE static constexpr const T& in(const T& e) {
    return e;
  }
};
template <std::size_t I, std::size_t... Is>
struct at<path<I, Is...>> {
  template <class T>
  DEZERO_INLINE static constexpr const auto& in(const T& e) {
    return at<path<Is...>>::in(child<I>(e));
  }
};

template <class Ref>
struct ref_traits;
template <std::size_t I>
struct ref_traits<ref_var<I>> {
  static constexpr int kind = 0;
  static constexpr std::size_t index = I;
};
template <std::size_t K>
struct ref_traits<ref_slot<K>> {
  static constexpr int kind = 1;
  static constexpr std::size_t index = K;
};
template <class P>
struct ref_traits<ref_const<P>> {
  static constexpr int kind = 2;
  using path_type = P;
};

template <class... Refs>
struct refs {};

// An operand as a number: slot K is K, argument I is `slots + I`, a constant is -1 (no adjoint).
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

template <std::size_t S, class Rule, class Path, class... Refs>
constexpr std::array<long, 2> operand_targets(slot<Rule, Path, Refs...>) {
  std::array<long, 2> t{-1, -1};
  std::size_t i = 0;
  ((t[i++] = target<S>(Refs{})), ...);
  return t;
}

// The edges of the DAG that carry an adjoint, numbered in the order the reverse sweep computes them, and
// for every slot and argument the edges into it.
template <std::size_t S, std::size_t N>
struct edge_table {
  std::array<std::array<long, 2>, S> edge{};  // edge[k][i]: the edge of operand i of slot k, or -1
  std::array<std::size_t, 2 * S + 1> into{};  // edges grouped by target
  std::array<std::size_t, S + N> offset{};    // into[offset[t] .. offset[t] + count[t]) go into t
  std::array<std::size_t, S + N> count{};
  std::size_t edges = 0;
};

template <std::size_t S, std::size_t N>
constexpr edge_table<S, N> make_edge_table(const std::array<std::array<long, 2>, S>& targets) {
  edge_table<S, N> t;
  std::array<long, 2 * S + 1> edge_target{};
  for (std::size_t k = S; k-- > 0;)
    for (std::size_t i = 0; i < 2; ++i) {
      t.edge[k][i] = -1;
      if (targets[k][i] < 0) continue;
      t.edge[k][i] = static_cast<long>(t.edges);
      edge_target[t.edges++] = targets[k][i];
      ++t.count[static_cast<std::size_t>(targets[k][i])];
    }
  // Grouped by target in one pass over the edges (a counting sort: the table is evaluated by the compiler,
  // and a pass over all edges per target made it quadratic, a second of a 512-node expression's build).
  std::array<std::size_t, S + N> next{};
  for (std::size_t v = 0, start = 0; v < S + N; start += t.count[v++]) t.offset[v] = next[v] = start;
  for (std::size_t e = 0; e < t.edges; ++e) t.into[next[static_cast<std::size_t>(edge_target[e])]++] = e;
  return t;
}

// For every slot, the arguments it depends on (bit I for argument I): which tangent components are not 0.
template <std::size_t S, std::size_t N>
constexpr std::array<unsigned long long, S> make_dependencies(
    const std::array<std::array<long, 2>, S>& targets) {
  std::array<unsigned long long, S> d{};
  for (std::size_t k = 0; k < S; ++k)
    for (long t : targets[k])
      if (t >= static_cast<long>(S))
        d[k] |= static_cast<std::size_t>(t) - S < 64 ? 1ull << (static_cast<std::size_t>(t) - S)
                                                     : 0;  // N > 64: reverse
      else if (t >= 0)
        d[k] |= d[static_cast<std::size_t>(t)];
  return d;
}

// The generated code for expression type E of N arguments.
template <class E, std::size_t N>
struct program {
  using dag_type = dag<E>;
  using plan_type = typename dag_type::ordered;
  using root = typename dag_type::ref;
  static constexpr std::size_t size = plan_type::size;

  // Every sweep takes the slots as one pack, deduced from the plan in one step: looking each slot up by its
  // index is a search through the plan's bases, and that made a 512-node build quadratic.
  static constexpr const plan_type* plan = nullptr;

  template <std::size_t... K, class... Slot>
  static constexpr std::array<std::array<long, 2>, size> targets_of(const slots<size, indexed<K, Slot>...>*) {
    return {operand_targets<size>(Slot{})...};
  }
  static constexpr std::array<std::array<long, 2>, size> targets = targets_of(plan);
  static constexpr auto table = make_edge_table<size, N>(targets);

  using values = std::array<double, size>;
  using arguments = std::array<double, N>;

  // The value of an operand: an argument, a slot, or a constant read from the expression object.
  template <class Ref>
  DEZERO_INLINE static constexpr const auto& get(const E& e, const arguments& x, const values& v) {
    using traits = ref_traits<Ref>;
    if constexpr (traits::kind == 0)
      return x[traits::index];
    else if constexpr (traits::kind == 1)
      return v[traits::index];
    else
      return at<typename traits::path_type>::in(e).value;
  }

  template <class Rule, class Path>
  DEZERO_INLINE static constexpr Rule rule(const E& e) {
    if constexpr (std::is_same_v<Path, no_path>)
      return Rule{};
    else
      return at<Path>::in(e).rule;
  }

  template <std::size_t K, class Rule, class Path, class... Refs>
  DEZERO_INLINE static constexpr void forward(slot<Rule, Path, Refs...>, const E& e, const arguments& x,
                                              values& v) {
    v[K] = static_cast<double>(rule<Rule, Path>(e)(get<Refs>(e, x, v)...));
  }

  template <std::size_t... K, class... Slot>
  DEZERO_INLINE static constexpr void forward_all(const slots<size, indexed<K, Slot>...>*, const E& e,
                                                  const arguments& x, values& v) {
    (forward<K>(Slot{}, e, x, v), ...);
  }

  // The adjoint of target T: the sum of the contributions into[B .. B + C), as a balanced tree.
  template <std::size_t B, std::size_t C, class Contributions>
  DEZERO_INLINE static constexpr double sum(const Contributions& c) {
    if constexpr (C == 1)
      return c[table.into[B]];
    else
      return sum<B, C / 2>(c) + sum<B + C / 2, C - C / 2>(c);
  }
  template <std::size_t T, class Contributions>
  DEZERO_INLINE static constexpr double adjoint(const Contributions& c) {
    if constexpr (table.count[T] == 0)
      return 0.0;
    else
      return sum<table.offset[T], table.count[T]>(c);
  }

  template <std::size_t K, class... Refs, std::size_t... I, class Rule, class G, class Contributions,
            class... Xs>
  DEZERO_INLINE static constexpr void propagate(refs<Refs...>, std::index_sequence<I...>, const Rule& rule,
                                                const G& gy, const double& y, Contributions& c,
                                                const Xs&... xs) {
    ((table.edge[K][I] >= 0 ? void(c[static_cast<std::size_t>(table.edge[K][I])] =
                                       static_cast<double>(rule.template grad<I>(gy, y, xs...)))
                            : void()),
     ...);
  }

  template <std::size_t K, class Rule, class Path, class... Refs, class Contributions>
  DEZERO_INLINE static constexpr void backward(slot<Rule, Path, Refs...>, const E& e, const arguments& x,
                                               const values& v, Contributions& c) {
    constexpr auto operands = std::index_sequence_for<Refs...>{};
    if constexpr (K + 1 == size)
      propagate<K>(refs<Refs...>{}, operands, rule<Rule, Path>(e), one{}, v[K], c, get<Refs>(e, x, v)...);
    else
      propagate<K>(refs<Refs...>{}, operands, rule<Rule, Path>(e), adjoint<K>(c), v[K], c,
                   get<Refs>(e, x, v)...);
  }

  // Forward mode: every slot's value and its tangent with respect to each argument it depends on, in one
  // pass. A tangent component is the sum, over the slot's operands, of the rule's derivative map applied
  // to the operand's tangent (the maps are linear in the output gradient they take).
  static constexpr auto dependencies = make_dependencies<size, N>(targets);

  // Which mode: reverse mode applies a derivative map once per edge of the DAG, forward mode once per edge
  // and argument the edge's operand depends on. Forward mode is chosen while that is at most 1.4 times
  // as many: its tangents fold constant factors, and it needs no second sweep, so it wins by that margin
  // (goldstein, matyas and Rosenbrock need 1.3 times; with one argument always 1). A DAG where nearly every
  // node depends on both of two arguments needs close to 2 times: reverse mode.
  static constexpr bool forward_mode_pays = [] {
    if (N > 64) return false;
    std::size_t edges = 0, forward = 0;
    for (const auto& operands : targets)
      for (long t : operands)
        if (t >= 0) {
          ++edges;
          forward += t >= static_cast<long>(size)
                         ? 1
                         : static_cast<std::size_t>(std::popcount(dependencies[static_cast<std::size_t>(t)]));
        }
    return 10 * forward <= 14 * edges;
  }();
  using tangents = std::array<std::array<scaled, N>, size>;

  template <std::size_t C, class Ref>
  static constexpr bool carries() {  // whether the operand's tangent component C is not 0
    using traits = ref_traits<Ref>;
    if constexpr (traits::kind == 0)
      return traits::index == C;
    else if constexpr (traits::kind == 1)
      return ((dependencies[traits::index] >> C) & 1u) != 0;
    else
      return false;
  }

  template <std::size_t C, std::size_t I, class Ref, class Rule, class... Xs>
  DEZERO_INLINE static constexpr auto contribution(const Rule& rule, const double& y, const tangents& t,
                                                   const Xs&... xs) {
    if constexpr (!carries<C, Ref>())
      return no_tangent{};
    else if constexpr (ref_traits<Ref>::kind == 0)
      return as_scaled(rule.template grad<I>(scaled{1.0, 1.0}, y, xs...));
    else
      return as_scaled(rule.template grad<I>(t[ref_traits<Ref>::index][C], y, xs...));
  }

  template <std::size_t K, std::size_t C, class... Refs, std::size_t... I, class Rule, class... Xs>
  DEZERO_INLINE static constexpr void tangent(refs<Refs...>, std::index_sequence<I...>, const Rule& rule,
                                              const double& y, tangents& t, const Xs&... xs) {
    if constexpr (((dependencies[K] >> C) & 1u) != 0)
      t[K][C] = (contribution<C, I, Refs>(rule, y, t, xs...) + ...);
  }

  template <std::size_t K, class Rule, class Path, class... Refs, std::size_t... C>
  DEZERO_INLINE static constexpr void forward_tangent(slot<Rule, Path, Refs...>, std::index_sequence<C...>,
                                                      const E& e, const arguments& x, values& v,
                                                      tangents& t) {
    const Rule r = rule<Rule, Path>(e);
    v[K] = static_cast<double>(r(get<Refs>(e, x, v)...));
    (tangent<K, C>(refs<Refs...>{}, std::index_sequence_for<Refs...>{}, r, v[K], t, get<Refs>(e, x, v)...),
     ...);
  }

  template <std::size_t... K, class... Slot, std::size_t... C>
  DEZERO_INLINE static constexpr void forward_mode(const slots<size, indexed<K, Slot>...>*,
                                                   std::index_sequence<C...> c, const E& e,
                                                   const arguments& x, values& v, arguments& gx) {
    tangents t{};
    (forward_tangent<K>(Slot{}, c, e, x, v, t), ...);
    ((gx[C] = ((dependencies[size - 1] >> C) & 1u) != 0 ? t[size - 1][C].value() : 0.0), ...);
  }

  template <std::size_t... K, class... Slot, std::size_t... I>
  DEZERO_INLINE static constexpr void backward_all(const slots<size, indexed<K, Slot>...>*,
                                                   std::index_sequence<I...>, const E& e, const arguments& x,
                                                   const values& v, arguments& gx) {
    std::array<double, table.edges> c{};  // the contribution of each edge
    // The last slot first: the right operand of a built-in `=` is evaluated before its left, so a right
    // fold over `=` runs its terms from the last to the first.
    int order = 0;
    ((backward<K>(Slot{}, e, x, v, c), order) = ... = 0);
    ((gx[I] = adjoint<size + I>(c)), ...);
  }
};

}  // namespace dezero::static_engine::detail
