// The functions of <cmath> beyond DeZero's, and where: each rule of dezero/ops/rules.hpp on both engines.
//
// At seeded random points of each function's domain:
//   - the value equals the <cmath> function's bit for bit, on both engines (the rule calls it);
//   - the two engines' derivatives are the same number: both apply the one derivative map to the same values;
//   - the derivative agrees with a central difference: step h = 2^-20 |x| (at least 2^-20), so truncation
//     ~ h^2 |f'''| / 6 <= 1e-12 and rounding ~ 2 ulp |f| / h <= 4e-10 for the O(1) values of these domains,
//     kept away from the poles; |analytic - numeric| <= 1e-7 (1 + |numeric|) leaves two orders of margin and
//     still catches any wrong factor, sign or argument.
// Then the conventions at the non-differentiable points, exactly (docs/errors.md), values outside a domain
// (nan and inf, never an exception), comparisons and where on all three ways, and constexpr.
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "../../benchmarks/handwritten.hpp"
#include "../support.hpp"
#include "dezero/runtime.hpp"
#include "dezero/static.hpp"

using dezero::NDArray;
using dezero::Variable;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

struct Unary {
  std::string name;
  std::function<double(double)> plain;
  std::function<dezero::ValueAndGrad<1>(double)> static_engine;
  std::function<Variable(const Variable&)> runtime;
  double lo, hi;  // the domain sampled, away from poles and branch points
};

// The same generic lambda three ways.
#define UNARY(f, lo, hi)                                                        \
  Unary {                                                                       \
#f, [](double x) { return std::f(x); },                                       \
        [](double x) {                                                            \
          return dezero::value_and_grad([](auto v) { using std::f; return f(v); }, x); \
        },                                                                        \
        [](const Variable& v) { using std::f; return f(v); }, lo, hi \
  }

const std::vector<Unary>& unary_functions() {
  static const std::vector<Unary> all{
      UNARY(abs, -3.0, 3.0),   UNARY(fabs, -3.0, 3.0),  UNARY(tan, -1.4, 1.4),   UNARY(asin, -0.9, 0.9),
      UNARY(acos, -0.9, 0.9),  UNARY(atan, -4.0, 4.0),  UNARY(sinh, -3.0, 3.0),  UNARY(cosh, -3.0, 3.0),
      UNARY(asinh, -4.0, 4.0), UNARY(acosh, 1.1, 5.0),  UNARY(atanh, -0.9, 0.9), UNARY(exp2, -3.0, 3.0),
      UNARY(expm1, -2.0, 2.0), UNARY(log2, 0.1, 5.0),   UNARY(log10, 0.1, 5.0),  UNARY(log1p, -0.9, 4.0),
      UNARY(cbrt, 0.1, 5.0),   UNARY(erf, -2.5, 2.5),   UNARY(erfc, -2.5, 2.5),  UNARY(floor, -3.0, 3.0),
      UNARY(ceil, -3.0, 3.0),  UNARY(round, -3.0, 3.0), UNARY(trunc, -3.0, 3.0),
  };
  return all;
}

double central_difference(const std::function<double(double)>& f, double x) {
  const double h = std::max(0x1p-20, 0x1p-20 * std::abs(x));
  return (f(x + h) - f(x - h)) / (2 * h);
}

bool close_to_numeric(double analytic, double numeric) {
  return std::abs(analytic - numeric) <= 1e-7 * (1 + std::abs(numeric));
}

struct RuntimeResult {
  double value;
  std::vector<double> grad;
};

template <class F, class... X>
RuntimeResult on_runtime(const F& f, X... a) {
  std::array<Variable, sizeof...(X)> xs{Variable(a)...};
  Variable y = std::apply(f, xs);
  y.backward();
  RuntimeResult r{y.item(), {}};
  for (const Variable& x : xs) r.grad.push_back(x.grad()->item());
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cmath)

