// Elementwise evaluation of scalar code over Data: how the runtime engine runs a rule's value map (forward)
// and its derivative maps (backward, when no graph of the backward pass is wanted) on arrays. The rule's
// scalar code is all it needs, and one loop per result, with no temporaries, is what makes a backward
// formula such as gy * (-x0 / x1^2) cost one pass over memory instead of four.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "dezero/runtime/data.hpp"

namespace dezero::detail {

// Calls visit(i, j) for every element i (row-major) of an array of shape `big` and the element j of an array
// of shape `small` that numpy's broadcasting pairs with it. Plain loops rather than xt::broadcast and
// xt::sum: those instantiate xtensor's assignment and reducer machinery in every translation unit that
// includes the runtime engine, for seconds of compile time.
template <class Visit>
void for_each_broadcast(const Shape& big, const Shape& small, Visit visit) {
  const std::size_t n = big.size(), lead = n - small.size();
  std::vector<std::size_t> stride(n, 0), index(n, 0);  // small's stride along each of big's axes
  for (std::size_t d = n, s = 1; d-- > lead;) {
    const std::size_t extent = small[d - lead];
    if (extent != 1) stride[d] = s;
    s *= extent;
  }
  std::size_t size = 1;
  for (std::size_t e : big) size *= e;
  std::size_t j = 0;
  for (std::size_t i = 0; i < size; ++i) {
    visit(i, j);
    for (std::size_t d = n; d-- > 0;) {  // next multi-index, keeping j in step
      j += stride[d];
      if (++index[d] < big[d]) break;
      j -= stride[d] * index[d];
      index[d] = 0;
    }
  }
}

// The array of shape `shape` that x broadcasts to.
inline NDArray broadcast_to(const NDArray& x, const Shape& shape) {
  NDArray y = NDArray::from_shape(shape);
  const double* in = x.data();
  double* out = y.data();
  for_each_broadcast(shape, to_shape(x.shape()), [&](std::size_t i, std::size_t j) { out[i] = in[j]; });
  return y;
}

// Sums a broadcast gradient back to the shape of its input (numpy's broadcasting, reversed).
inline Data sum_to(const NDArray& g, const Shape& shape) {
  const Shape gshape = to_shape(g.shape());
  if (gshape == shape) return Data(g);
  const double* in = g.data();
  if (shape.empty()) {
    double sum = 0;
    for (std::size_t i = 0, n = g.size(); i < n; ++i) sum += in[i];
    return Data(sum);
  }
  NDArray y = NDArray::from_shape(shape);
  y.fill(0.0);
  double* out = y.data();
  for_each_broadcast(gshape, shape, [&](std::size_t i, std::size_t j) { out[j] += in[i]; });
  return Data(std::move(y));
}
inline Data sum_to(const Data& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  return sum_to(g.array(), shape);
}

// out[i] = f(operand 0's element i, ...) for i < n, or out[i] += it (Add): operand j's element i is
// ptr[j][i & mask[j]], a scalar having mask 0 and pointing at itself, so the loop has no branch per operand;
// with arrays alone, the loop without masks, which the optimizer can vectorise.
template <bool Add, class F, std::size_t K>
void store_elements(const F& f, double* out, std::size_t n, const std::array<const double*, K>& ptr,
                    const std::array<std::size_t, K>& mask) {
  bool all_arrays = true;
  for (std::size_t m : mask) all_arrays = all_arrays && m != 0;
  [&]<std::size_t... J>(std::index_sequence<J...>) {
    const auto store = [&](std::size_t i, double v) {
      if constexpr (Add)
        out[i] += v;
      else
        out[i] = v;
    };
    if (all_arrays)
      for (std::size_t i = 0; i < n; ++i) store(i, static_cast<double>(f(ptr[J][i]...)));
    else
      for (std::size_t i = 0; i < n; ++i) store(i, static_cast<double>(f(ptr[J][i & mask[J]]...)));
  }
  (std::make_index_sequence<K>{});
}

// y[i] = f(x0[i], x1[i], ...) with numpy broadcasting (a scalar matches any shape). `operation` names the
// caller in a shape_error. With `target`, the result is summed down to that shape (the gradient of a
// broadcast input); a scalar target is summed in the same loop, without a temporary array.
template <class F, class... D>
Data map_values(const F& f, std::string_view operation, const Shape* target, const D&... xs) {
  constexpr std::size_t k = sizeof...(D);
  if ((xs.is_scalar() && ...)) {
    const double y = static_cast<double>(f(xs.scalar()...));
    if (target && !target->empty()) return Data(broadcast_to(NDArray(y), *target));
    return Data(y);
  }
  const std::array<const Data*, k> in{&xs...};
  // The common shape of the array operands; arrays of another shape are broadcast to it first (rare).
  Shape shape;
  bool have_shape = false, same = true;
  for (const Data* x : in)
    if (!x->is_scalar()) {
      Shape s = x->shape();
      if (have_shape && s != shape) {
        same = false;
        shape = broadcast_shapes(shape, s, operation);
      } else if (!have_shape) {
        shape = std::move(s);
        have_shape = true;
      }
    }
  // Operand j's element i is ptr[j][i & mask[j]] (store_elements).
  std::array<NDArray, k> broadcast;
  std::array<const double*, k> ptr{};
  std::array<std::size_t, k> mask{};
  std::array<double, k> scalar{};
  for (std::size_t j = 0; j < k; ++j) {
    mask[j] = ~std::size_t{0};
    if (in[j]->is_scalar()) {
      scalar[j] = in[j]->scalar();
      ptr[j] = &scalar[j];
      mask[j] = 0;
    } else if (same || to_shape(in[j]->array().shape()) == shape) {
      ptr[j] = in[j]->array().data();
    } else {
      broadcast[j] = broadcast_to(in[j]->array(), shape);
      ptr[j] = broadcast[j].data();
    }
  }
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  auto element = [&]<std::size_t... J>(std::size_t i, std::index_sequence<J...>) {
    return static_cast<double>(f(ptr[J][i & mask[J]]...));
  };
  if (target && target->empty()) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += element(i, std::make_index_sequence<k>{});
    return Data(sum);
  }
  NDArray y = ArrayCache::take(shape);
  store_elements<false>(f, y.data(), n, ptr, mask);
  if (target && *target != shape) return sum_to(Data(std::move(y)), *target);
  return Data(std::move(y));
}

