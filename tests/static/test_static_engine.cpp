// The static engine: value_and_grad, grad and value on DeZero's step-24 functions, compile-time
// evaluation, the DAG (a named intermediate evaluated once), constants, and the expression API.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "dezero/ops/rules.hpp"
#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"

namespace {

// Mul, counting how often its value and each derivative are computed. Stateless, so that its nodes are
// shared by type like every constant-free subexpression.
struct CountedMul : dezero::ops::Mul {
  static inline int values = 0;
  static inline std::array<int, 2> grads{};
  template <class X0, class X1>
  constexpr auto operator()(const X0& x0, const X1& x1) const {
    ++values;
    return dezero::ops::Mul::operator()(x0, x1);
  }
  template <std::size_t I, class G, class Y, class X0, class X1>
  constexpr auto grad(const G& gy, const Y& y, const X0& x0, const X1& x1) const {
    ++grads[I];
    return dezero::ops::Mul::grad<I>(gy, y, x0, x1);
  }
};

template <class A, class B>
auto counted_mul(const A& a, const B& b) {
  return dezero::static_engine::apply(CountedMul{}, a, b);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(static_engine)

// Step 24's figures, exact: every operation here is exact in double.
BOOST_AUTO_TEST_CASE(step24_exact_values) {
  auto [v, g] = dezero::value_and_grad(dezero::sphere, 1.0, 1.0);
  BOOST_TEST(v == 2.0);
  BOOST_TEST(g[0] == 2.0);
  BOOST_TEST(g[1] == 2.0);

  const auto m = dezero::value_and_grad(dezero::matyas, 1.0, 1.0);
  BOOST_TEST(m.value == 0.040000000000000036);
  BOOST_TEST(m.grad[0] == 0.040000000000000036);
  BOOST_TEST(m.grad[1] == 0.040000000000000036);

  const auto gs = dezero::value_and_grad(dezero::goldstein, 1.0, 1.0);
  BOOST_TEST(gs.value == 1876.0);
  BOOST_TEST(gs.grad[0] == -5376.0);
  BOOST_TEST(gs.grad[1] == 8064.0);

  const auto minimum = dezero::value_and_grad(dezero::goldstein, 0.0, -1.0);
  BOOST_TEST(minimum.value == 3.0);
  BOOST_TEST(minimum.grad[0] == 0.0);
  BOOST_TEST(minimum.grad[1] == 0.0);
}

// constexpr: + - * /, unary -, square and integer powers.
static_assert(dezero::grad(dezero::sphere, 1.0, 1.0)[0] == 2.0);
static_assert(dezero::value_and_grad(dezero::goldstein, 1.0, 1.0).value == 1876.0);
static_assert(dezero::grad(dezero::goldstein, 1.0, 1.0)[1] == 8064.0);
static_assert(dezero::grad(dezero::rosenbrock, 0.0, 2.0)[0] == -2.0);
static_assert(dezero::grad([](auto x) { return -x / (x * x - 3) + square(x) * pow(x, -1); }, 2.0)[0] == 8.0);
static_assert(dezero::value([](auto x, auto y) { return x - y; }, 1.0, 3.0) == -2.0);

// Forward mode's tangents fold constant factors only where that is exact: one of them a power of two.
namespace folding {
using dezero::static_engine::detail::power_of_two;
using dezero::static_engine::detail::scaled;
static_assert(power_of_two(1.0) && power_of_two(2.0) && power_of_two(-0.5) && power_of_two(0x1p-1022));
static_assert(!power_of_two(3.0) && !power_of_two(0.0) && !power_of_two(0x1p-1074) &&
              !power_of_two(std::numeric_limits<double>::infinity()));
constexpr scaled t{2.0, 0.1};                         // the tangent of pow(x, 2) at x = 0.1, scaled
static_assert((t * 3).k == 6.0 && (t * 3).v == 0.1);  // 3 * (2 * v) is (3 * 2) * v exactly
static_assert((scaled{3.0, 0.1} * 5).k == 5.0);       // 5 * (3 * v): 3 * v is rounded first
static_assert((scaled{3.0, 0.1} * 5).v == 3.0 * 0.1);
static_assert((t + scaled{2.0, 0.3}).k == 2.0);                 // 2a + 2b is 2(a + b) exactly
static_assert((scaled{3.0, 0.1} + scaled{3.0, 0.3}).k == 1.0);  // 3a + 3b is not 3(a + b)
}  // namespace folding

// The mode follows the work: forward while it applies at most 1.4 times the derivative maps of reverse.
namespace modes {
template <class F, std::size_t N>
constexpr bool forward = [] {
  using E = decltype([]<std::size_t... I>(std::index_sequence<I...>) {
    return F{}(dezero::static_engine::var<I>{}...);
  }(std::make_index_sequence<N>{}));
  return dezero::static_engine::detail::program<E, N>::forward_mode_pays;
}();
using Goldstein = std::remove_const_t<decltype(dezero::goldstein)>;
constexpr auto dense = [](auto x, auto y) {
  using std::sin;
  const auto a = x * y;
  const auto b = a * x + sin(a);
  const auto c = b * a - b * y;
  return c * b + c * a;
};
constexpr auto three_terms = [](auto x, auto y, auto z) { return x * y + y * z + z * x; };
static_assert(forward<Goldstein, 2>);               // 70 applications against 53
static_assert(!forward<decltype(dense), 2>);        // every node depends on both arguments
static_assert(!forward<decltype(three_terms), 3>);  // 15 against 10
static_assert(forward<decltype([](auto x) { return sin(x) * x; }), 1>);  // one argument: always
}  // namespace modes

BOOST_AUTO_TEST_CASE(named_intermediate_is_evaluated_once) {
  CountedMul::values = 0;
  CountedMul::grads = {};
  const auto f = [](auto x, auto y) {
    using std::sin;
    auto a = counted_mul(x, y);
    return a * a + sin(a);
  };
  const auto [v, g] = dezero::value_and_grad(f, 0.5, 2.0);
  BOOST_TEST(CountedMul::values == 1);    // a's value computed once
  BOOST_TEST(CountedMul::grads[0] == 1);  // its tangent computed once: d/dx from x's, d/dy from y's
  BOOST_TEST(CountedMul::grads[1] == 1);
  BOOST_TEST(v == 1.0 + std::sin(1.0));
  BOOST_TEST(g[0] == 2.0 * (2.0 * 1.0 + std::cos(1.0)), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(g[1] == 0.5 * (2.0 * 1.0 + std::cos(1.0)), boost::test_tools::tolerance(1e-15));
}

// Type identity is not value identity: 3 * pow(x, 2) and 12 * pow(x, 2) have one type.
BOOST_AUTO_TEST_CASE(equal_types_with_different_constants_stay_apart) {
  const auto f = [](auto x) { return x * 2.0 + x * 3.0; };
  const auto r = dezero::value_and_grad(f, 1.5);
  BOOST_TEST(r.value == 7.5);
  BOOST_TEST(r.grad[0] == 5.0);
  const double c1 = 2.0, c2 = 5.0;
  const auto captured = [&](auto x) { return (x * c1) * (x * c2); };
  BOOST_TEST(dezero::grad(captured, 3.0)[0] == 60.0);
}

BOOST_AUTO_TEST_CASE(constants_of_any_arithmetic_type_on_either_side) {
  const auto f = [](auto x) { return 2 * x + x * 3u + 1.5f - x / 4L + (10 - x) + 1.0 / x - x - 'a' * 0; };
  const auto r = dezero::value_and_grad(f, 2.0);
  BOOST_TEST(r.value == 4.0 + 6.0 + 1.5 - 0.5 + 8.0 + 0.5 - 2.0);
  BOOST_TEST(r.grad[0] == 2.0 + 3.0 - 0.25 - 1.0 - 0.25 - 1.0);
}

BOOST_AUTO_TEST_CASE(many_arguments) {  // more than 64: reverse mode, the only one
  const auto g = dezero::grad([](auto... x) { return (x * ...); }, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
                              1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
                              1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
                              1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
                              1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3.0);
  BOOST_TEST(g.size() == 66u);
  BOOST_TEST(g[0] == 6.0);
  BOOST_TEST(g[1] == 3.0);
  BOOST_TEST(g[65] == 2.0);
}

BOOST_AUTO_TEST_CASE(unused_argument_gets_zero_and_identity) {
  const auto g = dezero::grad([](auto x, auto, auto z) { return x * z; }, 2.0, 7.0, 5.0);
  BOOST_TEST(g[0] == 5.0);
  BOOST_TEST(g[1] == 0.0);
  BOOST_TEST(g[2] == 2.0);
  const auto id = dezero::value_and_grad([](auto, auto y) { return y; }, 1.0, 4.0);
  BOOST_TEST(id.value == 4.0);
  BOOST_TEST(id.grad[0] == 0.0);
  BOOST_TEST(id.grad[1] == 1.0);
  const auto c = dezero::value_and_grad([](auto) { return 3; }, 1.0);
  BOOST_TEST(c.value == 3.0);
  BOOST_TEST(c.grad[0] == 0.0);
}

BOOST_AUTO_TEST_CASE(math_functions_by_argument_dependent_lookup) {
  const auto f = [](auto x) {
    using std::cos, std::exp, std::log, std::pow, std::sin, std::sqrt, std::tanh;
    return exp(x) + log(x) + sqrt(x) + sin(x) + cos(x) + tanh(x) + pow(x, 3) + pow(x, 0.5) + square(x);
  };
  const double x = 0.7;
  const auto r = dezero::value_and_grad(f, x);
  const double value = std::exp(x) + std::log(x) + std::sqrt(x) + std::sin(x) + std::cos(x) + std::tanh(x) +
                       x * x * x + std::pow(x, 0.5) + x * x;
  const double t = std::tanh(x);
  const double derivative = std::exp(x) + 1 / x + 0.5 / std::sqrt(x) + std::cos(x) - std::sin(x) +
                            (1 - t * t) + 3 * x * x + 0.5 * std::pow(x, -0.5) + 2 * x;
  BOOST_TEST(r.value == value, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(r.grad[0] == derivative, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(expression_api) {
  constexpr auto x = dezero::arg<0>;
  constexpr auto y = dezero::arg<1>;
  const auto a = x * y;  // a named intermediate, by value: safe to keep and return
  const auto e = a * a + 3.0 * a;
  BOOST_TEST(dezero::value(e, 2.0, 3.0) == 54.0);
  const auto [v, g] = dezero::value_and_grad(e, 2.0, 3.0);
  BOOST_TEST(v == 54.0);
  BOOST_TEST(g[0] == (2 * 6.0 + 3.0) * 3.0);
  BOOST_TEST(g[1] == (2 * 6.0 + 3.0) * 2.0);
}

BOOST_AUTO_TEST_CASE(reused_intermediates_form_a_dag) {
  // 10 levels, each using the previous level three times: a tree of 3^10 leaves, a DAG of 20 nodes.
  const auto f = [](auto x) {
    const auto level = [](auto a) { return a * a - a; };
    return level(level(level(level(level(level(level(level(level(level(x))))))))));
  };
  double value = 0.5, derivative = 1.0;
  for (int i = 0; i < 10; ++i) {
    derivative *= 2 * value - 1;
    value = value * value - value;
  }
  const auto r = dezero::value_and_grad(f, 0.5);
  BOOST_TEST(r.value == value);
  BOOST_TEST(r.grad[0] == derivative, boost::test_tools::tolerance(1e-13));
  static_assert(std::is_empty_v<decltype(f(dezero::arg<0>))>);  // a constant-free DAG holds no data
}

BOOST_AUTO_TEST_SUITE_END()
