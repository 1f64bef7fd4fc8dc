// Threads (docs/runtime-engine.md, "Threads"): graphs are per thread, so eight threads build and
// differentiate their own at once and get what one thread gets; no_grad in one thread leaves the others
// building graphs. Run under ThreadSanitizer by scripts/test.
#include <barrier>
#include <cstddef>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "../support.hpp"
#include "dezero/dezero.hpp"

using dezero::NDArray;
using dezero::Variable;

namespace {

constexpr int threads = 8;
constexpr int rounds = 20;

struct Result {
  NDArray value, gx, gy;
  bool operator==(const Result&) const = default;
};

NDArray random_array(unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  NDArray a = NDArray::from_shape({64});
  for (double& v : a) v = u(rng);
  return a;
}

// goldstein through the runtime engine, then through the bridge, on one thread's inputs.
Result differentiate(unsigned seed) {
  Variable x(random_array(seed)), y(random_array(seed + 1000));
  Variable z = dezero::goldstein(x, y);
  z.backward();
  static const auto smooth =
      dezero::elementwise([](auto a) { return square((a * a + 3 * a - 1) / (a * a + 1)); });
  Variable s = smooth(x);
  x.cleargrad();
  s.backward();
  return {z.data() + s.data(), x.grad()->data(), y.grad()->data()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(threads_test)

BOOST_AUTO_TEST_CASE(eight_threads_get_what_one_thread_gets) {
  std::vector<Result> expected;
  for (int t = 0; t < threads; ++t) expected.push_back(differentiate(static_cast<unsigned>(t)));

  std::vector<std::vector<Result>> got(threads);
  std::barrier start(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      start.arrive_and_wait();  // all eight at once
      for (int r = 0; r < rounds; ++r) got[t].push_back(differentiate(static_cast<unsigned>(t)));
    });
  for (std::thread& th : pool) th.join();

  for (int t = 0; t < threads; ++t)
    for (int r = 0; r < rounds; ++r) BOOST_TEST((got[t][r] == expected[t]), "thread " << t << " round " << r);
}

BOOST_AUTO_TEST_CASE(no_grad_in_one_thread_leaves_the_others_alone) {
  std::barrier step(threads);
  std::vector<int> graphs_built(threads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::optional<dezero::ConfigGuard> guard;
      if (t % 2 == 0)
        guard.emplace(dezero::Config::enable_backprop, false);  // no_grad(), held in an optional
      step.arrive_and_wait();  // every even thread is in no_grad before anyone builds
      for (int r = 0; r < rounds; ++r) {
        Variable x(static_cast<double>(r));
        if ((x * x + 1.0).creator()) ++graphs_built[t];
      }
      step.arrive_and_wait();
    });
  for (std::thread& th : pool) th.join();
  for (int t = 0; t < threads; ++t) BOOST_TEST(graphs_built[t] == (t % 2 == 0 ? 0 : rounds), "thread " << t);
  BOOST_TEST(dezero::Config::enable_backprop);
}

BOOST_AUTO_TEST_CASE(a_graph_continued_on_another_thread) {
  // backward orders functions by counting dependencies: one thread's functions consumed by another's are run
  // after every use of their outputs, whichever thread made them.
  Variable x(1.5), y;
  std::thread([&] {
    y = x;
    for (int i = 0; i < 1000; ++i) y = y * 1.0;
  }).join();
  Variable z;
  std::thread([&] { z = y * 2.0 + y; }).join();  // a fresh thread: its count starts at zero
  z.backward();
  BOOST_TEST(z.item() == 4.5);
  BOOST_TEST(x.grad()->item() == 3.0);  // both of y's uses counted before y's chain runs (else 1.0)
}

// docs/runtime-engine.md, "Threads": a graph belongs to one thread at a time and may be handed over through a
// synchronising operation (here a join): built on one thread, differentiated on a second, read and freed on
// a third, it gives what one thread gives; ThreadSanitizer checks that the hand-overs suffice.
BOOST_AUTO_TEST_CASE(a_graph_handed_over_between_threads) {
  std::optional<Variable> x, y, z;
  std::thread([&] {
    x.emplace(NDArray{0.5, -1.0});
    y.emplace(1.5);
    z.emplace(dezero::goldstein(*x, *y * 2.0) + 1.0);
  }).join();
  std::thread([&] { z->backward(); }).join();
  NDArray gx, gy;
  std::thread([&] {
    gx = x->grad()->data();
    gy = y->grad()->data();
    z.reset();  // the graph's nodes and functions freed on a thread that made none of them
    x.reset();
    y.reset();
  }).join();
  Variable x1(NDArray{0.5, -1.0}), y1(1.5);
  Variable z1 = dezero::goldstein(x1, y1 * 2.0) + 1.0;
  z1.backward();
  BOOST_TEST(gx == x1.grad()->data());
  BOOST_TEST(gy == y1.grad()->data());
}

// Blocks freed on another thread join that thread's free lists, and both threads go on allocating from
// theirs: no block is lost or handed out twice (ASan and TSan watch), and the values stay right.
BOOST_AUTO_TEST_CASE(nodes_freed_on_another_thread) {
  std::vector<Variable> made;
  std::thread([&] {
    for (int i = 0; i < 2000; ++i) {
      Variable x(static_cast<double>(i));
      made.push_back(x * x + 1.0);
    }
  }).join();
  bool right = true;
  std::thread([&] {
    made.clear();  // the first thread's blocks (an Add and a Mul with their nodes, a leaf), freed here
    for (int i = 0; i < 2000; ++i) {
      Variable x(static_cast<double>(i));
      Variable y = x * x + 1.0;
      y.backward();
      right = right && y.item() == i * i + 1.0 && x.grad()->item() == 2.0 * i;
    }
    dezero::release_cached_memory();
  }).join();
  BOOST_TEST(right);
  Variable x(3.0);
  Variable y = x * x + 1.0;  // this thread's lists are intact too
  y.backward();
  BOOST_TEST(x.grad()->item() == 6.0);
}

BOOST_AUTO_TEST_SUITE_END()
