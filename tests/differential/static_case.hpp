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
#include <initializer_list>
#include <tuple>
#include <vector>

#include "dezero/static.hpp"

namespace dezero::differential {

struct StaticResult {
  int inputs = 0;
  double plain = 0;  // the lambda on doubles
  double value = 0;  // the static engine's
  std::vector<double> grad;
  std::vector<double> hessian;  // value_grad_hessian's, row by row, for hessian_runner (issue 11, section 5)
};

using StaticRunner = StaticResult (*)(const std::vector<double>& point);

struct StaticCase {
  std::uint64_t seed;
  StaticRunner run;
};

inline std::vector<StaticCase>& static_cases() {
  static std::vector<StaticCase> cases;
  return cases;
}

struct Registration {
  Registration(std::initializer_list<StaticCase> cases) {
    static_cases().insert(static_cases().end(), cases.begin(), cases.end());
  }
};

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

}  // namespace dezero::differential
