// DeZero's steps 11-24, one test case per behaviour of the reference (shared/reference, section A).
#include <boost/test/unit_test.hpp>

#include "dezero/runtime.hpp"
#include "dezero/test_functions.hpp"

using dezero::Variable;

BOOST_AUTO_TEST_SUITE(steps)

BOOST_AUTO_TEST_CASE(step13_variadic_backward) {
  Variable x(2.0), y(3.0);
  Variable z = dezero::add(dezero::square(x), dezero::square(y));
  z.backward();
  BOOST_TEST(z.item() == 13.0);
  BOOST_TEST(x.grad()->item() == 4.0);
  BOOST_TEST(y.grad()->item() == 6.0);
}

BOOST_AUTO_TEST_SUITE_END()
