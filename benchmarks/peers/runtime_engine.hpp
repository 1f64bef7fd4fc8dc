// DeZero++'s runtime engine (a graph built as the program runs) and the bridge (`elementwise`: one runtime
// node whose per-element derivative is the static engine's code) in the comparison.
#pragma once

#include <xtensor/xbuilder.hpp>

#include "dezero/dezero.hpp"
#include "problems.hpp"

namespace dezero::peers {

inline NDArray to_array(const std::vector<double>& x) {
  NDArray a = xt::empty<double>(Shape{x.size()});
  std::copy(x.begin(), x.end(), a.begin());
  return a;
}

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
      y = rosenbrock_sum(x, Variable(0.0));
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

// The bridge: the formula as one runtime operation.
inline constexpr auto bridge_smooth = [](auto x) { return square((x * x + 3 * x - 1) / (x * x + 1)); };

struct Bridge {
  static constexpr const char* name = "DeZero++ bridge";

  using Op = decltype(dezero::elementwise(bridge_smooth));

  struct Smooth {
    Op smooth = dezero::elementwise(bridge_smooth);
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

}  // namespace dezero::peers
