// The torch executable of the comparison (torch.hpp).
#include "torch.hpp"
#include "harness.hpp"

int main(int argc, char** argv) {
  torch::set_num_threads(1);  // every other library runs on one thread
  return dezero::peers::run<dezero::peers::Torch>(argc, argv);
}
