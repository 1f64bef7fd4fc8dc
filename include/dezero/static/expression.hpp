// The static engine's expression types. An expression is a value whose *type* is its syntax tree:
//   var<I>                     the placeholder for argument I of the function being differentiated
//   constant<T>                a run-time constant of arithmetic type T (a leaf that receives no adjoint)
//   node<Rule, Args...>        an operation of the shared vocabulary (dezero/ops/rules.hpp) applied to
//                              one or two operands, each a var, a constant or a node
// Operands are held by value, so an expression can be named with `auto`, copied and returned without
// dangling. What the engine later treats as one node of the DAG is decided from these types
// (dezero/static/dag.hpp).
#pragma once

#include <concepts>
#include <cstddef>
#include <type_traits>

#include "dezero/static/detail/inline.hpp"

namespace dezero::static_engine {

namespace detail {
template <class... T>
inline constexpr bool always_false = false;
}  // namespace detail

// A placeholder has no value while f is traced, so an expression cannot become a number or a bool. These
// conversions exist to say so in one line: f used a function the engine does not provide (a <cmath>
// function found for `double` through the conversion), or branched on a placeholder. Members, not a base:
// an empty base would share its address with an operand's and grow every node.
#define DEZERO_TRACED_CONVERSIONS                                                                            \
  template <class T = void>                                                                                  \
  constexpr operator double() const {                                                                        \
    static_assert(detail::always_false<T>,                                                                   \
                  "dezero: f calls a function the static engine does not provide, or reads a placeholder's " \
                  "value (the operations: docs/static-engine.md, \"Operations\")");                          \
    return 0.0;                                                                                              \
  }                                                                                                          \
  template <class T = void>                                                                                  \
  constexpr explicit operator bool() const {                                                                 \
    static_assert(detail::always_false<T>,                                                                   \
                  "dezero: f branches on a placeholder (if, ?:, &&, ||, !), but the static engine traces f " \
                  "once for every point: choose with dezero::where(condition, a, b)");                       \
    return false;                                                                                            \
  }

template <std::size_t I>
struct var {
  static constexpr std::size_t index = I;
  DEZERO_TRACED_CONVERSIONS
};

// Its own 8 bytes: clang 14 copies two adjacent `int`s of an expression object (pow's exponent and a
// constant) as one 64-bit word, and then no longer sees either value, so pow(x, 2) stayed a loop.
template <class T>
struct constant {
  static_assert(std::is_arithmetic_v<T>, "dezero: a constant in an expression must be of arithmetic type");
  alignas(8) T value;
};

template <class Rule, class... Args>
struct node;

namespace detail {

// A subexpression is stateless when it holds no run-time data (no constant, no rule parameter such as
// pow's exponent): its type then determines its value, and two occurrences of the type are one node.
template <class T>
inline constexpr bool stateless = false;
template <std::size_t I>
inline constexpr bool stateless<var<I>> = true;
template <class Rule, class... Args>
inline constexpr bool stateless<node<Rule, Args...>> = std::is_empty_v<Rule> && (stateless<Args> && ...);

// What a node holds: its rule and operands; nothing at all when it is stateless, so that a DAG built by
// reuse (`auto a = x * y; auto b = a * a;` ...) stays an empty object instead of doubling at each level.
template <bool Stateless, class Rule, class... Args>
struct node_data;
template <class Rule, class A>
struct node_data<false, Rule, A> {
  [[no_unique_address]] Rule rule;
  [[no_unique_address]] A a0;
};
template <class Rule, class A, class B>
struct node_data<false, Rule, A, B> {
  [[no_unique_address]] Rule rule;
  [[no_unique_address]] A a0;
  [[no_unique_address]] B a1;
};
template <class Rule, class A>
struct node_data<true, Rule, A> {
  static constexpr Rule rule{};
  static constexpr A a0{};
};
template <class Rule, class A, class B>
struct node_data<true, Rule, A, B> {
  static constexpr Rule rule{};
  static constexpr A a0{};
  static constexpr B a1{};
};

}  // namespace detail

template <class Rule, class... Args>
struct node : detail::node_data<(std::is_empty_v<Rule> && (detail::stateless<Args> && ...)), Rule, Args...> {
  DEZERO_TRACED_CONVERSIONS
  static_assert(sizeof...(Args) == 1 || sizeof...(Args) == 2, "dezero: a node has one or two operands");
};
#undef DEZERO_TRACED_CONVERSIONS

namespace detail {

template <class T>
inline constexpr bool is_expression = false;
template <std::size_t I>
inline constexpr bool is_expression<var<I>> = true;
template <class Rule, class... Args>
inline constexpr bool is_expression<node<Rule, Args...>> = true;

template <class T>
inline constexpr bool is_leaf_or_expression = is_expression<T>;
template <class T>
inline constexpr bool is_leaf_or_expression<constant<T>> = true;

}  // namespace detail

// A var or a node: something that depends on the arguments.
template <class T>
concept expression = detail::is_expression<std::remove_cvref_t<T>>;

template <class T>
concept arithmetic = std::is_arithmetic_v<std::remove_cvref_t<T>>;

// What may stand beside an expression in an operation: another expression or an arithmetic constant.
template <class T>
concept operand = expression<T> || arithmetic<T>;

namespace detail {
// The operands of a binary operation or function: an expression on at least one side.
template <class A, class B>
concept binary_operands = (expression<A> && operand<B>) || (arithmetic<A> && expression<B>);
}  // namespace detail

namespace detail {

// How many arguments an expression needs: one more than its largest placeholder index.
template <class T>
inline constexpr std::size_t arity = 0;
template <std::size_t I>
inline constexpr std::size_t arity<var<I>> = I + 1;
template <class Rule, class A>
inline constexpr std::size_t arity<node<Rule, A>> = arity<A>;
template <class Rule, class A, class B>
inline constexpr std::size_t arity<node<Rule, A, B>> = arity<A> < arity<B> ? arity<B> : arity<A>;

template <class T>
DEZERO_INLINE constexpr auto as_operand(const T& x) {
  if constexpr (expression<T>)
    return x;
  else
    return constant<T>{x};
}

template <std::size_t I, class N>
DEZERO_INLINE constexpr const auto& child(const N& n) {
  if constexpr (I == 0)
    return n.a0;
  else
    return n.a1;
}

}  // namespace detail

// Applies a rule of the shared vocabulary to operands: the way every operator and math function below
// makes its node, and the way to add an operation of one's own (write the rule once; both engines use it).
template <class Rule, operand... Xs>
requires(sizeof...(Xs) == Rule::arity && (expression<Xs> || ...)) DEZERO_INLINE
    constexpr auto apply(const Rule& rule, const Xs&... xs) {
  using result = node<Rule, decltype(detail::as_operand(xs))...>;
  if constexpr (detail::stateless<result>)
    return result{};
  else
    return result{{rule, detail::as_operand(xs)...}};
}

}  // namespace dezero::static_engine
