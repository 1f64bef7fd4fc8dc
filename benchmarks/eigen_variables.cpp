// Eigen matrices of runtime Variables (dezero/eigen.hpp, issue 12 sections 4 and 5): Rosenbrock of
// n = 10,000 variables written once with Eigen, on Eigen::Matrix<Variable, Dynamic, 1>, against the same
// function on std::vector<Variable> (a loop of scalar operations) in the same binary. Each iteration builds
// the graph, runs backward and clears the gradients. Target: /eigen within 1.3x of /vector:
//   eigen_variables --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <Eigen/Core>

#include "dezero/eigen.hpp"

namespace {

constexpr Eigen::Index n = 10'000;

Eigen::VectorXd random_point() {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> dist(-2.0, 2.0);
  Eigen::VectorXd x(n);
  for (Eigen::Index i = 0; i < n; ++i) x(i) = dist(rng);
  return x;
}

// Written once, for double and Variable.
template <class T>
T rosenbrock(const Eigen::Matrix<T, Eigen::Dynamic, 1>& x) {
  const auto a = x.head(x.size() - 1);
  const auto b = x.tail(x.size() - 1);
  return (100.0 * (b - a.cwiseAbs2()).cwiseAbs2() + (1.0 - a.array()).matrix().cwiseAbs2()).sum();
}

// The same operations on a std::vector<Variable>, in the same order as Eigen's coefficient-wise loop.
dezero::Variable rosenbrock(const std::vector<dezero::Variable>& x) {
  dezero::Variable sum;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    dezero::Variable t = x[i + 1] - x[i] * x[i], u = 1.0 - x[i];
    dezero::Variable term = 100.0 * (t * t) + u * u;
    sum = i == 0 ? term : sum + term;
  }
  return sum;
}

void check(const std::vector<double>& engine, const Eigen::VectorXd& x) {
  for (Eigen::Index i = 0; i < n; ++i) {
    double hand = 0.0;
    if (i + 1 < n) hand += -400 * (x(i + 1) - x(i) * x(i)) * x(i) - 2 * (1 - x(i));
    if (i > 0) hand += 200 * (x(i) - x(i - 1) * x(i - 1));
    const double e = engine[static_cast<std::size_t>(i)];
    if (!(std::abs(e - hand) <= 1e-10 * (1 + std::abs(hand)))) {
      std::fprintf(stderr, "gradient %ld: %.17g, hand-written %.17g\n", static_cast<long>(i), e, hand);
      std::exit(1);
    }
  }
}

void eigen_variables(benchmark::State& state) {
  const Eigen::VectorXd xd = random_point();
  dezero::VectorX x = xd.cast<dezero::Variable>();
  const auto once = [&] {
    dezero::Variable y = rosenbrock(x);
    y.backward();
    return y.item();
  };
  benchmark::DoNotOptimize(once());
  std::vector<double> g(n);
  for (Eigen::Index i = 0; i < n; ++i) g[static_cast<std::size_t>(i)] = x(i).grad()->item();
  check(g, xd);
  for (auto _ : state) {
    for (Eigen::Index i = 0; i < n; ++i) x(i).cleargrad();
    benchmark::DoNotOptimize(once());
  }
}

void vector_variables(benchmark::State& state) {
  const Eigen::VectorXd xd = random_point();
  std::vector<dezero::Variable> x(xd.data(), xd.data() + n);
  const auto once = [&] {
    dezero::Variable y = rosenbrock(x);
    y.backward();
    return y.item();
  };
  benchmark::DoNotOptimize(once());
  std::vector<double> g(n);
  for (std::size_t i = 0; i < x.size(); ++i) g[i] = x[i].grad()->item();
  check(g, xd);
  for (auto _ : state) {
    for (auto& v : x) v.cleargrad();
    benchmark::DoNotOptimize(once());
  }
}

BENCHMARK(vector_variables)->Name("BM_rosenbrock10000_variables/vector")->Unit(benchmark::kMicrosecond);
BENCHMARK(eigen_variables)->Name("BM_rosenbrock10000_variables/eigen")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
