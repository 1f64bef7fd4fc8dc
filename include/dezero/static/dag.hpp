// From an expression type to its DAG in topological order, entirely at compile time.
//
// A depth-first walk in post-order appends one *slot* per node (children before parents, so the list is a
// topological order and the root comes last). Which occurrences are the same node:
//   - a stateless subexpression (no constant, no rule parameter anywhere below it) is identified by its
//     type: its type determines its value, so every occurrence is one slot, evaluated once. This is what
//     makes `auto a = x * y; return a * a + sin(a);` a DAG with one slot for `a`.
//   - any other subexpression is identified by its position (its path from the root). Type identity is
//     not value identity there: `3 * pow(x, 2)` and `12 * pow(x, 2)` have the same type.
// Leaves get no slot: a placeholder is read from the arguments, a constant from the expression object.
//
// The plan holds the slots so far as a list, the last first, and a memo: a class deriving from one
// `memo_entry<type, K>` per stateless node, so that "have I seen this type" is a derived-to-base deduction,
// not a walk over a list. The sweeps take the slots as one pack, `slots<N, indexed<K, slot>...>`. Each
// instantiation is memoised by the compiler.
#pragma once

#include <cstddef>
#include <type_traits>

#include "dezero/static/expression.hpp"

namespace dezero::static_engine::detail {

// Where a node sits: the child indices from the root (path<> is the root).
template <std::size_t... Is>
struct path {};
// The path of a stateless node: none is needed, it holds nothing to read.
struct no_path {};

template <class P, std::size_t I>
struct child_path_t {
  using type = no_path;
};
template <std::size_t... Is, std::size_t I>
struct child_path_t<path<Is...>, I> {
  using type = path<Is..., I>;
};
template <class P, std::size_t I>
using child_path = typename child_path_t<P, I>::type;

// What an operand of a slot refers to.
template <std::size_t I>
struct ref_var {};  // argument I
template <class Path>
struct ref_const {};  // the constant at Path in the expression object
template <std::size_t K>
struct ref_slot {};  // the value of slot K

// One node of the DAG: its rule, where to find the node's data (rule parameters), its operands. The node's
// own type stays out: it is as deep as the expression, and g++ spends time proportional to a type's
// tree size on every function template signature that names it.
template <class Rule, class Path, class... Refs>
struct slot {};

template <std::size_t K, class Slot>
struct indexed {};
template <class Key, std::size_t K>
struct memo_entry {};

template <class... Entries>
struct memo : Entries... {};

// The slots so far, the last first: appending one is one new type of two arguments, where a flat list of
// them was a new type of all the slots, for each slot.
struct nil {};
template <class Head, class Tail>
struct cons {};

template <std::size_t N, class Memo, class Slots>
struct plan {
  using memo_type = Memo;
};

template <class Key, std::size_t K>
std::integral_constant<std::size_t, K> find_(const memo_entry<Key, K>*);
template <class Key>
void find_(const void*);
template <class Plan, class Key>
using find = decltype(find_<Key>(static_cast<const typename Plan::memo_type*>(nullptr)));

// Appends a slot; Key is the node type for a stateless node (remembered), void otherwise.
template <class Plan, class Slot, class Key>
struct append;
template <std::size_t N, class... Ms, class Es, class Slot>
struct append<plan<N, memo<Ms...>, Es>, Slot, void> {
  using type = plan<N + 1, memo<Ms...>, cons<indexed<N, Slot>, Es>>;
  using ref = ref_slot<N>;
};
template <std::size_t N, class... Ms, class Es, class Slot, class Key>
struct append<plan<N, memo<Ms...>, Es>, Slot, Key> {
  using type = plan<N + 1, memo<Ms..., memo_entry<Key, N>>, cons<indexed<N, Slot>, Es>>;
  using ref = ref_slot<N>;
};

// build<E, Path, Plan>: ::plan is Plan with E's new slots appended, ::ref how E's parent refers to it.
template <class E, class Path, class Plan, bool Shared = stateless<E>>
struct build;

template <std::size_t I, class Path, class Plan, bool Shared>
struct build<var<I>, Path, Plan, Shared> {
  using plan = Plan;
  using ref = ref_var<I>;
};

template <class T, class Path, class Plan, bool Shared>
struct build<constant<T>, Path, Plan, Shared> {
  using plan = Plan;
  using ref = ref_const<Path>;
};

// A node not seen before: its operands, then itself.
template <class E, class Path, class Plan, class Key>
struct build_node;
template <class Rule, class A, class Path, class Plan, class Key>
struct build_node<node<Rule, A>, Path, Plan, Key> {
  using b0 = build<A, child_path<Path, 0>, Plan>;
  using app = append<typename b0::plan, slot<Rule, Path, typename b0::ref>, Key>;
  using plan = typename app::type;
  using ref = typename app::ref;
};
template <class Rule, class A, class B, class Path, class Plan, class Key>
struct build_node<node<Rule, A, B>, Path, Plan, Key> {
  using b0 = build<A, child_path<Path, 0>, Plan>;
  using b1 = build<B, child_path<Path, 1>, typename b0::plan>;
  using app = append<typename b1::plan, slot<Rule, Path, typename b0::ref, typename b1::ref>, Key>;
  using plan = typename app::type;
  using ref = typename app::ref;
};

template <class E, class Plan, class Found>
struct build_shared {  // seen before: slot K
  using plan = Plan;
  using ref = ref_slot<Found::value>;
};
template <class E, class Plan>
struct build_shared<E, Plan, void> : build_node<E, no_path, Plan, E> {};

template <class Rule, class... Args, class Path, class Plan>
struct build<node<Rule, Args...>, Path, Plan, false> : build_node<node<Rule, Args...>, Path, Plan, void> {};
template <class Rule, class... Args, class Path, class Plan>
struct build<node<Rule, Args...>, Path, Plan, true>
    : build_shared<node<Rule, Args...>, Plan, find<Plan, node<Rule, Args...>>> {};

// The slots alone, without the memo: the memo names every node type, and compilers spend time
// proportional to those types' tree sizes when a deduction walks a class that mentions them.
template <std::size_t N, class... Slots>
struct slots {
  static constexpr std::size_t size = N;
};
// The slot list as one pack, first slot first (::ordered) and last slot first (::reversed, for the reverse
// sweep); eight at a step, so that the nesting of instantiations stays far below the compilers' limits
// (900 with g++) for thousands of slots.
template <bool LastFirst, class Done, class List>
struct flatten {
  using type = Done;
};
template <std::size_t N, class... Slots, class H, class T>
struct flatten<false, slots<N, Slots...>, cons<H, T>> : flatten<false, slots<N, H, Slots...>, T> {};
template <std::size_t N, class... Slots, class H, class T>
struct flatten<true, slots<N, Slots...>, cons<H, T>> : flatten<true, slots<N, Slots..., H>, T> {};
template <std::size_t N, class... Slots, class H0, class H1, class H2, class H3, class H4, class H5, class H6,
          class H7, class T>
struct flatten<false, slots<N, Slots...>,
               cons<H0, cons<H1, cons<H2, cons<H3, cons<H4, cons<H5, cons<H6, cons<H7, T>>>>>>>>>
    : flatten<false, slots<N, H7, H6, H5, H4, H3, H2, H1, H0, Slots...>, T> {};
template <std::size_t N, class... Slots, class H0, class H1, class H2, class H3, class H4, class H5, class H6,
          class H7, class T>
struct flatten<true, slots<N, Slots...>,
               cons<H0, cons<H1, cons<H2, cons<H3, cons<H4, cons<H5, cons<H6, cons<H7, T>>>>>>>>>
    : flatten<true, slots<N, Slots..., H0, H1, H2, H3, H4, H5, H6, H7>, T> {};

template <class Plan>
struct slot_list;
template <std::size_t N, class Memo, class List>
struct slot_list<plan<N, Memo, List>> {
  using ordered = typename flatten<false, slots<N>, List>::type;
  using reversed = typename flatten<true, slots<N>, List>::type;
};

// The DAG of expression type E: ::ordered its slots in topological order, ::reversed in the opposite
// order, ::ref the root.
template <class E>
struct dag {
  using built = build<E, path<>, plan<0, memo<>, nil>>;
  using ordered = typename slot_list<typename built::plan>::ordered;
  using reversed = typename slot_list<typename built::plan>::reversed;
  using ref = typename built::ref;
};

}  // namespace dezero::static_engine::detail
