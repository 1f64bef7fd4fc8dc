// goldstein's value and gradient through the runtime engine (issue 10), against xtensor_add.cpp.
#include <utility>

#include "dezero/runtime.hpp"
#include "dezero/test_functions.hpp"

std::pair<double, double> goldstein_gradient(double a, double b) {
  dezero::Variable x(a), y(b);
  dezero::Variable z = dezero::goldstein(x, y);
  z.backward();
  return {x.grad()->item(), y.grad()->item()};
}
