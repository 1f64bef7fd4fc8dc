// Bad input: a documented exception that says what was wrong, and nothing lost (docs/errors.md).
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "../support.hpp"
#include "dezero/runtime.hpp"

using dezero::NDArray;
using dezero::Variable;

namespace {

bool mentions(const std::exception& e, std::initializer_list<const char*> words) {
  const std::string what = e.what();
  for (const char* w : words)
    if (what.find(w) == std::string::npos) return false;
  return true;
}

// Two outputs; the caller may drop either.
struct Split : dezero::Function {
  std::vector<NDArray> forward(const dezero::ArrayList& xs) override { return {2.0 * xs[0], 3.0 * xs[0]}; }
  std::vector<Variable> backward(const std::vector<Variable>& gys) override {
    return {gys[0] * 2.0 + gys[1] * 3.0};
  }
};

struct TooManyGrads : dezero::Function {
  std::vector<NDArray> forward(const dezero::ArrayList& xs) override { return {NDArray(xs[0])}; }
  std::vector<Variable> backward(const std::vector<Variable>& gys) override { return {gys[0], gys[0]}; }
  std::string name() const override { return "TooManyGrads"; }
};

struct WrongShapeGrad : dezero::Function {
  std::vector<NDArray> forward(const dezero::ArrayList& xs) override { return {NDArray(xs[0])}; }
  std::vector<Variable> backward(const std::vector<Variable>&) override {
    return {Variable(NDArray{1.0, 2.0})};
  }
};

// Throws from forward or backward while `fail` is set, as user code may.
struct Fragile : dezero::Function {
  static inline bool fail = true;
  std::vector<NDArray> forward(const dezero::ArrayList& xs) override {
    if (fail && !dezero::Config::enable_backprop) throw std::runtime_error("forward failed");
    return {xs[0] * xs[0]};
  }
  std::vector<Variable> backward(const std::vector<Variable>& gys) override {
    if (fail) throw std::runtime_error("backward failed");
    return {gys[0] * 2.0 * inputs()[0]};
  }
};

struct NoOutputs : dezero::Function {
  std::vector<NDArray> forward(const dezero::ArrayList&) override { return {}; }
  std::vector<Variable> backward(const std::vector<Variable>&) override { return {}; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(shapes_that_do_not_broadcast) {
  Variable a(NDArray{1.0, 2.0, 3.0}), b(NDArray{1.0, 2.0});
  BOOST_CHECK_EXCEPTION(a + b, dezero::shape_error, [](const auto& e) {
    return mentions(e, {"Add", "(3,)", "(2,)"});
  });
  BOOST_CHECK_EXCEPTION(dezero::mul(NDArray{{1.0, 2.0}, {3.0, 4.0}}, Variable(NDArray{1.0, 2.0, 3.0})),
                        dezero::shape_error, [](const auto& e) {
                          return mentions(e, {"Mul", "(2, 2)", "(3,)"});
                        });
  static_assert(std::is_base_of_v<std::invalid_argument, dezero::shape_error>);
  // Nothing was linked into the graph by the failed call.
  BOOST_TEST(!a.grad().has_value());
  (a * 2.0).backward();
  BOOST_TEST(a.grad()->data() == (NDArray{2.0, 2.0, 2.0}));
}

BOOST_AUTO_TEST_CASE(item_of_several_elements) {
  BOOST_CHECK_EXCEPTION(Variable(NDArray{1.0, 2.0}).item(), std::invalid_argument, [](const auto& e) {
    return mentions(e, {"item()", "(2,)"});
  });
  BOOST_TEST(Variable(dezero::test::column({5.0})).item() == 5.0);
}

BOOST_AUTO_TEST_CASE(len_of_0d) {
  BOOST_CHECK_EXCEPTION(dezero::len(Variable(1.0)), std::invalid_argument, [](const auto& e) {
    return mentions(e, {"len()", "0-d"});
  });
}

BOOST_AUTO_TEST_CASE(variable_without_data) {
  Variable none;
  BOOST_CHECK_EXCEPTION(none.backward(), std::logic_error, [](const auto& e) {
    return mentions(e, {"backward()", "no data"});
  });
  BOOST_CHECK_THROW(none.shape(), std::logic_error);
  BOOST_CHECK_EXCEPTION(none + 1.0, std::logic_error, [](const auto& e) {
    return mentions(e, {"Add", "no data"});
  });
}

BOOST_AUTO_TEST_CASE(dropped_outputs_count_as_zero) {
  Variable x(1.0);
  Variable y1 = [&] {
    std::vector<Variable> ys = (*std::make_shared<Split>())(x);
    return ys[1];  // ys[0] is dropped here
  }();
  y1.backward();
  BOOST_TEST(x.grad()->item() == 3.0);

  Variable u(1.0);
  std::vector<Variable> ys = (*std::make_shared<Split>())(u);
  ys[0].backward();  // ys[1] alive but without a gradient
  BOOST_TEST(u.grad()->item() == 2.0);
}

BOOST_AUTO_TEST_CASE(several_outputs_as_one_variable) {
  BOOST_CHECK_EXCEPTION(Variable y = (*std::make_shared<Split>())(Variable(1.0)), dezero::arity_error,
                        [](const auto& e) { return mentions(e, {"2 outputs"}); });
}

BOOST_AUTO_TEST_CASE(user_function_returns_wrong_gradients) {
  Variable x(1.0);
  Variable y = (*std::make_shared<TooManyGrads>())(x);
  BOOST_CHECK_EXCEPTION(y.backward(), dezero::arity_error, [](const auto& e) {
    return mentions(e, {"TooManyGrads", "2 gradients", "1 inputs"});
  });
  Variable z = (*std::make_shared<WrongShapeGrad>())(x);
  BOOST_CHECK_EXCEPTION(z.backward(), dezero::shape_error, [](const auto& e) {
    return mentions(e, {"WrongShapeGrad", "(2,)", "()"});
  });
  BOOST_CHECK_EXCEPTION((*std::make_shared<NoOutputs>())(x), dezero::arity_error, [](const auto& e) {
    return mentions(e, {"NoOutputs", "no outputs"});
  });
  BOOST_TEST(dezero::Config::enable_backprop);  // the failed backward restored no_grad's guard
}

BOOST_AUTO_TEST_CASE(function_needs_shared_ownership_and_one_call) {
  Split on_stack;
  BOOST_CHECK_EXCEPTION(on_stack(Variable(1.0)), std::logic_error,
                        [](const auto& e) { return mentions(e, {"std::shared_ptr"}); });
  auto f = std::make_shared<Split>();
  (*f)(Variable(1.0));
  BOOST_CHECK_EXCEPTION((*f)(Variable(1.0)), std::logic_error,
                        [](const auto& e) { return mentions(e, {"once"}); });
}

BOOST_AUTO_TEST_CASE(exceptions_from_user_code_leave_everything_usable) {
  Variable x(3.0);
  auto f = std::make_shared<Fragile>();
  {
    auto guard = dezero::no_grad();
    BOOST_CHECK_THROW((*f)(x), std::runtime_error);
  }
  BOOST_TEST(dezero::Config::enable_backprop);
  Variable y = (*f)(x);  // a forward that threw did not use up the Function object
  Variable z = y * 1.0;
  BOOST_CHECK_THROW(z.backward(), std::runtime_error);
  BOOST_TEST(dezero::Config::enable_backprop);  // backward's own no_grad guard was restored
  BOOST_TEST(!x.grad().has_value());            // no half-accumulated gradient is left anywhere
  BOOST_TEST(!y.grad().has_value());
  BOOST_TEST(!z.grad().has_value());
  Fragile::fail = false;
  z.backward();  // the same graph differentiates once the cause is gone
  BOOST_TEST(x.grad()->item() == 6.0);
  BOOST_TEST(y.item() == 9.0);
}

BOOST_AUTO_TEST_CASE(ieee_values_propagate) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  Variable zero(0.0);
  Variable q = 1.0 / zero;  // numpy: inf with a RuntimeWarning; here no exception either
  BOOST_TEST(q.item() == inf);
  q.backward();
  BOOST_TEST(zero.grad()->item() == -inf);  // d(1/x)/dx = -1/x^2
  Variable r = dezero::pow(Variable(-8.0), 1.0 / 3.0);
  BOOST_TEST(std::isnan(r.item()));  // a negative base with a fractional exponent
  Variable minus_one(-1.0);
  Variable s = dezero::sqrt(minus_one) + dezero::log(zero);
  BOOST_TEST(std::isnan(s.item()));
  zero.cleargrad();
  s.backward();
  BOOST_TEST(std::isnan(minus_one.grad()->item()));
  BOOST_TEST(zero.grad()->item() == inf);  // log's rule 1/x at 0
  Variable nan(std::numeric_limits<double>::quiet_NaN());
  Variable t = nan * 0.0 + 1.0;
  t.backward();
  BOOST_TEST(std::isnan(t.item()));
  BOOST_TEST(nan.grad()->item() == 0.0);  // d(x*0+1)/dx = 0 wherever x is
}

BOOST_AUTO_TEST_SUITE_END()
