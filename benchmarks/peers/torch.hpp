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
