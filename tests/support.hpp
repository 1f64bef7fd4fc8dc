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

// Under AddressSanitizer every allocation costs ~10x: the largest graphs are cut to a tenth there. A
// recursion on the stack would still overflow (ASan's frames are larger), and the sizes stay far beyond
// anything a fixed-size structure could hold by accident.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool sanitized = true;
#else
inline constexpr bool sanitized = false;
#endif
#else
inline constexpr bool sanitized = false;
#endif
inline constexpr int million = sanitized ? 100'000 : 1'000'000;

// A column vector: {{a}, {b}} is ambiguous for xtensor's initializer-list constructors.
inline NDArray column(std::initializer_list<double> values) {
  NDArray a = NDArray(values);
  a.reshape({values.size(), 1});
  return a;
}

}  // namespace dezero::test
