// What a generated translation unit of the static engine's differential test needs (emit_static_tests.cpp
// writes them): the static engine and a registry. A generated case is a generic lambda f, the expression of
// case `seed`, registered as runner<N>(f), the function that runs it on doubles and through
// dezero::value_and_grad (hessian_runner<N>(f): and dezero::value_grad_hessian). Nothing else is compiled
// there, and no xtensor or Boost.Test is included: each of those translation units costs the static engine's
// instantiations and little more. test_static_generated.cpp checks the registered cases.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "dezero/static.hpp"
#include "registry.hpp"

namespace dezero::differential {

struct StaticResult {
  int inputs = 0;
  double plain = 0;  // the lambda on doubles
  double value = 0;  // the static engine's
  std::vector<double> grad;
  std::vector<double> hessian;  // value_grad_hessian's, row by row, for hessian_runner (issue 11, section 5)
};

using StaticRunner = Registry<StaticResult>::Runner;
using StaticCase = Registry<StaticResult>::Entry;
using Registration = Registry<StaticResult>::Registration;
inline std::vector<StaticCase>& static_cases() { return Registry<StaticResult>::cases(); }

// A captureless lambda is default-constructible (C++20): its type is enough to call it. With Hessian, also
// dezero::value_grad_hessian (a quarter of the cases: a Hessian costs a translation unit 3.5x the gradient's
// compile time under clang with the sanitizers, 75 s for 40 cases).
template <std::size_t N, class F, bool Hessian>
StaticResult run_static(const std::vector<double>& point) {
  std::array<double, N> x{};
  std::copy_n(point.begin(), std::min(N, point.size()), x.begin());
  const auto s = std::apply([](auto... a) { return dezero::value_and_grad(F{}, a...); }, x);
  StaticResult r{static_cast<int>(N), std::apply(F{}, x), s.value, {s.grad.begin(), s.grad.end()}, {}};
  if constexpr (Hessian) {
    const auto h = std::apply([](auto... a) { return dezero::value_grad_hessian(F{}, a...); }, x).hessian;
    for (const auto& row : h) r.hessian.insert(r.hessian.end(), row.begin(), row.end());
  }
  return r;
}

// The runner of lambda f of N arguments (taking f itself, not its type, keeps f used: clang warns of a
// variable named only in decltype); hessian_runner's results hold the Hessian too.
template <std::size_t N, class F>
StaticRunner runner(const F&) {
  return &run_static<N, F, false>;
}
template <std::size_t N, class F>
StaticRunner hessian_runner(const F&) {
  return &run_static<N, F, true>;
}

// Second order (issue 11, section 5), for the cases emit_static_tests writes with `second_order`: the
// Hessian, and derivative<K> along the first input (the others fixed at the point) for K = 0 to 4.
struct SecondOrderResult {
  std::vector<double> grad;
  std::vector<std::vector<double>> hessian;
  std::array<double, 5> along_first{};
};

using SecondOrderRunner = Registry<SecondOrderResult>::Runner;
using SecondOrderCase = Registry<SecondOrderResult>::Entry;
using SecondOrderRegistration = Registry<SecondOrderResult>::Registration;
inline std::vector<SecondOrderCase>& second_order_cases() { return Registry<SecondOrderResult>::cases(); }

template <std::size_t N, class F>
SecondOrderResult run_second_order(const std::vector<double>& point) {
  std::array<double, N> x{};
  std::copy_n(point.begin(), std::min(N, point.size()), x.begin());
  const auto h = std::apply([](auto... a) { return dezero::value_grad_hessian(F{}, a...); }, x);
  SecondOrderResult r{{h.grad.begin(), h.grad.end()}, {}, {}};
  for (const auto& row : h.hessian) r.hessian.emplace_back(row.begin(), row.end());
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    const auto along = [&](auto t) { return F{}(t, x[I + 1]...); };
    r.along_first = {dezero::derivative<0>(along, x[0]), dezero::derivative<1>(along, x[0]),
                     dezero::derivative<2>(along, x[0]), dezero::derivative<3>(along, x[0]),
                     dezero::derivative<4>(along, x[0])};
  }
  (std::make_index_sequence<N - 1>{});
  return r;
}

template <std::size_t N, class F>
SecondOrderRunner second_order_runner(const F&) {
  return &run_second_order<N, F>;
}

}  // namespace dezero::differential
