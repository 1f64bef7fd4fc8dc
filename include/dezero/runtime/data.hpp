// What a Variable holds: nothing (DeZero's Variable(None)), a 0-d value kept inline, or an NDArray.
// Scalars are the runtime engine's hot path (a chain of scalar operations, a goldstein gradient); keeping
// them out of xtensor saves a heap allocation and the array set-up per value. The NDArray is made on
// first request and from then on is the value, so a caller holding data() sees every later change.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "dezero/runtime/detail/array_cache.hpp"
#include "dezero/runtime/ndarray.hpp"

namespace dezero::detail {

class Data {
 public:
  Data() = default;
  explicit Data(double value) : kind_(Kind::scalar), scalar_(value) {}
  explicit Data(NDArray array) : kind_(Kind::array), array_(new NDArray(std::move(array))) {}
  Data(const Data& o)
      : kind_(o.kind_),
        scalar_(o.scalar_),
        array_(o.array_ ? new NDArray(*o.array_) : nullptr),
        released_shape_(o.released_shape_ ? new Shape(*o.released_shape_) : nullptr) {}
  Data(Data&&) noexcept = default;

  Data& operator=(Data o) noexcept {
    kind_ = o.kind_;
    scalar_ = o.scalar_;
    array_ = std::move(o.array_);
    released_shape_ = std::move(o.released_shape_);
    return *this;
  }

  bool holds_array() const { return kind_ == Kind::array; }

  // Frees the array but remembers its shape: for an intermediate value that nothing can read any more
  // (docs/runtime-engine.md, "Memory"). Reading it afterwards throws std::logic_error.
  void release() {
    if (kind_ != Kind::array) return;
    released_shape_.reset(new Shape(to_shape(array_->shape())));
    array_.reset();
    kind_ = Kind::released;
  }

  bool empty() const { return kind_ == Kind::none; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  double scalar() const { return scalar_; }  // only when is_scalar()

  // Not const-thread-safe when a scalar is first turned into an array: a Variable is shared between
  // threads only with synchronisation (docs/runtime-engine.md).
  const NDArray& array() const {
    if (kind_ == Kind::released)
      throw std::logic_error(
          "the value of this intermediate Variable was released: no handle and no backward rule needed it");
    if (kind_ == Kind::scalar) {
      array_.reset(new NDArray(scalar_));
      kind_ = Kind::array;
    }
    return *array_;
  }
  NDArray& array() {
    std::as_const(*this).array();
    return *array_;
  }

  std::size_t ndim() const { return shape().size(); }
  std::size_t size() const {
    if (is_scalar()) return 1;
    if (kind_ == Kind::released) {
      std::size_t n = 1;
      for (std::size_t d : *released_shape_) n *= d;
      return n;
    }
    return array().size();
  }
  Shape shape() const {
    if (is_scalar()) return {};
    if (kind_ == Kind::released) return *released_shape_;
    return to_shape(array().shape());
  }

 private:
  enum class Kind : unsigned char { none, scalar, array, released };
  mutable Kind kind_ = Kind::none;
  double scalar_ = 0.0;
  // Out of line: a scalar node stays small (an xarray object is some 200 bytes even when empty).
  // Deleted out of line: inlined, the array's and shape's destructors made every scalar Data's destructor
  // heavy (the chain benchmark spent a tenth of its time in it).
  struct ArrayDeleter {
    [[gnu::noinline]] void operator()(NDArray* a) const noexcept {
      ArrayCache::give(*a);
      delete a;
    }
  };
  struct ShapeDeleter {
    [[gnu::noinline]] void operator()(Shape* s) const noexcept { delete s; }
  };
  mutable std::unique_ptr<NDArray, ArrayDeleter> array_;
  std::unique_ptr<Shape, ShapeDeleter> released_shape_;
};

inline Data filled_like(const Data& x, double value) {
  if (x.is_scalar()) return Data(value);
  NDArray a = ArrayCache::take(x.array().shape());
  a.fill(value);
  return Data(std::move(a));
}

inline Data filled(const Shape& shape, double value) {
  if (shape.empty()) return Data(value);
  NDArray a = ArrayCache::take(shape);
  a.fill(value);
  return Data(std::move(a));
}

}  // namespace dezero::detail
