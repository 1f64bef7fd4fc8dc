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
//
// For compile time, the code of a slot is a call of `step<Rule, Kind0, Kind1>`: one function for all the
// slots of one rule and operand kinds (argument, slot, constant), given the slot's indices as arguments
// (constants once inlined). No function made per slot names the expression type: g++ mangles the name of
// every function it instantiates, by a search through the name's earlier components, and with functions per
// slot whose names carried the expression type that took 3.8x as long for 512 nodes as for 256.
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

// Where an operand's value comes from: the kind is a type (the code differs), the index a number.
struct from_argument {};  // x[index]
struct from_slot {};      // v[index]
struct from_constant {};  // a constant of the expression object, read by the sweep and passed in
struct no_operand {};     // the second operand of a unary rule

template <class Kind>
struct read {
  template <class X, class V, class C>
  DEZERO_INLINE static constexpr const auto& in(const X& x, const V& v, std::size_t i, const C& c) {
    if constexpr (std::is_same_v<Kind, from_argument>)
      return x[i];
    else if constexpr (std::is_same_v<Kind, from_slot>)
      return v[i];
    else
      return c;
  }
};

// What the sweep reads from the expression object for a slot: its rule and its constant operands. Only the
// readers of run-time data take the expression's type; the others take `const void*`, one instantiation
// for all slots.
struct no_constant {};
struct read_no_constant {
  DEZERO_INLINE static constexpr no_constant from(const void*) { return {}; }
};
template <class P>
struct read_constant {
  template <class T>
  DEZERO_INLINE static constexpr const auto& from(const T* e) {
    return at<P>::in(*e).value;
  }
};
template <class Rule>
struct make_rule {  // a rule without parameters
  DEZERO_INLINE static constexpr Rule from(const void*) { return {}; }
};
template <class Rule, class Path>
struct read_rule {
  template <class T>
  DEZERO_INLINE static constexpr const Rule& from(const T* e) {
    return at<Path>::in(*e).rule;
  }
};

template <class Ref>
struct ref_traits;
template <std::size_t I>
struct ref_traits<ref_var<I>> {
  using kind = from_argument;
  using constant = read_no_constant;
  static constexpr std::size_t index = I;
};
template <std::size_t K>
struct ref_traits<ref_slot<K>> {
  using kind = from_slot;
  using constant = read_no_constant;
  static constexpr std::size_t index = K;
};
template <class P>
struct ref_traits<ref_const<P>> {
  using kind = from_constant;
  using constant = read_constant<P>;
  static constexpr std::size_t index = 0;
};
template <>
struct ref_traits<no_operand> {
  using kind = no_operand;
  using constant = read_no_constant;
  static constexpr std::size_t index = 0;
};

// The tangent of an operand that does not depend on the argument adds nothing and is not stored.
DEZERO_INLINE constexpr void store(scaled& t, const scaled& s) { t = s; }
DEZERO_INLINE constexpr void store(scaled&, no_tangent) {}

// A rule's value at the operands, as the sweep's number type V: the rule itself on numbers; on the values of
// higher order (dezero/static/dual.hpp) their own `lift`, found by argument-dependent lookup, which applies
// the rule's value and derivative maps.
template <class V, class Rule, class... X>
DEZERO_INLINE constexpr V evaluate(const Rule& rule, const X&... x) {
  if constexpr ((std::is_arithmetic_v<X> && ...))
    return static_cast<V>(rule(x...));
  else
    return lift(rule, x...);
}

// The code of every slot of rule Rule whose operands are of kinds K0 and K1 (no_operand for a unary rule).
template <class Rule, class K0, class K1>
struct step {
  static constexpr bool unary = std::is_same_v<K1, no_operand>;

  // v[k] = rule(operands...); operand i is x[ii] or v[ii] as its kind says, or the constant ci.
  template <class C0, class C1, class X, class V>
  DEZERO_INLINE static constexpr void forward(const Rule& rule, const C0& c0, const C1& c1, const X& x, V& v,
                                              std::size_t k, std::size_t i0, std::size_t i1) {
    using value = typename V::value_type;
    const auto& a = read<K0>::in(x, v, i0, c0);
    if constexpr (unary)
      v[k] = evaluate<value>(rule, a);
    else
      v[k] = evaluate<value>(rule, a, read<K1>::in(x, v, i1, c1));
  }

