// Sums over windows of a run-time-length vector (dezero/static/windowed.hpp): Rosenbrock of n = 10,000
// variables in one call, a chain of springs (windows of 2) and a bending energy (windows of 3), against
// hand-written gradients and central differences at seeded random points; short vectors and the size check.
// dezero/static.hpp, the windowed sums and sum_over stay free of Boost: first, alone.
#include "dezero/static.hpp"
#include "dezero/static/sum_over.hpp"
#include "dezero/static/windowed.hpp"
#if defined(BOOST_HANA_CONFIG_HPP) || defined(BOOST_CONFIG_HPP)
#error "dezero/static.hpp includes Boost"
#endif

#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "dezero/test_functions.hpp"

namespace {

std::vector<double> random_vector(std::size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> dist(-2.0, 2.0);
  std::vector<double> x(n);
  for (double& xi : x) xi = dist(rng);
  return x;
}

template <class F>
double central_difference(const F& f, std::vector<double> x, std::size_t i) {
  const double h = 0x1p-17, xi = x[i];
  x[i] = xi + h;
  const double up = f(x);
  x[i] = xi - h;
  const double down = f(x);
  return (up - down) / (2 * h);
}

// A chain of springs of stiffness k and rest length L between consecutive masses.
constexpr double k = 3.0, rest = 0.5;
const auto springs = dezero::windowed<2>([](auto a, auto b) {
  using dezero::square;
  return 0.5 * k * square(b - a - rest);
});
// A discrete bending energy: the second difference squared.
const auto bending = dezero::windowed<3>([](auto a, auto b, auto c) {
  using dezero::square;
  return square(a - 2 * b + c);
});
const auto rosenbrock = dezero::windowed<2>(dezero::rosenbrock);

}  // namespace

BOOST_AUTO_TEST_SUITE(windowed_sums)

// n = 10,000: the same value and gradient, bit for bit, as the loop of per-term value_and_grad calls a user
// wrote before (the engine's code for each window is that call); close to the hand-written derivative.
BOOST_AUTO_TEST_CASE(rosenbrock_10000_in_one_call) {
  std::mt19937_64 rng(10'000);
  const std::vector<double> x = random_vector(10'000, rng);
  const auto [v, g] = dezero::value_and_grad(rosenbrock, x);
  BOOST_TEST(g.size() == x.size());
  double value = 0.0;
  std::vector<double> terms(x.size()), hand(x.size()), scale(x.size());
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const auto r = dezero::value_and_grad(dezero::rosenbrock, x[i], x[i + 1]);
    value += r.value;
    terms[i] += r.grad[0];
    terms[i + 1] += r.grad[1];
    const double t = x[i + 1] - x[i] * x[i], u = 1 - x[i];
    hand[i] += -400 * t * x[i] - 2 * u;
    hand[i + 1] += 200 * t;
    scale[i] += std::abs(400 * t * x[i]) + std::abs(2 * u);
    scale[i + 1] += std::abs(200 * t);
  }
  BOOST_TEST(v == value);
  BOOST_TEST(v == rosenbrock(x));
  BOOST_TEST(dezero::value(rosenbrock, x) == v);
  std::size_t off = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (g[i] != terms[i]) ++off;
    BOOST_TEST(std::abs(g[i] - hand[i]) <= 1e-14 * scale[i]);
  }
  BOOST_TEST(off == 0u);
  // Into a caller's buffer (its old contents overwritten), and through a span.
  std::vector<double> into(x.size(), 7.0);
  BOOST_TEST(dezero::value_and_grad(rosenbrock, std::span<const double>(x), std::span<double>(into)) == v);
  BOOST_TEST(into == g);
  BOOST_TEST(dezero::grad(rosenbrock, x) == g);
}

BOOST_AUTO_TEST_CASE(springs_and_bending_against_central_differences) {
  std::mt19937_64 rng(2);
  for (std::size_t n : {3u, 4u, 17u, 64u}) {
    const std::vector<double> x = random_vector(n, rng);
    const auto s = dezero::value_and_grad(springs, x);
    const auto b = dezero::value_and_grad(bending, x);
    double sv = 0.0, bv = 0.0;
    std::vector<double> sg(n), bg(n);
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const double e = x[i + 1] - x[i] - rest;
      sv += 0.5 * k * (e * e);
      sg[i] -= k * e;
      sg[i + 1] += k * e;
    }
    for (std::size_t i = 0; i + 2 < n; ++i) {
      const double d = x[i] - 2 * x[i + 1] + x[i + 2];
      bv += d * d;
      bg[i] += 2 * d;
      bg[i + 1] -= 4 * d;
      bg[i + 2] += 2 * d;
    }
    BOOST_TEST(s.value == sv, boost::test_tools::tolerance(1e-14));
    BOOST_TEST(b.value == bv, boost::test_tools::tolerance(1e-14));
    for (std::size_t i = 0; i < n; ++i) {
      BOOST_TEST(s.grad[i] == sg[i], boost::test_tools::tolerance(1e-13));
      BOOST_TEST(b.grad[i] == bg[i], boost::test_tools::tolerance(1e-13));
      BOOST_TEST(std::abs(s.grad[i] - central_difference(springs, x, i)) <= 1e-7 * (1 + std::abs(sg[i])));
      BOOST_TEST(std::abs(b.grad[i] - central_difference(bending, x, i)) <= 1e-7 * (1 + std::abs(bg[i])));
    }
  }
}

// Fewer elements than the window: an empty sum. A gradient buffer of another size: std::invalid_argument.
BOOST_AUTO_TEST_CASE(short_vectors_and_sizes) {
  const std::vector<double> two{1.0, 2.0};
  const auto b = dezero::value_and_grad(bending, two);
  BOOST_TEST(b.value == 0.0);
  BOOST_TEST(b.grad == (std::vector<double>{0.0, 0.0}));
  const auto empty = dezero::value_and_grad(rosenbrock, std::vector<double>{});
  BOOST_TEST(empty.value == 0.0);
  BOOST_TEST(empty.grad.empty());
  const auto one = dezero::value_and_grad(springs, std::vector<double>{1.0});
  BOOST_TEST(one.grad == std::vector<double>{0.0});
  std::vector<double> wrong(3);
  BOOST_CHECK_THROW(dezero::value_and_grad(springs, two, wrong), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