BOOST_AUTO_TEST_CASE(unary_functions_both_engines) {
  std::mt19937 rng(20261201);
  for (const Unary& u : unary_functions()) {
    std::uniform_real_distribution<double> point(u.lo, u.hi);
    for (int k = 0; k < 25; ++k) {
      const double x = point(rng);
      BOOST_TEST_CONTEXT(u.name << " at " << x) {
        const auto s = u.static_engine(x);
        Variable v(x);
        Variable y = u.runtime(v);
        y.backward();
        BOOST_TEST(s.value == u.plain(x));
        BOOST_TEST(y.item() == u.plain(x));
        BOOST_TEST(s.grad[0] == v.grad()->item());
        // The rounding functions jump at integers: no difference quotient across one.
        if (std::floor(x - 1e-3) == std::floor(x + 1e-3) && std::round(x - 1e-3) == std::round(x + 1e-3))
          BOOST_TEST(close_to_numeric(s.grad[0], central_difference(u.plain, x)));
      }
    }
  }
}

// The functions of two operands, with a number on either side, against central differences in each.
BOOST_AUTO_TEST_CASE(binary_functions_both_engines) {
  const auto atan2 = [](auto x, auto y) {
    using std::atan2;
    return atan2(x, y);
  };
  const auto hypot = [](auto x, auto y) {
    using std::hypot;
    return hypot(x, y);
  };
  const auto pow = [](auto x, auto y) {
    using std::pow;
    return pow(x, y);
  };
  const auto max = [](auto x, auto y) {
    using std::max;
    return max(x, y) * 3.0;
  };
  const auto min = [](auto x, auto y) {
    using std::min;
    return min(x, y) * 3.0;
  };
  const auto fmax = [](auto x, auto y) {
    using std::fmax;
    return fmax(x, y) * 3.0;
  };
  const auto fmin = [](auto x, auto y) {
    using std::fmin;
    return fmin(x, y) * 3.0;
  };
  const auto number_first = [](auto x, auto y) {
    using std::atan2, std::hypot, std::pow, std::max;
    return atan2(0.5, x) + hypot(2.0, y) + pow(2.0, x) + max(0.25, y) + pow(x, 2.5) * y;
  };
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> point(0.2, 3.0);
  const auto check = [&](const char* name, const auto& f) {
    for (int k = 0; k < 25; ++k) {
      const double a = point(rng), b = point(rng);
      BOOST_TEST_CONTEXT(name << " at " << a << ", " << b) {
        const auto s = dezero::value_and_grad(f, a, b);
        const RuntimeResult r = on_runtime(f, a, b);
        BOOST_TEST(s.value == f(a, b));
        BOOST_TEST(r.value == f(a, b));
        BOOST_TEST(s.grad[0] == r.grad[0], boost::test_tools::tolerance(1e-15));
        BOOST_TEST(s.grad[1] == r.grad[1], boost::test_tools::tolerance(1e-15));
        BOOST_TEST(close_to_numeric(s.grad[0], central_difference([&](double t) { return f(t, b); }, a)));
        BOOST_TEST(close_to_numeric(s.grad[1], central_difference([&](double t) { return f(a, t); }, b)));
      }
    }
  };
  check("atan2", atan2);
  check("hypot", hypot);
  check("pow", pow);
  check("max", max);
  check("min", min);
  check("fmax", fmax);
  check("fmin", fmin);
  check("number first", number_first);
}

