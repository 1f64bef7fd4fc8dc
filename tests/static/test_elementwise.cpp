// The bridge: dezero::elementwise(f) as one runtime Function whose backward is the static engine's.
#include <cmath>
#include <stdexcept>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "dezero/bridge/elementwise.hpp"
#include "dezero/runtime.hpp"

namespace {
const auto smooth_formula = [](auto x) { return square((x * x + 3 * x - 1) / (x * x + 1)); };
}

BOOST_AUTO_TEST_SUITE(elementwise)

BOOST_AUTO_TEST_CASE(one_node_same_result_as_the_operations) {
  const auto smooth = dezero::elementwise(smooth_formula);
  dezero::Variable x(dezero::NDArray{-1.5, 0.0, 1.0, 2.0, 3.25});
  dezero::Variable y = smooth(x);
  BOOST_TEST(y.creator()->name() == "Elementwise");
  BOOST_TEST(y.creator()->inputs().size() == 1u);
  y.backward();

  // The same formula through the runtime engine's operations: one node per operation.
  dezero::Variable x2(dezero::NDArray{-1.5, 0.0, 1.0, 2.0, 3.25});
  dezero::Variable t = (x2 * x2 + 3 * x2 - 1) / (x2 * x2 + 1);
  dezero::Variable y2 = t * t;
  y2.backward();
  for (std::size_t i = 0; i < 5; ++i) {
    BOOST_TEST(y.data()(i) == y2.data()(i), boost::test_tools::tolerance(1e-15));
    BOOST_TEST(x.grad()->data()(i) == x2.grad()->data()(i), boost::test_tools::tolerance(1e-14));
  }
  BOOST_TEST(x.grad()->data()(2) == 3.0);  // at 1: 2 * 1.5 * 1
}

