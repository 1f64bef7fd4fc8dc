// What a Variable holds: nothing (DeZero's Variable(None)), a 0-d value kept inline, or an NDArray.
// Scalars are the runtime engine's hot path (a chain of scalar operations, a goldstein gradient); keeping
// them out of xtensor saves a heap allocation and the array set-up per value. The NDArray is made on
// first request and from then on is the value, so a caller holding data() sees every later change.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>

#include "dezero/runtime/ndarray.hpp"

namespace dezero::detail {

class Data {
 public:
  Data() = default;
  explicit Data(double value) : kind_(Kind::scalar), scalar_(value) {}
  explicit Data(NDArray array) : kind_(Kind::array), array_(std::move(array)) {}

  bool empty() const { return kind_ == Kind::none; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  double scalar() const { return scalar_; }  // only when is_scalar()

  // Not const-thread-safe when a scalar is first turned into an array: a Variable is shared between
  // threads only with synchronisation (docs/runtime-engine.md).
  const NDArray& array() const {
    if (kind_ == Kind::scalar) {
      array_.emplace(scalar_);
      kind_ = Kind::array;
    }
    return *array_;
  }
  NDArray& array() {
    std::as_const(*this).array();
    return *array_;
  }

  std::size_t ndim() const { return is_scalar() ? 0 : array().dimension(); }
  std::size_t size() const { return is_scalar() ? 1 : array().size(); }
  Shape shape() const { return is_scalar() ? Shape{} : to_shape(array().shape()); }

  // A 0-d value, whichever way it is stored.
  bool holds_one_value() const { return is_scalar() || (array_ && array_->dimension() == 0); }

 private:
  enum class Kind : unsigned char { none, scalar, array };
  mutable Kind kind_ = Kind::none;
  double scalar_ = 0.0;
  mutable std::optional<NDArray> array_;
};

inline Data filled_like(const Data& x, double value) {
  if (x.is_scalar()) return Data(value);
  return Data(NDArray(xt::full_like(x.array(), value)));
}

inline Data filled(const Shape& shape, double value) {
  if (shape.empty()) return Data(value);
  NDArray a = xt::empty<double>(shape);
  a.fill(value);
  return Data(std::move(a));
}

// The argument a rule sees for one input: a double for a scalar, the array otherwise (xtensor broadcasts
// a double against an array).
template <class F>
decltype(auto) visit_value(const Data& x, F&& f) {
  if (x.is_scalar()) return std::forward<F>(f)(x.scalar());
  return std::forward<F>(f)(x.array());
}

// Applies a rule's value map elementwise; scalars stay scalars. Shapes are checked before any work so that
// the error names the operation and both shapes.
template <class Rule>
Data evaluate(const Rule& rule, const Data& x) {
  if (x.is_scalar()) return Data(static_cast<double>(rule(x.scalar())));
  return Data(NDArray(rule(x.array())));
}

template <class Rule>
Data evaluate(const Rule& rule, const Data& x0, const Data& x1) {
  if (x0.is_scalar() && x1.is_scalar()) return Data(static_cast<double>(rule(x0.scalar(), x1.scalar())));
  if (!x0.is_scalar() && !x1.is_scalar()) broadcast_shapes(x0.shape(), x1.shape(), Rule::name);
  return visit_value(x0, [&](const auto& a) {
    return visit_value(x1, [&](const auto& b) { return Data(NDArray(rule(a, b))); });
  });
}

}  // namespace dezero::detail
