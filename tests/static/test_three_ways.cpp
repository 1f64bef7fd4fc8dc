// One generic function, three ways: plain double evaluation, the static engine and the runtime engine
// give the same values and gradients, bit for bit where the arithmetic is exact.
#include <array>
#include <cmath>
#include <type_traits>

#include <boost/test/unit_test.hpp>

#include "dezero/runtime.hpp"
#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"

namespace {

const auto transcendental = [](const auto& x, const auto& y) {
  using std::cos, std::exp, std::log, std::sin, std::sqrt, std::tanh;
  return exp(x) * sin(y) + log(x * x + 1) * cos(x) - tanh(x * y) + sqrt(y * y + 2);
};

struct Runtime {
  double value;
  std::array<double, 2> grad;
};

template <class F>
Runtime runtime_engine(const F& f, double a, double b) {
  dezero::Variable x(a), y(b);
  dezero::Variable z = f(x, y);
  z.backward();
  return {z.item(), {x.grad()->item(), y.grad()->item()}};
}

template <class F>
void check_exact(const F& f, double a, double b) {
  const double plain = f(a, b);
  const auto s = dezero::value_and_grad(f, a, b);
  const Runtime r = runtime_engine(f, a, b);
  BOOST_TEST(s.value == plain);
  BOOST_TEST(r.value == plain);
  BOOST_TEST(s.grad[0] == r.grad[0]);
  BOOST_TEST(s.grad[1] == r.grad[1]);
}

template <class F>
void check_close(const F& f, double a, double b) {
  const double plain = f(a, b);
  const auto s = dezero::value_and_grad(f, a, b);
  const Runtime r = runtime_engine(f, a, b);
  BOOST_TEST(s.value == plain, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(r.value == plain, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(s.grad[0] == r.grad[0], boost::test_tools::tolerance(1e-13));
  BOOST_TEST(s.grad[1] == r.grad[1], boost::test_tools::tolerance(1e-13));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(three_ways)

BOOST_AUTO_TEST_CASE(exact_points) {
  for (const auto& [a, b] : {std::array{1.0, 1.0}, {0.0, -1.0}, {2.0, -3.0}, {-1.5, 0.5}}) {
    check_exact(dezero::sphere, a, b);
    check_exact(dezero::goldstein, a, b);
    check_exact(dezero::rosenbrock, a, b);
  }
  check_exact(dezero::matyas, 1.0, 1.0);
}

// Every point of a grid of quarters in [-2, 2]^2: there every operation of these functions is exact (the
// values need at most 16 fractional and 20 integer bits), so plain evaluation, the static engine's forward
// mode, its reverse mode and the runtime engine must agree to the last bit, whatever the order of their
// arithmetic.
BOOST_AUTO_TEST_CASE(exact_grid) {
  for (int i = -8; i <= 8; ++i)
    for (int j = -8; j <= 8; ++j) {
      const double a = i / 4.0, b = j / 4.0;
      check_exact(dezero::sphere, a, b);
      check_exact(dezero::goldstein, a, b);
      check_exact(dezero::rosenbrock, a, b);
    }
}

// The two ways the static engine computes a gradient (docs/static-engine.md, "Two modes"): forward mode
// for functions of one or two arguments, reverse mode above. At a general point they may round differently.
template <class F>
void check_modes(const F& f, double a, double b, double tolerance) {
  const auto e = f(dezero::arg<0>, dezero::arg<1>);
  using E = std::remove_const_t<decltype(e)>;
  const std::array<double, 2> x{a, b};
  const auto forward = dezero::static_engine::detail::run<E, 2, true>(e, x);
  const auto reverse = dezero::static_engine::detail::run<E, 2, false>(e, x);
  BOOST_TEST(forward.value == reverse.value);
  if (tolerance == 0.0) {
    BOOST_TEST(forward.grad[0] == reverse.grad[0]);
    BOOST_TEST(forward.grad[1] == reverse.grad[1]);
  } else {
    BOOST_TEST(forward.grad[0] == reverse.grad[0], boost::test_tools::tolerance(tolerance));
    BOOST_TEST(forward.grad[1] == reverse.grad[1], boost::test_tools::tolerance(tolerance));
  }
}

BOOST_AUTO_TEST_CASE(forward_and_reverse_mode) {
  for (const auto& [a, b] : {std::array{1.0, 1.0}, {0.0, -1.0}, {2.0, -3.0}, {-1.5, 0.5}}) {
    check_modes(dezero::sphere, a, b, 0.0);
    check_modes(dezero::goldstein, a, b, 0.0);
    check_modes(dezero::rosenbrock, a, b, 0.0);
  }
  for (const auto& [a, b] : {std::array{0.3, -0.7}, {1.7, 2.9}, {-2.2, 0.1}}) {
    check_modes(dezero::sphere, a, b, 1e-15);
    check_modes(dezero::matyas, a, b, 1e-13);
    check_modes(dezero::goldstein, a, b, 1e-13);
    check_modes(dezero::rosenbrock, a, b, 1e-13);
    check_modes(transcendental, a, b, 1e-13);
  }
}

BOOST_AUTO_TEST_CASE(general_points) {
  for (const auto& [a, b] : {std::array{0.3, -0.7}, {1.7, 2.9}, {-2.2, 0.1}}) {
    check_close(dezero::sphere, a, b);
    check_close(dezero::matyas, a, b);
    check_close(dezero::goldstein, a, b);
    check_close(dezero::rosenbrock, a, b);
    check_close(transcendental, a, b);
  }
}

BOOST_AUTO_TEST_SUITE_END()
