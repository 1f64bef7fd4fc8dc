// sum_over on runtime Variables is the plain loop, building the graph of every term: one f for the static
// engine, doubles and the runtime engine (a file of its own: with dezero/runtime.hpp included,
// `using dezero::square; square(1.0)` has two candidates on the branch of issue 13).
#include <cmath>
#include <random>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "dezero/runtime.hpp"
#include "dezero/static.hpp"
#include "dezero/static/sum_over.hpp"

namespace {

struct Point {
  double t, y;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sum_over_runtime)

BOOST_AUTO_TEST_CASE(runtime_variables) {
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<Point> few(50);
  for (Point& p : few) p = {dist(rng), dist(rng)};
  const auto f = [&](const auto& a, const auto& b) {
    return dezero::sum_over(
        few,
        [](const auto& a, const auto& b, const Point& p) {
          using std::exp;
          return exp(a * p.t) * b - p.y;
        },
        a, b);
  };
  dezero::Variable a(0.4), b(1.1);
  dezero::Variable y = f(a, b);
  y.backward();
  const auto s = dezero::value_and_grad(f, 0.4, 1.1);
  double value = 0.0, ga = 0.0, gb = 0.0;
  for (const Point& p : few) {
    value += std::exp(0.4 * p.t) * 1.1 - p.y;
    ga += p.t * std::exp(0.4 * p.t) * 1.1;
    gb += std::exp(0.4 * p.t);
  }
  BOOST_TEST(s.value == f(0.4, 1.1));
  BOOST_TEST(s.value == value, boost::test_tools::tolerance(1e-13));
  BOOST_TEST(s.grad[0] == ga, boost::test_tools::tolerance(1e-13));
  BOOST_TEST(s.grad[1] == gb, boost::test_tools::tolerance(1e-13));
  BOOST_TEST(y.item() == s.value, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(a.grad()->item() == s.grad[0], boost::test_tools::tolerance(1e-13));
  BOOST_TEST(b.grad()->item() == s.grad[1], boost::test_tools::tolerance(1e-13));
}

BOOST_AUTO_TEST_SUITE_END()
