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

// The runtime engine's Hessian by double backprop, as DeZero's steps 33-36, two ways:
//   "DeZero++ runtime": backward(retain_grad = false, create_graph = true) stores gradients with graphs of
//     their own in x[i].grad(); each one's backward() from cleared gradients then gives a row (DeZero's way).
//   "DeZero++ runtime, gradients()": dezero::gradients(z, x, create_graph = true), then dezero::gradients of
//     each component: nothing stored, no cycle of a variable and its gradient (PyTorch's autograd.grad way).
// Only where Variable::backward takes create_graph (issue 11, section 1): against an engine without it,
// these have no Hessian and the report says the row is missing. Written in terms of V, so that nothing here
// is compiled against an engine without create_graph.
template <class V>
concept double_backprop = requires(V v, std::vector<V> x) {
  v.backward(false, true);
  gradients(v, x, true);
};

template <class V, bool by_gradients, bool = double_backprop<V>>
struct RuntimeHessianOf {
  static constexpr const char* name = by_gradients ? "DeZero++ runtime, gradients()" : "DeZero++ runtime";
};

template <class V, bool by_gradients>
struct RuntimeHessianOf<V, by_gradients, true> {
  static constexpr const char* name = by_gradients ? "DeZero++ runtime, gradients()" : "DeZero++ runtime";

  // The value of z; its gradient with respect to x into g, its Hessian into h (row-major).
  static double value_grad_hessian(const V& z, std::vector<V>& x, double* g, double* h) {
    const std::size_t n = x.size();
    if constexpr (by_gradients) {
      const std::vector<V> grads = gradients(z, x, true);
      for (std::size_t i = 0; i < n; ++i) {
        g[i] = grads[i].item();
        const std::vector<V> row = gradients(grads[i], x);
        for (std::size_t j = 0; j < n; ++j) h[i * n + j] = row[j].item();
      }
    } else {
      V(z).backward(false, true);
      std::vector<V> grads;
      grads.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        grads.push_back(*x[i].grad());
        g[i] = grads.back().item();
      }
      for (std::size_t i = 0; i < n; ++i) {
        for (V& xi : x) xi.cleargrad();
        grads[i].backward();
        for (std::size_t j = 0; j < n; ++j) h[i * n + j] = x[j].grad() ? x[j].grad()->item() : 0.0;
      }
      for (V& xi : x) xi.cleargrad();
    }
    return z.item();
  }

  template <class F>
  static ValueGradHessian2 hessian2(F f, double x0, double y0) {
    std::vector<V> x{V(x0), V(y0)};
    const V z = f(x[0], x[1]);
    ValueGradHessian2 r;
    double h[4];
    r.value = value_grad_hessian(z, x, r.grad.data(), h);
    r.hessian = {{{h[0], h[1]}, {h[2], h[3]}}};
    return r;
  }

  struct RosenbrockHessian : HessianArray {
    explicit RosenbrockHessian(const std::vector<double>& x0)
        : HessianArray(x0), vars(x0.begin(), x0.end()) {}
    std::vector<V> vars;
    void run() { v = value_grad_hessian(rosenbrock_sum(vars, V(0.0)), vars, g.data(), h.data()); }
  };
};

using RuntimeHessian = RuntimeHessianOf<Variable, false>;
using RuntimeHessianByGradients = RuntimeHessianOf<Variable, true>;

}  // namespace dezero::peers
