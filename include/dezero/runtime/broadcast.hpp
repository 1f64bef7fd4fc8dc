// DeZero's sum_to and broadcast_to (step 40) as Functions of the graph: each one's backward is the other,
// so that a gradient summed over a broadcast stays differentiable (backward(create_graph = true) through
// broadcasting operands, dezero::elementwise with a 0-d input). Without a graph of the backward pass the
// rules sum their gradients in place (detail::sum_to) and never make these.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dezero/runtime/core.hpp"
#include "dezero/runtime/detail/elementwise.hpp"

namespace dezero {

namespace detail {

class SumTo final : public Function {
 public:
  explicit SumTo(Shape shape) : shape_(std::move(shape)) {}
  std::string name() const override { return "SumTo"; }
  std::vector<NDArray> forward(const ArrayList& xs) override {
    x_shape_ = to_shape(xs[0].shape());
    std::vector<NDArray> ys;
    ys.push_back(std::move(sum_to(xs[0], shape_).array()));
    return ys;
  }
  inline std::vector<Variable> backward(const std::vector<Variable>& gys) override;

 private:
  Shape shape_, x_shape_;
};

class BroadcastTo final : public Function {
 public:
  explicit BroadcastTo(Shape shape) : shape_(std::move(shape)) {}
  std::string name() const override { return "BroadcastTo"; }
  std::vector<NDArray> forward(const ArrayList& xs) override {
    x_shape_ = to_shape(xs[0].shape());
    broadcast_shapes(x_shape_, shape_, "broadcast_to");  // a shape_error if x does not broadcast
    std::vector<NDArray> ys;
    ys.push_back(detail::broadcast_to(xs[0], shape_));
    return ys;
  }
  inline std::vector<Variable> backward(const std::vector<Variable>& gys) override;

 private:
  Shape shape_, x_shape_;
};

}  // namespace detail

// x summed over the dimensions it was broadcast along, to `shape` (x itself when it has that shape).
inline Variable sum_to(const Variable& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  return (*std::make_shared<detail::SumTo>(shape))(x);
}

// x broadcast to `shape` by numpy's rule (x itself when it has that shape); shape_error if it does not
// broadcast.
inline Variable broadcast_to(const Variable& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  return (*std::make_shared<detail::BroadcastTo>(shape))(x);
}

inline std::vector<Variable> detail::SumTo::backward(const std::vector<Variable>& gys) {
  return {dezero::broadcast_to(gys[0], x_shape_)};
}
inline std::vector<Variable> detail::BroadcastTo::backward(const std::vector<Variable>& gys) {
  return {dezero::sum_to(gys[0], x_shape_)};
}

}  // namespace dezero
