// Values of higher order for the static engine's sweeps: `dual<T, N>` is a value with N tangent components,
// and every operation on it is a rule of dezero/ops/rules.hpp, lifted (`lift`): the rule's value map on the
// values, its derivative maps on the tangents. No derivative is written here. Running the engine's reverse
// sweep on duals (forward over reverse) gives second derivatives from the first-order rules alone, since the
// rules' derivative maps are themselves made of rules; nesting duals gives derivatives of any order.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "dezero/ops/one.hpp"
#include "dezero/ops/rules.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/sweep.hpp"

namespace dezero::static_engine::detail {

template <class T, std::size_t N>
struct dual;

template <class T>
inline constexpr bool is_dual = false;
template <class T, std::size_t N>
inline constexpr bool is_dual<dual<T, N>> = true;

// The value one level down: a dual's, or a number itself.
template <class X>
DEZERO_INLINE constexpr const auto& value_of(const X& x) {
  if constexpr (is_dual<X>)
    return x.v;
  else
    return x;
}

template <class... X>
struct dual_among;
template <class X, class... Rest>
struct dual_among<X, Rest...> {
  using type = std::conditional_t<is_dual<X>, X, typename dual_among<Rest...>::type>;
};
template <>
struct dual_among<> {
  using type = void;
};

// Whether operand I of a rule carries a tangent into the result.
template <class Rule, std::size_t I, class... X>
constexpr bool contributes() {
  return is_dual<std::tuple_element_t<I, std::tuple<X...>>> && !ops::blocks_gradient<Rule, I>;
}

// The first operand that carries a tangent into the result (sizeof...(X) if none).
template <class Rule, class... X, std::size_t... I>
constexpr std::size_t first_contributor(std::index_sequence<I...>) {
  std::size_t first = sizeof...(X);
  ((first = first == sizeof...(X) && contributes<Rule, I, X...>() ? I : first), ...);
  return first;
}

// Operand J's term of tangent component C: the rule's derivative map applied to that component.
template <std::size_t J, std::size_t C, class T, class Rule, class... X>
DEZERO_INLINE constexpr T term(const Rule& rule, const T& y, const X&... x) {
  return static_cast<T>(rule.template grad<J>(std::get<J>(std::tie(x...)).t[C], y, value_of(x)...));
}

// Tangent component C of rule(x...): the sum, over the operands that carry one, of their terms; the first
// term starts the sum (no `0 +`, which would not fold). Indices are template arguments throughout, so that
// the optimizer keeps every component in a register (with a run-time loop over C, g++ left the duals in
// memory: a store-forwarding stall per operation, 100x the hand-written Hessian).
template <std::size_t C, class T, class Rule, std::size_t... I, class... X>
DEZERO_INLINE constexpr T tangent(std::index_sequence<I...>, const Rule& rule, const T& y, const X&... x) {
  constexpr std::size_t first = first_contributor<Rule, X...>(std::index_sequence<I...>{});
  if constexpr (first == sizeof...(X)) {
    return T{};
  } else {
    T sum = term<first, C>(rule, y, x...);
    const auto add = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) DEZERO_LAMBDA_INLINE {
      if constexpr (J > first && contributes<Rule, J, X...>()) sum = sum + term<J, C>(rule, y, x...);
    };
    (add(std::integral_constant<std::size_t, I>{}), ...);
    return sum;
  }
}

// rule(x...) where some operand is a dual: the value one level down (itself lifted where that is a dual
// too), and each tangent component through the rule's derivative maps.
template <class Rule, class... X>
DEZERO_INLINE constexpr auto lift(const Rule& rule, const X&... x) {
  if constexpr (requires { Rule::first_order_only; })
    static_assert(
        !Rule::first_order_only,
        "dezero: this operation (sum_over) has first derivatives only: no Hessian or derivative<K> of an "
        "expression that holds it");
  using D = typename dual_among<X...>::type;
  using T = typename D::value_type;
  D y;
  y.v = evaluate<T>(rule, value_of(x)...);
  [&]<std::size_t... C>(std::index_sequence<C...>) DEZERO_LAMBDA_INLINE {
    ((y.t[C] = tangent<C>(std::make_index_sequence<sizeof...(X)>{}, rule, y.v, x...)), ...);
  }
  (std::make_index_sequence<D::size>{});
  return y;
}