  // The contribution of each operand that receives an adjoint, given the slot's adjoint gy: c[ei] for
  // operand i.
  template <class G, class C0, class C1, class X, class V, class A>
  DEZERO_INLINE static constexpr void backward(const Rule& rule, const G& gy, const C0& c0, const C1& c1,
                                               const X& x, const V& v, A& c, std::size_t k, std::size_t i0,
                                               std::size_t i1, std::size_t e0, std::size_t e1) {
    const auto& a = read<K0>::in(x, v, i0, c0);
    if constexpr (unary) {
      propagate<0, K0>(rule, gy, v[k], c, e0, a);
    } else {
      const auto& b = read<K1>::in(x, v, i1, c1);
      propagate<0, K0>(rule, gy, v[k], c, e0, a, b);
      propagate<1, K1>(rule, gy, v[k], c, e1, a, b);
    }
  }

  template <std::size_t I, class Kind, class G, class Y, class A, class... Xs>
  DEZERO_INLINE static constexpr void propagate(const Rule& rule, const G& gy, const Y& y, A& c,
                                                std::size_t edge, const Xs&... xs) {
    if constexpr (!std::is_same_v<Kind, from_constant> && !ops::blocks_gradient<Rule, I>)
      c[edge] = static_cast<typename A::value_type>(rule.template grad<I>(gy, y, xs...));
  }

  // Forward mode: the value, then tangent component C for each argument C. D0 and D1 are the arguments
  // the operands depend on (bit C for argument C): the components that are not 0.
  template <unsigned long long D0, unsigned long long D1, std::size_t... C, class C0, class C1, class X,
            class V, class T>
  DEZERO_INLINE static constexpr void forward_tangent(std::index_sequence<C...>, const Rule& rule,
                                                      const C0& c0, const C1& c1, const X& x, V& v, T& t,
                                                      std::size_t k, std::size_t i0, std::size_t i1) {
    const auto& a = read<K0>::in(x, v, i0, c0);
    if constexpr (unary) {
      v[k] = static_cast<double>(rule(a));
      (store(t[k][C], contribution<C, 0, K0, D0>(rule, v[k], t, i0, a)), ...);
    } else {
      const auto& b = read<K1>::in(x, v, i1, c1);
      v[k] = static_cast<double>(rule(a, b));
      (store(t[k][C], contribution<C, 0, K0, D0>(rule, v[k], t, i0, a, b) +
                          contribution<C, 1, K1, D1>(rule, v[k], t, i1, a, b)),
       ...);
    }
  }

  // The rules' derivative maps are linear in the gradient they are given: applied to an operand's tangent
  // they give its contribution to this slot's tangent.
  template <std::size_t C, std::size_t I, class Kind, unsigned long long D, class T, class... Xs>
  DEZERO_INLINE static constexpr auto contribution(const Rule& rule, const double& y, const T& t,
                                                   std::size_t operand, const Xs&... xs) {
    if constexpr (((D >> C) & 1u) == 0)
      return no_tangent{};
    else if constexpr (std::is_same_v<Kind, from_argument>)
      return as_scaled(rule.template grad<I>(scaled{1.0, 1.0}, y, xs...));
    else
      return as_scaled(rule.template grad<I>(t[operand][C], y, xs...));
  }
};

template <class Rule, std::size_t I, class Operand>
constexpr bool blocked() {
  if constexpr (std::is_same_v<Operand, no_operand>)
    return true;
  else
    return ops::blocks_gradient<Rule, I>;
}

