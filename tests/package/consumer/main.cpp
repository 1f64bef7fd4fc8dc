#include <dezero/dezero.hpp>

// Exits 0 only if the installed headers compute goldstein's gradient at (1, 1).
int main() {
  dezero::Variable x(1.0), y(1.0);
  dezero::Variable z = dezero::goldstein(x, y);
  z.backward();
  return z.item() == 1876.0 && x.grad()->item() == -5376.0 && y.grad()->item() == 8064.0 ? 0 : 1;
}