// into[i] += f(x0[i], x1[i], ...) when every array operand has into's shape (a scalar matches any); false,
// with nothing done, otherwise. Each term is the double map_values would have stored, so the sums are those
// of adding its result afterwards.
template <class F, class... D>
bool add_values(const F& f, NDArray& into, const D&... xs) {
  constexpr std::size_t k = sizeof...(D);
  const std::array<const Data*, k> in{&xs...};
  std::array<const double*, k> ptr{};
  std::array<std::size_t, k> mask{};
  std::array<double, k> scalar{};
  for (std::size_t j = 0; j < k; ++j) {
    if (in[j]->is_scalar()) {
      scalar[j] = in[j]->scalar();
      ptr[j] = &scalar[j];
      mask[j] = 0;
      continue;
    }
    const NDArray& a = in[j]->array();
    if (!std::equal(a.shape().begin(), a.shape().end(), into.shape().begin(), into.shape().end()))
      return false;
    ptr[j] = a.data();
    mask[j] = ~std::size_t{0};
  }
  store_elements<true>(f, into.data(), into.size(), ptr, mask);
  return true;
}

// into += g in place, when into is an array that g matches elementwise; false (nothing done) otherwise.
inline bool add_in_place(Data& into, const Data& g) {
  if (into.is_scalar() || into.empty()) return false;
  NDArray& a = into.array();
  double* out = a.data();
  if (g.is_scalar()) {
    for (std::size_t i = 0, n = a.size(); i < n; ++i) out[i] += g.scalar();
    return true;
  }
  const NDArray& b = g.array();
  if (b.shape() != a.shape()) return false;
  const double* in = b.data();
  for (std::size_t i = 0, n = a.size(); i < n; ++i) out[i] += in[i];
  return true;
}

// A rule's value map.
template <class Rule, class... D>
Data evaluate(const Rule& rule, const D&... xs) {
  return map_values(rule, Rule::name, nullptr, xs...);
}

}  // namespace dezero::detail
