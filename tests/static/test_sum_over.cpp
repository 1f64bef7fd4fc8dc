// Sums over run-time data inside an expression (dezero/static/sum_over.hpp): least squares over 100,000
// points, a Gaussian negative log-likelihood, logistic regression (log and exp in the term), the node
// inside a larger expression, against hand-written gradients and central differences at seeded random
// points; the same f on doubles (on runtime Variables: test_sum_over_runtime.cpp).
#include <array>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <type_traits>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "dezero/static.hpp"
#include "dezero/static/sum_over.hpp"

namespace {

struct Point {
  double t, y;
};

std::vector<Point> random_points(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> t(-1.0, 1.0), noise(-0.1, 0.1);
  std::vector<Point> p(n);
  for (Point& q : p) {
    q.t = t(rng);
    q.y = 2.0 * q.t - 0.5 + noise(rng);
  }
  return p;
}

template <class F>
std::array<double, 2> central_differences(const F& f, double a, double b) {
  const double h = 0x1p-17;
  return {(f(a + h, b) - f(a - h, b)) / (2 * h), (f(a, b + h) - f(a, b - h)) / (2 * h)};
}

const std::vector<Point> points = random_points(100'000, 1);

// sum of (a t + b - y)^2: f written once, for doubles and for the engine.
const auto least_squares = [](const auto& a, const auto& b) {
  return dezero::sum_over(
      points,
      [](const auto& a, const auto& b, const Point& p) {
        using dezero::square;
        return square(a * p.t + b - p.y);
      },
      a, b);
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sum_over)

BOOST_AUTO_TEST_CASE(least_squares_over_100000_points) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> dist(-3.0, 3.0);
  for (int trial = 0; trial < 3; ++trial) {
    const double a = dist(rng), b = dist(rng);
    const auto [v, g] = dezero::value_and_grad(least_squares, a, b);
    double hv = 0.0, ga = 0.0, gb = 0.0;
    for (const Point& p : points) {
      const double r = a * p.t + b - p.y;
      hv += r * r;
      ga += 2 * r * p.t;
      gb += 2 * r;
    }
    BOOST_TEST(v == least_squares(a, b));  // the value is the plain loop's, bit for bit
    BOOST_TEST(v == hv, boost::test_tools::tolerance(1e-13));
    BOOST_TEST(g[0] == ga, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(g[1] == gb, boost::test_tools::tolerance(1e-12));
    const auto d = central_differences(least_squares, a, b);
    BOOST_TEST(g[0] == d[0], boost::test_tools::tolerance(1e-6));
    BOOST_TEST(g[1] == d[1], boost::test_tools::tolerance(1e-6));
    BOOST_TEST(dezero::value(least_squares, a, b) == v);
  }
}

// Gaussian negative log-likelihood of data y with mean mu and log standard deviation s:
// n s + n log(2 pi) / 2 + 1/2 sum ((y - mu) exp(-s))^2. The sum is one node whose second operand is the
// expression exp(-s); the node sits inside a larger expression.
BOOST_AUTO_TEST_CASE(gaussian_negative_log_likelihood) {
  std::vector<double> y(1000);
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(1.0, 2.0);
  for (double& yi : y) yi = normal(rng);
  const double n = static_cast<double>(y.size()), half_log_2pi = 0.5 * std::log(2 * M_PI);
  const auto nll = [&](const auto& mu, const auto& s) {
    using std::exp;
    return n * s + n * half_log_2pi +
           0.5 * dezero::sum_over(
                     y,
                     [](const auto& mu, const auto& w, double yi) {
                       using dezero::square;
                       return square((yi - mu) * w);
                     },
                     mu, exp(-s));
  };
  for (const auto& [mu, s] : std::vector<std::array<double, 2>>{{0.5, 0.3}, {1.2, 0.7}, {-1.0, 1.5}}) {
    const auto [v, g] = dezero::value_and_grad(nll, mu, s);
    const double w = std::exp(-s);
    double sum = 0.0, sum_r = 0.0;
    for (double yi : y) {
      const double r = (yi - mu) * w;
      sum += r * r;
      sum_r += r;
    }
    BOOST_TEST(v == nll(mu, s));
    BOOST_TEST(v == n * s + n * half_log_2pi + 0.5 * sum, boost::test_tools::tolerance(1e-13));
    BOOST_TEST(g[0] == -w * sum_r, boost::test_tools::tolerance(1e-11));
    BOOST_TEST(g[1] == n - sum, boost::test_tools::tolerance(1e-11));
    const auto d = central_differences(nll, mu, s);
    BOOST_TEST(std::abs(g[0] - d[0]) <= 1e-6 * n);
    BOOST_TEST(std::abs(g[1] - d[1]) <= 1e-6 * n);
  }
}

// log and exp inside the term: logistic regression's loss, sum of log(1 + exp(-y (a t + b))), labels +-1.
BOOST_AUTO_TEST_CASE(logistic_regression) {
  std::vector<Point> labelled = random_points(500, 5);
  for (Point& p : labelled) p.y = p.y > 0 ? 1.0 : -1.0;
  const auto loss = [&](const auto& a, const auto& b) {
    return dezero::sum_over(
        labelled,
        [](const auto& a, const auto& b, const Point& p) {
          using std::exp, std::log;
          return log(1 + exp(-p.y * (a * p.t + b)));
        },
        a, b);
  };
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> dist(-2.0, 2.0);
  for (int trial = 0; trial < 4; ++trial) {
    const double a = dist(rng), b = dist(rng);
    const auto [v, g] = dezero::value_and_grad(loss, a, b);
    double ga = 0.0, gb = 0.0;
    for (const Point& p : labelled) {
      const double z = -p.y * (a * p.t + b), s = std::exp(z) / (1 + std::exp(z));
      ga += -p.y * p.t * s;
      gb += -p.y * s;
    }
    BOOST_TEST(v == loss(a, b));
    BOOST_TEST(g[0] == ga, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(g[1] == gb, boost::test_tools::tolerance(1e-12));
    const auto d = central_differences(loss, a, b);
    BOOST_TEST(g[0] == d[0], boost::test_tools::tolerance(1e-6));
    BOOST_TEST(g[1] == d[1], boost::test_tools::tolerance(1e-6));
  }
}

// The node combined with others: one parameter, an operand that is an expression of both arguments, a
// constant parameter, two sums in one expression, and forward and reverse mode agreeing.
BOOST_AUTO_TEST_CASE(inside_larger_expressions) {
  const std::array<double, 4> data{0.5, 1.0, 1.5, 2.0};
  const auto f = [&](const auto& x, const auto& y) {
    using std::sin;
    const auto s1 = dezero::sum_over(
        data, [](const auto& p, double d) { return p * d; }, x * y);  // 5xy
    const auto s2 = dezero::sum_over(
        data, [](const auto& p, const auto& q, double d) { return sin(p * d) * q; }, x, 2.0);
    return s1 * y + s2 - x;
  };
  const double x = 0.3, y = -0.7;
  const auto [v, g] = dezero::value_and_grad(f, x, y);
  double s2 = 0.0, ds2 = 0.0;
  for (double d : data) {
    s2 += std::sin(x * d) * 2.0;
    ds2 += std::cos(x * d) * d * 2.0;
  }
  BOOST_TEST(v == f(x, y));
  BOOST_TEST(v == 5 * x * y * y + s2 - x, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(g[0] == 5 * y * y + ds2 - 1, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(g[1] == 10 * x * y, boost::test_tools::tolerance(1e-14));

  // Forward and reverse mode (the choice is the engine's; both are run here).
  using namespace dezero::static_engine::detail;
  const auto e = f(dezero::arg<0>, dezero::arg<1>);
  using E = std::remove_const_t<decltype(e)>;
  const auto forward = run<E, 2, true>(e, {x, y});
  const auto reverse = run<E, 2, false>(e, {x, y});
  BOOST_TEST(forward.value == reverse.value);
  BOOST_TEST(forward.grad[0] == reverse.grad[0], boost::test_tools::tolerance(1e-15));
  BOOST_TEST(forward.grad[1] == reverse.grad[1], boost::test_tools::tolerance(1e-15));
}

// Empty data: the sum is 0 and so is its gradient. A std::span of part of the data.
BOOST_AUTO_TEST_CASE(empty_data_and_spans) {
  const std::vector<double> none;
  const auto f = [&](const auto& a) {
    return a + dezero::sum_over(
                   none, [](const auto& a, double d) { return a * d; }, a);
  };
  const auto r = dezero::value_and_grad(f, 2.0);
  BOOST_TEST(r.value == 2.0);
  BOOST_TEST(r.grad[0] == 1.0);
  const std::vector<double> data{1.0, 2.0, 3.0, 4.0};
  const std::span<const double> first(data.data(), 2);
  const auto g = [&](const auto& a) {
    return dezero::sum_over(
        first, [](const auto& a, double d) { return a * a * d; }, a);
  };
  const auto s = dezero::value_and_grad(g, 3.0);
  BOOST_TEST(s.value == 27.0);
  BOOST_TEST(s.grad[0] == 18.0);
}

BOOST_AUTO_TEST_SUITE_END()
