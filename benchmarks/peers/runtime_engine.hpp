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

// An operation (a formula, or dezero::elementwise of it) applied to one array Variable: run() is one forward
// and backward, whose seed of ones gives each element's derivative.
template <class Op>
struct OneArray {
  OneArray(Op f, const std::vector<double>& x0) : f(std::move(f)), x(to_array(x0)) {}
  void run() {
    x.cleargrad();
    y = f(x);
    y.backward();
  }
  double value(std::size_t i) const { return y.data()(i); }
  double grad(std::size_t i) const { return x.grad()->data()(i); }
  Op f;
  Variable x, y;
};

// The sum of the elements as the value (added up from y, inside the timed region).
template <class Base>
struct SumOf : Base {
  using Base::Base;
  void run() {
    Base::run();
    sum = xt::sum(this->y.data())();
  }
  double value() const { return sum; }
  double sum = 0;
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
      y = rosenbrock_sum(x, Variable(0.0));
      y.backward();
    }
    double value() const { return y.item(); }
    double grad(std::size_t i) const { return x[i].grad()->item(); }
  };

  // A graph of 100,000 terms over two leaves.
  struct LeastSquares {
    explicit LeastSquares(const std::vector<double>& p) : a(p[0]), b(p[1]) {}
    Variable a, b, y;
    void run() {
      a.cleargrad();
      b.cleargrad();
      y = least_squares_sum(a, b, Variable(0.0));
      y.backward();
    }
    double value() const { return y.item(); }
    double grad(std::size_t i) const { return (i == 0 ? a : b).grad()->item(); }
  };

  // The formula's graph: one node per operation.
  struct Smooth : OneArray<std::remove_const_t<decltype(smooth)>> {
    explicit Smooth(const std::vector<double>& x0) : OneArray(smooth, x0) {}
  };
  using Dynamic = SumOf<Smooth>;
};

// The bridge: the formula as one runtime operation.
inline constexpr auto bridge_formula = [](auto x) { return square((x * x + 3 * x - 1) / (x * x + 1)); };

struct Bridge {
  static constexpr const char* name = "DeZero++ bridge";

  struct Smooth : OneArray<decltype(elementwise(bridge_formula))> {
    explicit Smooth(const std::vector<double>& x0) : OneArray(elementwise(bridge_formula), x0) {}
  };
  using Dynamic = SumOf<Smooth>;
};

}  // namespace dezero::peers
