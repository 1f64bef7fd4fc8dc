// goldstein's value, gradient and Hessian through the static engine (issue 11, section 3): its compile time
// over goldstein_value.cpp's is the figure.
#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"

dezero::ValueGradHessian<2> goldstein_hessian(double x, double y) {
  return dezero::value_grad_hessian(dezero::goldstein, x, y);
}
