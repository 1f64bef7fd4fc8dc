// The bridge from the static engine into the runtime engine: dezero::elementwise(f) turns a generic scalar
// function of k arguments into an operation on k Variables, applied element by element in one pass:
//   auto smooth = dezero::elementwise([](auto x) { return square((x * x + 3 * x - 1) / (x * x + 1)); });
//   dezero::Variable y = smooth(x);  y.backward();
// The graph gets one node (an ElementwiseFunction) instead of one per operation. Its forward computes each
// element's value and derivatives in one pass with the static engine (forward mode for one or two inputs)
// and keeps the derivatives; its backward multiplies them by the output gradient. The inputs have one
// shape, or are 0-d and broadcast (their gradient is then summed).
//
// Limit: the gradients it returns are values, not functions of the inputs, so an elementwise node cannot
// be differentiated twice.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dezero/runtime/core.hpp"
#include "dezero/runtime/ndarray.hpp"
#include "dezero/static.hpp"

namespace dezero {

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
    const Layout layout = layout_of(xs.size(), [&](std::size_t j) -> const NDArray& { return xs[j]; });
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
  std::vector<Variable> backward(const std::vector<Variable>& gys) override {
    const std::span<const Variable> xs = inputs();
    const NDArray& gy_array = gys.at(0).data();
    const double* gy = gy_array.data();
    const std::size_t gy_step = gy_array.size() == 1 ? 0 : 1;
    std::vector<Variable> result;
    result.reserve(K);
    for (std::size_t j = 0; j < K; ++j) {
      const double* d = derivatives_[j].data();
      const std::size_t n = derivatives_[j].size();
      NDArray gx = detail::ArrayCache::take(xs[j].data().shape());
      double* out = gx.data();
      const bool full = xs[j].data().dimension() != 0 || n == 1;  // the input has the output's shape
      if (full && gy_step == 1) {                                 // a contiguous loop: vectorisable
        for (std::size_t i = 0; i < n; ++i) out[i] = gy[i] * d[i];
      } else if (full) {  // 0-d gy
        for (std::size_t i = 0; i < n; ++i) out[i] = gy[0] * d[i];
      } else {  // a broadcast 0-d input: its gradient is summed
        double sum = 0.0;
        for (std::size_t i = 0; i < n; ++i) sum += gy[i * gy_step] * d[i];
        out[0] = sum;
      }
      result.emplace_back(std::move(gx));
    }
    return result;
  }

 private:
  struct Layout {
    Shape shape;                      // the output's shape
    std::size_t size = 1;             // its number of elements
    std::array<std::size_t, K> step;  // 1 for an input of that shape, 0 for a broadcast 0-d input
    bool all_full = true;
  };

  template <class Get>
  Layout layout_of(std::size_t n, Get get) const {
    if (n != K)
      throw arity_error("Elementwise: f takes " + std::to_string(K) + " inputs, got " + std::to_string(n));
    Layout layout;
    for (std::size_t j = 0; j < K; ++j)
      if (get(j).dimension() != 0) layout.shape = to_shape(get(j).shape());
    for (std::size_t j = 0; j < K; ++j) {
      const NDArray& x = get(j);
      const bool broadcast = x.dimension() == 0 && !layout.shape.empty();
      if (!broadcast && to_shape(x.shape()) != layout.shape)
        throw shape_error("Elementwise: inputs must have one shape or be 0-d, got " +
                          to_string(to_shape(x.shape())) + " and " + to_string(layout.shape));
      layout.step[j] = broadcast ? 0 : 1;
      layout.all_full = layout.all_full && !broadcast;
    }
    for (std::size_t d : layout.shape) layout.size *= d;
    return layout;
  }

  F f_;
  std::array<NDArray, K> derivatives_;  // d output / d input J, element by element, from forward
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
