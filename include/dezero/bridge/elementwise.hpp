// The bridge from the static engine into the runtime engine: dezero::elementwise(f) turns a generic scalar
// function of k arguments into an operation on k Variables, applied element by element in one pass:
//   auto smooth = dezero::elementwise([](auto x) { return square((x * x + 3 * x - 1) / (x * x + 1)); });
//   dezero::Variable y = smooth(x);  y.backward();
// The graph gets one node (an ElementwiseFunction) instead of one per operation. Its forward computes each
// element's value and derivatives in one pass with the static engine (forward mode for one or two inputs)
// and keeps the derivatives; its backward multiplies them by the output gradient. The inputs have one
// shape, or are 0-d and broadcast (their gradient is then summed).
//
// Higher order: under backward(create_graph = true) its backward is itself an elementwise node,
// ElementwiseGradient, whose K outputs are f's partial derivatives and whose forward computes f's Hessian
// with the static engine (dezero::value_grad_hessian, from the same rules), so the second derivatives of a
// fused function are fused too. A third derivative through it is a std::logic_error (docs/errors.md).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "dezero/runtime/core.hpp"
#include "dezero/runtime/ndarray.hpp"
#include "dezero/runtime/operations.hpp"
#include "dezero/static.hpp"

namespace dezero {

namespace detail {

// Where the elements of K inputs come from: inputs of one shape, or 0-d and broadcast.
template <std::size_t K>
struct ElementwiseLayout {
  Shape shape;                      // the output's shape
  std::size_t size = 1;             // its number of elements
  std::array<std::size_t, K> step;  // 1 for an input of that shape, 0 for a broadcast 0-d input
  bool all_full = true;

  template <class Get>
  ElementwiseLayout(std::size_t n, Get get) {
    if (n != K)
      throw arity_error("Elementwise: f takes " + std::to_string(K) + " inputs, got " + std::to_string(n));
    for (std::size_t j = 0; j < K; ++j)
      if (get(j).dimension() != 0) shape = to_shape(get(j).shape());
    for (std::size_t j = 0; j < K; ++j) {
      const NDArray& x = get(j);
      const bool broadcast = x.dimension() == 0 && !shape.empty();
      if (!broadcast && to_shape(x.shape()) != shape)
        throw shape_error("Elementwise: inputs must have one shape or be 0-d, got " +
                          to_string(to_shape(x.shape())) + " and " + to_string(shape));
      step[j] = broadcast ? 0 : 1;
      all_full = all_full && !broadcast;
    }
    for (std::size_t d : shape) size *= d;
  }
};

// gx = sum over j of gys[j] * d[j], element by element, summed down to x's shape if x is a broadcast 0-d
// input: the chain rule of an elementwise node, on values.
template <class Terms>
NDArray chain_rule(const Shape& x_shape, std::size_t n, std::size_t terms, Terms term) {
  NDArray gx = ArrayCache::take(x_shape);
  double* out = gx.data();
  const bool full = !x_shape.empty() || n == 1;  // x has the output's shape
  if (full) {
    for (std::size_t t = 0; t < terms; ++t) {
      const auto [gy, gy_step, d] = term(t);
      if (t == 0 && gy_step == 1)  // contiguous loops: vectorisable
        for (std::size_t i = 0; i < n; ++i) out[i] = gy[i] * d[i];
      else if (t == 0)
        for (std::size_t i = 0; i < n; ++i) out[i] = gy[0] * d[i];
      else if (gy_step == 1)
        for (std::size_t i = 0; i < n; ++i) out[i] += gy[i] * d[i];
      else
        for (std::size_t i = 0; i < n; ++i) out[i] += gy[0] * d[i];
    }
  } else {
    double sum = 0.0;
    for (std::size_t t = 0; t < terms; ++t) {
      const auto [gy, gy_step, d] = term(t);
      for (std::size_t i = 0; i < n; ++i) sum += gy[i * gy_step] * d[i];
    }
    out[0] = sum;
  }
  return gx;
}

// A derivative of f that elementwise does not record (a third one): its value is known, and differentiating
// it throws rather than give zeros.
class NotRecorded final : public Function {
 public:
  explicit NotRecorded(NDArray value) : value_(std::move(value)) {}
  std::string name() const override { return "ElementwiseGradientBackward"; }
  std::vector<NDArray> forward(const ArrayList&) override {
    std::vector<NDArray> ys;
    ys.push_back(std::move(value_));
    return ys;
  }
  std::vector<Variable> backward(const std::vector<Variable>&) override {
    throw std::logic_error(
        "dezero::elementwise(f): a third derivative of f was asked for; elementwise records f's first and "
        "second derivatives only: run f on Variables for more");
  }