BOOST_AUTO_TEST_CASE(two_inputs_with_a_broadcast_scalar) {
  const auto f = dezero::elementwise([](auto a, auto b) {
    using std::sin;
    return a * sin(b);
  });
  dezero::Variable a(dezero::NDArray{1.0, 2.0, 3.0}), b(2.0);
  dezero::Variable z = f(a, b);
  z.backward();
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(z.data()(i) == (i + 1.0) * std::sin(2.0));
    BOOST_TEST(a.grad()->data()(i) == std::sin(2.0));
  }
  BOOST_TEST(b.grad()->shape().empty());
  BOOST_TEST(b.grad()->item() == 6.0 * std::cos(2.0), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(scalar_and_chain_rule_through_other_operations) {
  const auto smooth = dezero::elementwise(smooth_formula);
  dezero::Variable x(1.0);
  dezero::Variable y = smooth(x * 2.0) * 3.0;  // d/dx = 3 * smooth'(2) * 2
  y.backward();
  const double t = 9.0 / 5.0, dt = (7.0 * 5.0 - 9.0 * 4.0) / 25.0;
  BOOST_TEST(y.item() == 3.0 * t * t, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(x.grad()->item() == 3.0 * 2.0 * t * dt * 2.0, boost::test_tools::tolerance(1e-15));
}

// Forward keeps the derivatives it computed with the values: a second backward through the same graph
// finds them again, and under no_grad none are computed.
BOOST_AUTO_TEST_CASE(derivatives_kept_from_forward) {
  const auto smooth = dezero::elementwise(smooth_formula);
  dezero::Variable x(dezero::NDArray{-1.5, 0.0, 1.0, 2.0, 3.25, 0.5, 7.0});  // odd: pairs and one more
  dezero::Variable y = smooth(x);
  y.backward();
  const dezero::NDArray first = x.grad()->data();
  x.cleargrad();
  y.backward();
  for (std::size_t i = 0; i < 7; ++i) {
    BOOST_TEST(x.grad()->data()(i) == first(i));
    BOOST_TEST(first(i) == dezero::grad(smooth_formula, x.data()(i))[0]);
  }
  const auto values_only = dezero::no_grad();
  dezero::Variable z = smooth(x);
  BOOST_TEST(!z.creator());
  BOOST_TEST(z.data()(3) == y.data()(3));
}

BOOST_AUTO_TEST_CASE(mismatched_shapes_are_an_error) {
  const auto f = dezero::elementwise([](auto a, auto b) { return a * b; });
  dezero::Variable a(dezero::NDArray{1.0, 2.0, 3.0}), b(dezero::NDArray{1.0, 2.0});
  BOOST_CHECK_THROW(f(a, b), dezero::shape_error);
}

// Higher order (issue 11): under create_graph, an elementwise node's backward is an ElementwiseGradient
// node whose forward is the static engine's Hessian, so second derivatives are fused too.
BOOST_AUTO_TEST_CASE(second_derivatives_of_one_input) {
  const auto smooth = dezero::elementwise(smooth_formula);
  const dezero::NDArray points{-1.5, 0.0, 1.0, 2.0, 3.25};
  dezero::Variable x(points);
  dezero::Variable y = smooth(x);
  y.backward(false, true);
  dezero::Variable gx = *x.grad();
  BOOST_TEST(gx.creator()->name() == "Mul");  // gy * df/dx, df/dx from the ElementwiseGradient node
  BOOST_TEST(gx.creator()->inputs()[1].creator()->name() == "ElementwiseGradient");
  x.cleargrad();
  gx.backward();
  for (std::size_t i = 0; i < 5; ++i) {
    // The node computes value, gradient and Hessian in one forward-over-reverse sweep, whose gradient may
    // round differently from value_and_grad's (it sums in another order).
    const auto [v, g, h] = dezero::value_grad_hessian(smooth_formula, points(i));
    BOOST_TEST(gx.data()(i) == g[0]);
    BOOST_TEST(gx.data()(i) == dezero::grad(smooth_formula, points(i))[0],
               boost::test_tools::tolerance(1e-14));
    BOOST_TEST(x.grad()->data()(i) == h[0][0]);
    BOOST_TEST(x.grad()->data()(i) == dezero::derivative<2>(smooth_formula, points(i)),
               boost::test_tools::tolerance(1e-13));
  }
  // The same second derivative through the runtime engine's operations, to rounding.
  dezero::Variable x2(points);
  dezero::Variable t = (x2 * x2 + 3 * x2 - 1) / (x2 * x2 + 1);
  const dezero::Variable g2 = dezero::gradients(t * t, {x2}, true)[0];
  const dezero::Variable h2 = dezero::gradients(g2, {x2})[0];
  for (std::size_t i = 0; i < 5; ++i)
    BOOST_TEST(x.grad()->data()(i) == h2.data()(i), boost::test_tools::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(second_derivatives_of_two_inputs_with_a_broadcast_scalar) {
  const auto formula = [](auto a, auto b) {
    using std::sin;
    return a * a * sin(b);
  };
  const auto f = dezero::elementwise(formula);
  dezero::Variable a(dezero::NDArray{1.0, 2.0, 3.0}), b(2.0);
  dezero::Variable z = f(a, b);
  const std::vector<dezero::Variable> g = dezero::gradients(z, {a, b}, true);
  BOOST_TEST(g[1].shape().empty());  // summed over the broadcast
  const std::vector<dezero::Variable> ha = dezero::gradients(g[0], {a, b});
  const std::vector<dezero::Variable> hb = dezero::gradients(g[1], {a, b});
  double sum_a = 0, sum_a2 = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    const double ai = i + 1.0;
    sum_a += ai;
    sum_a2 += ai * ai;
    BOOST_TEST(g[0].data()(i) == 2 * ai * std::sin(2.0), boost::test_tools::tolerance(1e-15));
    BOOST_TEST(ha[0].data()(i) == 2 * std::sin(2.0), boost::test_tools::tolerance(1e-15));
    BOOST_TEST(hb[0].data()(i) == 2 * ai * std::cos(2.0), boost::test_tools::tolerance(1e-15));
  }
  BOOST_TEST(g[1].item() == sum_a2 * std::cos(2.0), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(ha[1].item() == 2 * sum_a * std::cos(2.0), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(hb[1].item() == -sum_a2 * std::sin(2.0), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(a_third_derivative_is_an_error_not_a_wrong_number) {
  const auto smooth = dezero::elementwise(smooth_formula);
  dezero::Variable x(0.5);
  const dezero::Variable g = dezero::gradients(smooth(x), {x}, true)[0];
  const dezero::Variable h = dezero::gradients(g, {x}, true)[0];
  BOOST_TEST(h.item() == dezero::derivative<2>(smooth_formula, 0.5), boost::test_tools::tolerance(1e-13));
  BOOST_TEST(h.creator()->name() == "ElementwiseGradientBackward");
  BOOST_CHECK_THROW(dezero::gradients(h, {x}), std::logic_error);
  BOOST_TEST(dezero::gradients(g, {x})[0].item() == h.item());  // nothing left behind by the failure
}

BOOST_AUTO_TEST_SUITE_END()
