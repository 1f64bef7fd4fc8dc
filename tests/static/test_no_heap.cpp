// The generated code allocates nothing: a global operator new that counts, around gradient calls.
#include <cmath>
#include <cstdlib>
#include <new>
#include <tuple>

#include <boost/test/unit_test.hpp>

#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"

namespace {
long allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

BOOST_AUTO_TEST_CASE(static_engine_allocates_nothing) {
  volatile double x = 0.3, y = -1.2;  // run-time inputs: nothing is folded away
  const long before = allocations;
  double sink = 0;
  for (int i = 0; i < 100; ++i) {
    sink += dezero::grad(dezero::goldstein, x, y)[0];
    sink += dezero::value_and_grad(dezero::rosenbrock, x, y).value;
    sink += dezero::grad(
        [](auto a, auto b) {
          using std::exp, std::sin, std::tanh;
          auto t = a * b;
          return exp(t) * sin(a) + tanh(t) / b;
        },
        x, y)[1];
    // Second order and Jacobians (issue 11): both Hessian modes, both Jacobian modes.
    sink += dezero::value_grad_hessian(dezero::goldstein, x, y).hessian[0][1];
    sink += dezero::hessian([](auto a, auto b, auto c, auto d, auto e, auto f, auto g, auto h,
                               auto k) { return a * b * c + d * e * f + g * h * k + a * k; },
                            x, y, x, y, x, y, x, y, x)[0][1];  // nine arguments: forward over reverse
    sink += dezero::jacobian([](auto a, auto b) { return std::tuple{a * b, a - b, exp(a)}; }, x, y)[2][0];
    sink += dezero::jacobian(
        [](auto a, auto b, auto c, auto d, auto e, auto f, auto g, auto h, auto i, auto j) {
          const auto s = a * b + c * d + e * f + g * h + i * j;
          return std::tuple{s * s, s * a};
        },
        x, y, x, y, x, y, x, y, x, y)[1][3];  // two outputs of ten arguments: reverse mode
  }
  BOOST_TEST(allocations == before);
  BOOST_TEST(std::isfinite(sink));
}
