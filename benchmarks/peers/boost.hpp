// Boost.Math's autodiff (boost/math/differentiation/autodiff.hpp): forward mode, one polynomial variable per
// independent variable (make_ftuple), so a 2-variable gradient also computes the mixed term.
#pragma once

#include <boost/math/differentiation/autodiff.hpp>

#include "problems.hpp"

namespace dezero::peers {

namespace ad = boost::math::differentiation;

struct Boost {
  static constexpr const char* name = "Boost.Math autodiff";

  template <class F>
  static ValueAndGrad2 gradient2(F f, double x0, double y0) {
    const auto [x, y] = ad::make_ftuple<double, 1, 1>(x0, y0);
    const auto z = f(x, y);
    return {z.derivative(0, 0), {z.derivative(1, 0), z.derivative(0, 1)}};
  }

  template <class F>
  static std::pair<double, double> gradient1(F f, double x) {
    const auto y = f(ad::make_fvar<double, 1>(x));
    return {y.derivative(0), y.derivative(1)};
  }

  // Forward mode in one pass: one polynomial variable per parameter.
  struct LeastSquares : Array {
    using Array::Array;
    void run() {
      const auto [a, b] = ad::make_ftuple<double, 1, 1>(x[0], x[1]);
      using AD = std::remove_cvref_t<decltype(a + b)>;  // the promoted type, of both variables
      const AD y = least_squares_sum<AD>(AD(a), AD(b), AD(0.0));
      v = y.derivative(0, 0);
      g[0] = y.derivative(1, 0);
      g[1] = y.derivative(0, 1);
    }
  };

  // Order 2 in each variable: z.derivative(i, j) is d^(i+j) f / dx^i dy^j (the polynomial also holds the
  // terms of order 3 and 4 in x^i y^j, i, j <= 2, that a Hessian does not need).
  template <class F>
  static ValueGradHessian2 hessian2(F f, double x0, double y0) {
    const auto [x, y] = ad::make_ftuple<double, 2, 2>(x0, y0);
    const auto z = f(x, y);
    const double hxy = z.derivative(1, 1);
    return {z.derivative(0, 0),
            {z.derivative(1, 0), z.derivative(0, 1)},
            {{{z.derivative(2, 0), hxy}, {hxy, z.derivative(0, 2)}}}};
  }

  // Per term only: one polynomial variable per input makes a function of 100 variables at order 2 a
  // polynomial of 3^100 coefficients.
  using RosenbrockHessian = HessianByTerms<Boost>::Rosenbrock;
  using Rosenbrock = ByTerms<Boost>::Rosenbrock;
  using Dynamic = ByTerms<Boost>::Dynamic;
  using Smooth = ByTerms<Boost>::Smooth;
};

}  // namespace dezero::peers
