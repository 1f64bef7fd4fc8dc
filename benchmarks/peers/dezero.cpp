// DeZero++'s three ways to a gradient in the comparison (benchmarks/peers/harness.hpp): the static engine
// (generated straight-line code), the runtime engine (a graph built as the program runs) and the bridge
// (`elementwise`: one runtime node whose per-element derivative is the static engine's code).
#include <xtensor/xbuilder.hpp>

#include "dezero/dezero.hpp"
#include "harness.hpp"

namespace {

using dezero::NDArray;
using dezero::Variable;
using dezero::peers::ValueAndGrad2;

NDArray to_array(const std::vector<double>& x) {
  NDArray a = xt::empty<double>(dezero::Shape{x.size()});
  std::copy(x.begin(), x.end(), a.begin());
  return a;
}

// The static engine: value_and_grad of the generic formula; a sum of terms is one value_and_grad per term,
// accumulated (the expression's size must be known at compile time).
struct Static {
  static constexpr const char* name = "DeZero++ static";

  template <class F>
  static ValueAndGrad2 gradient2(F f, double x, double y) {
    const auto [v, g] = dezero::value_and_grad(f, x, y);
    return {v, g};
  }

  // A 10,000-operation expression is not a type anyone compiles: no chain10000.
  template <class F>
    requires(!dezero::peers::is<F, dezero::peers::scalar_chain>)
  static std::pair<double, double> gradient1(F f, double x) {
    const auto [v, g] = dezero::value_and_grad(f, x);
    return {v, g[0]};
  }

  using Rosenbrock = dezero::peers::ByTerms<Static>::Rosenbrock;
  using Dynamic = dezero::peers::ByTerms<Static>::Dynamic;
};

// The runtime engine, as DeZero is used: scalar Variables for scalar problems, one array Variable for the
// elementwise ones (backward seeds ones, so the gradient is the sum's; the sum's value is added up from y).
struct Runtime {
  static constexpr const char* name = "DeZero++ runtime";

  template <class F>
  static ValueAndGrad2 gradient2(F f, double x0, double y0) {
    Variable x(x0), y(y0);
    Variable z = f(x, y);
    z.backward();
    return {z.item(), {x.grad()->item(), y.grad()->item()}};
  }

  template <class F>
  static std::pair<double, double> gradient1(F f, double x0) {
    Variable x(x0);
    Variable y = f(x);
    y.backward();
    return {y.item(), x.grad()->item()};
  }

  struct Rosenbrock {
    explicit Rosenbrock(const std::vector<double>& x0) : x(x0.begin(), x0.end()) {}
    std::vector<Variable> x;
    Variable y;
    void run() {
      for (Variable& xi : x) xi.cleargrad();
      y = dezero::peers::rosenbrock_sum(x, Variable(0.0));
      y.backward();
    }
    double value() const { return y.item(); }
    double grad(std::size_t i) const { return x[i].grad()->item(); }
  };

  // One array Variable through the graph of the formula's operations.
  struct Smooth {
    Variable x, y;
    explicit Smooth(const std::vector<double>& x0) : x(to_array(x0)) {}
    void run() {
      x.cleargrad();
      y = dezero::peers::smooth(x);
      y.backward();
    }
    double value(std::size_t i) const { return y.data()(i); }
    double grad(std::size_t i) const { return x.grad()->data()(i); }
  };

  struct Dynamic : Smooth {
    double sum = 0;
    using Smooth::Smooth;
    void run() {
      Smooth::run();
      sum = xt::sum(y.data())();
    }
    double value() const { return sum; }
  };
};

// The bridge: the formula as one runtime operation.
struct Bridge {
  static constexpr const char* name = "DeZero++ bridge";

  static constexpr auto smooth_op = [](auto x) { return square((x * x + 3 * x - 1) / (x * x + 1)); };
  using Op = decltype(dezero::elementwise(smooth_op));

  struct Smooth {
    Op smooth = dezero::elementwise(smooth_op);
    Variable x, y;
    explicit Smooth(const std::vector<double>& x0) : x(to_array(x0)) {}
    void run() {
      x.cleargrad();
      y = smooth(x);
      y.backward();
    }
    double value(std::size_t i) const { return y.data()(i); }
    double grad(std::size_t i) const { return x.grad()->data()(i); }
  };

  struct Dynamic : Smooth {
    double sum = 0;
    using Smooth::Smooth;
    void run() {
      Smooth::run();
      sum = xt::sum(y.data())();
    }
    double value() const { return sum; }
  };
};

}  // namespace

int main(int argc, char** argv) { return dezero::peers::run<Static, Runtime, Bridge>(argc, argv); }
