// The sacado executable of the comparison (sacado.hpp).
#include "sacado.hpp"
#include "harness.hpp"

int main(int argc, char** argv) {
  return dezero::peers::run<dezero::peers::SacadoFad, dezero::peers::SacadoWhole>(argc, argv);
}
