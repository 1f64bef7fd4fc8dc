// Jacobians of the static engine (issue 11, section 2): f returns several outputs, as a std::tuple, a
// std::array or a boost::hana::tuple; row i of the Jacobian is the gradient of output i.
//   - exact (==) where the arithmetic is: the Lorenz field at points of a few bits;
//   - row by row against value_and_grad of each output alone: the same rules on the same values, equal to
//     their rounding (the two may associate a tangent's terms differently): 1e-14 relative to the terms;
//   - shared subexpressions are one slot of the joined DAG;
//   - reverse mode (few outputs, many arguments) equals value_and_grad's reverse sweep to the bit.
#include <array>
#include <cmath>
#include <random>
#include <tuple>

#include <boost/hana/tuple.hpp>
#include <boost/test/unit_test.hpp>

#include "../../benchmarks/handwritten.hpp"
#include "dezero/sequence.hpp"  // dezero/static.hpp, and hana::tuple outputs

namespace {

using dezero::bench::lorenz;

// The constexpr line, for the Jacobian: + - * / are constexpr.
static_assert(dezero::jacobian(lorenz, 1.0, 2.0, 3.0)[1][0] == 25.0);
static_assert(dezero::value_and_jacobian(lorenz, 1.0, 2.0, 3.0).value[2] == 2.0 - 8.0 / 3.0 * 3.0);

// Reverse mode is constexpr too: two outputs of ten arguments (see
// reverse_mode_for_few_outputs_of_many_arguments).
constexpr auto products = [](auto a, auto b, auto c, auto d, auto e, auto f, auto g, auto h, auto i, auto j) {
  const auto s = a * b + c * d + e * f + g * h + i * j;
  return std::tuple{s * s, s * a};
};
static_assert(dezero::jacobian(products, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0)[0][9] ==
              2 * 6.0 * 1.0);
static_assert(dezero::jacobian(products, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0)[1][0] ==
              6.0 + 1.0);

// Shares s = sin(x * y) between its outputs, and uses exp and a quotient.
const auto shared = [](const auto& x, const auto& y, const auto& z) {
  using std::exp, std::sin;
  const auto s = sin(x * y);
  return std::tuple{s + z * exp(x), s * y / (z * z + 1.0), x - s};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(jacobian)

BOOST_AUTO_TEST_CASE(lorenz_field_exact) {
  for (int i = -6; i <= 6; i += 3)
    for (int j = -6; j <= 6; j += 4)
      for (int k = -6; k <= 30; k += 9) {
        const double x = i / 4.0, y = j / 4.0, z = k / 2.0;
        const auto [value, jac] = dezero::value_and_jacobian(lorenz, x, y, z);
        const auto hand = dezero::bench::lorenz_jacobian({x, y, z});
        BOOST_TEST(value == hand.value);
        BOOST_TEST(jac == hand.jacobian);
        BOOST_TEST(jac[1] == (std::array{28.0 - z, -1.0, -x}));  // and from the formula itself
        BOOST_TEST(dezero::jacobian(lorenz, x, y, z) == jac);
      }
}

BOOST_AUTO_TEST_CASE(rows_are_the_gradients_of_the_outputs) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  for (int n = 0; n < 20; ++n) {
    const double x = u(rng), y = u(rng), z = u(rng);
    const auto r = dezero::value_and_jacobian(shared, x, y, z);  // (clang 14 captures no structured binding)
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            const auto output = [](const auto& a, const auto& b, const auto& c) {
              return std::get<I>(shared(a, b, c));
            };
            const auto g = dezero::value_and_grad(output, x, y, z);
            BOOST_TEST(r.value[I] == g.value);
            for (std::size_t c = 0; c < 3; ++c)
              BOOST_TEST(std::abs(r.jacobian[I][c] - g.grad[c]) <= 1e-14 * (4 + std::abs(g.grad[c])));
          }(),
          ...);
    }
    (std::make_index_sequence<3>{});
  }
}

