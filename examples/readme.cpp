// The example of README.md, compiled and run by the test suite so that it stays true.
#include <dezero/dezero.hpp>
#include <iostream>

int main() {
  auto f = [](const auto& x, const auto& y) {
    using std::pow;
    return pow(x, 2) * y + 3 * y;
  };
  dezero::Variable x(2.0), y(5.0);
  dezero::Variable z = f(x, y);  // runtime engine: a graph
  z.backward();
  std::cout << z << ' ' << *x.grad() << ' ' << *y.grad()
            << '\n';                                         // variable(35.0) variable(20.0) variable(7.0)
  auto [value, grad] = dezero::value_and_grad(f, 2.0, 5.0);  // static engine: generated code
  std::cout << value << ' ' << grad[0] << ' ' << grad[1] << '\n';  // 35 20 7
}
