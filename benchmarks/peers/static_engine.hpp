// DeZero++'s static engine in the comparison: generated straight-line code (dezero/static.hpp, which
// needs only the standard library).
#pragma once

#include "dezero/static.hpp"
#include "dezero/static/sum_over.hpp"
#include "dezero/static/windowed.hpp"
#include "problems.hpp"

namespace dezero::peers {

// A 10,000-operation expression is not a type anyone compiles: no chain10000.
template <class F>
concept fixed_size = !is<F, scalar_chain>;

// The static engine: value_and_grad of the generic formula. Rosenbrock of n variables is one call of a
// windowed sum (dezero::windowed<2>), least squares one sum_over node; the dynamic case one value_and_grad
// per term, accumulated.
struct Static {
  static constexpr const char* name = "DeZero++ static";

  template <class F>
  static ValueAndGrad2 gradient2(F f, double x, double y) {
    // Element by element, as every adapter converts its library's result. Copying `g` whole from this
    // const binding made g++ 12 store the components one by one and reload them as one vector: a
    // store-forwarding stall, 2.3x on goldstein (docs/performance.md).
    const auto [v, g] = dezero::value_and_grad(f, x, y);
    return {v, {g[0], g[1]}};
  }

  template <fixed_size F>
  static std::pair<double, double> gradient1(F f, double x) {
    const auto [v, g] = dezero::value_and_grad(f, x);
    return {v, g[0]};
  }

  // The Hessian, forward over reverse (dezero/static/hessian.hpp).
  template <class F>
  static ValueGradHessian2 hessian2(F f, double x, double y) {
    const auto [v, g, h] = dezero::value_grad_hessian(f, x, y);
    return {v, {g[0], g[1]}, {{{h[0][0], h[0][1]}, {h[1][0], h[1][1]}}}};
  }

  // value_grad_hessian takes scalars only, and windowed<2> has no Hessian: Rosenbrock of 100 variables
  // window by window, each window's Hessian added in, as windowed<2> does for the gradient.
  using RosenbrockHessian = HessianByTerms<Static>::Rosenbrock;

  struct Rosenbrock : Array {
    using Array::Array;
    void run() { v = dezero::value_and_grad(windows, x, g); }
    static constexpr auto windows = dezero::windowed<2>(dezero::rosenbrock);
  };

  struct LeastSquares : Array {
    using Array::Array;
    void run() {
      const auto [value, grad] = dezero::value_and_grad(
          [](const auto& a, const auto& b) {
            return dezero::sum_over(
                least_squares_samples(),
                [](const auto& a, const auto& b, const Sample& s) { return square(a * s.t + b - s.y); }, a,
                b);
          },
          x[0], x[1]);
      v = value;
      g[0] = grad[0];
      g[1] = grad[1];
    }
  };

  using Dynamic = ByTerms<Static>::Dynamic;
};

}  // namespace dezero::peers
