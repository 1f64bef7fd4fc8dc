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

#include <xtensor/xbuilder.hpp>

#include "dezero/runtime/detail/array_cache.hpp"
#include "dezero/runtime/ndarray.hpp"

namespace dezero::detail {

class Data {
 public:
  Data() = default;
  explicit Data(double value) : kind_(Kind::scalar), scalar_(value) {}
  explicit Data(NDArray array) : kind_(Kind::array), array_(std::make_unique<NDArray>(std::move(array))) {}
  Data(const Data& o)
      : kind_(o.kind_),
        scalar_(o.scalar_),
        array_(o.array_ ? std::make_unique<NDArray>(*o.array_) : nullptr) {}
  Data(Data&&) noexcept = default;
  ~Data() {
    if (array_) release_array();
  }
  Data& operator=(Data o) noexcept {
    if (array_) release_array();
    kind_ = o.kind_;
    scalar_ = o.scalar_;
    array_ = std::move(o.array_);
    return *this;
  }

  bool empty() const { return kind_ == Kind::none; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  double scalar() const { return scalar_; }  // only when is_scalar()

  // Not const-thread-safe when a scalar is first turned into an array: a Variable is shared between
  // threads only with synchronisation (docs/runtime-engine.md).
  const NDArray& array() const {
    if (kind_ == Kind::scalar) {
      array_ = std::make_unique<NDArray>(scalar_);
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

 private:
  // Out of line: inlined, the array's destructor made every scalar Data's destructor heavy.
  [[gnu::noinline]] void release_array() noexcept {
    ArrayCache::give(*array_);
    array_.reset();
  }

  enum class Kind : unsigned char { none, scalar, array };
  mutable Kind kind_ = Kind::none;
  double scalar_ = 0.0;
  // Out of line: a scalar node stays small (an xarray object is some 200 bytes even when empty).
  mutable std::unique_ptr<NDArray> array_;
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
