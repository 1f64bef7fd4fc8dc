#include <dezero/eigen.hpp>

// Exits 0 only if the installed headers give the gradient of x.x, 2x, at x = (1, 2, 3).
int main() {
  dezero::VectorX x(3);
  x << 1.0, 2.0, 3.0;
  dezero::Variable y = x.dot(x);
  y.backward();
  return y.item() == 14.0 && x(0).grad()->item() == 2.0 && x(2).grad()->item() == 6.0 ? 0 : 1;
}
