// Deep, wide and long-lived graphs with every heap byte counted (global operator new replaced, so this is an
// executable of its own): built, differentiated and destroyed without recursion on the stack, and the heap
// back to exactly where it was once the graph is gone and the thread's caches are released.
#include <cmath>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "../../benchmarks/peak_memory.hpp"
#include "../support.hpp"
#include "dezero/runtime.hpp"

using dezero::NDArray;
using dezero::Variable;
namespace bench = dezero::bench;

namespace {

// Live bytes that f leaves behind once the caches are released; the caches are emptied first so that f
// does not free memory someone else allocated.
template <class F>
std::ptrdiff_t bytes_left_by(F&& f) {
  dezero::release_cached_memory();
  bench::live_bytes = 0;
  bench::counting = true;
  f();
  dezero::release_cached_memory();
  bench::counting = false;
  return bench::live_bytes;
}

// sum(x_0, ..., x_n-1) of any number of inputs of one shape: one Function with n inputs.
struct Sum : dezero::Function {
  std::vector<NDArray> forward(const dezero::ArrayList& xs) override {
    NDArray y = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) y += xs[i];
    return {std::move(y)};
  }
  std::vector<Variable> backward(const std::vector<Variable>& gys) override {
    return std::vector<Variable>(inputs().size(), gys[0]);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(counted_memory)

BOOST_AUTO_TEST_CASE(a_million_deep_chain) {
  double value = 0, grad = 0;
  const std::ptrdiff_t left = bytes_left_by([&] {
    Variable x(0.5);
    Variable y = x;
    for (int i = 0; i < dezero::test::million; ++i) y = y * 1.0 + 1.0;  // two functions per step
    y.backward();
    value = y.item();
    grad = x.grad()->item();
  });
  BOOST_TEST(value == dezero::test::million + 0.5);
  BOOST_TEST(grad == 1.0);
  BOOST_TEST(left == 0);
}

BOOST_AUTO_TEST_CASE(a_million_wide_sum) {
  // A million leaves, each squared, summed by one Function with a million inputs.
  constexpr int n = dezero::test::million;
  double value = 0;
  bool grads_right = true;
  const std::ptrdiff_t left = bytes_left_by([&] {
    std::vector<Variable> xs;
    xs.reserve(n);
    for (int i = 0; i < n; ++i) xs.emplace_back(static_cast<double>(i % 7));
    std::vector<Variable> squares;
    squares.reserve(n);
    for (const Variable& x : xs) squares.push_back(dezero::square(x));
    Variable y = (*std::make_shared<Sum>())(squares);
    squares.clear();
    y.backward();
    value = y.item();
    for (int i = 0; i < n; ++i) grads_right = grads_right && xs[i].grad()->item() == 2.0 * (i % 7);
  });
  double expected = 0;
  for (int i = 0; i < n; ++i) expected += (i % 7) * (i % 7);
  BOOST_TEST(value == expected);  // integers below 2^53: exact in any order
  BOOST_TEST(grads_right);
  BOOST_TEST(left == 0);
}

BOOST_AUTO_TEST_CASE(a_million_uses_of_one_variable) {
  // x feeds a million functions; its gradient is accumulated a million times.
  constexpr int n = dezero::test::million;
  double grad = 0;
  const std::ptrdiff_t left = bytes_left_by([&] {
    Variable x(2.0);
    std::vector<Variable> terms;
    terms.reserve(n);
    for (int i = 0; i < n; ++i) terms.push_back(x * static_cast<double>(i % 5));
    Variable y = (*std::make_shared<Sum>())(terms);
    terms.clear();
    y.backward();
    grad = x.grad()->item();
  });
  BOOST_TEST(grad == 2.0 * n);  // (0 + 1 + 2 + 3 + 4) * n / 5, exact
  BOOST_TEST(left == 0);
}

BOOST_AUTO_TEST_CASE(a_thousand_training_iterations_run_in_flat_memory) {
  // DeZero's step 28: gradient descent on Rosenbrock, here over arrays large enough for the array cache
  // (20,000 elements: 160 KB, above its 128 KiB threshold).
  // After a few iterations every allocation of an iteration reuses what the previous one freed.
  constexpr double lr = 0.001;
  NDArray start = NDArray::from_shape({20'000});
  start.fill(0.0);
  Variable x0(start);
  start.fill(2.0);
  Variable x1(start);
  std::ptrdiff_t after_warm_up = 0;
  dezero::release_cached_memory();
  bench::live_bytes = 0;
  bench::counting = true;
  for (int i = 0; i < 1000; ++i) {
    if (i == 10) after_warm_up = bench::live_bytes;
    Variable y = 100.0 * dezero::square(x1 - dezero::square(x0)) + dezero::square(1.0 - x0);
    x0.cleargrad();
    x1.cleargrad();
    y.backward();
    x0.data() -= lr * x0.grad()->data();
    x1.data() -= lr * x1.grad()->data();
  }
  const std::ptrdiff_t at_end = bench::live_bytes;
  bench::counting = false;
  BOOST_TEST(at_end == after_warm_up);
  // Against the same descent in doubles, with the derivative written by hand (rounding differs: 1e-12).
  double a = 0, b = 2;
  for (int i = 0; i < 1000; ++i) {
    const double da = -400 * a * (b - a * a) - 2 * (1 - a), db = 200 * (b - a * a);
    a -= lr * da;
    b -= lr * db;
  }
  BOOST_TEST(x0.data()(123) == a, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(x1.data()(19'999) == b, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_SUITE_END()

// Higher order (issue 11): after backward(create_graph = true), x holds x.grad() and its graph holds x. The
// engine frees such cycles once nothing outside holds them (detail/cycles.hpp), in whatever order the
// handles go.
BOOST_AUTO_TEST_SUITE(counted_memory_of_higher_order)

BOOST_AUTO_TEST_CASE(cycles_through_gradients_are_freed_in_any_order) {
  for (int order = 0; order < 4; ++order) {
    double h = 0;
    const std::ptrdiff_t left = bytes_left_by([&] {
      std::optional<Variable> x(2.0), w(3.0);
      std::optional<Variable> y = pow(*x, 3) * *w + dezero::sin(*x * *w);  // gradients hold x and w both
      y->backward(false, true);                                            // no cleargrad: cycles stay
      std::optional<Variable> gx = *x->grad();
      const auto drop = [](std::optional<Variable>& v) { v.reset(); };
      switch (order) {
        case 0:
          drop(x), drop(w), drop(y), drop(gx);
          break;
        case 1:
          drop(y), drop(gx), drop(w), drop(x);
          break;
        case 2: {  // second order by backward, which replaces the gradients, then everything goes
          gx->backward();
          h = x->grad()->item();
          drop(gx), drop(x), drop(y), drop(w);
          break;
        }
        default: {  // only a gradient's graph is left, then a Creator of it, then nothing
          dezero::Creator c = gx->creator();
          drop(x), drop(w), drop(y), drop(gx);
          BOOST_TEST(c->name() == "Add");
        }
      }
    });
    BOOST_TEST_INFO("order " << order);
    BOOST_TEST(left == 0);
    if (order == 2)  // 24 + d/dx of (3 x^2 w + w cos(x w)) = 24 + 6 x w - w^2 sin(x w), x = 2, w = 3
      BOOST_TEST(h == 3 * 4.0 * 3 + 3 * std::cos(6.0) + 6 * 2.0 * 3 - 9 * std::sin(6.0),
                 boost::test_tools::tolerance(1e-14));
  }
}

BOOST_AUTO_TEST_CASE(a_second_create_graph_pass_watches_its_new_gradient_too) {
  // x's gradient replaced by a second create_graph pass (accumulated: a new graph); a node of that new graph
  // is the last thing held (found by the fuzzer: the new graph was not watched, so dropping it collected
  // nothing).
  const std::ptrdiff_t left = bytes_left_by([] {
    std::optional<Variable> x(1.5);
    std::optional<Variable> y = dezero::sin(*x) * *x;
    y->backward(false, true);
    y->backward(false, true);                                           // x.grad() = old + new, recorded
    std::optional<Variable> inner = x->grad()->creator()->inputs()[1];  // the second pass's gradient
    BOOST_TEST(x->grad()->item() == 2 * (std::cos(1.5) * 1.5 + std::sin(1.5)));
    x.reset();
    y.reset();
    inner.reset();
  });
  BOOST_TEST(left == 0);
}

BOOST_AUTO_TEST_CASE(a_hundred_thousand_deep_create_graph_chain) {
  // y = sin(sin(... sin(x))), 100,000 deep; its second derivative by double backprop, without recursion.
  constexpr int n = 100'000;
  double d1 = 0, d2 = 0;
  const std::ptrdiff_t left = bytes_left_by([&] {
    Variable x(1.0);
    Variable y = x;
    for (int i = 0; i < n; ++i) y = dezero::sin(y);
    y.backward(false, true);
    Variable gx = *x.grad();
    d1 = gx.item();
    gx.backward();  // no cleargrad: x.grad() is now d1 + d2
    d2 = x.grad()->item() - d1;
  });
  BOOST_TEST(left == 0);
  double t = 1.0, e1 = 1.0, e2 = 0.0;  // the chain rule forwards, in doubles
  for (int i = 0; i < n; ++i) {
    e2 = -std::sin(t) * e1 * e1 + std::cos(t) * e2;
    e1 = std::cos(t) * e1;
    t = std::sin(t);
  }
  BOOST_TEST(d1 == e1, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(d2 == e2, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(newton_by_gradients_runs_in_flat_memory) {
  // dezero::gradients stores nothing, so it makes no cycle: a thousand Newton steps on arrays, memory flat.
  NDArray start = NDArray::from_shape({20'000});
  start.fill(2.0);
  Variable x(start);
  std::ptrdiff_t after_warm_up = 0;
  dezero::release_cached_memory();
  bench::live_bytes = 0;
  bench::counting = true;
  for (int i = 0; i < 200; ++i) {
    if (i == 10) after_warm_up = bench::live_bytes;
    Variable y = pow(x, 4) - 2 * pow(x, 2);
    const Variable gx = dezero::gradients(y, {x}, true)[0];
    const Variable gx2 = dezero::gradients(gx, {x})[0];
    x.data() -= gx.data() / gx2.data();
  }
  const std::ptrdiff_t at_end = bench::live_bytes;
  bench::counting = false;
  BOOST_TEST(at_end == after_warm_up);
  BOOST_TEST(x.data()(7) == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
