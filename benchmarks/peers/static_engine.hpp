// DeZero++'s static engine in the comparison: generated straight-line code (dezero/static.hpp, which
// needs only the standard library).
#pragma once

#include "dezero/static.hpp"
#include "problems.hpp"

namespace dezero::peers {

// A 10,000-operation expression is not a type anyone compiles: no chain10000.
template <class F>
concept fixed_size = !is<F, scalar_chain>;

// The static engine: value_and_grad of the generic formula; a sum of terms is one value_and_grad per term,
// accumulated (the expression's size must be known at compile time).
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

  using Rosenbrock = ByTerms<Static>::Rosenbrock;
  using Dynamic = ByTerms<Static>::Dynamic;
};

}  // namespace dezero::peers
