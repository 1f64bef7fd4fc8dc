// Every operation's gradient against central differences on random arrays.
//
// Tolerance: with step h = 1e-6 the central difference has truncation error ~h^2 |f'''| / 6 ~ 1e-12 and
// rounding error ~eps |f| / h ~ 1e-10 for the O(1) values used here, so |analytic - numeric| <=
// 1e-6 (1 + |numeric|) leaves four orders of margin and still catches any wrong factor or sign.
#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "../support.hpp"
#include "dezero/runtime.hpp"

#include <xtensor/xview.hpp>

using dezero::NDArray;
using dezero::Variable;

namespace {

NDArray random_array(std::mt19937& rng, double lo, double hi) {
  std::uniform_real_distribution<double> u(lo, hi);
  NDArray a = NDArray::from_shape({2, 3});
  for (double& v : a) v = u(rng);
  return a;
}

// Sum of f's output, as DeZero's gradient_check: seeding backward with ones gives its gradient.
double summed(const std::function<Variable(std::vector<Variable>&)>& f, std::vector<Variable>& xs) {
  auto guard = dezero::no_grad();
  NDArray y = f(xs).data();
  double s = 0;
  for (double v : y) s += v;
  return s;
}

void check_gradient(const std::function<Variable(std::vector<Variable>&)>& f, std::vector<NDArray> points) {
  std::vector<Variable> xs(points.begin(), points.end());
  f(xs).backward();
  const double h = 1e-6;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    BOOST_REQUIRE(xs[i].grad().has_value());
    const NDArray analytic = xs[i].grad()->data();
    for (std::size_t k = 0; k < points[i].size(); ++k) {
      std::vector<Variable> plus(points.begin(), points.end()), minus(points.begin(), points.end());
      plus[i].data().flat(k) += h;
      minus[i].data().flat(k) -= h;
      const double numeric = (summed(f, plus) - summed(f, minus)) / (2 * h);
      BOOST_TEST(
          std::abs(analytic.flat(k) - numeric) <= 1e-6 * (1 + std::abs(numeric)),
          "input " << i << " element " << k << ": analytic " << analytic.flat(k) << ", numeric " << numeric);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gradcheck)

BOOST_AUTO_TEST_CASE(binary_operations) {
  std::mt19937 rng(42);
  auto x = [&] { return random_array(rng, -2, 2); };
  auto away_from_zero = [&] { return random_array(rng, 0.5, 2); };
  check_gradient([](auto& v) { return v[0] + v[1]; }, {x(), x()});
  check_gradient([](auto& v) { return v[0] - v[1]; }, {x(), x()});
  check_gradient([](auto& v) { return v[0] * v[1]; }, {x(), x()});
  check_gradient([](auto& v) { return v[0] / v[1]; }, {x(), away_from_zero()});
  check_gradient([](auto& v) { return 2.5 - v[0] / 3.0 + v[0] * v[0]; }, {x()});
}

BOOST_AUTO_TEST_CASE(unary_operations) {
  std::mt19937 rng(7);
  auto x = [&] { return random_array(rng, -2, 2); };
  auto positive = [&] { return random_array(rng, 0.5, 2); };
  check_gradient([](auto& v) { return -v[0]; }, {x()});
  check_gradient([](auto& v) { return dezero::square(v[0]); }, {x()});
  check_gradient([](auto& v) { return dezero::exp(v[0]); }, {x()});
  check_gradient([](auto& v) { return dezero::pow(v[0], 3); }, {x()});
  check_gradient([](auto& v) { return dezero::pow(v[0], 2.5); }, {positive()});
  check_gradient([](auto& v) { return dezero::pow(v[0], -1.5); }, {positive()});
  check_gradient([](auto& v) { return dezero::log(v[0]); }, {positive()});
  check_gradient([](auto& v) { return dezero::sqrt(v[0]); }, {positive()});
  check_gradient([](auto& v) { return dezero::sin(v[0]); }, {x()});
  check_gradient([](auto& v) { return dezero::cos(v[0]); }, {x()});
  check_gradient([](auto& v) { return dezero::tanh(v[0]); }, {x()});
}

// The functions of <cmath> (issue 13) on arrays, binary ones also broadcast against a column.
BOOST_AUTO_TEST_CASE(cmath_functions_on_arrays) {
  std::mt19937 rng(13);
  auto x = [&] { return random_array(rng, -2, 2); };
  auto unit = [&] { return random_array(rng, -0.8, 0.8); };
  auto positive = [&] { return random_array(rng, 0.5, 2); };
  auto above_one = [&] { return random_array(rng, 1.2, 3); };
  check_gradient([](auto& v) { return dezero::abs(v[0]) * v[0]; }, {x()});
  check_gradient([](auto& v) { return dezero::tan(v[0]); }, {unit()});
  check_gradient([](auto& v) { return dezero::asin(v[0]) + dezero::acos(v[0]) * 2.0; }, {unit()});
  check_gradient([](auto& v) { return dezero::atan(v[0]) + dezero::atanh(v[0]); }, {unit()});
  check_gradient([](auto& v) { return dezero::sinh(v[0]) - dezero::cosh(v[0]) * dezero::asinh(v[0]); },
                 {x()});
  check_gradient([](auto& v) { return dezero::acosh(v[0]); }, {above_one()});
  check_gradient([](auto& v) { return dezero::exp2(v[0]) + dezero::expm1(v[0]); }, {x()});
  check_gradient([](auto& v) { return dezero::log2(v[0]) + dezero::log10(v[0]) * dezero::log1p(v[0]); },
                 {positive()});
  check_gradient([](auto& v) { return dezero::cbrt(v[0]); }, {positive()});
  check_gradient([](auto& v) { return dezero::erf(v[0]) * dezero::erfc(v[0]); }, {x()});
  check_gradient([](auto& v) { return dezero::atan2(v[0], v[1]) + dezero::hypot(v[0], v[1]); },
                 {x(), positive()});
  check_gradient([](auto& v) { return dezero::pow(v[0], v[1]) + dezero::pow(2.0, v[1]); }, {positive(), x()});
  check_gradient([](auto& v) { return dezero::max(v[0], v[1]) + dezero::min(v[0], 0.5); }, {x(), x()});
  check_gradient([](auto& v) { return dezero::fmax(v[0], v[1]) - dezero::fmin(v[1], v[0]) * 2.0; },
                 {x(), x()});
  check_gradient([](auto& v) { return dezero::where(v[0] > v[1], v[0] * v[1], -v[1]); }, {x(), x()});
  NDArray col = xt::view(random_array(rng, 0.5, 2), xt::all(), xt::range(0, 1));
  check_gradient([](auto& v) { return dezero::atan2(v[0], v[1]) * dezero::pow(v[1], v[0]); }, {x(), col});
  check_gradient([](auto& v) { return dezero::where(v[1] > 1.0, v[0], v[1]); }, {x(), col});
}

BOOST_AUTO_TEST_CASE(broadcasting) {
  std::mt19937 rng(3);
  NDArray row = random_array(rng, -2, 2);
  NDArray col = xt::view(random_array(rng, 1, 2), xt::all(), xt::range(0, 1));
  check_gradient([](auto& v) { return v[0] * v[1] + v[1]; }, {row, col});
  check_gradient([](auto& v) { return v[0] / v[1]; }, {row, NDArray(1.5)});
}

BOOST_AUTO_TEST_CASE(the_smooth_expression) {
  std::mt19937 rng(11);
  check_gradient(
      [](auto& v) {
        auto& x = v[0];
        return dezero::pow((x * x + 3 * x - 1) / (x * x + 1), 2);
      },
      {random_array(rng, -3, 3)});
}

BOOST_AUTO_TEST_SUITE_END()
