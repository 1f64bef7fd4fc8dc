// Misuses of the static engine, one per ERROR_CASE; each must stop at one readable static_assert line.
// Compiled (and expected to fail) by the static_error_* tests in tests/CMakeLists.txt.
#include "dezero/static.hpp"

#include <cmath>
#include <string>

void misuse() {
#if ERROR_CASE == 1  // wrong number of arguments
  dezero::grad([](auto x, auto y) { return x * y; }, 1.0);
#elif ERROR_CASE == 2   // not generic
  dezero::grad([](double x) { return x * x; }, 1.0);
#elif ERROR_CASE == 3   // not a function or an expression
  dezero::grad(3.0, 1.0);
#elif ERROR_CASE == 4   // a result that is not an expression
  dezero::grad([](auto) { return std::string("x"); }, 1.0);
#elif ERROR_CASE == 5   // arguments that are not numbers
  dezero::grad([](auto x) { return x; }, std::string("1"));
#elif ERROR_CASE == 6   // an expression of more arguments than given
  dezero::grad(dezero::arg<0> * dezero::arg<1>, 1.0);
#elif ERROR_CASE == 7   // a function the static engine does not provide
  dezero::grad(
      [](auto x) {
        using std::lgamma;
        return lgamma(x) * x;
      },
      1.0);
#elif ERROR_CASE == 8   // a branch on a placeholder
  dezero::grad(
      [](auto x) {
        if (x > 0) return x * x;
        return -x;
      },
      1.0);
#elif ERROR_CASE == 9   // a choice by ?: on a placeholder
  dezero::grad([](auto x, auto y) { return x < y ? x : y; }, 1.0, 2.0);
#elif ERROR_CASE == 10  // a Jacobian of a function that returns one expression, not a tuple of outputs
  dezero::jacobian([](auto x, auto y) { return x * y; }, 1.0, 2.0);
#endif
}
