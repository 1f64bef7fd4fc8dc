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

  using Rosenbrock = ByTerms<Boost>::Rosenbrock;
  using Dynamic = ByTerms<Boost>::Dynamic;
  using Smooth = ByTerms<Boost>::Smooth;
};

}  // namespace dezero::peers
