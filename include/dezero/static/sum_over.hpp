// Sums over run-time data inside an expression (issue 12, section 2):
//
//   dezero::sum_over(data, term, p0[, p1])  =  sum over the elements d of data of term(p0, [p1,] d)
//
// Inside a function given to value_and_grad, p0 and p1 are expressions (the function's placeholders or
// anything built from them) and the sum is one node of the DAG: one operand per parameter, usable anywhere
// in a larger expression, combined with other nodes. Least squares over points (t, y):
//
//   auto f = [&](auto a, auto b) {
//     return dezero::sum_over(points, [](auto a, auto b, const Point& p) { return square(a * p.t + b - p.y);
//     },
//                             a, b);
//   };
//   auto [v, g] = dezero::value_and_grad(f, 1.0, 0.5);
//
// The node's value is a loop over the data, each step the static engine's code for the term (the term is
// differentiated once, as a function of its parameters, by the ordinary engine: the shared rules, no second
// formula). The same loop accumulates the term's gradient: the node's local derivatives (the sum over the
// data of d term / d p_j) are computed with its value, so that the reverse sweep, and forward mode's
// tangent, multiply the node's adjoint by them. One pass over the data, as hand-written code makes.
//
// On plain numbers (the same f called on doubles) sum_over is the plain loop; on runtime Variables too.
//
// What the term may capture: anything that is not an expression of the enclosing function (numbers,
// references to data, other callables). The parameters it depends on are passed to sum_over explicitly.
// What data may be: a contiguous sized range that outlives the expression (a std::vector, std::array or C
// array named by an lvalue, or a std::span); the node holds a std::span of it.
//
// The node holds its local derivatives (mutable) between the two sweeps: evaluate one expression object
// holding a sum_over on one thread at a time (value_and_grad(f, ...) makes a new one for each call).
#pragma once

#include <concepts>
#include <cstddef>
#include <iterator>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "dezero/static/detail/fixed_signature.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/detail/run_time_state.hpp"
#include "dezero/static/expression.hpp"
#include "dezero/static/placeholders.hpp"
#include "dezero/static/value_and_grad.hpp"

namespace dezero::static_engine {

// The rule of a sum over data: K parameters (1 or 2: the engine's nodes have one or two operands).
template <class Term, class T, std::size_t K>
struct SumOver {
  static constexpr std::string_view name = "SumOver";
  static constexpr std::size_t arity = K;
  // Its derivative maps multiply by sums computed on numbers with the value: not differentiable again.
  static constexpr bool first_order_only = true;

  std::span<const T> data;
  Term term;
  mutable double local[K] = {};  // sum over the data of d term / d p_j, computed with the value

  template <class... P>
  DEZERO_INLINE constexpr double operator()(const P&... p) const {
    static_assert(sizeof...(P) == K);
    double value = 0.0;
    double d[K] = {};
    for (const T& point : data) {
      const auto r = dezero::value_and_grad([&point, this](const auto&... q) { return term(q..., point); },
                                            static_cast<double>(p)...);
      value += r.value;
      for (std::size_t j = 0; j < K; ++j) d[j] += r.grad[j];
    }
    for (std::size_t j = 0; j < K; ++j) local[j] = d[j];
    return value;
  }

  template <std::size_t I, class G, class Y, class... X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X&...) const {
    return gy * local[I];
  }
};

namespace detail {

template <class Term, class T, std::size_t K>
inline constexpr bool rule_writes_state<SumOver<Term, T, K>> = true;

// What sum_over accepts as data, without <ranges> (a quarter of a second of every translation unit): a
// contiguous sized range (std::data and std::size, its elements through a pointer), named by an lvalue or
// a std::span (which refers to data that lives elsewhere).
template <class Data>
concept contiguous_data = requires(const std::remove_reference_t<Data>& d) {
  { std::data(d) } -> std::convertible_to<const void*>;
  std::size(d);
  requires std::is_pointer_v<decltype(std::data(d))>;
};
template <class Data>
using element_of = std::remove_cv_t<std::remove_pointer_t<decltype(std::data(std::declval<const Data&>()))>>;
template <class T>
inline constexpr bool is_span = false;
template <class T, std::size_t E>
inline constexpr bool is_span<std::span<T, E>> = true;
template <class Data>
inline constexpr bool outlives_expression =
    std::is_lvalue_reference_v<Data> || is_span<std::remove_cvref_t<Data>>;

template <class Term, class T, class Indices>
inline constexpr bool term_on_placeholders = false;
template <class Term, class T, std::size_t... J>
inline constexpr bool term_on_placeholders<Term, T, std::index_sequence<J...>> =
    std::invocable<const Term&, var<J>..., const T&>;

}  // namespace detail

// The sum over the elements of data of term(p..., element). One node when some p is an expression; the
// plain loop on numbers and on runtime Variables.
template <class Data, class Term, class... P>
DEZERO_INLINE constexpr auto sum_over(Data&& data, const Term& term, const P&... p) {
  using namespace detail;
  static_assert(contiguous_data<Data>,
                "dezero::sum_over(data, term, p...): data must be a contiguous range (a std::vector, "
                "std::array, C array or std::span)");
  if constexpr (contiguous_data<Data>) {
    using T = element_of<Data>;
    static_assert(outlives_expression<Data>,
                  "dezero::sum_over(data, term, p...): data must outlive the expression; pass an lvalue "
                  "or a std::span, not a temporary");
    static_assert(sizeof...(P) == 1 || sizeof...(P) == 2,
                  "dezero::sum_over(data, term, p...): one or two parameters p (a node has at most two "
                  "operands)");
    const std::span<const T> points(std::data(data), std::size(data));
    if constexpr (!(expression<P> || ...)) {  // on numbers or Variables: the plain loop
      using R = std::remove_cvref_t<std::invoke_result_t<const Term&, const P&..., const T&>>;
      R sum = R(0.0);
      for (const T& point : points) sum = sum + term(p..., point);
      return sum;
    } else if constexpr (sizeof...(P) == 1 || sizeof...(P) == 2) {
      if constexpr (fixed_signature<Term> || !term_on_placeholders<Term, T, std::index_sequence_for<P...>>) {
        if constexpr (fixed_signature<Term>)
          static_assert(always_false<Term>,
                        "dezero::sum_over(data, term, p...): term is not generic; declare its parameters "
                        "`auto` (all but the last, the data element)");
        else
          static_assert(always_false<Term>,
                        "dezero::sum_over(data, term, p...): term must be callable as term(p..., element) "
                        "with an element of data");
        return var<0>{};  // an expression, so that the caller adds no second message
      } else {
        return apply(SumOver<Term, T, sizeof...(P)>{points, term}, p...);
      }
    } else {
      return var<0>{};
    }
  } else {
    return 0.0;
  }
}

}  // namespace dezero::static_engine

namespace dezero {
using static_engine::sum_over;
}  // namespace dezero
