// Test functions of N variables, written once with Boost.Hana over a fixed-size sequence: they run on a
// std::array<double, N> (plain evaluation) and on the static engine's sequence of placeholders
// (dezero::value_and_grad(sphere_n, x), dezero/sequence.hpp).
#pragma once

#include <cstddef>

#include <boost/hana/ext/std/array.hpp>
#include <boost/hana/fold_left.hpp>
#include <boost/hana/integral_constant.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/plus.hpp>
#include <boost/hana/range.hpp>

#include "dezero/test_functions.hpp"

namespace dezero {

// sum of x_i^2.
inline constexpr auto sphere_n = [](const auto& x) {
  return boost::hana::fold_left(x, 0.0, [](const auto& s, const auto& xi) { return s + xi * xi; });
};

// sum over i = 0 .. N-2 of rosenbrock(x_i, x_{i+1}) (DeZero's step 28 term), over a compile-time range.
inline constexpr auto rosenbrock_n = [](const auto& x) {
  namespace hana = boost::hana;
  constexpr std::size_t n = decltype(hana::length(x))::value;
  return hana::fold_left(
      hana::make_range(hana::size_c<0>, hana::size_c<n - 1>), 0.0,
      [&x](const auto& s, auto i) { return s + rosenbrock(x[i], x[i + hana::size_c<1>]); });
};

}  // namespace dezero
