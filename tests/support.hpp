// What the tests share: Boost.Test printing for NDArray and std::pair, and small array builders.
#pragma once

#include <boost/test/unit_test.hpp>

#include <ostream>
#include <utility>

#include "dezero/runtime/ndarray.hpp"

namespace boost::test_tools::tt_detail {

template <>
struct print_log_value<dezero::NDArray> {
  void operator()(std::ostream& os, const dezero::NDArray& a) {
    os << "array" << dezero::to_string(dezero::to_shape(a.shape())) << "[";
    for (double v : a) os << ' ' << v;
    os << " ]";
  }
};

template <class A, class B>
struct print_log_value<std::pair<A, B>> {
  void operator()(std::ostream& os, const std::pair<A, B>& p) {
    os << '(' << p.first << ", " << p.second << ')';
  }
};

}  // namespace boost::test_tools::tt_detail

namespace dezero::test {

// A column vector: {{a}, {b}} is ambiguous for xtensor's initializer-list constructors.
inline NDArray column(std::initializer_list<double> values) {
  NDArray a = NDArray(values);
  a.reshape({values.size(), 1});
  return a;
}

}  // namespace dezero::test
