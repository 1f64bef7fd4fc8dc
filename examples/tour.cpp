// DeZero's steps 11-24 replayed in C++. Each step prints what DeZero's step file prints (reference
// section A10, the repository's default core), preceded by a comment line naming the step.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xbuilder.hpp>

#include "dezero/dezero.hpp"

using dezero::NDArray;
using dezero::Variable;

namespace {

// Python's print() of an ndarray: str(array).
std::string str(const NDArray& a) { return dezero::array_str(a); }
std::string str(const std::optional<Variable>& grad) { return grad ? str(grad->data()) : "None"; }

// Steps 11-12 define Add as a user Function; here it is, written as a user of DeZero++ writes one.
struct Add : dezero::Function {
  std::vector<NDArray> forward(const dezero::ArrayList& xs) override { return {xs[0] + xs[1]}; }
  std::vector<Variable> backward(const std::vector<Variable>& gys) override { return {gys[0], gys[0]}; }
};

void step(int n, const char* title) { std::cout << "# step " << n << ": " << title << '\n'; }

}  // namespace

int main() {
  step(11, "variadic arguments (forward)");
  {
    std::vector<Variable> xs{Variable(2.0), Variable(3.0)};
    std::vector<Variable> ys = (*std::make_shared<Add>())(xs);
    std::cout << dezero::array_str_int(ys[0].data()) << '\n';  // DeZero used int arrays here
  }

  step(12, "variadic arguments (improved)");
  {
    Variable y = (*std::make_shared<Add>())(Variable(2.0), Variable(3.0));
    std::cout << dezero::array_str_int(y.data()) << '\n';
  }

  step(13, "variadic arguments (backward)");
  {
    Variable x(2.0), y(3.0);
    Variable z = dezero::add(dezero::square(x), dezero::square(y));
    z.backward();
    std::cout << str(z.data()) << '\n' << str(x.grad()) << '\n' << str(y.grad()) << '\n';
  }

  step(14, "using the same variable again");
  {
    Variable x(3.0);
    dezero::add(x, x).backward();
    std::cout << str(x.grad()) << '\n';
    x.cleargrad();
    dezero::add(dezero::add(x, x), x).backward();
    std::cout << str(x.grad()) << '\n';
  }

  step(16, "complex graphs: generations");
  {
    Variable x(2.0);
    Variable a = dezero::square(x);
    Variable y = dezero::add(dezero::square(a), dezero::square(a));
    y.backward();
    std::cout << str(y.data()) << '\n' << str(x.grad()) << '\n';
  }

  step(17, "memory: outputs are weak references (prints nothing)");
  for (int i = 0; i < 10; ++i) {
    Variable x(NDArray(xt::ones<double>({10000})));
    Variable y = dezero::square(dezero::square(dezero::square(x)));
  }

  step(18, "retain_grad and no_grad");
  {
    Variable x0(1.0), x1(1.0);
    Variable t = dezero::add(x0, x1);
    Variable y = dezero::add(x0, t);
    y.backward();
    std::cout << str(y.grad()) << ' ' << str(t.grad()) << '\n';
    std::cout << str(x0.grad()) << ' ' << str(x1.grad()) << '\n';
    auto guard = dezero::no_grad();
    Variable big(NDArray(xt::ones<double>({100, 100, 100})));
    Variable z = dezero::square(big);  // no graph kept
  }

  step(19, "variables as arrays");
  {
    Variable x(NDArray{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, "x");
    std::cout << x.name() << '\n' << dezero::to_string(x.shape()) << '\n';
    std::string s = dezero::array_str_int(x.data());  // DeZero's array was int64
    for (std::size_t p = s.find('\n'); p != std::string::npos; p = s.find('\n', p + 1))
      s.insert(p + 1, 9, ' ');
    std::cout << "variable(" << s << ")\n";
  }

  step(20, "operator overloading: * and +");
  {
    Variable a(3.0), b(2.0), c(1.0);
    Variable y = a * b + c;
    y.backward();
    std::cout << y << '\n' << str(a.grad()) << '\n' << str(b.grad()) << '\n';
  }

  step(21, "operators with arrays and numbers");
  {
    Variable x(2.0);
    std::cout << x + NDArray(3.0) << '\n' << x + 3.0 << '\n' << 3.0 * x + 1.0 << '\n';
  }

  step(22, "- / and **");
  {
    Variable x(2.0);
    std::cout << -x << '\n' << 2.0 - x << '\n' << x - 1.0 << '\n' << 3.0 / x << '\n' << pow(x, 3) << '\n';
  }

  step(23, "the dezero package");
  {
    Variable x(1.0);
    Variable y = pow(x + 3, 2);
    y.backward();
    std::cout << y << '\n' << *x.grad() << '\n';
  }

  step(24, "differentiating complex functions: goldstein at (1, 1)");
  {
    Variable x(1.0), y(1.0);
    Variable z = dezero::goldstein(x, y);
    z.backward();
    std::cout << *x.grad() << ' ' << *y.grad() << '\n';
  }
}
