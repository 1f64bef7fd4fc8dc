// Eigen's AutoDiffScalar (unsupported/Eigen/AutoDiff): forward mode, the derivatives a fixed-size vector
// (two entries for a 2-variable gradient, one for a derivative), so nothing is allocated.
#pragma once

#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

#include <stdexcept>

#include "problems.hpp"

// Eigen's pow(AutoDiffScalar, Scalar) does not compile when Scalar is itself an AutoDiffScalar (it calls
// pow(inner, inner), which Eigen does not define), so the generic formulas' pow(x, 2) has no second-order
// Eigen form. This overload gives it one, with Eigen's own first-order pow on the inner scalar:
// d pow(x, n) = n pow(x, n - 1) dx, as Eigen's rule.
namespace Eigen {
template <class DerType>
requires requires { typename internal::remove_all<DerType>::type::Scalar::DerType; }
auto pow(const AutoDiffScalar<DerType>& x, int n) {
  using Plain = typename internal::remove_all<DerType>::type::PlainObject;
  using Inner = typename Plain::Scalar;
  const Inner value = x.value(), power = pow(value, static_cast<double>(n - 1));
  // An expression, as Eigen's own functions return: a plain AutoDiffScalar returned here would be held by
  // reference by the enclosing expression, which the generic formulas return past its lifetime.
  return MakeAutoDiffScalar(Inner(power * value), x.derivatives() * Inner(n * power));
}
}  // namespace Eigen

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

  // Second order by nesting: an AutoDiffScalar whose value and derivatives are AutoDiffScalars (forward over
  // forward), all of fixed size. z.value().derivatives() is the gradient, z.derivatives()(i).derivatives()
  // row i of the Hessian.
  template <class F>
  static ValueGradHessian2 hessian2(F f, double x0, double y0) {
    using Inner = Eigen::AutoDiffScalar<Eigen::Vector2d>;
    using AD = Eigen::AutoDiffScalar<Eigen::Matrix<Inner, 2, 1>>;
    const AD x(Inner(x0, 2, 0), 2, 0), y(Inner(y0, 2, 1), 2, 1);
    const AD z = f(x, y);
    const auto& d = z.derivatives();
    return {
        z.value().value(),
        {z.value().derivatives()(0), z.value().derivatives()(1)},
        {{{d(0).derivatives()(0), d(0).derivatives()(1)}, {d(1).derivatives()(0), d(1).derivatives()(1)}}}};
  }

  using RosenbrockHessian = HessianByTerms<Eigen_>::Rosenbrock;
  using Rosenbrock = ByTerms<Eigen_>::Rosenbrock;
  using Dynamic = ByTerms<Eigen_>::Dynamic;
  using Smooth = ByTerms<Eigen_>::Smooth;
};

// Rosenbrock's Hessian as one function of all n variables, as for a function without a known structure: the
// nested AutoDiffScalar with derivative vectors of the fixed size n = 100 (nothing allocated; Eigen's
// dynamic-size nesting, AutoDiffScalar<Matrix<AutoDiffScalar<VectorXd>, Dynamic, 1>>, trips g++ 12's
// maybe-uninitialized warning inside Eigen's make_coherent). n^2 second-order components per operation.
struct EigenWhole {
  static constexpr const char* name = "Eigen AutoDiffScalar, whole function";
  static constexpr int n = 100;

  struct RosenbrockHessian : HessianArray {
    using Inner = Eigen::AutoDiffScalar<Eigen::Matrix<double, n, 1>>;
    using AD = Eigen::AutoDiffScalar<Eigen::Matrix<Inner, n, 1>>;
    explicit RosenbrockHessian(const std::vector<double>& x) : HessianArray(x), a(x.size()) {
      if (x.size() != n) throw std::invalid_argument("EigenWhole: Rosenbrock of 100 variables only");
    }
    std::vector<AD> a;  // the independent variables, seeded in run()
    void run() {
      for (int i = 0; i < n; ++i) a[i] = AD(Inner(x[i], n, i), n, i);
      const AD z = rosenbrock_sum(a, AD(0.0));
      v = z.value().value();
      for (int i = 0; i < n; ++i) {
        g[i] = z.value().derivatives()(i);
        for (int j = 0; j < n; ++j) h[i * n + j] = z.derivatives()(i).derivatives()(j);
      }
    }
  };
};

}  // namespace dezero::peers
