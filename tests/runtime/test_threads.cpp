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
  // backward runs functions latest created first; a thread that continues another thread's graph must
  // order its functions after the ones it consumes, though its own count of creations is lower.
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

BOOST_AUTO_TEST_SUITE_END()
