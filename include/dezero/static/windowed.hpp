// Sums over the windows of a run-time-length vector (issue 12, section 3):
//
//   f(x) = sum over i = 0 .. n - W of term(x[i], x[i + 1], ..., x[i + W - 1])
//
// for x of any length n known only at run time, its gradient with respect to the whole x generated from a
// generic term of W arguments:
//
//   const auto rosenbrock = dezero::windowed<2>([](auto a, auto b) { return 100 * square(b - a * a) +
//                                                                         square(1 - a); });
//   double v = rosenbrock(x);                                 // the value alone, on doubles
//   auto [value, grad] = dezero::value_and_grad(rosenbrock, x);   // grad: std::vector<double>(n)
//   double value2 = dezero::value_and_grad(rosenbrock, x, g);     // the gradient into g (size n)
//
// x is anything a std::span<const double> is made from (std::vector<double>, std::array, a span), g a
// std::span<double> of x's size (std::invalid_argument otherwise). Each window is one call of the static
// engine on the term's W arguments; its gradient is added into g[i .. i + W), as hand-written code does.
// Fewer than W elements: the sum is empty, its value 0 and its gradient 0.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "dezero/static/detail/fixed_signature.hpp"
#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"
#include "dezero/static/placeholders.hpp"
#include "dezero/static/value_and_grad.hpp"

namespace dezero {

// The sum over windows of W consecutive elements of term(x[i], ..., x[i + W - 1]); made by windowed<W>.
template <std::size_t W, class Term>
struct Windowed {
  static constexpr std::size_t width = W;
  Term term;

  // The value alone, on doubles.
  double operator()(std::span<const double> x) const {
    const double* p = x.data();
    double value = 0.0;
    for (std::size_t i = 0; i + W <= x.size(); ++i)
      value += [&]<std::size_t... J>(std::index_sequence<J...>) {
        return static_cast<double>(term(p[i + J]...));
      }
    (std::make_index_sequence<W>{});
    return value;
  }
};

// The value and the gradient (a vector of x's size) of a windowed sum.
struct ValueAndGradVector {
  double value;
  std::vector<double> grad;
};

namespace static_engine::detail {

// Whether the term takes some other number of arguments (up to 8), for the message.
template <class Term, std::size_t W>
constexpr bool takes_other_width() {
  return [&]<std::size_t... M>(std::index_sequence<M...>) {
    return ((M + 1 != W && invocable_on_placeholders<Term, std::make_index_sequence<M + 1>>) || ...);
  }
  (std::make_index_sequence<8>{});
}

template <std::size_t W, class Term>
constexpr bool check_window_term() {
  static_assert(W > 0, "dezero::windowed<W>(term): the window width W must be at least 1");
  if constexpr (W > 0 &&
                (fixed_signature<Term> || !invocable_on_placeholders<Term, std::make_index_sequence<W>>)) {
    if constexpr (fixed_signature<Term>)
      static_assert(always_false<Term>,
                    "dezero::windowed<W>(term): term is not generic; declare its W parameters `auto`");
    else if constexpr (takes_other_width<Term, W>())
      static_assert(always_false<Term>,
                    "dezero::windowed<W>(term): term takes a different number of arguments than the window "
                    "width W");
    else
      static_assert(always_false<Term>,
                    "dezero::windowed<W>(term): term must be a generic function of W arguments");
    return false;
  }
  return true;
}

// value of the windowed sum, its gradient into g[0 .. n).
template <std::size_t W, class Term>
DEZERO_STATIC_FLATTEN double windowed_value_and_grad(const Term& term, const double* x, double* g,
                                                     std::size_t n) {
  std::fill(g, g + n, 0.0);
  double value = 0.0;
  for (std::size_t i = 0; i + W <= n; ++i) {
    [&]<std::size_t... J>(std::index_sequence<J...>) {
      const auto r = dezero::value_and_grad(term, x[i + J]...);
      value += r.value;
      ((g[i + J] += r.grad[J]), ...);
    }
    (std::make_index_sequence<W>{});
  }
  return value;
}

}  // namespace static_engine::detail

// The sum of term over every window of W consecutive elements. term: a generic function of W arguments.
template <std::size_t W, class Term>
constexpr Windowed<W, Term> windowed(const Term& term) {
  static_engine::detail::check_window_term<W, Term>();
  return {term};
}

// The value; the gradient written into g, which must have x's size.
template <std::size_t W, class Term, class X, class G>
requires std::convertible_to<const X&, std::span<const double>> && std::convertible_to<G&&, std::span<double>>
double value_and_grad(const Windowed<W, Term>& f, const X& x, G&& g) {
  const std::span<const double> xs(x);
  const std::span<double> gs(g);
  if (gs.size() != xs.size())
    throw std::invalid_argument("dezero::value_and_grad(windowed, x, g): g has " + std::to_string(gs.size()) +
                                " elements, x " + std::to_string(xs.size()));
  return static_engine::detail::windowed_value_and_grad<W>(f.term, xs.data(), gs.data(), xs.size());
}

// The value and the gradient, as a new vector of x's size.
template <std::size_t W, class Term, class X>
requires std::convertible_to<const X&, std::span<const double>> ValueAndGradVector
value_and_grad(const Windowed<W, Term>& f, const X& x) {
  const std::span<const double> xs(x);
  ValueAndGradVector r{0.0, std::vector<double>(xs.size())};
  r.value = static_engine::detail::windowed_value_and_grad<W>(f.term, xs.data(), r.grad.data(), xs.size());
  return r;
}

template <std::size_t W, class Term, class X>
requires std::convertible_to<const X&, std::span<const double>> std::vector<double> grad(
    const Windowed<W, Term>& f, const X& x) {
  return value_and_grad(f, x).grad;
}

template <std::size_t W, class Term, class X>
requires std::convertible_to<const X&, std::span<const double>>
double value(const Windowed<W, Term>& f, const X& x) { return f(std::span<const double>(x)); }

}  // namespace dezero
