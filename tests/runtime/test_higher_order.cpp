// DeZero's stage-3 core (reference B4, steps 32-36): backward(retain_grad, create_graph), higher-order
// derivatives by repeated backprop, dezero::gradients, and the reference cycles of higher order. Exact where
// the arithmetic is (+ - * / and integer powers); sin, cos and tanh to 1e-15 relative (N1: glibc and numpy's
// SIMD functions differ in the last digit).
#include "../support.hpp"
#include "dot_counts.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "dezero/runtime.hpp"
#include "dezero/runtime/dot_graph.hpp"
#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"

using dezero::NDArray;
using dezero::Variable;
namespace tt = boost::test_tools;

namespace {

// The n-th derivative of tanh at x, independently of the engine: d/dx P(t) = P'(t) (1 - t^2) for t =
// tanh(x), on the coefficients of the polynomial P.
double tanh_derivative(int n, double x) {
  std::vector<double> p{0.0, 1.0};  // P_0(t) = t
  for (int k = 0; k < n; ++k) {
    std::vector<double> d(p.size() + 1, 0.0);  // P'(t) (1 - t^2)
    for (std::size_t i = 1; i < p.size(); ++i) {
      d[i - 1] += static_cast<double>(i) * p[i];
      d[i + 1] -= static_cast<double>(i) * p[i];
    }
    p = d;
  }
  const double t = std::tanh(x);
  double r = 0.0;
  for (std::size_t i = p.size(); i-- > 0;) r = r * t + p[i];
  return r;
}

struct Throws : dezero::Function {
  std::vector<NDArray> forward(const dezero::ArrayList& xs) override { return {xs[0]}; }
  std::vector<Variable> backward(const std::vector<Variable>&) override {
    throw std::runtime_error("Throws.backward");
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(stage3_core)

BOOST_AUTO_TEST_CASE(b47_gradients_are_variables_with_a_graph_under_create_graph) {
  Variable x(3.0);
  Variable y = pow(x, 2);
  y.backward(false, true);
  BOOST_TEST(x.grad()->item() == 6.0);
  BOOST_REQUIRE(x.grad()->creator());
  BOOST_TEST(x.grad()->creator()->name() == "Mul");
  BOOST_TEST(x.grad()->generation() == 3);
  BOOST_TEST(!y.grad());  // retain_grad = false still clears the output's gradient
  BOOST_TEST(dezero::Config::enable_backprop);

  Variable x2(3.0);
  Variable y2 = pow(x2, 2);
  y2.backward(true, false);
  BOOST_TEST(y2.grad()->item() == 1.0);  // kept, a Variable
  BOOST_TEST(!x2.grad()->creator());     // without create_graph: no creator
  {
    auto off = dezero::no_grad();
    Variable x3(3.0);
    Variable y3 = x3 * x3;  // no graph: backward seeds only
    y3.backward(false, true);
    BOOST_TEST(!dezero::Config::enable_backprop);  // restored to what it was
  }
}

BOOST_AUTO_TEST_CASE(b47_config_is_restored_on_an_exception) {
  Variable x(2.0);
  Variable y = (*std::make_shared<Throws>())(x * x);
  BOOST_CHECK_THROW(y.backward(false, true), std::runtime_error);
  BOOST_TEST(dezero::Config::enable_backprop);
  BOOST_TEST(!x.grad());
  auto off = dezero::no_grad();
  BOOST_CHECK_THROW(y.backward(false, true), std::runtime_error);
  BOOST_TEST(!dezero::Config::enable_backprop);
}

BOOST_AUTO_TEST_CASE(b48_rules_differentiate_their_own_derivatives) {
  // Every rule of stage 3 twice and three times against the static engine's derivative<K>, which finds the
  // same derivatives from the same rules at compile time; and against the analytic values.
  const auto check = [](auto f, double at) {
    Variable x(at);
    Variable y = f(x);
    y.backward(false, true);
    Variable g1 = *x.grad();
    x.cleargrad();
    g1.backward(false, true);
    Variable g2 = *x.grad();
    x.cleargrad();
    g2.backward(false, true);
    BOOST_TEST(g1.item() == dezero::derivative<1>(f, at), tt::tolerance(1e-14));
    BOOST_TEST(g2.item() == dezero::derivative<2>(f, at), tt::tolerance(1e-14));
    BOOST_TEST(x.grad()->item() == dezero::derivative<3>(f, at), tt::tolerance(1e-14));
  };
  check([](const auto& x) { return exp(x); }, 0.7);
  check([](const auto& x) { return log(x); }, 0.7);
  check([](const auto& x) { return sqrt(x); }, 0.7);
  check([](const auto& x) { return sin(x); }, 0.7);
  check([](const auto& x) { return cos(x); }, 0.7);
  check([](const auto& x) { return tanh(x); }, 0.7);
  check([](const auto& x) { return pow(x, 3.5); }, 0.7);
  check([](const auto& x) { return 1.0 / (x * x + 1.0); }, 0.7);
  Variable x(0.7);
  Variable y = exp(x);
  y.backward(false, true);
  Variable g = *x.grad();
  x.cleargrad();
  g.backward();
  BOOST_TEST(x.grad()->item() == std::exp(0.7));  // 1 * y, then 1 * y again: exact
}

BOOST_AUTO_TEST_CASE(step33_newton_by_double_backprop) {  // [49]
  const auto f = [](const Variable& x) { return pow(x, 4) - 2 * pow(x, 2); };
  {
    Variable x(2.0);
    Variable y = f(x);
    y.backward(false, true);
    BOOST_TEST(y.item() == 8.0);
    BOOST_TEST(x.grad()->item() == 24.0);
    Variable gx = *x.grad();
    x.cleargrad();
    gx.backward();
    BOOST_TEST(x.grad()->item() == 44.0);
  }
  {
    Variable x(2.0);
    Variable y = f(x);
    y.backward(false, true);
    Variable gx = *x.grad();
    gx.backward();  // no cleargrad: 24 + 44
    BOOST_TEST(x.grad()->item() == 68.0);
  }
  const std::vector<std::array<double, 3>> expected{
      {2.0, 24.0, 44.0},
      {1.4545454545454546, 6.491359879789632, 21.388429752066116},
      {1.1510467893775467, 1.4959405160980452, 11.898904536036298},
      {1.0253259289766978, 0.21036924043070293, 8.61551912758314},
      {1.0009084519430513, 0.007277521962531175, 8.021812750052426},
      {1.0000012353089454, 9.882489874435407e-06, 8.000029647433},
      {1.000000000002289, 1.8312462657377182e-11, 8.000000000054937},
      {1.0, 0.0, 8.0},
      {1.0, 0.0, 8.0},
      {1.0, 0.0, 8.0}};
  Variable x(2.0);
  for (const auto& [xi, d1, d2] : expected) {
    BOOST_TEST(x.item() == xi);
    Variable y = f(x);
    x.cleargrad();
    y.backward(false, true);
    Variable gx = *x.grad();
    x.cleargrad();
    gx.backward();
    Variable gx2 = *x.grad();
    // f' = 4 x^3 - 4 x, whose x^3 is a pow call: glibc's is correctly rounded, numpy's SIMD pow on the
    // reference machine is an ulp off at x = 1.0253259289766978 (as sin and cos are, N1).
    BOOST_TEST(gx.item() == d1, tt::tolerance(1e-14));
    BOOST_TEST(gx2.item() == d2, tt::tolerance(1e-15));
    x.data() -= gx.data() / gx2.data();
  }
}

BOOST_AUTO_TEST_CASE(step34_sin_and_three_more_derivatives) {  // [50]
  NDArray points = xt::linspace<double>(-7.0, 7.0, 200);
  Variable x(points);
  Variable y = sin(x);
  y.backward(false, true);
  std::vector<NDArray> logs{y.data()};
  for (int i = 0; i < 3; ++i) {
    logs.push_back(x.grad()->data());
    Variable gx = *x.grad();
    x.cleargrad();
    gx.backward(false, true);
  }
  for (std::size_t i = 0; i < 200; ++i) {  // the analytic values, exactly: each step multiplies by ones
    const double p = points(i);
    BOOST_TEST(logs[0](i) == std::sin(p));
    BOOST_TEST(logs[1](i) == std::cos(p));
    BOOST_TEST(logs[2](i) == -std::sin(p));
    BOOST_TEST(logs[3](i) == -std::cos(p));
  }
  const std::vector<std::pair<std::size_t, std::array<double, 4>>> samples{
      {0, {-0.6569865987187891, 0.7539022543433047, 0.6569865987187891, -0.7539022543433047}},
      {100, {0.03516862574405429, 0.9993813925440453, -0.03516862574405429, -0.9993813925440453}},
      {199, {0.6569865987187891, 0.7539022543433047, -0.6569865987187891, -0.7539022543433047}}};
  BOOST_TEST(points(100) == 0.03517587939698519);
  for (const auto& [i, values] : samples)
    for (std::size_t k = 0; k < 4; ++k) BOOST_TEST(logs[k](i) == values[k], tt::tolerance(1e-15));

  Variable one(1.0);  // y ... y'''' at 1
  Variable g = sin(one);
  const std::vector<double> scalar{0.8414709848078965, 0.5403023058681397, -0.8414709848078965,
                                   -0.5403023058681397, 0.8414709848078965};
  BOOST_TEST(g.item() == scalar[0], tt::tolerance(1e-15));
  for (std::size_t k = 1; k < scalar.size(); ++k) {
    one.cleargrad();
    g.backward(false, true);
    g = *one.grad();
    BOOST_TEST(g.item() == scalar[k], tt::tolerance(1e-15));
  }
}

BOOST_AUTO_TEST_CASE(step35_nth_derivative_of_tanh) {  // [51]
  const std::vector<std::array<int, 3>> graphs{{4, 8, 11}, {9, 17, 25}};
  for (int n = 1; n <= 6; ++n) {
    Variable x(1.0);
    x.set_name("x");
    Variable y = tanh(x);
    y.set_name("y");
    y.backward(false, true);
    for (int i = 1; i < n; ++i) {
      Variable gx = *x.grad();
      x.cleargrad();
      gx.backward(false, true);
    }
    Variable gx = *x.grad();
    gx.set_name("gx" + std::to_string(n));
    BOOST_TEST(gx.item() == tanh_derivative(n, 1.0), tt::tolerance(1e-13));
    if (n == 1) BOOST_TEST(gx.item() == 0.41997434161402614, tt::tolerance(1e-15));
    if (n == 2) BOOST_TEST(gx.item() == -0.6397000084492246, tt::tolerance(1e-15));
    if (n <= 2) {
      const std::string dot = dezero::get_dot_graph(gx, false);
      const dezero::test::DotCounts c = dezero::test::count_dot(dot);
      BOOST_TEST(c.functions == graphs[n - 1][0]);
      BOOST_TEST(c.variables == graphs[n - 1][1]);
      BOOST_TEST(c.edges == graphs[n - 1][2]);
      if (n == 2) {
        const std::map<std::string, int> labels{{"Mul", 5}, {"Sub", 1}, {"Add", 1}, {"Neg", 1}, {"Tanh", 1}};
        BOOST_TEST((c.labels == labels));
        std::size_t named_y = 0;
        for (std::size_t at = dot.find("label=\"y\""); at != std::string::npos;
             at = dot.find("label=\"y\"", at + 1))
          ++named_y;
        BOOST_TEST(named_y == 4u);
        BOOST_TEST(dot.find("label=\"gx2\"") != std::string::npos);
        BOOST_TEST(dot.find("label=\"x\"") != std::string::npos);
        BOOST_TEST(c.lines == 51);  // the lines step 35 writes
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(step36_double_backprop) {  // [52]
  Variable x(2.0);
  Variable y = pow(x, 2);
  y.backward(false, true);
  Variable gx = *x.grad();
  x.cleargrad();
  Variable z = pow(gx, 3) + y;
  z.backward();
  BOOST_TEST(z.item() == 68.0);
  BOOST_TEST(x.grad()->item() == 100.0);
}

BOOST_AUTO_TEST_CASE(b53_more_derivatives) {  // [53]
  const auto derivatives = [](Variable x, Variable y, int n) {
    std::vector<double> d;
    y.backward(false, true);
    for (int i = 0; i < n; ++i) {
      Variable g = *x.grad();
      d.push_back(g.item());
      x.cleargrad();
      g.backward(false, true);
    }
    return d;
  };
  Variable x(3.0);
  BOOST_TEST(derivatives(x, 1 / x, 2) == (std::vector<double>{-0.1111111111111111, 0.07407407407407407}),
             tt::per_element());
  Variable x2(2.0);
  BOOST_TEST(derivatives(x2, pow(x2, 3), 3) == (std::vector<double>{12.0, 12.0, 6.0}), tt::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(gradients_without_storing)

BOOST_AUTO_TEST_CASE(returns_the_gradients_and_changes_no_gradient) {
  Variable x(1.5), w(-0.5), unused(4.0);
  w.set_grad(Variable(7.0));  // kept as it is
  Variable h = x * w;
  Variable y = h * h + 3.0 * x;  // a number operand as well
  y.backward(true);              // every gradient stored, intermediate ones too
  const double hx = x.grad()->item(), hh = h.grad()->item();
  const std::vector<Variable> g = dezero::gradients(y, {x, w, h, unused, y});
  BOOST_TEST(g[0].item() == 2 * (1.5 * -0.5) * -0.5 + 3.0);
  BOOST_TEST(g[1].item() == 2 * (1.5 * -0.5) * 1.5);
  BOOST_TEST(g[2].item() == 2 * (1.5 * -0.5));  // an intermediate
  BOOST_TEST(g[3].item() == 0.0);               // y does not depend on it
  BOOST_TEST(g[4].item() == 1.0);
  BOOST_TEST(x.grad()->item() == hx);  // what backward stored is unchanged
  BOOST_TEST(h.grad()->item() == hh);
  BOOST_TEST(w.grad()->item() == 7.0 + 2 * (1.5 * -0.5) * 1.5);
  BOOST_TEST(!unused.grad());
  BOOST_TEST(y.grad()->item() == 1.0);
  const auto operands = y.creator()->inputs()[1].creator()->inputs();  // 3.0 * x is Mul(x, 3.0): the
  BOOST_TEST(operands[1].grad()->item() == 1.5);                       // number's gradient, unchanged
}

BOOST_AUTO_TEST_CASE(the_hessian_of_goldstein_by_double_backprop_equals_the_static_engines) {
  // At integers the arithmetic is exact and the engines agree to the bit; elsewhere they sum in different
  // orders (the static engine combines repeated terms), and agree to rounding.
  for (const auto& [a, b, tolerance] :
       std::vector<std::array<double, 3>>{{1.0, -2.0, 0.0}, {0.3, -0.7, 1e-13}}) {
    Variable x(a), y(b);
    Variable z = dezero::goldstein(x, y);
    const std::vector<Variable> g = dezero::gradients(z, {x, y}, true);
    BOOST_REQUIRE(g[0].creator());
    const auto [value, grad, hessian] = dezero::value_grad_hessian(dezero::goldstein, a, b);
    BOOST_TEST(z.item() == value);
    for (std::size_t i = 0; i < 2; ++i) {
      BOOST_TEST(g[i].item() == grad[i], tt::tolerance(tolerance));
      const std::vector<Variable> row = dezero::gradients(g[i], {x, y});
      for (std::size_t j = 0; j < 2; ++j)
        BOOST_TEST(row[j].item() == hessian[i][j], tt::tolerance(tolerance));
    }
    BOOST_TEST(!x.grad());
    BOOST_TEST(!y.grad());
    z.backward();  // the same gradient as backward's, to the bit
    BOOST_TEST(x.grad()->item() == g[0].item());
    BOOST_TEST(y.grad()->item() == g[1].item());
  }
}

BOOST_AUTO_TEST_CASE(arrays_and_errors) {
  Variable x(NDArray{1.0, 2.0, 3.0});
  Variable y = sin(x) * x;
  const std::vector<Variable> g = dezero::gradients(y, {x}, true);
  const std::vector<Variable> g2 = dezero::gradients(g[0], {x});
  for (std::size_t i = 0; i < 3; ++i) {
    const double v = static_cast<double>(i + 1);
    BOOST_TEST(g[0].data()(i) == std::cos(v) * v + std::sin(v), tt::tolerance(1e-15));
    BOOST_TEST(g2[0].data()(i) == -std::sin(v) * v + 2 * std::cos(v), tt::tolerance(1e-14));
  }
  BOOST_CHECK_THROW(dezero::gradients(Variable(), {x}), std::logic_error);
  BOOST_CHECK_THROW(dezero::gradients(y, {Variable()}), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()

// The cycles themselves are counted to the byte in test_memory_counted; here, what users can observe.
BOOST_AUTO_TEST_SUITE(cycles_of_higher_order)

BOOST_AUTO_TEST_CASE(a_gradient_with_a_graph_outlives_its_variable_and_stays_differentiable) {
  Variable gx;
  {
    Variable x(2.0);
    Variable y = pow(x, 4);
    y.backward(false, true);
    gx = *x.grad();
  }  // x and y are gone from the user's hands; gx's graph holds them
  BOOST_TEST(gx.item() == 32.0);
  const std::vector<Variable> xs{gx.creator()->inputs().begin(), gx.creator()->inputs().end()};
  BOOST_TEST(!xs.empty());
  gx.backward();
  BOOST_TEST(gx.item() == 32.0);
}

BOOST_AUTO_TEST_CASE(a_variable_keeps_its_gradient_while_it_is_held) {
  Variable x(2.0), w(3.0);
  {
    Variable y = x * x * w;
    y.backward(false, true);
  }  // y's graph is now held only by the gradients' graphs, which x and w hold: cycles
  BOOST_TEST(x.grad()->item() == 12.0);
  BOOST_TEST(w.grad()->item() == 4.0);
  Variable gx = *x.grad();
  x.cleargrad();
  w.cleargrad();
  gx.backward();
  BOOST_TEST(x.grad()->item() == 6.0);
  BOOST_TEST(w.grad()->item() == 4.0);
}

BOOST_AUTO_TEST_SUITE_END()
