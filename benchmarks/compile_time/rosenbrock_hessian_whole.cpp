// The static engine's Hessian of Rosenbrock of n variables written as one expression of n scalar arguments
// (a fold over the pairs): the compile time behind docs/benchmarks.md's "not supported" for n = 100, which
// the comparison reaches per term instead. Not built by CMake, nor by measure.sh; by hand, from the top:
//   /usr/bin/time -v g++ -std=c++20 -O2 -Iinclude -DROSENBROCK_N=8 -c <this file> -o /dev/null
#include <array>
#include <cstddef>
#include <tuple>
#include <utility>

#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"

#ifndef ROSENBROCK_N
#define ROSENBROCK_N 8
#endif

inline constexpr auto rosenbrock_n = [](const auto&... x) {
  const auto t = std::forward_as_tuple(x...);
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return (dezero::rosenbrock(std::get<I>(t), std::get<I + 1>(t)) + ...);
  }
  (std::make_index_sequence<sizeof...(x) - 1>{});
};

dezero::ValueGradHessian<ROSENBROCK_N> rosenbrock_hessian_whole(const std::array<double, ROSENBROCK_N>& a) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return dezero::value_grad_hessian(rosenbrock_n, a[I]...);
  }
  (std::make_index_sequence<ROSENBROCK_N>{});
}
