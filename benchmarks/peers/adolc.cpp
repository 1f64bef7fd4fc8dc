// The adolc executable of the comparison (adolc.hpp).
#include "adolc.hpp"
#include "harness.hpp"

int main(int argc, char** argv) {
  return dezero::peers::run<dezero::peers::Adolc<false>, dezero::peers::Adolc<true>,
                            dezero::peers::AdolcHessian>(argc, argv);
}
