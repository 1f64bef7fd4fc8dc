// Functions of a fixed-size sequence (dezero/sequence.hpp, issue 12 section 1) against hand-written value
// and gradient code in the same binary: sphere_n and Rosenbrock of N = 16 variables, written once with
// Boost.Hana (dezero/sequence_test_functions.hpp). Each benchmark evaluates a batch of points drawn from a
// seeded RNG and stores every value and gradient. The ratio is BM_<problem>/static over BM_<problem>/hand:
//   static_sequences --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// This file's compile time is a target too (<= 1.5 s, g++ -O2; docs/performance.md).
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>

#include <benchmark/benchmark.h>

#include "dezero/sequence.hpp"
#include "dezero/sequence_test_functions.hpp"
#include "page_aligned.hpp"

namespace {

constexpr std::size_t dims = 16, batch = 256;
using Point = std::array<double, dims>;
using Result = dezero::ValueAndGrad<dims>;

dezero::bench::page_vector<Point> random_points(unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(-2.0, 2.0);
  dezero::bench::page_vector<Point> p(batch);
  for (Point& x : p)
    for (double& xi : x) xi = dist(rng);
  return p;
}

// Hand-written: what a person writes for these two functions.
Result sphere_hand(const Point& x) {
  Result r;
  double v = 0.0;
  for (std::size_t i = 0; i < dims; ++i) {
    v += x[i] * x[i];
    r.grad[i] = 2.0 * x[i];
  }
  r.value = v;
  return r;
}

Result rosenbrock_hand(const Point& x) {
  Result r{0.0, {}};
  double v = 0.0;
  for (std::size_t i = 0; i + 1 < dims; ++i) {
    const double t = x[i + 1] - x[i] * x[i], u = 1 - x[i];
    v += 100 * t * t + u * u;
    r.grad[i] += -400 * t * x[i] - 2 * u;
    r.grad[i + 1] += 200 * t;
  }
  r.value = v;
  return r;
}

Result sphere_static(const Point& x) { return dezero::value_and_grad(dezero::sphere_n, x); }
Result rosenbrock_static(const Point& x) { return dezero::value_and_grad(dezero::rosenbrock_n, x); }

template <Result (*Eval)(const Point&)>
void run_batch(benchmark::State& state) {
  const auto xs = random_points(16);
  dezero::bench::page_vector<Result> out(batch);
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) out[i] = Eval(xs[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}

BENCHMARK(run_batch<sphere_hand>)->Name("BM_sphere16/hand");
BENCHMARK(run_batch<sphere_static>)->Name("BM_sphere16/static");
BENCHMARK(run_batch<rosenbrock_hand>)->Name("BM_rosenbrock16/hand");
BENCHMARK(run_batch<rosenbrock_static>)->Name("BM_rosenbrock16/static");

}  // namespace

BENCHMARK_MAIN();
