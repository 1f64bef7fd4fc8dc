// The runtime engine's array type and the vocabulary around shapes: NDArray, Shape, shape_error and
// numpy's broadcasting rule.
#pragma once

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <xtensor/xarray.hpp>

namespace dezero {

// float64 n-d array; a 0-d NDArray holds one value (numpy's array(1.0)).
using NDArray = xt::xarray<double>;

// A shape as numpy shows it: (), (3,), (2, 3).
using Shape = std::vector<std::size_t>;

// Thrown when operands do not broadcast, or a Function returns a gradient of the wrong shape.
class shape_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Thrown when a Function gets or returns the wrong number of values.
class arity_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

inline std::string to_string(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i != 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

template <class S>
Shape to_shape(const S& s) {
  return Shape(s.begin(), s.end());
}

// numpy's rule: align trailing dimensions; each pair must be equal or contain a 1.
inline Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view operation) {
  Shape r(std::max(a.size(), b.size()));
  for (std::size_t i = 0; i < r.size(); ++i) {
    std::size_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    std::size_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      throw shape_error(std::string(operation) + ": operands could not be broadcast together with shapes " +
                        to_string(a) + " " + to_string(b));
    r[r.size() - 1 - i] = da == 1 ? db : da;
  }
  return r;
}

}  // namespace dezero
