// Long graphs: built, differentiated and destroyed without recursion on the stack; freed when the last
// handle goes (step 17).
#include <memory>

#include "../support.hpp"
#include "dezero/runtime.hpp"

using dezero::Variable;

BOOST_AUTO_TEST_SUITE(memory)

BOOST_AUTO_TEST_CASE(a_million_operation_chain) {
  Variable x(1.0);
  std::weak_ptr<dezero::Function> first;
  {
    Variable y = x;
    for (int i = 0; i < 1'000'000; ++i) {
      y = y + 1.0;
      if (i == 0) first = y.creator();
    }
    BOOST_TEST(y.generation() == 1'000'000);
    y.backward();
    BOOST_TEST(y.item() == 1'000'001.0);
    BOOST_TEST(x.grad()->item() == 1.0);
    BOOST_TEST(!first.expired());
  }  // the last handle goes: the whole chain is freed, iteratively
  BOOST_TEST(first.expired());
}

BOOST_AUTO_TEST_CASE(a_graph_lives_as_long_as_a_result) {
  std::weak_ptr<dezero::Function> f;
  Variable x(2.0);
  {
    Variable y = dezero::square(dezero::square(x));
    f = y.creator()->inputs()[0].creator();
  }
  BOOST_TEST(f.expired());
  BOOST_TEST(x.item() == 2.0);  // inputs the caller holds survive
}

BOOST_AUTO_TEST_SUITE_END()
