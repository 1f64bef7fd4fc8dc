// Second and higher derivatives, generated at compile time (issue 11, section 2):
//   dezero::hessian(f, a0, ..., aN-1)             ->  std::array<std::array<double, N>, N>
//   dezero::value_grad_hessian(f, a...)           ->  ValueGradHessian<N>{value, grad, hessian}
//   dezero::derivative<K>(f, x)                   ->  the K-th derivative of a function of one argument
// Two modes for the Hessian, chosen by the work each needs (forward_over_forward_pays):
//   - forward over forward (dezero/static/second_order.hpp): one forward pass computing every slot's value,
//     gradient and second-order components, only those that are not 0 by the DAG's types;
//   - forward over reverse: the engine's reverse sweep (dezero/static/sweep.hpp) run on values with N
//     tangents (dezero/static/dual.hpp), so row i is the tangent of gradient component i; for more than 8
//     arguments, or DAGs where most slots depend on most arguments through products.
// Both compute the upper triangle once and mirror it, so the result is symmetric bit for bit. derivative<K>
// runs the forward sweep on K nested duals. Every derivative comes from the rules' first derivative maps;
// constexpr where the first-order engine is.
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "dezero/static/detail/inline.hpp"
#include "dezero/static/dual.hpp"
#include "dezero/static/second_order.hpp"
#include "dezero/static/sweep.hpp"
#include "dezero/static/value_and_grad.hpp"

namespace dezero {

// The value, gradient and Hessian of f; `auto [value, grad, hessian] = dezero::value_grad_hessian(f, x, y);`
template <std::size_t N>
struct ValueGradHessian {
  double value;
  std::array<double, N> grad;
  std::array<std::array<double, N>, N> hessian;
};

namespace static_engine::detail {

template <class E, std::size_t N, bool ForwardOverForward = forward_over_forward_pays<E, N>()>
DEZERO_INLINE constexpr ValueGradHessian<N> run_hessian(const E& e, const std::array<double, N>& a) {
  using D = dual<double, N>;
  using p = program<E, N, D>;
  ValueGradHessian<N> r{};
  if constexpr (p::size == 0) {  // f returns one of its arguments
    r.value = a[E::index];
    r.grad[E::index] = 1.0;
  } else if constexpr (ForwardOverForward) {
    using q = second_order<E, N>;
    return q::template run<ValueGradHessian<N>>(q::p::plan, e, a);
  } else {
    // Pack expansions, not loops, for the reason dezero/static/dual.hpp gives.
    typename p::arguments x{};
    [&]<std::size_t... I>(std::index_sequence<I...>) DEZERO_LAMBDA_INLINE {
      ((x[I].v = a[I], x[I].t[I] = 1.0), ...);
    }
    (std::make_index_sequence<N>{});
    typename p::values v{};
    typename p::arguments g{};
    p::forward_all(p::plan, e, x, v);
    p::backward_all(p::plan, std::make_index_sequence<N>{}, e, x, v, g);
    r.value = value_of(p::template get<typename p::root>(e, x, v));
    [&]<std::size_t... I>(std::index_sequence<I...>) DEZERO_LAMBDA_INLINE {
      ((r.grad[I] = g[I].v), ...);
      const auto row = [&]<std::size_t i, std::size_t... J>(std::integral_constant<std::size_t, i>,
                                                            std::index_sequence<J...>) DEZERO_LAMBDA_INLINE {
        ((J >= i ? void(r.hessian[i][J] = r.hessian[J][i] = g[i].t[J]) : void()), ...);
      };
      (row(std::integral_constant<std::size_t, I>{}, std::make_index_sequence<N>{}), ...);
    }
    (std::make_index_sequence<N>{});
  }
  return r;
}

// K nested duals of one tangent each: the component t[0].t[0]... (K deep) of f(x) is f's K-th derivative.
template <std::size_t K>
struct nested {
  using type = dual<typename nested<K - 1>::type, 1>;
};
template <>
struct nested<0> {
  using type = double;
};

template <std::size_t K>
DEZERO_INLINE constexpr typename nested<K>::type seeded(double a) {
  if constexpr (K == 0) {
    return a;
  } else {
    typename nested<K>::type d;
    d.v = seeded<K - 1>(a);
    d.t[0] = typename nested<K - 1>::type(1.0);
    return d;
  }
}

template <std::size_t K, class D>
DEZERO_INLINE constexpr double highest(const D& d) {
  if constexpr (K == 0)
    return d;
  else
    return highest<K - 1>(d.t[0]);
}

template <std::size_t K, class E>
DEZERO_INLINE constexpr double run_derivative(const E& e, double a) {
  using D = typename nested<K>::type;
  using p = program<E, 1, D>;
  if constexpr (p::size == 0) {  // f(x) = x
    return K == 1 ? 1.0 : 0.0;
  } else {
    typename p::arguments x{seeded<K>(a)};
    typename p::values v{};
    p::forward_all(p::plan, e, x, v);
    return highest<K>(p::template get<typename p::root>(e, x, v));
  }
}

}  // namespace static_engine::detail

template <class F, class... A>
DEZERO_STATIC_ENTRY constexpr ValueGradHessian<sizeof...(A)> value_grad_hessian(const F& f, const A&... a) {
  using namespace static_engine::detail;
  const auto e = expression_of<F, sizeof...(A), A...>(f);
  if constexpr (static_engine::expression<decltype(e)>)
    return run_hessian(e, std::array<double, sizeof...(A)>{static_cast<double>(a)...});
  else
    return {value_of_constant(e), {}, {}};
}

template <class F, class... A>
DEZERO_STATIC_ENTRY constexpr std::array<std::array<double, sizeof...(A)>, sizeof...(A)> hessian(
    const F& f, const A&... a) {
  return value_grad_hessian(f, a...).hessian;
}

// The K-th derivative of f at x (K = 0 is the value).
template <std::size_t K, class F, class A>
DEZERO_STATIC_ENTRY constexpr double derivative(const F& f, const A& x) {
  using namespace static_engine::detail;
  if constexpr (K == 0) {
    return value(f, x);
  } else if constexpr (K == 1) {
    return grad(f, x)[0];
  } else {
    const auto e = expression_of<F, 1, A>(f);
    if constexpr (static_engine::expression<decltype(e)>)
      return run_derivative<K>(e, static_cast<double>(x));
    else
      return 0.0;
  }
}

}  // namespace dezero