// docs/errors.md, "Non-differentiable points": the JAX and PyTorch conventions, exactly.
BOOST_AUTO_TEST_CASE(conventions_at_non_differentiable_points) {
  const auto abs = [](auto x) {
    using std::abs;
    return abs(x);
  };
  BOOST_TEST(dezero::grad(abs, 0.0)[0] == 0.0);
  BOOST_TEST(dezero::grad(abs, -0.0)[0] == 0.0);
  BOOST_TEST(on_runtime(abs, 0.0).grad[0] == 0.0);
  // A tie of max or min: half the gradient to each operand.
  const auto max = [](auto x, auto y) {
    using std::max;
    return max(x, y);
  };
  const auto min = [](auto x, auto y) {
    using std::min;
    return min(x, y);
  };
  const auto fmax = [](auto x, auto y) {
    using std::fmax;
    return fmax(x, y);
  };
  for (const auto& g :
       {dezero::grad(max, 2.0, 2.0), dezero::grad(min, 2.0, 2.0), dezero::grad(fmax, 2.0, 2.0)}) {
    BOOST_TEST(g[0] == 0.5);
    BOOST_TEST(g[1] == 0.5);
  }
  BOOST_TEST(on_runtime(max, 2.0, 2.0).grad == (std::vector{0.5, 0.5}), boost::test_tools::per_element());
  BOOST_TEST(on_runtime(min, -1.0, -1.0).grad == (std::vector{0.5, 0.5}), boost::test_tools::per_element());
  // max(x, x) is one operand used twice: the two halves add up to the whole.
  BOOST_TEST(dezero::grad(
                 [](auto x) {
                   using std::max;
                   return max(x, x);
                 },
                 3.0)[0] == 1.0);
  BOOST_TEST(dezero::grad(
                 [](auto x) {
                   using std::max;
                   return max(x, 1.0);
                 },
                 1.0)[0] == 0.5);
  // Away from a tie the whole gradient goes to the chosen operand.
  BOOST_TEST(dezero::grad(max, 3.0, 2.0) == (std::array{1.0, 0.0}));
  BOOST_TEST(dezero::grad(min, 3.0, 2.0) == (std::array{0.0, 1.0}));
  // Rounding functions: derivative zero, also at an integer.
  for (const double x : {2.0, 2.5, -0.5}) {
    BOOST_TEST(dezero::grad(
                   [](auto v) {
                     using std::floor;
                     return floor(v);
                   },
                   x)[0] == 0.0);
    BOOST_TEST(dezero::grad(
                   [](auto v) {
                     using std::round;
                     return round(v) * v;
                   },
                   x)[0] == std::round(x));
    BOOST_TEST(on_runtime(
                   [](auto v) {
                     using std::ceil;
                     return ceil(v) * v;
                   },
                   x)
                   .grad[0] == std::ceil(x));
  }
  // pow(x, y) at x = 0: d/dy is 0, as PyTorch gives, not 0 * log(0).
  const auto pow = [](auto x, auto y) {
    using std::pow;
    return pow(x, y);
  };
  BOOST_TEST(dezero::grad(pow, 0.0, 2.0) == (std::array{0.0, 0.0}));
  BOOST_TEST(on_runtime(pow, 0.0, 2.0).grad == (std::vector{0.0, 0.0}), boost::test_tools::per_element());
}

// Outside a domain: what <cmath> gives, on both engines, never an exception.
BOOST_AUTO_TEST_CASE(outside_the_domain) {
  const auto asin = [](auto x) {
    using std::asin;
    return asin(x);
  };
  const auto acosh = [](auto x) {
    using std::acosh;
    return acosh(x);
  };
  const auto log1p = [](auto x) {
    using std::log1p;
    return log1p(x);
  };
  const auto atanh = [](auto x) {
    using std::atanh;
    return atanh(x);
  };
  BOOST_TEST(std::isnan(dezero::value(asin, 2.0)));
  BOOST_TEST(std::isnan(on_runtime(asin, 2.0).value));
  BOOST_TEST(std::isnan(dezero::value(acosh, 0.5)));
  BOOST_TEST(std::isnan(on_runtime(acosh, 0.5).grad[0]));
  BOOST_TEST(dezero::value(log1p, -1.0) == -inf);
  BOOST_TEST(on_runtime(log1p, -1.0).value == -inf);
  BOOST_TEST(dezero::value_and_grad(atanh, 1.0).value == inf);
  BOOST_TEST(dezero::value_and_grad(atanh, 1.0).grad[0] == inf);
  // On arrays, elementwise: the finite elements stay finite.
  Variable x(NDArray{0.5, 2.0});
  Variable y = asin(x);
  y.backward();
  BOOST_TEST(y.data()(0) == std::asin(0.5));
  BOOST_TEST(std::isnan(y.data()(1)));
  BOOST_TEST(std::isnan(x.grad()->data()(1)));
}