// What the sweeps need of a slot, as types (the code and the readers) and numbers (the indices).
template <class Rule, class Path, class A, class B>
struct slot_parts {
  using code = step<Rule, typename ref_traits<A>::kind, typename ref_traits<B>::kind>;
  using rule_type = Rule;
  using rule = std::conditional_t<std::is_empty_v<Rule>, make_rule<Rule>, read_rule<Rule, Path>>;
  using constant0 = typename ref_traits<A>::constant;
  using constant1 = typename ref_traits<B>::constant;
  using kind0 = typename ref_traits<A>::kind;
  using kind1 = typename ref_traits<B>::kind;
  static constexpr std::size_t index0 = ref_traits<A>::index;
  static constexpr std::size_t index1 = ref_traits<B>::index;
  // Whether operand i receives no adjoint from the rule (`zero`): its edge is left out, as a constant's.
  static constexpr bool blocked0 = blocked<Rule, 0, A>();
  static constexpr bool blocked1 = blocked<Rule, 1, B>();
};
template <class Slot>
struct slot_traits;
template <class Rule, class Path, class A>
struct slot_traits<slot<Rule, Path, A>> : slot_parts<Rule, Path, A, no_operand> {};
template <class Rule, class Path, class A, class B>
struct slot_traits<slot<Rule, Path, A, B>> : slot_parts<Rule, Path, A, B> {};

// An operand as a number: slot K is K, argument I is `slots + I`, a constant is -1 (no adjoint), as is an
// operand the rule gives no gradient.
template <class Kind>
constexpr long target(std::size_t slots, std::size_t index) {
  if constexpr (std::is_same_v<Kind, from_argument>)
    return static_cast<long>(slots + index);
  else if constexpr (std::is_same_v<Kind, from_slot>)
    return static_cast<long>(index);
  else
    return -1;
}

// The edges of the DAG that carry an adjoint. Each edge's contribution has its place in one array, the
// places grouped by target in the order the reverse sweep computes them, so the adjoint of target t is
// the sum of a range.
template <std::size_t S, std::size_t N>
struct edge_table {
  std::array<std::array<std::size_t, 2>, S> edge{};  // edge[k][i]: the place of operand i of slot k's
  std::array<std::size_t, S + N> offset{};           // c[offset[t] .. offset[t] + count[t]) go into t
  std::array<std::size_t, S + N> count{};
  std::size_t edges = 0;
};

template <std::size_t S, std::size_t N>
constexpr edge_table<S, N> make_edge_table(const std::array<std::array<long, 2>, S>& targets) {
  edge_table<S, N> t;
  for (const auto& operands : targets)
    for (long target : operands)
      if (target >= 0) {
        ++t.count[static_cast<std::size_t>(target)];
        ++t.edges;
      }
  // A counting sort (the table is evaluated by the compiler: a pass over all edges per target was
  // quadratic, a second of a 512-node expression's build).
  std::array<std::size_t, S + N> next{};
  for (std::size_t v = 0, start = 0; v < S + N; start += t.count[v++]) t.offset[v] = next[v] = start;
  for (std::size_t k = S; k-- > 0;)
    for (std::size_t i = 0; i < 2; ++i)
      if (targets[k][i] >= 0) t.edge[k][i] = next[static_cast<std::size_t>(targets[k][i])]++;
  return t;
}

// The arguments an operand depends on (bit I for argument I), given the dependencies of the S slots: an
// argument is its own bit (none above 64 arguments, where reverse mode is used), a slot its dependencies,
// a constant none.
template <std::size_t S>
constexpr unsigned long long dependencies_of_operand(long target,
                                                     const std::array<unsigned long long, S>& d) {
  if (target >= static_cast<long>(S)) {
    const auto argument = static_cast<std::size_t>(target) - S;
    return argument < 64 ? 1ull << argument : 0;
  }
  return target >= 0 ? d[static_cast<std::size_t>(target)] : 0;
}

// For every slot, the arguments it depends on: which tangent components are not 0.
template <std::size_t S, std::size_t N>
constexpr std::array<unsigned long long, S> make_dependencies(
    const std::array<std::array<long, 2>, S>& targets) {
  std::array<unsigned long long, S> d{};
  for (std::size_t k = 0; k < S; ++k)
    for (long t : targets[k]) d[k] |= dependencies_of_operand(t, d);
  return d;
}

// The sweeps' arrays. The generated code indexes them a few times per slot, and an index operator that is
// not always_inline (std::array's) was left by g++ to its inter-procedural inliner, which re-estimated the
// whole growing function after each of those thousands of calls: quadratic.
template <class T, std::size_t S>
struct buffer {
  using value_type = T;
  T data[S > 0 ? S : 1];
  DEZERO_INLINE constexpr T& operator[](std::size_t i) { return data[i]; }
  DEZERO_INLINE constexpr const T& operator[](std::size_t i) const { return data[i]; }
};