BOOST_AUTO_TEST_CASE(tuple_array_and_hana_tuple) {
  const auto as_tuple = [](auto x, auto y) { return std::tuple{x * y, x - y}; };
  const auto as_hana = [](auto x, auto y) { return boost::hana::make_tuple(x * y, x - y); };
  // A std::array holds outputs of one type: the same expression with different constants.
  const auto as_array = [](auto x, auto y) { return std::array{2.0 * (x * y), 0.5 * (x * y)}; };
  const std::array<std::array<double, 2>, 2> expected{{{3.0, 2.0}, {1.0, -1.0}}};
  BOOST_TEST(dezero::jacobian(as_tuple, 2.0, 3.0) == expected);
  BOOST_TEST(dezero::jacobian(as_hana, 2.0, 3.0) == expected);
  BOOST_TEST(dezero::value_and_jacobian(as_hana, 2.0, 3.0).value == (std::array{6.0, -1.0}));
  const auto [value, jac] = dezero::value_and_jacobian(as_array, 2.0, 3.0);
  BOOST_TEST(value == (std::array{12.0, 3.0}));
  BOOST_TEST(jac == (std::array<std::array<double, 2>, 2>{{{6.0, 4.0}, {1.5, 1.0}}}));
}

BOOST_AUTO_TEST_CASE(outputs_that_are_arguments_or_numbers) {
  const auto [value, jac] = dezero::value_and_jacobian(
      [](auto x, auto y) {
        return std::tuple{y, 7, x * x};
      },
      3.0, 5.0);
  BOOST_TEST(value == (std::array{5.0, 7.0, 9.0}));
  BOOST_TEST(jac == (std::array<std::array<double, 2>, 3>{{{0.0, 1.0}, {0.0, 0.0}, {6.0, 0.0}}}));
  const auto one = dezero::value_and_jacobian([](auto x) { return std::tuple{x}; }, 4.0);
  BOOST_TEST(one.value[0] == 4.0);
  BOOST_TEST(one.jacobian[0][0] == 1.0);
}

// Two outputs of ten arguments that every node depends on: reverse mode, one reverse sweep per output.
BOOST_AUTO_TEST_CASE(reverse_mode_for_few_outputs_of_many_arguments) {
  const auto f = [](auto a, auto b, auto c, auto d, auto e, auto f, auto g, auto h, auto i, auto j) {
    using std::sin;
    const auto s = a * b + c * d + e * f + g * h + i * j;
    return std::tuple{s * s, sin(s) * a};
  };
  using namespace dezero::static_engine::detail;
  using E = std::remove_const_t<decltype(outputs_of<decltype(f), 10, double, double, double, double, double,
                                                    double, double, double, double, double>(f))>;
  using refs = output_refs<program<E, 10>::plan_type, program<E, 10>::root, 2>::type;
  static_assert(!jacobian_mode<E, 10, refs>::forward);
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::array<double, 10> x;
  for (double& xi : x) xi = u(rng);
  const auto [value, jac] = std::apply([&](auto... a) { return dezero::value_and_jacobian(f, a...); }, x);
  const auto first = std::apply(
      [&](auto... a) {
        return dezero::value_and_grad([&](auto... p) { return std::get<0>(f(p...)); }, a...);
      },
      x);
  const auto second = std::apply(
      [&](auto... a) {
        return dezero::value_and_grad([&](auto... p) { return std::get<1>(f(p...)); }, a...);
      },
      x);
  BOOST_TEST(value == (std::array{first.value, second.value}));
  BOOST_TEST(jac[0] == first.grad);  // the same reverse sweep: equal to the bit
  BOOST_TEST(jac[1] == second.grad);
}

BOOST_AUTO_TEST_CASE(shared_subexpressions_are_one_slot) {
  using namespace dezero::static_engine::detail;
  using E = std::remove_const_t<
      decltype(outputs_of<std::remove_const_t<decltype(shared)>, 3, double, double, double>(shared))>;
  // x * y, sin, exp, z * exp, s + ..., z * z, + 1, s * y, / , x - s, and two Outputs: 12 slots, sin once.
  constexpr std::size_t slots = program<E, 3>::size;
  BOOST_TEST(slots == 12u);
}

BOOST_AUTO_TEST_SUITE_END()
