// goldstein's value and gradient through one library, and nothing else: the translation unit whose compile
// time and peak compiler memory docs/benchmarks.md gives per library. Compiled once per library, with
// PEER_HEADER the library's header and PEER its struct (benchmarks/peers/CMakeLists.txt).
#include PEER_HEADER

dezero::peers::ValueAndGrad2 goldstein_gradient(double x, double y) {
  return dezero::peers::PEER::gradient2(dezero::goldstein, x, y);
}
