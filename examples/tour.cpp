// DeZero's steps 11-36 replayed in C++. Each step prints what DeZero's step file prints (reference
// sections A10 and B5, the repository's default core), preceded by a comment line naming the step. Where
// C++'s sin and cos differ from numpy's in the last digit (reference N1), the tour prints C++'s digits.
#include <cmath>
#include <filesystem>
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

  step(26, "the graph as a picture: goldstein (DeZero writes goldstein.png and prints nothing)");
  {
    Variable x(1.0), y(1.0);
    Variable z = dezero::goldstein(x, y);
    z.backward();
    x.set_name("x");
    y.set_name("y");
    z.set_name("z");
    try {
      dezero::plot_dot_graph(z, false, "goldstein.svg");
      std::cout << "(wrote " << std::filesystem::absolute("goldstein.svg").string() << ")\n";
    } catch (const dezero::graphviz_error& e) {
      std::cout << "(no picture: " << e.what() << ")\n";
    }
  }

  step(27, "sin and its Taylor series");
  {
    Variable x(M_PI / 4);
    Variable y = dezero::sin(x);
    y.backward();
    std::cout << "--- original sin ---\n" << str(y.data()) << '\n' << str(x.grad()) << '\n';
    // DeZero's my_sin: terms (-1)^i x^(2i+1) / (2i+1)! until one is below 1e-4; y starts as the number 0.
    const auto my_sin = [](const Variable& v, double threshold) {
      Variable sum;
      double factorial = 1;
      for (int i = 0; i < 100000; ++i) {
        if (i > 0) factorial *= (2.0 * i) * (2.0 * i + 1);
        const double c = (i % 2 == 0 ? 1.0 : -1.0) / factorial;
        Variable t = c * pow(v, 2 * i + 1);
        sum = i == 0 ? 0.0 + t : sum + t;
        if (std::abs(t.item()) < threshold) break;
      }
      return sum;
    };
    Variable x2(M_PI / 4);
    Variable y2 = my_sin(x2, 1e-4);
    y2.backward();
    std::cout << "--- approximate sin ---\n" << str(y2.data()) << '\n' << str(x2.grad()) << '\n';
  }

  step(28, "optimisation: Rosenbrock by gradient descent (x0 x1 before each of 1000 updates)");
  {
    Variable x0(0.0), x1(2.0);
    const double lr = 0.001;
    for (int i = 0; i < 1000; ++i) {
      std::cout << x0 << ' ' << x1 << '\n';
      Variable y = dezero::rosenbrock(x0, x1);
      x0.cleargrad();
      x1.cleargrad();
      y.backward();
      x0.data() -= lr * x0.grad()->data();
      x1.data() -= lr * x1.grad()->data();
    }
  }

  step(29, "Newton's method with the second derivative written by hand");
  {
    const auto f = [](const Variable& x) { return pow(x, 4) - 2 * pow(x, 2); };
    const auto gx2 = [](const NDArray& x) { return NDArray(12 * (x * x) - 4); };
    Variable x(2.0);
    for (int i = 0; i < 10; ++i) {
      std::cout << i << ' ' << x << '\n';
      Variable y = f(x);
      x.cleargrad();
      y.backward();
      x.data() -= x.grad()->data() / gx2(x.data());
    }
  }

  // Steps 30-32 change DeZero's core (gradients become Variables, backward(create_graph)) and print nothing.
  step(33, "Newton's method with the second derivative by double backprop (the same lines as step 29)");
  {
    const auto f = [](const Variable& x) { return pow(x, 4) - 2 * pow(x, 2); };
    Variable x(2.0);
    for (int i = 0; i < 10; ++i) {
      std::cout << i << ' ' << x << '\n';
      Variable y = f(x);
      x.cleargrad();
      y.backward(false, true);  // create_graph: x.grad() has a graph of its own
      Variable gx = *x.grad();
      x.cleargrad();
      gx.backward();
      Variable gx2 = *x.grad();
      x.data() -= gx.data() / gx2.data();
    }
  }

  step(34, "sin and three more derivatives on 200 points (DeZero plots them and prints nothing)");
  {
    Variable x(NDArray(xt::linspace<double>(-7.0, 7.0, 200)));
    Variable y = dezero::sin(x);
    y.backward(false, true);
    std::vector<NDArray> logs{y.data()};  // y, y', y'', y''', as DeZero plots them
    for (int i = 0; i < 3; ++i) {
      logs.push_back(x.grad()->data());
      Variable gx = *x.grad();
      x.cleargrad();
      gx.backward(false, true);
    }
    std::cout << "(y''' at -7, 0.035 and 7: " << logs[3](0) << ' ' << logs[3](100) << ' ' << logs[3](199)
              << ")\n";
  }

  step(35, "the second derivative of tanh as a graph (DeZero writes tanh.png and prints nothing)");
  {
    Variable x(1.0);
    Variable y = dezero::tanh(x);
    x.set_name("x");
    y.set_name("y");
    y.backward(false, true);
    const int iters = 1;
    for (int i = 0; i < iters; ++i) {
      Variable gx = *x.grad();
      x.cleargrad();
      gx.backward(false, true);
    }
    Variable gx = *x.grad();
    gx.set_name("gx" + std::to_string(iters + 1));
    try {
      dezero::plot_dot_graph(gx, false, "tanh.svg");
      std::cout << "(wrote " << std::filesystem::absolute("tanh.svg").string() << ": " << gx << ")\n";
    } catch (const dezero::graphviz_error& e) {
      std::cout << "(no picture: " << e.what() << ")\n";
    }
  }

  step(36, "double backprop beyond Newton: z = gx^3 + y for y = x^2, dz/dx at 2");
  {
    Variable x(2.0);
    Variable y = pow(x, 2);
    y.backward(false, true);
    Variable gx = *x.grad();
    x.cleargrad();
    Variable z = pow(gx, 3) + y;
    z.backward();
    std::cout << *x.grad() << '\n';
  }
}