template <class T, std::size_t N>
struct dual {
  using value_type = T;
  static constexpr std::size_t size = N;
  T v{};
  T t[N]{};

  constexpr dual() = default;
  // A constant: no tangent.
  template <class C>
  requires std::is_arithmetic_v<C>
  constexpr dual(C c) : v(static_cast<double>(c)) {}
  explicit constexpr dual(ops::one) : v(1.0) {}
  constexpr dual(const T& value) requires(!std::is_arithmetic_v<T>) : v(value) {}

#define DEZERO_DUAL_BINARY(op, Rule)                                                                      \
  DEZERO_INLINE friend constexpr dual operator op(const dual& a, const dual& b) {                         \
    return lift(Rule{}, a, b);                                                                            \
  }                                                                                                       \
  DEZERO_INLINE friend constexpr dual operator op(const dual& a, double b) { return lift(Rule{}, a, b); } \
  DEZERO_INLINE friend constexpr dual operator op(double a, const dual& b) { return lift(Rule{}, a, b); }
  DEZERO_DUAL_BINARY(+, ops::Add)
  DEZERO_DUAL_BINARY(-, ops::Sub)
  DEZERO_DUAL_BINARY(*, ops::Mul)
  DEZERO_DUAL_BINARY(/, ops::Div)
  DEZERO_DUAL_BINARY(<, ops::Less)
  DEZERO_DUAL_BINARY(<=, ops::LessEqual)
  DEZERO_DUAL_BINARY(>, ops::Greater)
  DEZERO_DUAL_BINARY(>=, ops::GreaterEqual)
  DEZERO_DUAL_BINARY(==, ops::Equal)
  DEZERO_DUAL_BINARY(!=, ops::NotEqual)
#undef DEZERO_DUAL_BINARY
  DEZERO_INLINE friend constexpr dual operator-(const dual& a) { return lift(ops::Neg{}, a); }
};

// The functions the rules' derivative maps call, found by argument-dependent lookup, each a lifted rule.
#define DEZERO_DUAL_UNARY(f, Rule)                            \
  template <class T, std::size_t N>                           \
  DEZERO_INLINE constexpr dual<T, N> f(const dual<T, N>& x) { \
    return lift(ops::Rule{}, x);                              \
  }
DEZERO_DUAL_UNARY(square, Square)
DEZERO_DUAL_UNARY(exp, Exp)
DEZERO_DUAL_UNARY(log, Log)
DEZERO_DUAL_UNARY(sqrt, Sqrt)
DEZERO_DUAL_UNARY(sin, Sin)
DEZERO_DUAL_UNARY(cos, Cos)
DEZERO_DUAL_UNARY(tanh, Tanh)
DEZERO_DUAL_UNARY(sinh, Sinh)
DEZERO_DUAL_UNARY(cosh, Cosh)
DEZERO_DUAL_UNARY(sign, Sign)
#undef DEZERO_DUAL_UNARY

template <class T, std::size_t N>
DEZERO_INLINE constexpr dual<T, N> pow(const dual<T, N>& x, double c) {
  return lift(ops::Pow<double>{c}, x);
}
template <class T, std::size_t N>
DEZERO_INLINE constexpr dual<T, N> pow(const dual<T, N>& x, const dual<T, N>& y) {
  return lift(ops::PowVariable{}, x, y);
}
template <class T, std::size_t N>
DEZERO_INLINE constexpr dual<T, N> pow(double x, const dual<T, N>& y) {
  return lift(ops::PowVariable{}, x, y);
}
template <bool When, class C, class T, std::size_t N>
DEZERO_INLINE constexpr dual<T, N> masked(const C& condition, const dual<T, N>& g) {
  return lift(ops::Masked<When>{}, condition, g);
}

}  // namespace dezero::static_engine::detail
