// Sacado (Trilinos): SFad, forward mode with a fixed number of derivative components (expression templates,
// nothing allocated). Sacado's reverse mode (Rad, Sacado_trad.hpp) is not in the comparison: Debian's build
// crashes in ADcontext::Gradcomp() on a two-line program (docs/benchmarks.md's notes).
// Debian's Sacado is configured with Kokkos and Teuchos (MPI): without Kokkos views of Fad types, the
// headers need no MPI; and Sacado_Fad_SFad.hpp alone, not Sacado.hpp, does not compile Kokkos's core.
#pragma once

#define SACADO_DISABLE_FAD_VIEW_SPEC
#include <Sacado_Fad_DFad.hpp>
#include <Sacado_Fad_SFad.hpp>

#include "problems.hpp"

namespace dezero::peers {

// Sacado's expressions hold their operands by reference, so a generic function that returns an expression
// (test_functions.hpp's formulas return `auto`) returns references to its destroyed temporaries, a trap
// Sacado's users know. They write the result type, and so do these: the same formulas, each converted to
// the Fad type inside its own return statement.
template <class AD>
struct Typed {
  template <class F>
  static AD call(F, const AD& x, const AD& y) {
    using std::pow;
    if constexpr (is<F, dezero::sphere>) return pow(x, 2) + pow(y, 2);
    if constexpr (is<F, dezero::matyas>) return 0.26 * (pow(x, 2) + pow(y, 2)) - 0.48 * x * y;
    if constexpr (is<F, dezero::goldstein>)
      return (1 + pow(x + y + 1, 2) * (19 - 14 * x + 3 * pow(x, 2) - 14 * y + 6 * x * y + 3 * pow(y, 2))) *
             (30 +
              pow(2 * x - 3 * y, 2) * (18 - 32 * x + 12 * pow(x, 2) + 48 * y - 36 * x * y + 27 * pow(y, 2)));
    if constexpr (is<F, dezero::rosenbrock>) return 100 * pow(y - pow(x, 2), 2) + pow(1 - x, 2);
  }
  template <class F>
  static AD call(F f, const AD& x) {
    using std::pow;
    if constexpr (is<F, smooth>) return pow((x * x + 3 * x - 1) / (x * x + 1), 2);
    if constexpr (is<F, scalar_chain>) return f(x);  // assigns each step
  }
};

struct SacadoFad {
  static constexpr const char* name = "Sacado SFad";

  template <class F>
  static ValueAndGrad2 gradient2(F f, double x0, double y0) {
    using AD = Sacado::Fad::SFad<double, 2>;
    const AD x(2, 0, x0), y(2, 1, y0);
    const AD z = Typed<AD>::call(f, x, y);
    return {z.val(), {z.dx(0), z.dx(1)}};
  }

  template <class F>
  static std::pair<double, double> gradient1(F f, double x0) {
    using AD = Sacado::Fad::SFad<double, 1>;
    const AD y = Typed<AD>::call(f, AD(1, 0, x0));
    return {y.val(), y.dx(0)};
  }

  // Forward mode in one pass: two derivative directions, the parameters.
  struct LeastSquares : Array {
    using Array::Array;
    void run() {
      using AD = Sacado::Fad::SFad<double, 2>;
      const AD a(2, 0, x[0]), b(2, 1, x[1]);
      const AD y = least_squares_sum(a, b, AD(0.0));
      v = y.val();
      g[0] = y.dx(0);
      g[1] = y.dx(1);
    }
  };

  // Second order by nesting, as Sacado's Hessian examples: SFad<SFad<double, 2>, 2> (forward over forward).
  // z.val().dx(j) is the gradient, z.dx(i).dx(j) the Hessian.
  template <class F>
  static ValueGradHessian2 hessian2(F f, double x0, double y0) {
    using Inner = Sacado::Fad::SFad<double, 2>;
    using AD = Sacado::Fad::SFad<Inner, 2>;
    const AD x(2, 0, Inner(2, 0, x0)), y(2, 1, Inner(2, 1, y0));
    const AD z = Typed<AD>::call(f, x, y);
    return {z.val().val(),
            {z.val().dx(0), z.val().dx(1)},
            {{{z.dx(0).dx(0), z.dx(0).dx(1)}, {z.dx(1).dx(0), z.dx(1).dx(1)}}}};
  }

  using RosenbrockHessian = HessianByTerms<SacadoFad>::Rosenbrock;
  using Rosenbrock = ByTerms<SacadoFad>::Rosenbrock;
  using Dynamic = ByTerms<SacadoFad>::Dynamic;
  using Smooth = ByTerms<SacadoFad>::Smooth;
};

// Rosenbrock's Hessian as one function of all n variables, as for a function without a known structure:
// DFad<DFad<double>>, derivative arrays of run-time size n (allocated), n^2 second-order components per
// operation; the terms through Typed, as above.
struct SacadoWhole {
  static constexpr const char* name = "Sacado DFad, whole function";

  struct RosenbrockHessian : HessianArray {
    using Inner = Sacado::Fad::DFad<double>;
    using AD = Sacado::Fad::DFad<Inner>;
    explicit RosenbrockHessian(const std::vector<double>& x) : HessianArray(x), a(x.size()) {}
    std::vector<AD> a;  // the independent variables, seeded in run()
    void run() {
      const int n = static_cast<int>(x.size());
      for (int i = 0; i < n; ++i) a[i] = AD(n, i, Inner(n, i, x[i]));
      AD z(0.0);
      for (int i = 0; i + 1 < n; ++i) z += Typed<AD>::call(dezero::rosenbrock, a[i], a[i + 1]);
      v = z.val().val();
      for (int i = 0; i < n; ++i) {
        g[i] = z.val().dx(i);
        for (int j = 0; j < n; ++j) h[i * n + j] = z.dx(i).dx(j);
      }
    }
  };
};

}  // namespace dezero::peers