template <class T, std::size_t N, std::size_t... I>
DEZERO_INLINE constexpr buffer<T, N> load(const std::array<T, N>& x, std::index_sequence<I...>) {
  return {{x[I]...}};
}

// The sum of the contributions c[b .. b + C), as a balanced tree; for the root, `one`.
template <std::size_t C>
struct sum_of {
  template <class A>
  DEZERO_INLINE static constexpr typename A::value_type in(const A& c, std::size_t b) {
    if constexpr (C == 0)
      return typename A::value_type{};
    else if constexpr (C == 1)
      return c[b];
    else
      return sum_of<C / 2>::in(c, b) + sum_of<C - C / 2>::in(c, b + C / 2);
  }
};
struct seed {
  template <class A>
  DEZERO_INLINE static constexpr one in(const A&, std::size_t) {
    return {};
  }
};
template <bool Root, std::size_t C>
using adjoint = std::conditional_t<Root, seed, sum_of<C>>;

// A slot's reverse step, or nothing for a slot the gradient being computed does not need. Not a lambda of
// the sweep: its instantiations would be named after the sweep's, which name every slot (compile time,
// above).
template <bool Visit>
struct visit_slot {
  template <class Code, class... Args>
  DEZERO_INLINE static constexpr void backward([[maybe_unused]] Args&&... args) {
    if constexpr (Visit) Code::backward(std::forward<Args>(args)...);
  }
};

// The generated code for expression type E of N arguments, on numbers of type T: double, or the values of
// higher order of dezero/static/dual.hpp (the same sweeps then give second and higher derivatives).
template <class E, std::size_t N, class T = double>
struct program {
  using dag_type = dag<E>;
  using plan_type = typename dag_type::ordered;
  using reversed_type = typename dag_type::reversed;
  using root = typename dag_type::ref;
  static constexpr std::size_t size = plan_type::size;

  // Every sweep takes the slots as one pack, deduced from the plan in one step: looking each slot up by its
  // index is a search through the plan's bases, and that made a 512-node build quadratic.
  static constexpr const plan_type* plan = nullptr;
  static constexpr const reversed_type* reversed = nullptr;

  template <class Slot>
  using traits = slot_traits<Slot>;

  template <std::size_t... K, class... Slot>
  static constexpr std::array<std::array<long, 2>, size> targets_of(const slots<size, indexed<K, Slot>...>*) {
    return {std::array<long, 2>{
        traits<Slot>::blocked0 ? -1 : target<typename traits<Slot>::kind0>(size, traits<Slot>::index0),
        traits<Slot>::blocked1 ? -1 : target<typename traits<Slot>::kind1>(size, traits<Slot>::index1)}...};
  }
  static constexpr std::array<std::array<long, 2>, size> targets = targets_of(plan);
  static constexpr auto table = make_edge_table<size, N>(targets);

  using values = buffer<T, size>;
  using arguments = std::array<T, N>;

  // The value of an operand (the root, for the entry points).
  template <class Ref>
  DEZERO_INLINE static constexpr const auto& get(const E& e, const arguments& x, const values& v) {
    using traits = ref_traits<Ref>;
    return read<typename traits::kind>::in(x, v, traits::index, traits::constant::from(&e));
  }

