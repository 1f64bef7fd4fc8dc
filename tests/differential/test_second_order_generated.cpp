// Differential testing of the second order (issue 11, section 5): the generator's expressions, the first
// DEZERO_DIFFERENTIAL_SECOND_ORDER_CASES of the static engine's cases, each checked
//   - the static engine's Hessian (forward over reverse) is symmetric bit for bit;
//   - against central differences of the reference gradient (reference.hpp's reverse sweep, written
//     independently of the library's rules), with the tolerance derived below;
//   - against the runtime engine's double backprop (dezero::gradients with create_graph, then once per
//     row) on the generator's graph, within the sum of both engines' tolerances;
//   - derivative<K> along the first input (K = 0 to 4) against the runtime engine's K-th backprop along it.
// Tolerance, as oracle.hpp's for the gradient, one order up: with D(h) = (g_i(x + h e_j) - g_i(x - h e_j))/2h
// of the reference gradient g, whose rounding error is bounded by the reference's grad_error, R(h) =
// (grad_error_i(x + h e_j) + grad_error_i(x - h e_j)) / 2h bounds the rounding of D(h), the truncation is
// measured by D(2h), and the Hessian's own rounding is taken as that of a gradient of the gradient: u (8
// depth + nodes) times twice the depth's worth of factors, relative to |D(h)| (each second-order path term
// has at most twice the factors of a first-order one). Hence
//   |H_ij - D(h)| <= 2 (|D(h) - D(2h)|/3 + (4 R(h) + R(2h))/3 + 2 u (8 depth + nodes) |D(h)|).
// derivative<K> for K > 2 has no independent oracle here: it is checked against the runtime engine, to
// 1e-9 relative to the larger magnitude plus 1e-9 absolute, and the agreement is reported.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "generator.hpp"
#include "oracle.hpp"
#include "reference.hpp"
#include "runtime_engine.hpp"
#include "static_case.hpp"

namespace dd = dezero::differential;

namespace {

struct RuntimeSecondOrder {
  std::vector<std::vector<double>> hessian;
  std::vector<double> along_first;  // the K-th derivative along input 0, K = 0 to 4
};

RuntimeSecondOrder runtime_second_order(const dd::Case& c) {
  const std::vector<dezero::Variable> x(c.point.begin(), c.point.end());
  dezero::Variable y = dd::evaluate(c.expression, x);
  RuntimeSecondOrder r;
  const std::vector<dezero::Variable> g = dezero::gradients(y, x, true);
  for (const dezero::Variable& gi : g) {  // a gradient without a creator is a constant: zeros
    r.hessian.emplace_back();
    for (const dezero::Variable& h : dezero::gradients(gi, x)) r.hessian.back().push_back(h.item());
  }
  dezero::Variable d = y;
  r.along_first.push_back(d.item());
  for (int k = 1; k <= 4; ++k) {
    d = dezero::gradients(d, {x[0]}, true)[0];
    r.along_first.push_back(d.item());
  }
  return r;
}

int symmetric = 0, exact = 0, total = 0, along_exact = 0, along_total = 0;

void check(const dd::Case& c, const dd::SecondOrderResult& s) {
  const std::size_t n = c.point.size();
  const RuntimeSecondOrder r = runtime_second_order(c);
  const double nodes = static_cast<double>(c.expression.nodes.size());
  const double units = 8 * c.depth + nodes;
  bool ok = true;
  std::ostringstream report;
  report << dd::describe(c);
  for (std::size_t j = 0; j < n; ++j) {
    const auto central = [&](double h, std::vector<double>& rounding) {
      std::vector<double> plus = c.point, minus = c.point;
      plus[j] += h;
      minus[j] -= h;
      const dd::Reference p = dd::reference(c.expression, plus, c.depth);
      const dd::Reference m = dd::reference(c.expression, minus, c.depth);
      std::vector<double> d(n);
      rounding.assign(n, 0.0);
      for (std::size_t i = 0; i < n; ++i) {
        d[i] = (p.grad[i] - m.grad[i]) / (2 * h);
        rounding[i] = (p.grad_error[i] + m.grad_error[i]) / (2 * h);
      }
      return d;
    };
    std::vector<double> r1, r2;
    const std::vector<double> d1 = central(dd::step, r1), d2 = central(2 * dd::step, r2);
    for (std::size_t i = 0; i < n; ++i) {
      const double tolerance = 2 * (std::abs(d1[i] - d2[i]) / 3 + (4 * r1[i] + r2[i]) / 3 +
                                    2 * units * dd::unit_roundoff * std::abs(d1[i]));
      const double sh = s.hessian[i][j], rh = r.hessian[i][j];
      ++total;
      exact += dd::ulp_distance(sh, rh) == 0;
      symmetric += s.hessian[i][j] == s.hessian[j][i];
      const bool fine = s.hessian[i][j] == s.hessian[j][i] && std::abs(sh - d1[i]) <= tolerance &&
                        std::abs(rh - d1[i]) <= tolerance && std::abs(sh - rh) <= 2 * tolerance;
      if (!fine) {
        ok = false;
        report << "  H[" << i << "][" << j << "]: static " << dd::literal(sh) << " (H[" << j << "][" << i
               << "] " << dd::literal(s.hessian[j][i]) << "), runtime " << dd::literal(rh)
               << ", central differences " << dd::literal(d1[i]) << ", tolerance " << tolerance << '\n';
      }
    }
  }
  for (std::size_t k = 0; k < 5; ++k) {
    const double a = s.along_first[k], b = r.along_first[k];
    ++along_total;
    along_exact += dd::ulp_distance(a, b) == 0;
    if (!(std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)) + 1e-9)) {
      ok = false;
      report << "  derivative<" << k << "> along input 0: static " << dd::literal(a) << ", runtime "
             << dd::literal(b) << '\n';
    }
  }
  BOOST_TEST(ok, report.str());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(differential)

BOOST_AUTO_TEST_CASE(second_order_on_generated_expressions) {
  auto cases = dd::second_order_cases();
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.seed < b.seed; });
  BOOST_TEST(cases.size() == DEZERO_DIFFERENTIAL_SECOND_ORDER_CASES);
  for (const dd::SecondOrderCase& registered : cases) {
    const dd::Case c = dd::generate(registered.seed, dd::static_limits);
    check(c, registered.run(c.point));
  }
  BOOST_TEST(symmetric == total);
  BOOST_TEST_MESSAGE(total << " Hessian components: " << exact << " equal in both engines; " << along_total
                           << " derivatives along input 0: " << along_exact << " equal");
}

BOOST_AUTO_TEST_SUITE_END()
