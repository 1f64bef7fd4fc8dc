// sphere_n and Rosenbrock of 16 variables through sequences, value and gradient: the engine's part of
// benchmarks/static_sequences.cpp, without Google Benchmark (target for that file: <= 1.5 s, g++ -O2).
#include <array>

#include "dezero/sequence.hpp"
#include "dezero/sequence_test_functions.hpp"

dezero::ValueAndGrad<16> sphere16_gradient(const std::array<double, 16>& x) {
  return dezero::value_and_grad(dezero::sphere_n, x);
}
dezero::ValueAndGrad<16> rosenbrock16_gradient(const std::array<double, 16>& x) {
  return dezero::value_and_grad(dezero::rosenbrock_n, x);
}
