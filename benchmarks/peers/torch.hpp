// PyTorch's C++ autograd (libtorch): a graph recorded as the program runs, as DeZero's. Scalar problems on
// 0-d tensors, array problems on one 1-d tensor (as a PyTorch user writes them), float64, one thread.
#pragma once

#include <torch/torch.h>

#include "problems.hpp"

namespace dezero::peers {

inline torch::Tensor leaf(double x) {
  return torch::scalar_tensor(x, torch::dtype(torch::kFloat64).requires_grad(true));
}

inline torch::Tensor leaf(const std::vector<double>& x) {
  return torch::tensor(x, torch::dtype(torch::kFloat64)).requires_grad_(true);
}

struct Torch {
  static constexpr const char* name = "libtorch";

  template <class F>
  static ValueAndGrad2 gradient2(F f, double x0, double y0) {
    torch::Tensor x = leaf(x0), y = leaf(y0);
    torch::Tensor z = f(x, y);
    z.backward();
    return {z.item<double>(), {x.grad().item<double>(), y.grad().item<double>()}};
  }

  template <class F>
  static std::pair<double, double> gradient1(F f, double x0) {
    torch::Tensor x = leaf(x0);
    torch::Tensor y = f(x);
    y.backward();
    return {y.item<double>(), x.grad().item<double>()};
  }

  // The Hessian by double backward: the gradient with create_graph (a graph of its own), then one backward
  // pass per gradient component (torch::autograd::grad, which returns the gradients without storing them).
  template <class F>
  static ValueGradHessian2 hessian2(F f, double x0, double y0) {
    torch::Tensor x = leaf(x0), y = leaf(y0);
    torch::Tensor z = f(x, y);
    const auto g = torch::autograd::grad({z}, {x, y}, {}, /*retain_graph=*/true, /*create_graph=*/true);
    ValueGradHessian2 r{z.item<double>(), {g[0].item<double>(), g[1].item<double>()}, {}};
    for (std::size_t i = 0; i < 2; ++i) {
      const auto row =
          torch::autograd::grad({g[i]}, {x, y}, {}, /*retain_graph=*/i == 0, /*create_graph=*/false,
                                /*allow_unused=*/true);
      for (std::size_t j = 0; j < 2; ++j) r.hessian[i][j] = row[j].defined() ? row[j].item<double>() : 0.0;
    }
    return r;
  }

  // The whole function on one 1-d tensor, as for the gradient; row i of the Hessian is the backward pass of
  // the gradient with the i-th unit vector as its seed (made once, with the input).
  struct RosenbrockHessian {
    torch::Tensor x, y, g, h, eye;
    explicit RosenbrockHessian(const std::vector<double>& x0)
        : x(leaf(x0)), eye(torch::eye(x.size(0), torch::dtype(torch::kFloat64))) {}
    void run() {
      const auto n = x.size(0);
      y = dezero::rosenbrock(x.slice(0, 0, n - 1), x.slice(0, 1, n)).sum();
      g = torch::autograd::grad({y}, {x}, {}, /*retain_graph=*/true, /*create_graph=*/true)[0];
      std::vector<torch::Tensor> rows;
      rows.reserve(static_cast<std::size_t>(n));
      for (int64_t i = 0; i < n; ++i)
        rows.push_back(torch::autograd::grad({g}, {x}, {eye[i]}, /*retain_graph=*/i + 1 < n)[0]);
      h = torch::stack(rows);
    }
    double value() const { return y.item<double>(); }
    double grad(std::size_t i) const { return g.data_ptr<double>()[i]; }
    double hessian(std::size_t i, std::size_t j) const {
      return h.data_ptr<double>()[i * static_cast<std::size_t>(x.size(0)) + j];
    }
  };

  // The input tensor is made once; run() clears its gradient, builds the graph and runs backward.
  struct Array {
    torch::Tensor x, y;
    explicit Array(const std::vector<double>& x0) : x(leaf(x0)) {}
    double value(std::size_t i = 0) const { return y.data_ptr<double>()[i]; }
    double grad(std::size_t i) const { return x.grad().data_ptr<double>()[i]; }
    void backward(const torch::Tensor& sum) {
      x.mutable_grad() = torch::Tensor();
      sum.backward();
    }
  };

  struct Rosenbrock : Array {
    using Array::Array;
    void run() {
      const auto n = x.size(0);
      y = dezero::rosenbrock(x.slice(0, 0, n - 1), x.slice(0, 1, n)).sum();
      backward(y);
    }
  };

  // As a PyTorch user writes it: the samples as two 1-d tensors, the parameters as 0-d leaves.
  struct LeastSquares {
    torch::Tensor a, b, t, y, loss;
    explicit LeastSquares(const std::vector<double>& p) : a(leaf(p[0])), b(leaf(p[1])) {
      std::vector<double> ts, ys;
      for (const Sample& s : least_squares_samples()) {
        ts.push_back(s.t);
        ys.push_back(s.y);
      }
      t = torch::tensor(ts, torch::dtype(torch::kFloat64));
      y = torch::tensor(ys, torch::dtype(torch::kFloat64));
    }
    void run() {
      a.mutable_grad() = torch::Tensor();
      b.mutable_grad() = torch::Tensor();
      loss = (a * t + b - y).square().sum();
      loss.backward();
    }
    double value() const { return loss.item<double>(); }
    double grad(std::size_t i) const { return (i == 0 ? a : b).grad().item<double>(); }
  };

  struct Dynamic : Array {
    using Array::Array;
    void run() {
      y = smooth(x).sum();
      backward(y);
    }
  };

  struct Smooth : Array {
    using Array::Array;
    void run() {
      y = smooth(x);
      backward(y.sum());
    }
  };
};

}  // namespace dezero::peers
