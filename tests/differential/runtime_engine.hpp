// A case on the runtime engine: the expression's graph built at run time (a node used twice is one Variable,
// so sharing is real), its value and the gradient that backward leaves in the inputs.
#pragma once

#include <vector>

#include "dezero/runtime.hpp"
#include "expression.hpp"
#include "generator.hpp"

namespace dezero::differential {

struct EngineResult {
  double value = 0;
  std::vector<double> grad;
};

inline EngineResult runtime_engine(const Case& c) {
  const std::vector<Variable> x(c.point.begin(), c.point.end());
  Variable y = evaluate(c.expression, x);
  y.backward();
  EngineResult r{y.item(), {}};
  for (const auto& xi : x) r.grad.push_back(xi.grad() ? xi.grad()->item() : 0.0);  // an unused input has none
  return r;
}

}  // namespace dezero::differential
