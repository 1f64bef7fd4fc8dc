// The static engine with fixed-size sequences as arguments: dezero/static.hpp plus
// dezero/static/sequence.hpp (Boost.Hana). A function of a std::array<double, N> or a boost::hana::tuple (and
// dezero::jacobian of a function that returns its outputs as a boost::hana::tuple):
//
//   auto sphere_n = [](const auto& x) {
//     return boost::hana::fold_left(x, 0.0, [](auto s, auto xi) { return s + xi * xi; });
//   };
//   std::array<double, 16> x = ...;
//   auto [v, g] = dezero::value_and_grad(sphere_n, x);  // g is a std::array<double, 16>
#pragma once

#include "dezero/static.hpp"
#include "dezero/static/hana_outputs.hpp"
#include "dezero/static/sequence.hpp"
