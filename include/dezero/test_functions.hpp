// The optimisation test functions of DeZero's step 24 (and Rosenbrock, step 28), written once as generic
// formulas. They run unchanged on double, on the static engine's expressions and on dezero::Variable, and
// build the same graph as DeZero (goldstein: 38 functions) because they use the same operations in the
// same order.
#pragma once

#include <cmath>

namespace dezero {

inline constexpr auto sphere = [](const auto& x, const auto& y) {
  using std::pow;
  return pow(x, 2) + pow(y, 2);
};

inline constexpr auto matyas = [](const auto& x, const auto& y) {
  using std::pow;
  return 0.26 * (pow(x, 2) + pow(y, 2)) - 0.48 * x * y;
};

inline constexpr auto goldstein = [](const auto& x, const auto& y) {
  using std::pow;
  return (1 + pow(x + y + 1, 2) * (19 - 14 * x + 3 * pow(x, 2) - 14 * y + 6 * x * y + 3 * pow(y, 2))) *
         (30 + pow(2 * x - 3 * y, 2) * (18 - 32 * x + 12 * pow(x, 2) + 48 * y - 36 * x * y + 27 * pow(y, 2)));
};

// DeZero step 28: y = b(x1 - x0^2)^2 + (a - x0)^2 with a = 1, b = 100.
inline constexpr auto rosenbrock = [](const auto& x0, const auto& x1) {
  using std::pow;
  return 100 * pow(x1 - pow(x0, 2), 2) + pow(1 - x0, 2);
};

}  // namespace dezero
