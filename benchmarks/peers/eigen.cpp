// The eigen executable of the comparison (eigen.hpp).
#include "eigen.hpp"
#include "harness.hpp"

int main(int argc, char** argv) {
  return dezero::peers::run<dezero::peers::Eigen_, dezero::peers::EigenWhole>(argc, argv);
}
