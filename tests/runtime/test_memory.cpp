// Long graphs: built, differentiated and destroyed without recursion on the stack; freed when the last
// handle goes (step 17).
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "../support.hpp"
#include "dezero/runtime.hpp"

using dezero::Variable;

namespace {

// The identity, as a user Function that says when it is destroyed: the graph's lifetime, observed.
struct Probe : dezero::Function {
  explicit Probe(bool& destroyed) : destroyed_(destroyed) {}
  ~Probe() override { destroyed_ = true; }
  std::vector<dezero::NDArray> forward(const dezero::ArrayList& xs) override { return {xs[0]}; }
  std::vector<Variable> backward(const std::vector<Variable>& gys) override { return {gys[0]}; }
  bool& destroyed_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(memory)

BOOST_AUTO_TEST_CASE(a_million_operation_chain) {
  Variable x(1.0);
  bool first_destroyed = false;
  {
    Variable y = (*std::make_shared<Probe>(first_destroyed))(x);  // the chain's first function
    for (int i = 1; i < 1'000'000; ++i) y = y + 1.0;
    BOOST_TEST(y.generation() == 1'000'000);
    y.backward();
    BOOST_TEST(y.item() == 1'000'000.0);
    BOOST_TEST(x.grad()->item() == 1.0);
    BOOST_TEST(!first_destroyed);
  }  // the last handle goes: the whole chain is freed, iteratively
  BOOST_TEST(first_destroyed);
}

BOOST_AUTO_TEST_CASE(a_graph_lives_as_long_as_a_result) {
  bool destroyed = false;
  Variable x(2.0);
  {
    Variable y = dezero::square(dezero::square((*std::make_shared<Probe>(destroyed))(x)));
    BOOST_TEST(!destroyed);
  }
  BOOST_TEST(destroyed);
  BOOST_TEST(x.item() == 2.0);  // inputs the caller holds survive
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(released_intermediates)

using dezero::NDArray;

// An intermediate array that no handle refers to and no backward rule reads is freed when its last handle
// goes; one that a rule reads, or that someone holds, is kept.
BOOST_AUTO_TEST_CASE(unread_intermediates_are_freed_read_ones_kept) {
  Variable x(NDArray{1.0, 2.0, 3.0});
  Variable y = (x * x) + 1.0;  // Add does not read its inputs: x * x is freed
  const Variable& square = y.creator()->inputs()[0];
  BOOST_TEST(square.shape() == (dezero::Shape{3}));  // the shape is kept
  BOOST_CHECK_EXCEPTION(square.data(), std::logic_error, [](const std::logic_error& e) {
    return std::string(e.what()).find("released") != std::string::npos;
  });
  Variable z = (x + 1.0) * x;  // Mul reads both inputs: x + 1 is kept
  BOOST_TEST(z.creator()->inputs()[0].data() == (NDArray{2.0, 3.0, 4.0}));
  Variable t = x * x;  // held by the caller: kept
  Variable u = t + 1.0;
  BOOST_TEST(t.data() == (NDArray{1.0, 4.0, 9.0}));
  // Gradients are unaffected.
  y.backward();
  z.backward();
  BOOST_TEST(x.grad()->data() == (NDArray{2.0 + 3.0, 4.0 + 5.0, 6.0 + 7.0}));
}

BOOST_AUTO_TEST_CASE(outputs_read_by_their_own_rule_are_kept) {
  Variable x(NDArray{0.5, 1.0});
  Variable y = dezero::exp(x) * 2.0;  // Exp's derivative reads its output
  BOOST_TEST(y.creator()->inputs()[0].data()(1) == std::exp(1.0));
  y.backward();
  BOOST_TEST(x.grad()->data()(1) == 2.0 * std::exp(1.0));
}

// A gradient added to an input's own in the loop that computes it (detail/elementwise.hpp, add_values) sums
// the same terms in the same order as adding a computed gradient afterwards: the recorded pass (create_graph,
// which never adds in place) gives the same bits; and calling a function's backward directly returns
// gradients without touching its inputs'.
BOOST_AUTO_TEST_CASE(gradients_added_in_place_are_the_sums_of_the_recorded_pass) {
  const NDArray data{-1.3, 0.25, 2.0 / 3.0, 7.5};
  const auto f = [](const Variable& x) { return (x * x + 3.0 * x - 1.0) / (x * x + 1.0) * x; };
  Variable a(data), b(data);
  a.set_grad(Variable(NDArray{0.1, 0.2, 0.3, 0.4}));  // an earlier gradient, which the pass adds to
  b.set_grad(Variable(NDArray{0.1, 0.2, 0.3, 0.4}));
  f(a).backward();
  f(b).backward(false, true);
  for (std::size_t i = 0; i < data.size(); ++i) BOOST_TEST(a.grad()->data()(i) == b.grad()->data()(i));

  Variable y = a * a;
  const NDArray before = a.grad()->data();
  const std::vector<Variable> g = y.creator()->backward({Variable(NDArray{1.0, 1.0, 1.0, 1.0})});
  BOOST_TEST(a.grad()->data() == before);
  for (std::size_t i = 0; i < data.size(); ++i) BOOST_TEST(g[0].data()(i) == data(i));
}

BOOST_AUTO_TEST_SUITE_END()
