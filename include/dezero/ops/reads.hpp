// Which values a rule's derivative maps read, found at compile time by running them on marker types: each
// marker carries the set of arguments it was computed from. The runtime engine keeps an intermediate array
// alive only while some rule's derivative reads it (docs/runtime-engine.md, "Memory").
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "dezero/ops/one.hpp"

namespace dezero::ops {

namespace reads_detail {

template <unsigned Mask>
struct mark {
  static constexpr unsigned mask = Mask;
  constexpr mark() = default;
  constexpr explicit mark(double) {}  // a rule may start from a constant of the argument's type
};

template <class T>
struct mask_of : std::integral_constant<unsigned, 0> {};
template <unsigned M>
struct mask_of<mark<M>> : std::integral_constant<unsigned, M> {};

template <class T>
struct is_mark_t : std::false_type {};
template <unsigned M>
struct is_mark_t<mark<M>> : std::true_type {};
template <class T>
inline constexpr bool is_mark = is_mark_t<std::remove_cvref_t<T>>::value;
template <class T>
concept operand =
    is_mark<T> || std::is_arithmetic_v<std::remove_cvref_t<T>> || std::is_same_v<std::remove_cvref_t<T>, one>;
template <class A, class B>
concept binary = operand<A> && operand<B> &&(is_mark<A> || is_mark<B>);
template <class A, class B>
using joined = mark<mask_of<std::remove_cvref_t<A>>::value | mask_of<std::remove_cvref_t<B>>::value>;

template <class A, class B>
requires binary<A, B>
constexpr joined<A, B> operator+(const A&, const B&) { return {}; }
template <class A, class B>
requires binary<A, B>
constexpr joined<A, B> operator-(const A&, const B&) { return {}; }
template <class A, class B>
requires binary<A, B>
constexpr joined<A, B> operator*(const A&, const B&) { return {}; }
template <class A, class B>
requires binary<A, B>
constexpr joined<A, B> operator/(const A&, const B&) { return {}; }
template <class A, class B>
requires binary<A, B>
constexpr joined<A, B> operator<(const A&, const B&) { return {}; }
template <class A, class B>
requires binary<A, B>
constexpr joined<A, B> operator>(const A&, const B&) { return {}; }
template <class A, class B>
requires binary<A, B>
constexpr joined<A, B> operator==(const A&, const B&) { return {}; }
template <class A, class B>
requires binary<A, B>
constexpr joined<A, B> operator!=(const A&, const B&) { return {}; }
template <unsigned M>
constexpr mark<M> operator-(mark<M>) {
  return {};
}
// The elementary functions a derivative map may call.
template <unsigned M>
constexpr mark<M> pow(mark<M>, double) {
  return {};
}
template <class A, class B>
requires binary<A, B>
constexpr joined<A, B> pow(const A&, const B&) { return {}; }
template <bool When, class C, class G>
requires binary<C, G>
constexpr joined<C, G> masked(const C&, const G&) { return {}; }
#define DEZERO_READS_UNARY(f)    \
  template <unsigned M>          \
  constexpr mark<M> f(mark<M>) { \
    return {};                   \
  }
DEZERO_READS_UNARY(square)
DEZERO_READS_UNARY(exp)
DEZERO_READS_UNARY(log)
DEZERO_READS_UNARY(sqrt)
DEZERO_READS_UNARY(sin)
DEZERO_READS_UNARY(cos)
DEZERO_READS_UNARY(tanh)
DEZERO_READS_UNARY(sinh)
DEZERO_READS_UNARY(cosh)
DEZERO_READS_UNARY(sign)
#undef DEZERO_READS_UNARY

// The arguments a rule's derivative for input I reads: bit 0 the output gradient, bit 1 the output, bit 2 + J
// input J.
template <class Rule, std::size_t I, std::size_t... J>
constexpr unsigned grad_reads(std::index_sequence<J...>) {
  using result =
      decltype(std::declval<const Rule&>().template grad<I>(mark<1u>{}, mark<2u>{}, mark<(4u << J)>{}...));
  return mask_of<std::remove_cvref_t<result>>::value;
}

template <class Rule, std::size_t... I>
constexpr unsigned reads(std::index_sequence<I...>) {
  return (0u | ... | grad_reads<Rule, I>(std::make_index_sequence<Rule::arity>{}));
}

}  // namespace reads_detail

// Whether some derivative map of Rule reads the output value, or input J's value.
template <class Rule>
inline constexpr bool reads_output = (reads_detail::reads<Rule>(std::make_index_sequence<Rule::arity>{}) &
                                      2u) != 0;
template <class Rule, std::size_t J>
inline constexpr bool reads_input = (reads_detail::reads<Rule>(std::make_index_sequence<Rule::arity>{}) &
                                     (4u << J)) != 0;

}  // namespace dezero::ops