  template <std::size_t... K, class... Slot>
  DEZERO_INLINE static constexpr void forward_all(const slots<size, indexed<K, Slot>...>*, const E& e,
                                                  const arguments& args, values& v) {
    const auto x = load(args, std::make_index_sequence<N>{});
    // The slots in sequence: a braced list runs from left to right and, unlike a fold, does not nest (clang
    // stops a fold at 256 terms).
    [[maybe_unused]] const int sequence[] = {
        0, (traits<Slot>::code::forward(traits<Slot>::rule::from(&e), traits<Slot>::constant0::from(&e),
                                        traits<Slot>::constant1::from(&e), x, v, K, traits<Slot>::index0,
                                        traits<Slot>::index1),
            0)...};
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
          forward += static_cast<std::size_t>(std::popcount(dependencies_of_operand(t, dependencies)));
        }
    return 10 * forward <= 14 * edges;
  }();
  using tangents = buffer<buffer<scaled, N>, size>;

  // The arguments operand i of slot k depends on.
  static constexpr auto operand_dependencies = [] {
    std::array<std::array<unsigned long long, 2>, size> d{};
    for (std::size_t k = 0; k < size; ++k)
      for (std::size_t i = 0; i < 2; ++i) d[k][i] = dependencies_of_operand(targets[k][i], dependencies);
    return d;
  }();

  template <std::size_t... C>
  DEZERO_INLINE static constexpr void forward_mode(const plan_type*, std::index_sequence<C...> c, const E& e,
                                                   const arguments& args, values& v, arguments& gx) {
    tangents t{};
    forward_tangents(plan, c, e, args, v, t);
    ((gx[C] = ((dependencies[size - 1] >> C) & 1u) != 0 ? t[size - 1][C].value() : 0.0), ...);
  }

  // Every slot's value v[k] and tangent components t[k][C] (those of the arguments it depends on).
  template <std::size_t... K, class... Slot, class Indices>
  DEZERO_INLINE static constexpr void forward_tangents(const slots<size, indexed<K, Slot>...>*, Indices c,
                                                       const E& e, const arguments& args, values& v,
                                                       tangents& t) {
    const auto x = load(args, c);
    [[maybe_unused]] const int sequence[] = {
        0,
        (traits<Slot>::code::template forward_tangent<operand_dependencies[K][0], operand_dependencies[K][1]>(
             c, traits<Slot>::rule::from(&e), traits<Slot>::constant0::from(&e),
             traits<Slot>::constant1::from(&e), x, v, t, K, traits<Slot>::index0, traits<Slot>::index1),
         0)...};
  }

  // The edges the gradient of slot Root needs: those out of Root and, transitively, out of the slots they
  // reach. The others are left out: their adjoints would be 0 (or, with a rule's inf or nan, not even that).
  template <std::size_t Root>
  static constexpr std::array<std::array<long, 2>, size> targets_below = [] {
    std::array<bool, size> reached{};
    reached[Root] = true;
    auto t = targets;
    for (std::size_t k = size; k-- > 0;) {
      if (!reached[k]) t[k] = {-1, -1};
      for (long target : t[k])
        if (target >= 0 && target < static_cast<long>(size)) reached[static_cast<std::size_t>(target)] = true;
    }
    return t;
  }();
  template <std::size_t Root>
  static constexpr auto table_below = make_edge_table<size, N>(targets_below<Root>);

  template <class Indices>
  DEZERO_INLINE static constexpr void backward_all(const plan_type*, Indices i, const E& e,
                                                   const arguments& args, const values& v, arguments& gx) {
    backward_from<size - 1>(reversed, i, e, args, v, gx);
  }

  // The gradient of slot Root, from the slots given last first: the reverse sweep seeded at Root, visiting
  // the slots Root depends on.
  template <std::size_t Root, std::size_t... K, class... Slot, std::size_t... I>
  DEZERO_INLINE static constexpr void backward_from(const slots<size, indexed<K, Slot>...>*,
                                                    std::index_sequence<I...> i, const E& e,
                                                    const arguments& args, const values& v, arguments& gx) {
    constexpr const auto& table = table_below<Root>;
    const auto x = load(args, i);
    buffer<T, table.edges> c{};  // the contribution of each edge
    [[maybe_unused]] const int sequence[] = {
        0,
        (visit_slot < K == Root ||
             (K < Root && table.count[K] > 0) >
                 ::template backward<typename traits<Slot>::code>(
                     traits<Slot>::rule::from(&e), adjoint<K == Root, table.count[K]>::in(c, table.offset[K]),
                     traits<Slot>::constant0::from(&e), traits<Slot>::constant1::from(&e), x, v, c, K,
                     traits<Slot>::index0, traits<Slot>::index1, table.edge[K][0], table.edge[K][1]),
         0)...};
    ((gx[I] = sum_of<table.count[size + I]>::in(c, table.offset[size + I])), ...);
  }
};

}  // namespace dezero::static_engine::detail