// where and the comparisons, the same lambda three ways: same values and gradients, bit for bit.
BOOST_AUTO_TEST_CASE(where_three_ways) {
  const auto relu_like = [](auto x, auto y) { return dezero::where(x > y, x * y, -x + 2.0 * y); };
  const auto clamp = [](auto x, auto y) {
    using std::sin;
    return dezero::where(x < -1.0, -1.0, dezero::where(x >= 1.0, 1.0, sin(x) * y));
  };
  const auto compare = [](auto x, auto y) {
    return dezero::where(x == y, 1.5 * x, dezero::where(x != 2.0, y, x)) + dezero::where(x <= y, x, 0.0);
  };
  // Points on the switches (x == y, |x| == 1, x == 2) and off them; a difference quotient only off them.
  const std::array<std::array<double, 2>, 10> points{{{1.0, 2.0},
                                                      {3.0, 2.0},
                                                      {2.0, 2.0},
                                                      {-1.5, 0.5},
                                                      {1.0, -3.0},
                                                      {2.0, 5.0},
                                                      {0.3, 0.7},
                                                      {-2.5, 1.0},
                                                      {0.5, -0.25},
                                                      {-0.75, -0.5}}};
  for (const auto& point : points) {
    const double a = point[0], b = point[1];  // clang 14 cannot capture a structured binding
    const bool off_switches =
        std::abs(a - b) > 1e-3 && std::abs(std::abs(a) - 1) > 1e-3 && std::abs(a - 2) > 1e-3;
    const auto check = [&](const auto& f) {
      BOOST_TEST_CONTEXT("at " << a << ", " << b) {
        const auto s = dezero::value_and_grad(f, a, b);
        const RuntimeResult r = on_runtime(f, a, b);
        BOOST_TEST(s.value == f(a, b));
        BOOST_TEST(r.value == f(a, b));
        BOOST_TEST(s.grad[0] == r.grad[0]);
        BOOST_TEST(s.grad[1] == r.grad[1]);
        if (off_switches) {
          BOOST_TEST(close_to_numeric(s.grad[0], central_difference([&](double t) { return f(t, b); }, a)));
          BOOST_TEST(close_to_numeric(s.grad[1], central_difference([&](double t) { return f(a, t); }, b)));
        }
      }
    };
    check(relu_like);
    check(clamp);
    check(compare);
  }
  // The chosen operand exactly, -0.0 included; the other side's nan does not leak into the value.
  BOOST_TEST(std::signbit(dezero::value([](auto x) { return dezero::where(x > 0.0, -0.0 * x, 1.0); }, 1.0)));
  const auto guarded_log = [](auto x) {
    using std::log;
    return dezero::where(x > 0.0, log(x), 0.0);
  };
  BOOST_TEST(dezero::value_and_grad(guarded_log, -1.0).value == 0.0);
  BOOST_TEST(dezero::value_and_grad(guarded_log, -1.0).grad[0] == 0.0);
  BOOST_TEST(on_runtime(guarded_log, -1.0).value == 0.0);
  BOOST_TEST(on_runtime(guarded_log, -1.0).grad[0] == 0.0);
}

// On arrays: numpy's where, with broadcasting; the gradient reaches only the chosen elements.
BOOST_AUTO_TEST_CASE(where_on_arrays) {
  Variable x(NDArray{-2.0, -0.5, 0.5, 2.0});
  Variable y(3.0);
  Variable z = dezero::where(x > 0.0, x * x, y);
  BOOST_TEST(z.data() == (NDArray{3.0, 3.0, 0.25, 4.0}));
  z.backward();
  BOOST_TEST(x.grad()->data() == (NDArray{0.0, 0.0, 1.0, 4.0}));
  BOOST_TEST(y.grad()->item() == 2.0);  // the two elements where y was chosen, summed to its shape
  Variable c = x >= 0.5;
  BOOST_TEST(c.data() == (NDArray{0.0, 0.0, 1.0, 1.0}));
  BOOST_TEST(!c.creator());  // a condition is a leaf outside the graph
  // A condition of another shape broadcasts, as in numpy.
  Variable column(dezero::test::column({1.0, 0.0}));
  Variable w = dezero::where(column, Variable(NDArray{1.0, 2.0}), 0.0);
  BOOST_TEST(w.shape() == (dezero::Shape{2, 2}));
  BOOST_TEST(w.data() == (NDArray{{1.0, 2.0}, {0.0, 0.0}}));
}

