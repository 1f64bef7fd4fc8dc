// The DeZero++ executable of the comparison: the static engine (static_engine.hpp), the runtime engine and
// the bridge (runtime_engine.hpp).
#include "harness.hpp"
#include "runtime_engine.hpp"
#include "static_engine.hpp"

int main(int argc, char** argv) {
  return dezero::peers::run<dezero::peers::Static, dezero::peers::Runtime, dezero::peers::Bridge,
                            dezero::peers::RuntimeHessian, dezero::peers::RuntimeHessianByGradients>(argc,
                                                                                                     argv);
}
