// The boost executable of the comparison (boost.hpp).
#include "boost.hpp"
#include "harness.hpp"

int main(int argc, char** argv) { return dezero::peers::run<dezero::peers::Boost>(argc, argv); }
