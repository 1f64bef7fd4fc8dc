// Fixed-size sequences as arguments (dezero/sequence.hpp): f takes one Hana sequence; the gradient is a
// std::array. Values and gradients against hand-written code and central differences at seeded random
// points, constexpr evaluation, hana::tuple arguments, and Rosenbrock of N = 2 .. 32 variables.
#include <array>
#include <cmath>
#include <cstddef>
#include <random>
#include <utility>

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/test/unit_test.hpp>

#include "dezero/sequence.hpp"
#include "dezero/sequence_test_functions.hpp"
#include "dezero/static/sum_over.hpp"

namespace {

namespace hana = boost::hana;

template <std::size_t N>
std::array<double, N> random_point(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> dist(-2.0, 2.0);
  std::array<double, N> x{};
  for (double& xi : x) xi = dist(rng);
  return x;
}

// Hand-written Rosenbrock of N variables: value and gradient, and the sum of the magnitudes of the terms of
// each gradient component (the scale of its rounding error: terms of opposite signs cancel).
template <std::size_t N>
struct Hand {
  dezero::ValueAndGrad<N> r{0.0, {}};
  std::array<double, N> scale{};
};
template <std::size_t N>
Hand<N> rosenbrock_hand(const std::array<double, N>& x) {
  Hand<N> h;
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const double t = x[i + 1] - x[i] * x[i], u = 1 - x[i];
    h.r.value += 100 * t * t + u * u;
    h.r.grad[i] += -400 * t * x[i] - 2 * u;
    h.r.grad[i + 1] += 200 * t;
    h.scale[i] += std::abs(400 * t * x[i]) + std::abs(2 * u) + 400 * x[i] * x[i];
    h.scale[i + 1] += std::abs(200 * t) + 200;
  }
  return h;
}

// Central differences of f on doubles, component i.
template <class F, std::size_t N>
double central_difference(const F& f, std::array<double, N> x, std::size_t i) {
  const double h = 0x1p-17, xi = x[i];
  x[i] = xi + h;
  const double up = f(x);
  x[i] = xi - h;
  const double down = f(x);
  return (up - down) / (2 * h);
}

