// goldstein's value and gradient through the static engine (issue 3, section 5).
#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"

dezero::ValueAndGrad<2> goldstein_gradient(double x, double y) {
  return dezero::value_and_grad(dezero::goldstein, x, y);
}