// On the runtime engine a program may branch on a condition's value, as numpy's truth value allows.
BOOST_AUTO_TEST_CASE(runtime_branches_on_a_one_element_condition) {
  Variable x(2.0);
  Variable y = (x > 1.0) ? x * x : -x;
  y.backward();
  BOOST_TEST(x.grad()->item() == 4.0);
  BOOST_CHECK_THROW(static_cast<void>(static_cast<bool>(Variable(NDArray{1.0, 2.0}) > 0.0)),
                    std::invalid_argument);
}

// constexpr where <cmath> is (abs, min, max under both compilers; floor and fabs as g++'s builtins).
BOOST_AUTO_TEST_CASE(constexpr_where_the_library_is) {
  constexpr auto f = [](auto x, auto y) {
    using std::abs, std::max, std::min;
    return abs(x) * max(x, y) - min(x, 2.0) + dezero::where(x < y, x, y * y);
  };
  static_assert(dezero::value(f, -3.0, 1.0) == 3.0 * 1.0 + 3.0 - 3.0);
  static_assert(dezero::grad(f, -3.0, 1.0)[0] == -1.0 * 1.0 - 1.0 + 1.0);
  static_assert(dezero::grad(f, -3.0, 1.0)[1] == 3.0);
  static_assert(dezero::grad(
                    [](auto x, auto y) {
                      using std::max;
                      return max(x, y);
                    },
                    1.0, 1.0)[0] == 0.5);
#if defined(__GNUC__) && !defined(__clang__)
  static_assert(dezero::value(
                    [](auto x) {
                      using std::floor, std::fabs;
                      return floor(x) * fabs(x);
                    },
                    -2.5) == -7.5);
#endif
  BOOST_TEST(dezero::value(f, -3.0, 1.0) == 3.0);
}

// Beside the runtime engine, square and sign of a number are still numbers (dezero/ops/math.hpp), and the
// other functions of a number make a Variable, as DeZero's as_variable does.
BOOST_AUTO_TEST_CASE(functions_of_numbers_beside_the_runtime_engine) {
  using dezero::sign, dezero::square;
  BOOST_TEST(square(3.0) == 9.0);
  BOOST_TEST(sign(-2.5) == -1.0);
  const Variable e = dezero::exp(0.0);
  BOOST_TEST(e.item() == 1.0);
}

// The hand-written baseline of benchmarks/static_engine.cpp's BM_cmath_mix computes what the engine does.
BOOST_AUTO_TEST_CASE(benchmark_baseline_agrees) {
  const auto f = [](const auto& x, const auto& y) {
    using std::atan2, std::expm1, std::hypot, std::log1p;
    return atan2(y, x) * hypot(x, y) + expm1(x * y) - log1p(x * x + y * y);
  };
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> point(-2.0, 2.0);
  for (int k = 0; k < 100; ++k) {
    const double x = point(rng), y = point(rng);
    const auto hand = dezero::bench::cmath_mix(x, y);
    const auto s = dezero::value_and_grad(f, x, y);
    BOOST_TEST(s.value == hand.value, boost::test_tools::tolerance(1e-14));
    BOOST_TEST(s.grad[0] == hand.grad[0], boost::test_tools::tolerance(1e-12));
    BOOST_TEST(s.grad[1] == hand.grad[1], boost::test_tools::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_SUITE_END()
