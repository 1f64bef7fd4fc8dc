// Second and higher derivatives of the static engine (issue 11, section 2): forward over reverse for the
// Hessian, nested duals for derivative<K>, every derivative from the rules' first derivative maps.
//   - exact (==) where the arithmetic is (+ - * / and integer powers), and symmetric bit for bit;
//   - elsewhere against central differences of the engine's own gradient: step h = 2^-20 |x| (at least
//     2^-20), truncation ~ h^2 |f''''| / 6 and rounding ~ 2 ulp |g| / h, about 1e-9 relative for the
//     O(1)-O(1e4) values here; |analytic - numeric| <= 1e-6 (1 + |numeric|) keeps three orders of margin;
//   - derivative<K> against the derivatives DeZero's stage 3 reports (reference B2, B4 items 50-53).
#include <array>
#include <cmath>
#include <random>

#include <boost/test/unit_test.hpp>

#include "../../benchmarks/handwritten.hpp"
#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"

namespace {

// exp, sin and a quotient of six variables: the function of six variables.
const auto& six = dezero::bench::exp_sin_quotient;

template <class F, std::size_t N>
void check_against_differences(const F& f, const std::array<double, N>& x) {
  const auto r = std::apply([&](auto... a) { return dezero::value_grad_hessian(f, a...); }, x);
  const auto g = std::apply([&](auto... a) { return dezero::value_and_grad(f, a...); }, x);
  BOOST_TEST(r.value == g.value);
  for (std::size_t i = 0; i < N; ++i) {
    // The gradient of the reverse sweep on duals; value_and_grad may take forward mode, which associates the
    // terms differently: equal to their rounding, which is relative to the terms (of the value's size), not
    // to a gradient component that cancels.
    BOOST_TEST(std::abs(r.grad[i] - g.grad[i]) <= 1e-13 * (1 + std::abs(g.value) + std::abs(g.grad[i])));
    const double h = std::max(0x1p-20, 0x1p-20 * std::abs(x[i]));
    std::array<double, N> plus = x, minus = x;
    plus[i] += h;
    minus[i] -= h;
    const auto gp = std::apply([&](auto... a) { return dezero::grad(f, a...); }, plus);
    const auto gm = std::apply([&](auto... a) { return dezero::grad(f, a...); }, minus);
    for (std::size_t j = 0; j < N; ++j) {
      const double numeric = (gp[j] - gm[j]) / (2 * h);
      BOOST_TEST(std::abs(r.hessian[j][i] - numeric) <= 1e-6 * (1 + std::abs(numeric)),
                 "H[" << j << "][" << i << "] = " << r.hessian[j][i] << ", differences " << numeric);
      BOOST_TEST(r.hessian[i][j] == r.hessian[j][i]);  // bit for bit
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hessian)

// The issue's own line, and more of the same: constexpr where the first derivatives are.
static_assert(dezero::hessian(dezero::sphere, 1.0, 1.0)[0][0] == 2.0);
static_assert(dezero::hessian(dezero::matyas, 3.0, -2.0)[0][1] == -0.48);
static_assert(dezero::derivative<3>([](auto x) { return x * x * x; }, 2.0) == 6.0);

BOOST_AUTO_TEST_CASE(exact_where_the_arithmetic_is) {
  for (const auto& [x, y] : {std::array{1.0, 1.0}, {0.0, 2.0}, {-1.5, 0.5}, {2.0, -3.0}}) {
    const auto s = dezero::hessian(dezero::sphere, x, y);
    BOOST_TEST(s == (std::array<std::array<double, 2>, 2>{{{2.0, 0.0}, {0.0, 2.0}}}));
    const auto m = dezero::hessian(dezero::matyas, x, y);
    BOOST_TEST(m == (std::array<std::array<double, 2>, 2>{{{0.26 * 2.0, -0.48}, {-0.48, 0.26 * 2.0}}}));
    // Rosenbrock 100 (y - x^2)^2 + (1 - x)^2: H = [[1200 x^2 - 400 y + 2, -400 x], [-400 x, 200]].
    const auto r = dezero::hessian(dezero::rosenbrock, x, y);
    BOOST_TEST(r[0][0] == 1200 * x * x - 400 * y + 2);
    BOOST_TEST(r[0][1] == -400 * x);
    BOOST_TEST(r[1][0] == -400 * x);
    BOOST_TEST(r[1][1] == 200.0);
  }
  const auto [value, grad, h] = dezero::value_grad_hessian(dezero::rosenbrock, 1.0, 1.0);
  BOOST_TEST(value == 0.0);
  BOOST_TEST(grad == (std::array{0.0, 0.0}));
  BOOST_TEST(h == (std::array<std::array<double, 2>, 2>{{{802.0, -400.0}, {-400.0, 200.0}}}));
}

// The benchmarks' baselines first (benchmarks/handwritten.hpp): at points of a few bits (multiples of 1/4 in
// [-2, 2]) every value, partial and Hessian entry of sphere, Rosenbrock and goldstein is exact in both
// (goldstein's polynomials of degree 8 stay below 2^40 with 16 fractional bits), so the two agree to the bit;
// matyas' Hessian is its constants (0.26 * 2 is the double 0.52: scaling by 2 is exact), its value and
// gradient round differently.
BOOST_AUTO_TEST_CASE(the_hand_written_hessians_agree) {
  for (int i = -8; i <= 8; i += 3)
    for (int j = -8; j <= 8; j += 2) {
      const double x = i / 4.0, y = j / 4.0;
      const auto same = [&](const auto& s, const auto& h) {
        BOOST_TEST(s.value == h.value);
        BOOST_TEST(s.grad == h.grad);
        BOOST_TEST(s.hessian == h.hessian);
      };
      same(dezero::value_grad_hessian(dezero::sphere, x, y), dezero::bench::sphere_hessian(x, y));
      same(dezero::value_grad_hessian(dezero::rosenbrock, x, y), dezero::bench::rosenbrock_hessian(x, y));
      same(dezero::value_grad_hessian(dezero::goldstein, x, y), dezero::bench::goldstein_hessian(x, y));
      const auto g = dezero::value_and_grad(dezero::goldstein, x, y);
      const auto gh = dezero::bench::goldstein_by_polynomials(x, y);
      BOOST_TEST(g.value == gh.value);
      BOOST_TEST(g.grad == gh.grad);
      const auto m = dezero::value_grad_hessian(dezero::matyas, x, y);
      const auto mh = dezero::bench::matyas_hessian(x, y);
      BOOST_TEST(m.hessian == mh.hessian);
      BOOST_TEST(m.value == mh.value, boost::test_tools::tolerance(1e-15));
      for (std::size_t k = 0; k < 2; ++k)
        BOOST_TEST(std::abs(m.grad[k] - mh.grad[k]) <= 1e-15 * (1 + std::abs(x) + std::abs(y)));
    }
  // Six variables: exp, sin, cos and quotients, associated differently on each side. Every term is bounded by
  // B = 4 e^|ab| + 20 for coordinates in [-1.5, 1.5], each side rounds a few dozen operations of 2^-53
  // relative to B: 1e-13 B leaves an order of magnitude.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  for (int k = 0; k < 50; ++k) {
    const std::array x{u(rng), u(rng), u(rng), u(rng), u(rng), u(rng)};
    const auto s = std::apply([](auto... a) { return dezero::value_grad_hessian(six, a...); }, x);
    const auto h = dezero::bench::exp_sin_quotient_hessian(x);
    const double bound = 1e-13 * (4 * std::exp(std::abs(x[0] * x[1])) + 20);
    BOOST_TEST(std::abs(s.value - h.value) <= bound);
    for (std::size_t i = 0; i < 6; ++i) {
      BOOST_TEST(std::abs(s.grad[i] - h.grad[i]) <= bound);
      for (std::size_t j = 0; j < 6; ++j)
        BOOST_TEST(std::abs(s.hessian[i][j] - h.hessian[i][j]) <= bound, "H[" << i << "][" << j << "]");
    }
  }
}

BOOST_AUTO_TEST_CASE(goldstein_and_six_variables_against_differences) {
  std::mt19937 rng(2026);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  for (int k = 0; k < 20; ++k) {
    check_against_differences(dezero::goldstein, std::array{u(rng), u(rng)});
    check_against_differences(six, std::array{u(rng), u(rng), u(rng), u(rng), u(rng), u(rng)});
  }
}

// Both modes, on the same functions: forward over forward (the default below 9 arguments, where it needs less
// work) and forward over reverse. Where the arithmetic is exact they agree to the bit.
template <class F, class... A>
auto forward_over_reverse(const F& f, A... a) {
  using namespace dezero::static_engine::detail;
  const auto e = expression_of<F, sizeof...(A), A...>(f);
  return run_hessian<std::remove_const_t<decltype(e)>, sizeof...(A), false>(e, {a...});
}

BOOST_AUTO_TEST_CASE(both_modes) {
  using namespace dezero::static_engine::detail;
  static_assert(
      forward_over_forward_pays<
          std::remove_const_t<
              decltype(expression_of<decltype(six), 6, double, double, double, double, double, double>(six))>,
          6>());
  for (const auto& [x, y] : {std::array{0.5, -0.25}, {1.75, 1.0}, {-2.0, 0.75}}) {
    const auto a = forward_over_reverse(dezero::goldstein, x, y);
    const auto b = dezero::value_grad_hessian(dezero::goldstein, x, y);
    BOOST_TEST(a.value == b.value);
    BOOST_TEST(a.grad == b.grad);
    BOOST_TEST(a.hessian == b.hessian);
  }
  // Nine arguments: forward over reverse, against central differences.
  const auto nine = [](auto a, auto b, auto c, auto d, auto e, auto f, auto g, auto h, auto i) {
    using std::sin;
    return a * b * c + sin(d * e) * f + (g - h) / (i * i + 1.0) + a * i;
  };
  std::mt19937 rng(9);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  for (int k = 0; k < 5; ++k)
    check_against_differences(
        nine, std::array{u(rng), u(rng), u(rng), u(rng), u(rng), u(rng), u(rng), u(rng), u(rng)});
}

BOOST_AUTO_TEST_CASE(the_functions_of_cmath_have_second_derivatives) {
  const auto f = [](const auto& x, const auto& y) {
    using std::atan2, std::hypot, std::expm1, std::log1p, std::tanh, std::sqrt;
    return atan2(y, x) * hypot(x, y) + expm1(x * y) - log1p(x * x + y * y) + tanh(x) / sqrt(y * y + 2.0);
  };
  std::mt19937 rng(13);
  std::uniform_real_distribution<double> u(0.2, 1.8);
  for (int k = 0; k < 20; ++k) check_against_differences(f, std::array{u(rng), u(rng)});
}

BOOST_AUTO_TEST_CASE(an_argument_f_returns_or_ignores) {
  const auto h = dezero::value_grad_hessian([](auto x, auto) { return x; }, 3.0, 4.0);
  BOOST_TEST(h.value == 3.0);
  BOOST_TEST(h.grad == (std::array{1.0, 0.0}));
  BOOST_TEST(h.hessian == (std::array<std::array<double, 2>, 2>{}));
  const auto g = dezero::hessian([](auto x, auto y) { return x * x * 3.0 + 0.0 * y; }, 1.0, 2.0);
  BOOST_TEST(g[0][0] == 6.0);
  BOOST_TEST(g[1][1] == 0.0);
}

BOOST_AUTO_TEST_CASE(derivative_k) {  // reference B2 item 50, B4 items 51 and 53
  const auto cube = [](auto x) { return x * x * x; };
  const std::array<double, 5> cubes{8.0, 12.0, 12.0, 6.0, 0.0};
  BOOST_TEST(dezero::derivative<0>(cube, 2.0) == cubes[0]);
  BOOST_TEST(dezero::derivative<1>(cube, 2.0) == cubes[1]);
  BOOST_TEST(dezero::derivative<2>(cube, 2.0) == cubes[2]);
  BOOST_TEST(dezero::derivative<3>(cube, 2.0) == cubes[3]);
  BOOST_TEST(dezero::derivative<4>(cube, 2.0) == cubes[4]);
  const auto reciprocal = [](auto x) { return 1.0 / x; };
  BOOST_TEST(dezero::derivative<1>(reciprocal, 3.0) == -0.1111111111111111);
  BOOST_TEST(dezero::derivative<2>(reciprocal, 3.0) == 0.07407407407407407,
             boost::test_tools::tolerance(1e-15));
  const auto sin = [](auto x) {
    using std::sin;
    return sin(x);
  };
  const double s = std::sin(1.0), c = std::cos(1.0);
  const std::array<double, 9> sines{s, c, -s, -c, s, c, -s, -c, s};
  BOOST_TEST(dezero::derivative<2>(sin, 1.0) == sines[2], boost::test_tools::tolerance(1e-15));
  BOOST_TEST(dezero::derivative<3>(sin, 1.0) == sines[3], boost::test_tools::tolerance(1e-15));
  BOOST_TEST(dezero::derivative<4>(sin, 1.0) == sines[4], boost::test_tools::tolerance(1e-15));
  BOOST_TEST(dezero::derivative<5>(sin, 1.0) == sines[5], boost::test_tools::tolerance(1e-15));
  const auto tanh = [](auto x) {
    using std::tanh;
    return tanh(x);
  };
  BOOST_TEST(dezero::derivative<1>(tanh, 1.0) == 0.41997434161402614, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(dezero::derivative<2>(tanh, 1.0) == -0.6397000084492246, boost::test_tools::tolerance(1e-15));
  // d^3/dx^3 tanh = -2 (1 - t^2)(1 - 3 t^2), t = tanh x: from the formula, not from the engine's rules.
  const double t = std::tanh(1.0);
  BOOST_TEST(dezero::derivative<3>(tanh, 1.0) == -2 * (1 - t * t) * (1 - 3 * t * t),
             boost::test_tools::tolerance(1e-14));
  const auto exp = [](auto x) {
    using std::exp;
    return exp(x);
  };
  // y * gy at every level: exact. K nested duals have 2^K components, and so compile time grows with them:
  // K = 8 takes minutes of clang under the sanitizers (docs/static-engine.md), so the tests stop at 6.
  BOOST_TEST(dezero::derivative<6>(exp, 1.0) == std::exp(1.0));
}

BOOST_AUTO_TEST_SUITE_END()
