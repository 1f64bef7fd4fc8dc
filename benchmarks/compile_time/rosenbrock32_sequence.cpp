// Rosenbrock of 32 variables through a sequence (dezero/sequence.hpp, issue 12 section 1): value and
// gradient, 31 terms over a compile-time range (target: <= 3 s, g++ -O2).
#include <array>

#include "dezero/sequence.hpp"
#include "dezero/sequence_test_functions.hpp"

dezero::ValueAndGrad<32> rosenbrock32_gradient(const std::array<double, 32>& x) {
  return dezero::value_and_grad(dezero::rosenbrock_n, x);
}