 private:
  NDArray value_;
};

}  // namespace detail

template <class F, std::size_t K>
class ElementwiseGradient;

// The runtime Function that applies f to K inputs elementwise. Made by Elementwise::operator(), or
// directly as DeZero makes a Function: std::make_shared<ElementwiseFunction<F, 1>>(f).
template <class F, std::size_t K>
class ElementwiseFunction final : public Function {
  static_assert(K > 0, "dezero::elementwise: f needs at least one argument");
  static_assert(static_engine::detail::invocable_on_placeholders<F, std::make_index_sequence<K>>,
                "dezero::elementwise(f): f cannot be called with this many arguments, or is not generic "
                "(declare its parameters `auto`)");

 public:
  explicit ElementwiseFunction(F f) : f_(std::move(f)) {}

  std::string name() const override { return "Elementwise"; }

  ~ElementwiseFunction() override {
    for (NDArray& d : derivatives_) detail::ArrayCache::give(d);
  }

  // One pass: each element's value and, when a graph is being recorded, its derivative with respect to
  // each input (the static engine's forward mode for one or two inputs), kept for backward.
  DEZERO_STATIC_FLATTEN std::vector<NDArray> forward(const ArrayList& xs) override {
    const detail::ElementwiseLayout<K> layout(xs.size(),
                                              [&](std::size_t j) -> const NDArray& { return xs[j]; });
    NDArray y = detail::ArrayCache::take(layout.shape);
    double* out = y.data();
    [&]<std::size_t... J>(std::index_sequence<J...>) {
      const std::array<const double*, K> in{xs[J].data()...};
      if (!Config::enable_backprop) {
        for (std::size_t i = 0; i < layout.size; ++i)
          out[i] = dezero::value(f_, in[J][i * layout.step[J]]...);
        return;
      }
      ((derivatives_[J] = detail::ArrayCache::take(layout.shape)), ...);
      const std::array<double*, K> d{derivatives_[J].data()...};
      const auto store = [&](std::size_t i, const ValueAndGrad<K>& r) {
        out[i] = r.value;
        ((d[J][i] = r.grad[J]), ...);
      };
      // Inputs of the output's shape: a contiguous loop. clang vectorises the plain loop at the target's
      // full width (pairs held it to two elements a step, half speed with -mavx). g++ -O2 vectorises only
      // straight-line code here, so for it two elements go a step, both computed before either is stored:
      // the two copies become one vector code, each division one divpd.
      std::size_t i = 0;
      if (layout.all_full) {
#if defined(__clang__)
        for (; i < layout.size; ++i) store(i, dezero::value_and_grad(f_, in[J][i]...));
#else
        for (; i + 1 < layout.size; i += 2) {
          const auto r0 = dezero::value_and_grad(f_, in[J][i]...);
          const auto r1 = dezero::value_and_grad(f_, in[J][i + 1]...);
          out[i] = r0.value;  // stores to neighbouring addresses next to each other
          out[i + 1] = r1.value;
          ((d[J][i] = r0.grad[J], d[J][i + 1] = r1.grad[J]), ...);
        }
#endif
      }
      for (; i < layout.size; ++i) store(i, dezero::value_and_grad(f_, in[J][i * layout.step[J]]...));
    }
    (std::make_index_sequence<K>{});
    std::vector<NDArray> ys;  // not {std::move(y)}: an initializer list would copy the array
    ys.push_back(std::move(y));
    return ys;
  }

  // The chain rule, element by element: output gradient times the derivatives kept by forward. (Without
  // enable_backprop there are none, but then the function is not in a graph and backward never runs.)
  // Recording the backward pass, the derivatives are the outputs of an ElementwiseGradient node instead,
  // functions of the inputs.
  std::vector<Variable> backward(const std::vector<Variable>& gys) override {
    const std::span<const Variable> xs = inputs();
    std::vector<Variable> result;
    result.reserve(K);
    if (Config::enable_backprop) {
      const Outputs d =
          std::make_shared<ElementwiseGradient<F, K>>(f_)->call(std::vector<Variable>(xs.begin(), xs.end()));
      for (std::size_t j = 0; j < K; ++j) result.push_back(sum_to(gys.at(0) * d[j], xs[j].shape()));
      return result;
    }
    const NDArray& gy = gys.at(0).data();
    const std::size_t gy_step = gy.size() == 1 ? 0 : 1;
    for (std::size_t j = 0; j < K; ++j)
      result.emplace_back(
          detail::chain_rule(to_shape(xs[j].data().shape()), derivatives_[j].size(), 1, [&](std::size_t) {
            return std::tuple{gy.data(), gy_step, derivatives_[j].data()};
          }));
    return result;
  }

