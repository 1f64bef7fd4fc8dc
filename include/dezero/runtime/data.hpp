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
  Data() noexcept = default;
  explicit Data(double value) noexcept : kind_(Kind::scalar), v_{value} {}
  explicit Data(NDArray array) : kind_(Kind::array) { v_.array = new NDArray(std::move(array)); }
  Data(const Data& o) : kind_(o.kind_), v_(o.v_) {
    if (kind_ == Kind::array) v_.array = new NDArray(*o.v_.array);
    if (kind_ == Kind::released) v_.shape = new Shape(*o.v_.shape);
  }
  Data(Data&& o) noexcept : kind_(std::exchange(o.kind_, Kind::none)), v_(o.v_) {}
  Data& operator=(Data o) noexcept {
    std::swap(kind_, o.kind_);
    std::swap(v_, o.v_);
    return *this;
  }
  ~Data() {
    if (kind_ > Kind::scalar) [[unlikely]]
      free_out_of_line(kind_, v_);
  }

  bool holds_array() const { return kind_ == Kind::array; }

  // Frees the array but remembers its shape: for an intermediate value that nothing can read any more
  // (docs/runtime-engine.md, "Memory"). Reading it afterwards throws std::logic_error. Out of line: it is
  // on the path of every Variable's destructor, which stays a few instructions without a frame.
  [[gnu::noinline]] void release() {
    if (kind_ != Kind::array) return;
    Shape* shape = new Shape(to_shape(v_.array->shape()));
    free_out_of_line(kind_, v_);
    v_.shape = shape;
    kind_ = Kind::released;
  }

  bool empty() const { return kind_ == Kind::none; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  double scalar() const { return v_.scalar; }  // only when is_scalar()

  // Not const-thread-safe when a scalar is first turned into an array: a Variable is shared between
  // threads only with synchronisation (docs/runtime-engine.md).
  const NDArray& array() const {
    if (kind_ != Kind::array) [[unlikely]]
      make_array();
    return *v_.array;
  }
  NDArray& array() {
    std::as_const(*this).array();
    return *v_.array;
  }

  std::size_t ndim() const { return shape().size(); }
  std::size_t size() const {
    if (is_scalar()) return 1;
    if (kind_ == Kind::released) {
      std::size_t n = 1;
      for (std::size_t d : *v_.shape) n *= d;
      return n;
    }
    return array().size();
  }
  Shape shape() const {
    if (is_scalar()) return {};
    if (kind_ == Kind::released) return *v_.shape;
    return to_shape(array().shape());
  }

 private:
  enum class Kind : unsigned char { none, scalar, array, released };

  // 16 bytes: a scalar node stays small, and moving a value is two words (an xarray object is some 200
  // bytes even when empty, so an array lives out of line).
  union Value {  // copied whole, as its bytes, whichever member is alive
    double scalar;
    NDArray* array;
    Shape* shape;  // of a released array
  };
  mutable Kind kind_ = Kind::none;
  mutable Value v_{0.0};

  // Out of line: inlined, the array's and shape's destructors made every scalar Data's destructor heavy
  // (the chain benchmark spent a tenth of its time in it).
  [[gnu::noinline]] static void free_out_of_line(Kind kind, Value v) noexcept {
    if (kind == Kind::array) {
      ArrayCache::give(*v.array);
      delete v.array;
    } else if (kind == Kind::released) {
      delete v.shape;
    }
  }
  [[gnu::noinline]] void make_array() const {
    if (kind_ == Kind::released)
      throw std::logic_error(
          "the value of this intermediate Variable was released: no handle and no backward rule needed it");
    if (kind_ == Kind::none) throw std::logic_error("the Variable has no data");
    v_.array = new NDArray(v_.scalar);
    kind_ = Kind::array;
  }
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
