// Differential testing of the static engine (issue 5, section 1): the expressions that emit_static_tests
// wrote at build time, compiled by the static engine, each checked
//   - on doubles: the emitted lambda computes the generator's own evaluation, bit for bit (it is faithful);
//   - against the runtime engine on the same expression (its graph built by the generator's interpreter,
//     the operations the lambda on Variables would apply, in the same order): value and gradient within
//     4 ulp, plus what association (the order of sums and products) and integer powers may move
//     (oracle.hpp, engine_tolerance);
//   - against central differences, with oracle.hpp's tolerance;
//   - for every fourth case, its Hessian (value_grad_hessian) symmetric bit for bit, and against central
//     differences of the static engine's own gradient (issue 11, section 5), with a tolerance derived as
//     oracle.hpp derives the gradient's (check_hessian).
// A failure prints the case (the lambda and the point), both engines' values and gradients and the
// differences.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "generator.hpp"
#include "oracle.hpp"
#include "runtime_engine.hpp"
#include "static_case.hpp"

namespace dd = dezero::differential;

namespace {

// How many components agree bit for bit, within 4 ulp, and within the tolerance only: reported, so that a
// change that makes the engines drift apart shows even while the tolerance holds.
struct Agreement {
  int exact = 0, ulps = 0, total = 0;
  void add(double a, double b) {
    ++total;
    exact += dd::ulp_distance(a, b) == 0;
    ulps += dd::ulp_distance(a, b) <= 4;
  }
};
Agreement values, gradients;

void check(const dd::Case& c, const dd::StaticResult& s) {
  BOOST_TEST_REQUIRE(s.inputs == c.expression.inputs,
                     "case " << c.seed << ": the generated files are not those of this generator");
  const double generator = dd::evaluate(c.expression, c.point);
  BOOST_TEST_REQUIRE(dd::ulp_distance(s.plain, generator) == 0u,
                     dd::describe(c) << "  the emitted lambda gives " << dd::literal(s.plain)
                                     << ", the generator " << dd::literal(generator));
  const dd::EngineResult runtime = dd::runtime_engine(c);
  const dd::FiniteDifference fd = dd::finite_difference(c);
  const dd::EngineTolerance agree = dd::engine_tolerance(c, runtime.value, runtime.grad);
  bool engines = std::abs(s.value - runtime.value) <= agree.value;
  bool differences = true;
  std::vector<double> ulps;
  values.add(s.value, runtime.value);
  for (std::size_t i = 0; i < s.grad.size(); ++i) {
    gradients.add(s.grad[i], runtime.grad[i]);
    ulps.push_back(static_cast<double>(dd::ulp_distance(s.grad[i], runtime.grad[i])));
    engines = engines && std::abs(s.grad[i] - runtime.grad[i]) <= agree.grad[i];
    differences = differences && std::abs(s.grad[i] - fd.grad[i]) <= fd.tolerance[i];
  }
  const auto report = [&] {
    std::ostringstream r;
    r << dd::describe(c) << "  value: static " << dd::literal(s.value) << ", runtime "
      << dd::literal(runtime.value) << " (" << dd::ulp_distance(s.value, runtime.value) << " ulp, tolerance "
      << agree.value << ")\n  gradient: static " << dd::to_string(s.grad) << "\n  runtime "
      << dd::to_string(runtime.grad) << " (ulps " << dd::to_string(ulps) << ", tolerance "
      << dd::to_string(agree.grad) << ")\n  central differences " << dd::to_string(fd.grad)
      << "\n  tolerance " << dd::to_string(fd.tolerance);
    return r.str();
  };
  BOOST_TEST(engines, "the engines differ by more than their tolerance: " << report());
  BOOST_TEST(differences, "the static engine's gradient is off the central differences: " << report());
}

// Row i of the Hessian against D_i(h) = (g(x + h e_i) - g(x - h e_i)) / 2h, g the static engine's gradient.
// As for the gradient (oracle.hpp), the rounding of the two gradients is bounded by reference.hpp's
// grad_error (u (8 depth + nodes) G_abs_j), R(h) = (grad_error_j(x + h e_i) + grad_error_j(x - h e_i)) / 2h,
// and the truncation is measured against D(2h):
//   |H_ij - D_i(h)_j| <= 2 (|D(h) - D(2h)| / 3 + (4 R(h) + R(2h)) / 3).
// The Hessian's own rounding (u times its terms' magnitudes) is left to the factor 2: R(h) is that of the
// gradient divided by h = 2^-17. A pair with an input f does not depend on has tolerance 0 (both exactly 0).
struct HessianAgreement {
  int cases = 0, components = 0, exact = 0;
} hessians;

void check_hessian(const dd::Case& c, dd::StaticRunner run, const dd::StaticResult& s) {
  const auto n = static_cast<std::size_t>(c.expression.inputs);
  if (s.hessian.empty()) return;  // a case registered without its Hessian
  ++hessians.cases;
  const std::vector<bool> reached = dd::inputs_reached(c.expression);
  for (std::size_t i = 0; i < n; ++i) {
    const auto central = [&](double h, std::vector<double>& rounding) {
      std::vector<double> plus = c.point, minus = c.point;
      plus[i] += h;
      minus[i] -= h;
      const dd::StaticResult p = run(plus), m = run(minus);
      const dd::Reference rp = dd::reference(c.expression, plus, c.depth);
      const dd::Reference rm = dd::reference(c.expression, minus, c.depth);
      std::vector<double> d(n);
      rounding.assign(n, 0.0);
      for (std::size_t j = 0; j < n; ++j) {
        d[j] = (p.grad[j] - m.grad[j]) / (2 * h);
        rounding[j] = (rp.grad_error[j] + dd::unit_roundoff * rp.condition * rp.grad_abs[j] +
                       rm.grad_error[j] + dd::unit_roundoff * rm.condition * rm.grad_abs[j]) /
                      (2 * h);
      }
      return d;
    };
    std::vector<double> r1, r2;
    const std::vector<double> d1 = central(dd::step, r1), d2 = central(2 * dd::step, r2);
    for (std::size_t j = 0; j < n; ++j) {
      const double h = s.hessian[i * n + j];
      const double tolerance =
          !reached[i] || !reached[j] ? 0 : 2 * (std::abs(d1[j] - d2[j]) / 3 + (4 * r1[j] + r2[j]) / 3);
      ++hessians.components;
      hessians.exact += h == d1[j];
      BOOST_TEST(std::abs(h - d1[j]) <= tolerance,
                 dd::describe(c) << "  H[" << i << "][" << j << "] = " << dd::literal(h) << ", differences "
                                 << dd::literal(d1[j]) << ", tolerance " << tolerance);
      BOOST_TEST(dd::ulp_distance(h, s.hessian[j * n + i]) == 0u, dd::describe(c) << "  H not symmetric");
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(differential)

BOOST_AUTO_TEST_CASE(static_engine_on_generated_expressions) {
  auto cases = dd::static_cases();
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.seed < b.seed; });
  BOOST_TEST(cases.size() == DEZERO_DIFFERENTIAL_STATIC_CASES);
  for (const dd::StaticCase& registered : cases) {
    const dd::Case c = dd::generate(registered.seed, dd::static_limits);
    const dd::StaticResult s = registered.run(c.point);
    check(c, s);
    check_hessian(c, registered.run, s);
  }
  BOOST_TEST(hessians.cases == DEZERO_DIFFERENTIAL_STATIC_CASES / 4);  // every fourth case (static_case.hpp)
  BOOST_TEST_MESSAGE(hessians.components << " Hessian components of " << hessians.cases
                                         << " cases checked against central differences of the gradient, "
                                         << hessians.exact << " equal to them");
  for (const auto& [name, a] : {std::pair{"values", values}, std::pair{"gradient components", gradients}})
    BOOST_TEST_MESSAGE(a.total << ' ' << name << " of the two engines: " << a.exact << " equal, " << a.ulps
                               << " within 4 ulp, the others within the tolerance of association and "
                                  "integer powers");
}

BOOST_AUTO_TEST_SUITE_END()
