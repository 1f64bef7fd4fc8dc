// Differential testing of sum_over (issue 12, section 6): random terms over random data, written as C++ at
// build time by emit_sum_over_tests, each sum one sum_over node of the static engine, checked
//   - on doubles: f (sum_over's plain loop) is the sum, in order, of the generator's evaluation of the term
//     at each element (bit for bit: the emitted term is faithful, and so is the loop);
//   - against the runtime engine, the term's graph at each element, gradients summed: within the sum of
//     the per-element tolerances of oracle.hpp (engine_tolerance) and the rounding of the sums;
//   - against central differences of the sum: within the sum of the per-element tolerances
//     (finite_difference) and the rounding of the sums.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "oracle.hpp"
#include "runtime_engine.hpp"
#include "sum_over_case.hpp"
#include "sum_over_runner.hpp"

namespace dd = dezero::differential;

namespace {

void check(const dd::SumOverCase& c, const dd::SumOverResult& s) {
  const auto k = static_cast<std::size_t>(c.parameters());
  BOOST_TEST_REQUIRE(s.parameters == c.parameters(),
                     "case " << c.seed << ": the generated files are not those of this generator");
  double plain = 0, runtime_value = 0, value_tolerance = 0, magnitude = 0;
  std::vector<double> runtime(k), fd(k), engine_tol(k), fd_tol(k), grad_magnitude(k);
  for (std::size_t j = 0; j < c.data.size(); ++j) {
    const dd::Case at = c.at(j);
    plain += dd::evaluate(at.expression, at.point);
    const dd::EngineResult r = dd::runtime_engine(at);
    const dd::EngineTolerance agree = dd::engine_tolerance(at, r.value, r.grad);
    const dd::FiniteDifference d = dd::finite_difference(at);
    runtime_value += r.value;
    value_tolerance += agree.value;
    magnitude += std::abs(r.value);
    for (std::size_t i = 0; i < k; ++i) {
      runtime[i] += r.grad[i];
      fd[i] += d.grad[i];
      engine_tol[i] += agree.grad[i];
      fd_tol[i] += d.tolerance[i];
      grad_magnitude[i] += std::abs(r.grad[i]);
    }
  }
  // The sums round at each addition, by at most u of the partial sums: 2 m u sum |terms| between two sums
  // of terms that differ.
  const double sums = 2.0 * static_cast<double>(c.data.size()) * dd::unit_roundoff;
  std::ostringstream report;
  report << "case " << c.seed << " (" << c.data.size() << " elements; data " << dd::to_string(c.data) << ")\n"
         << dd::describe(c.term) << "  value: static " << dd::literal(s.value) << ", plain "
         << dd::literal(s.plain) << ", generator " << dd::literal(plain) << ", runtime "
         << dd::literal(runtime_value) << "\n  gradient: static " << dd::to_string(s.grad) << "\n  runtime "
         << dd::to_string(runtime) << "\n  central differences " << dd::to_string(fd);
  BOOST_TEST(s.plain == plain, "f on doubles is not the sum of the term: " << report.str());
  BOOST_TEST(std::abs(s.value - runtime_value) <= value_tolerance + sums * magnitude,
             "values differ: " << report.str());
  for (std::size_t i = 0; i < k; ++i) {
    BOOST_TEST(std::abs(s.grad[i] - runtime[i]) <= engine_tol[i] + sums * grad_magnitude[i],
               "gradient " << i << " differs from the runtime engine's: " << report.str());
    BOOST_TEST(std::abs(s.grad[i] - fd[i]) <= fd_tol[i] + sums * grad_magnitude[i],
               "gradient " << i << " is off the central differences: " << report.str());
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(differential)

BOOST_AUTO_TEST_CASE(sum_over_on_generated_terms) {
  auto cases = dd::sum_over_cases();
  BOOST_TEST(cases.size() == DEZERO_DIFFERENTIAL_SUM_OVER_CASES);
  int two = 0;
  std::size_t elements = 0;
  for (const dd::SumOverEntry& registered : cases) {
    const dd::SumOverCase c = dd::generate_sum_over(registered.seed);
    const std::vector<double> parameters(c.term.point.begin(), c.term.point.end() - 1);
    check(c, registered.run(parameters));
    two += c.parameters() == 2;
    elements += c.data.size();
  }
  // What the cases covered: both numbers of parameters, and sums of more than one element.
  BOOST_TEST(two > 0);
  BOOST_TEST(two < static_cast<int>(cases.size()));
  BOOST_TEST(elements > 2 * cases.size());
  BOOST_TEST_MESSAGE(cases.size() << " sums over data (" << two << " of two parameters, " << elements
                                  << " elements in all) against the runtime engine and central differences");
}

BOOST_AUTO_TEST_SUITE_END()