 private:
  F f_;
  std::array<NDArray, K> derivatives_;  // d output / d input J, element by element, from forward
};

// f's K partial derivatives, elementwise, as K outputs: the backward of an Elementwise node when the
// backward pass is recorded. Its forward computes each element's gradient and Hessian in one pass (the
// static engine, dezero::value_grad_hessian) and keeps the Hessian; its backward is the chain rule with it.
// Its own backward is not recorded (NotRecorded): a third derivative through it is a std::logic_error.
template <class F, std::size_t K>
class ElementwiseGradient final : public Function {
 public:
  explicit ElementwiseGradient(F f) : f_(std::move(f)) {}

  std::string name() const override { return "ElementwiseGradient"; }

  ~ElementwiseGradient() override {
    for (NDArray& h : hessian_) detail::ArrayCache::give(h);
  }

  DEZERO_STATIC_FLATTEN std::vector<NDArray> forward(const ArrayList& xs) override {
    const detail::ElementwiseLayout<K> layout(xs.size(),
                                              [&](std::size_t j) -> const NDArray& { return xs[j]; });
    std::vector<NDArray> ys;
    for (std::size_t j = 0; j < K; ++j) ys.push_back(detail::ArrayCache::take(layout.shape));
    const bool keep = Config::enable_backprop;
    if (keep)
      for (NDArray& h : hessian_) h = detail::ArrayCache::take(layout.shape);
    [&]<std::size_t... J>(std::index_sequence<J...>) {
      const std::array<const double*, K> in{xs[J].data()...};
      for (std::size_t i = 0; i < layout.size; ++i) {
        const auto r = dezero::value_grad_hessian(f_, in[J][i * layout.step[J]]...);
        ((ys[J].data()[i] = r.grad[J]), ...);
        if (keep)
          for (std::size_t a = 0; a < K; ++a)
            for (std::size_t b = a; b < K; ++b) hessian_[index(a, b)].data()[i] = r.hessian[a][b];
      }
    }
    (std::make_index_sequence<K>{});
    return ys;
  }

  // d/dx_k of sum over j of gy_j * df/dx_j: sum over j of gy_j * H_jk.
  std::vector<Variable> backward(const std::vector<Variable>& gys) override {
    const std::span<const Variable> xs = inputs();
    std::vector<Variable> result;
    result.reserve(K);
    for (std::size_t k = 0; k < K; ++k) {
      NDArray gx =
          detail::chain_rule(to_shape(xs[k].data().shape()), hessian_[0].size(), K, [&](std::size_t j) {
            const NDArray& gy = gys[j].data();
            return std::tuple{gy.data(), gy.size() == 1 ? std::size_t{0} : std::size_t{1},
                              hessian_[index(j, k)].data()};
          });
      if (!Config::enable_backprop) {
        result.emplace_back(std::move(gx));
        continue;
      }
      // Recorded: the value is right, and differentiating it once more (f's third derivatives) is an error.
      std::vector<Variable> operands(xs.begin(), xs.end());
      operands.insert(operands.end(), gys.begin(), gys.end());
      result.push_back(std::make_shared<detail::NotRecorded>(std::move(gx))->call(std::move(operands)));
    }
    return result;
  }

 private:
  // The upper triangle, row by row: H is symmetric.
  static constexpr std::size_t index(std::size_t a, std::size_t b) {
    if (a > b) std::swap(a, b);
    return a * K - a * (a + 1) / 2 + b;
  }

  F f_;
  std::array<NDArray, K*(K + 1) / 2> hessian_;
};

// What dezero::elementwise(f) returns: call it on Variables (or numbers, or NDArrays) as an operation.
template <class F>
class Elementwise {
 public:
  explicit Elementwise(F f) : f_(std::move(f)) {}

  template <class... Xs>
  Variable operator()(const Xs&... xs) const {
    auto function = std::make_shared<ElementwiseFunction<F, sizeof...(Xs)>>(f_);
    return (*function)(xs...);
  }

 private:
  F f_;
};

template <class F>
Elementwise<F> elementwise(F f) {
  return Elementwise<F>(std::move(f));
}

}  // namespace dezero
