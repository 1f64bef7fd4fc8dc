// Sacado (Trilinos): SFad, forward mode with a fixed number of derivative components (expression templates,
// nothing allocated). Sacado's reverse mode (Rad, Sacado_trad.hpp) is not in the comparison: Debian's build
// crashes in ADcontext::Gradcomp() on a two-line program (docs/benchmarks.md's notes).
// Debian's Sacado is configured with Kokkos and Teuchos (MPI): without Kokkos views of Fad types, the
// headers need no MPI; and Sacado_Fad_SFad.hpp alone, not Sacado.hpp, does not compile Kokkos's core.
#pragma once

#define SACADO_DISABLE_FAD_VIEW_SPEC
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

  using Rosenbrock = ByTerms<SacadoFad>::Rosenbrock;
  using Dynamic = ByTerms<SacadoFad>::Dynamic;
  using Smooth = ByTerms<SacadoFad>::Smooth;
};

}  // namespace dezero::peers