template <std::size_t N>
void check_rosenbrock(std::mt19937_64& rng) {
  for (int trial = 0; trial < 4; ++trial) {
    const auto x = random_point<N>(rng);
    const auto [v, g] = dezero::value_and_grad(dezero::rosenbrock_n, x);
    const auto hand = rosenbrock_hand(x);
    BOOST_TEST(v == dezero::rosenbrock_n(x));  // the value is the plain evaluation's, bit for bit
    BOOST_TEST(v == hand.r.value, boost::test_tools::tolerance(1e-14));
    for (std::size_t i = 0; i < N; ++i) {
      BOOST_TEST(std::abs(g[i] - hand.r.grad[i]) <= 1e-14 * hand.scale[i]);
      BOOST_TEST(std::abs(g[i] - central_difference(dezero::rosenbrock_n, x, i)) <= 1e-7 * hand.scale[i]);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sequences)

// The example, constexpr: sphere_n's gradient is 2x.
static_assert(dezero::grad(dezero::sphere_n, std::array{1.0, 2.0, 3.0}) == std::array{2.0, 4.0, 6.0});
static_assert(dezero::value(dezero::sphere_n, std::array{1.0, 2.0, 3.0}) == 14.0);
static_assert(dezero::value_and_grad(dezero::rosenbrock_n, std::array{1.0, 1.0, 1.0}).value == 0.0);
static_assert(dezero::grad(dezero::rosenbrock_n, std::array{0.0, 2.0})[0] == -2.0);
static_assert(dezero::grad(dezero::rosenbrock_n, std::array{0.0, 2.0})[1] == 400.0);

BOOST_AUTO_TEST_CASE(sphere_n_values_and_gradients) {
  std::mt19937_64 rng(12);
  for (int trial = 0; trial < 8; ++trial) {
    const auto x = random_point<16>(rng);
    const auto [v, g] = dezero::value_and_grad(dezero::sphere_n, x);
    double hand = 0.0;
    for (double xi : x) hand += xi * xi;
    BOOST_TEST(v == hand);  // same operations in the same order
    for (std::size_t i = 0; i < 16; ++i) BOOST_TEST(g[i] == 2 * x[i]);
    BOOST_TEST(dezero::grad(dezero::sphere_n, x) == g);
    BOOST_TEST(dezero::value(dezero::sphere_n, x) == v);
  }
}

BOOST_AUTO_TEST_CASE(rosenbrock_of_2_to_32_variables) {
  std::mt19937_64 rng(28);
  check_rosenbrock<2>(rng);
  check_rosenbrock<3>(rng);
  check_rosenbrock<5>(rng);
  check_rosenbrock<8>(rng);
  check_rosenbrock<16>(rng);
  check_rosenbrock<32>(rng);
}

// A hana::tuple of numbers of any arithmetic types: the same f, the same gradient as for the std::array.
BOOST_AUTO_TEST_CASE(hana_tuple_arguments) {
  const auto t = hana::make_tuple(1.5, 2, 0.25f);
  const auto [v, g] = dezero::value_and_grad(dezero::rosenbrock_n, t);
  const auto a = dezero::value_and_grad(dezero::rosenbrock_n, std::array{1.5, 2.0, 0.25});
  BOOST_TEST(v == a.value);
  BOOST_TEST(g == a.grad);
  BOOST_TEST(v == dezero::rosenbrock_n(t));
  BOOST_TEST(dezero::value(dezero::sphere_n, t) == 6.3125);
  BOOST_TEST(dezero::grad(dezero::sphere_n, t) == (std::array{3.0, 4.0, 0.5}));
}

// Elements by compile-time index (hana::at_c, x[hana::size_c<I>]), math by argument-dependent lookup, an
// element f does not use (its gradient exactly 0), and a constant function.
BOOST_AUTO_TEST_CASE(indexing_math_and_unused_elements) {
  const auto f = [](const auto& x) {
    using std::exp, std::sin;
    return exp(hana::at_c<0>(x)) * sin(x[hana::size_c<2>]);
  };
  const std::array x{0.5, -1.0, 1.25};
  const auto [v, g] = dezero::value_and_grad(f, x);
  BOOST_TEST(v == f(x));
  BOOST_TEST(g[0] == std::exp(0.5) * std::sin(1.25), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(g[1] == 0.0);
  BOOST_TEST(g[2] == std::exp(0.5) * std::cos(1.25), boost::test_tools::tolerance(1e-15));

  const auto constant = [](const auto&) { return 3.5; };
  const auto c = dezero::value_and_grad(constant, x);
  BOOST_TEST(c.value == 3.5);
  BOOST_TEST(c.grad == (std::array{0.0, 0.0, 0.0}));
}

// An expression built by hand from dezero::arg<I> takes a sequence too.
BOOST_AUTO_TEST_CASE(expressions_take_sequences) {
  const auto e = dezero::arg<0> * dezero::arg<1> + dezero::arg<1>;
  const auto [v, g] = dezero::value_and_grad(e, std::array{2.0, 3.0});
  BOOST_TEST(v == 9.0);
  BOOST_TEST(g == (std::array{3.0, 3.0}));
}

// A sequence function without captures over constant data: its expression could be a constant, but the
// sum_over node writes its local derivatives while it runs, so it is built for each call, never shared.
constexpr std::array<double, 3> weights{1.0, 2.0, 3.0};
constexpr auto weighted = [](const auto& x) {
  return dezero::sum_over(
             weights, [](const auto& a, double w) { return w * a * a; }, hana::at_c<0>(x)) +
         hana::at_c<1>(x);
};
static_assert(dezero::static_engine::detail::constant_sequence_function<
              std::remove_const_t<decltype(dezero::rosenbrock_n)>, 4, std::array<double, 4>>);
static_assert(!dezero::static_engine::detail::constant_sequence_function<
              std::remove_const_t<decltype(weighted)>, 2, std::array<double, 2>>);

BOOST_AUTO_TEST_CASE(sums_over_data_in_sequence_functions) {
  for (double a : {1.0, -0.5}) {
    const auto [v, g] = dezero::value_and_grad(weighted, std::array{a, 4.0});
    BOOST_TEST(v == 6 * a * a + 4.0);
    BOOST_TEST(g[0] == 12 * a);
    BOOST_TEST(g[1] == 1.0);
  }
}

BOOST_AUTO_TEST_SUITE_END()
