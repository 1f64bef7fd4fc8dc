// Eigen's AutoDiffScalar (unsupported/Eigen/AutoDiff): forward mode, the derivatives a fixed-size vector
// (two entries for a 2-variable gradient, one for a derivative), so nothing is allocated.
#pragma once

#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

#include "problems.hpp"

namespace dezero::peers {

struct Eigen_ {
  static constexpr const char* name = "Eigen AutoDiffScalar";

  template <class F>
  static ValueAndGrad2 gradient2(F f, double x0, double y0) {
    using AD = Eigen::AutoDiffScalar<Eigen::Vector2d>;
    const AD x(x0, 2, 0), y(y0, 2, 1);
    const AD z = f(x, y);
    return {z.value(), {z.derivatives()(0), z.derivatives()(1)}};
  }

  template <class F>
  static std::pair<double, double> gradient1(F f, double x0) {
    using AD = Eigen::AutoDiffScalar<Eigen::Matrix<double, 1, 1>>;
    const AD y = f(AD(x0, 1, 0));
    return {y.value(), y.derivatives()(0)};
  }

  // Forward mode in one pass: two derivative directions, the parameters.
  struct LeastSquares : Array {
    using Array::Array;
    void run() {
      using AD = Eigen::AutoDiffScalar<Eigen::Vector2d>;
      const AD a(x[0], 2, 0), b(x[1], 2, 1);
      const AD y = least_squares_sum(a, b, AD(0.0, Eigen::Vector2d::Zero()));
      v = y.value();
      g[0] = y.derivatives()(0);
      g[1] = y.derivatives()(1);
    }
  };

  using Rosenbrock = ByTerms<Eigen_>::Rosenbrock;
  using Dynamic = ByTerms<Eigen_>::Dynamic;
  using Smooth = ByTerms<Eigen_>::Smooth;
};

}  // namespace dezero::peers
