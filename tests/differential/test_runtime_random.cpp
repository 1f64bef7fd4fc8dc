// Differential testing of the runtime engine (issue 5, section 1): 10,000 random graphs built at run time,
// each value checked against the plain double function and each gradient against central finite
// differences, with the tolerances derived in oracle.hpp. A failure prints the case as a generic lambda,
// its point and both gradients. DEZERO_DIFFERENTIAL_CASES and DEZERO_DIFFERENTIAL_SEED (the first seed)
// change the range of cases: `DEZERO_DIFFERENTIAL_SEED=1234 DEZERO_DIFFERENTIAL_CASES=1` runs case 1234
// alone.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "dezero/runtime.hpp"
#include "generator.hpp"
#include "oracle.hpp"
#include "runtime_engine.hpp"

namespace dd = dezero::differential;

namespace {

std::uint64_t from_environment(const char* name, std::uint64_t otherwise) {
  const char* s = std::getenv(name);
  return s ? std::strtoull(s, nullptr, 10) : otherwise;
}

// What the generator covered, so that a change that stops it producing depth 12, sharing or an operation
// fails here instead of weakening the test silently.
struct Coverage {
  int max_depth = 0;
  int shared = 0;  // cases with a node used twice or more
  std::array<int, dezero::differential::operation_count> ops{};
  std::array<int, 5> inputs{};
  int weak = 0;  // gradient components whose tolerance exceeds 1e-6 (1 + |g|)
  int components = 0;

  void add(const dd::Case& c, const dd::FiniteDifference& fd, const dd::EngineResult& r) {
    max_depth = std::max(max_depth, c.depth);
    ++inputs[static_cast<std::size_t>(c.expression.inputs)];
    std::vector<int> uses(c.expression.nodes.size(), 0);
    for (const dd::Node& n : c.expression.nodes) {
      ++ops[static_cast<std::size_t>(n.op)];
      for (const int operand : {n.a, n.b})
        if (operand >= 0 && !c.expression.is_constant(operand)) ++uses[static_cast<std::size_t>(operand)];
    }
    bool any_shared = false;
    for (std::size_t k = static_cast<std::size_t>(c.expression.inputs); k < uses.size(); ++k)
      any_shared = any_shared || uses[k] > 1;
    shared += any_shared;
    for (std::size_t i = 0; i < r.grad.size(); ++i, ++components)
      weak += fd.tolerance[i] > 1e-6 * (1 + std::abs(r.grad[i]));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(differential)

BOOST_AUTO_TEST_CASE(runtime_engine_on_random_graphs) {
  const std::uint64_t first = from_environment("DEZERO_DIFFERENTIAL_SEED", 0);
  const std::uint64_t cases = from_environment("DEZERO_DIFFERENTIAL_CASES", 10000);
  Coverage coverage;
  int failures = 0;
  for (std::uint64_t seed = first; seed < first + cases; ++seed) {
    const dd::Case c = dd::generate(seed);
    const dd::EngineResult r = dd::runtime_engine(c);
    const dd::Reference plain = dd::reference(c.expression, c.point, c.depth);
    const dd::FiniteDifference fd = dd::finite_difference(c);
    // The runtime engine does the plain function's arithmetic: each is within E of the exact value.
    bool ok = std::abs(r.value - plain.value) <= 2 * plain.value_error;
    for (std::size_t i = 0; i < r.grad.size(); ++i)
      ok = ok && std::abs(r.grad[i] - fd.grad[i]) <= fd.tolerance[i];
    BOOST_TEST(ok, dd::describe(c) << "  value: runtime " << dd::literal(r.value) << ", plain double "
                                   << dd::literal(plain.value) << " (tolerance " << 2 * plain.value_error
                                   << ")\n  gradient: runtime " << dd::to_string(r.grad)
                                   << "\n  central differences " << dd::to_string(fd.grad) << "\n  tolerance "
                                   << dd::to_string(fd.tolerance));
    failures += !ok;
    if (failures >= 20) BOOST_FAIL("20 failing cases: stopping");
    coverage.add(c, fd, r);
  }
  BOOST_TEST_MESSAGE(cases << " cases from seed " << first << ": depth up to " << coverage.max_depth << ", "
                           << coverage.shared << " with shared subexpressions, " << coverage.weak << " of "
                           << coverage.components
                           << " gradient components with a tolerance above 1e-6 (1 + |g|)");
  if (first == 0 && cases >= 10000) {
    BOOST_TEST(coverage.max_depth == 12);
    BOOST_TEST(coverage.shared > static_cast<int>(cases) / 4);
    for (std::size_t op = 0; op < coverage.ops.size(); ++op)
      BOOST_TEST(coverage.ops[op] > 100, "operation " << op);
    for (std::size_t n = 1; n <= 4; ++n) BOOST_TEST(coverage.inputs[n] > 1000, n << " inputs");
    // A tolerance is loose only where the function is badly conditioned; it must stay the exception.
    BOOST_TEST(coverage.weak < coverage.components / 100);
  }
}

BOOST_AUTO_TEST_SUITE_END()
