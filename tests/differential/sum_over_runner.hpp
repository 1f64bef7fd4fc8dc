// What a generated translation unit of the sum_over differential test needs (emit_sum_over_tests.cpp
// writes them): the static engine and a registry of runners. A runner evaluates f, the sum over the case's
// data, on doubles (sum_over's plain loop) and through dezero::value_and_grad (one sum_over node).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <vector>

#include "dezero/static.hpp"
#include "dezero/static/sum_over.hpp"
#include "registry.hpp"

namespace dezero::differential {

struct SumOverResult {
  int parameters = 0;
  double plain = 0;  // f on doubles
  double value = 0;  // the static engine's
  std::vector<double> grad;
};

using SumOverRunner = Registry<SumOverResult>::Runner;
using SumOverEntry = Registry<SumOverResult>::Entry;
using SumOverRegistration = Registry<SumOverResult>::Registration;
inline std::vector<SumOverEntry>& sum_over_cases() { return Registry<SumOverResult>::cases(); }

template <std::size_t K, class F>
SumOverResult run_sum_over(const std::vector<double>& p) {
  std::array<double, K> x{};
  std::copy_n(p.begin(), K, x.begin());
  const auto s = std::apply([](auto... a) { return dezero::value_and_grad(F{}, a...); }, x);
  return {static_cast<int>(K), std::apply(F{}, x), s.value, {s.grad.begin(), s.grad.end()}};
}

template <std::size_t K, class F>
SumOverRunner sum_over_runner(const F&) {
  return &run_sum_over<K, F>;
}

}  // namespace dezero::differential
