// The static engine against hand-written value-and-gradient code, in the same binary (issue 3, section 4).
// Every benchmark evaluates a batch of points drawn from a seeded RNG and stores every value and gradient,
// so that nothing folds and nothing is dropped. The ratio of a problem is BM_<problem>/static over
// BM_<problem>/hand:
//   static_engine --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <array>
#include <cmath>
#include <cstddef>
#include <random>
#include <tuple>
#include <vector>

#include <xtensor/xbuilder.hpp>

#include <benchmark/benchmark.h>

#include "dezero/bridge/elementwise.hpp"
#include "dezero/runtime.hpp"
#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"
#include "handwritten.hpp"
#include "page_aligned.hpp"

namespace {

constexpr std::size_t batch = 1024;

std::vector<double> random_inputs(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(-2.0, 2.0);
  std::vector<double> v(n);
  for (double& x : v) x = dist(rng);
  return v;
}

using Result = dezero::ValueAndGrad<2>;

// Hand-written value and gradient (benchmarks/handwritten.hpp), as the static engine's result type.
struct Hand {
  template <dezero::bench::ValueAndGrad2 (*F)(double, double)>
  static Result as_result(double x, double y) {
    const auto r = F(x, y);
    return {r.value, r.grad};
  }
  static Result sphere(double x, double y) { return as_result<dezero::bench::sphere>(x, y); }
  static Result matyas(double x, double y) { return as_result<dezero::bench::matyas>(x, y); }
  // The tighter derivation (each polynomial's partials written once), not the reverse-mode one.
  static Result goldstein(double x, double y) {
    return as_result<dezero::bench::goldstein_by_polynomials>(x, y);
  }
  static Result rosenbrock(double x0, double x1) { return as_result<dezero::bench::rosenbrock>(x0, x1); }
  static Result cmath_mix(double x, double y) { return as_result<dezero::bench::cmath_mix>(x, y); }
};

template <class F>
struct Static {
  static Result eval(double x, double y) { return dezero::value_and_grad(F{}, x, y); }
};

// One batch: every point's value and gradient stored.
template <Result (*Eval)(double, double)>
void run_batch(benchmark::State& state) {
  const std::vector<double> xr = random_inputs(batch, 1), yr = random_inputs(batch, 2);
  const dezero::bench::page_vector<double> xs(xr.begin(), xr.end()), ys(yr.begin(), yr.end());
  dezero::bench::page_vector<Result> out(batch);
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) out[i] = Eval(xs[i], ys[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}

using SphereF = std::remove_const_t<decltype(dezero::sphere)>;
using MatyasF = std::remove_const_t<decltype(dezero::matyas)>;
using GoldsteinF = std::remove_const_t<decltype(dezero::goldstein)>;
using RosenbrockF = std::remove_const_t<decltype(dezero::rosenbrock)>;

// The functions of <cmath> that issue 13 added: dezero::bench::cmath_mix, generic.
struct CmathMixF {
  template <class X, class Y>
  auto operator()(const X& x, const Y& y) const {
    using std::atan2, std::expm1, std::hypot, std::log1p;
    return atan2(y, x) * hypot(x, y) + expm1(x * y) - log1p(x * x + y * y);
  }
};

BENCHMARK(run_batch<Hand::sphere>)->Name("BM_sphere/hand");
BENCHMARK(run_batch<Static<SphereF>::eval>)->Name("BM_sphere/static");
BENCHMARK(run_batch<Hand::matyas>)->Name("BM_matyas/hand");
BENCHMARK(run_batch<Static<MatyasF>::eval>)->Name("BM_matyas/static");
BENCHMARK(run_batch<Hand::goldstein>)->Name("BM_goldstein/hand");
BENCHMARK(run_batch<Static<GoldsteinF>::eval>)->Name("BM_goldstein/static");
BENCHMARK(run_batch<Hand::rosenbrock>)->Name("BM_rosenbrock2/hand");
BENCHMARK(run_batch<Static<RosenbrockF>::eval>)->Name("BM_rosenbrock2/static");
BENCHMARK(run_batch<Hand::cmath_mix>)->Name("BM_cmath_mix/hand");
BENCHMARK(run_batch<Static<CmathMixF>::eval>)->Name("BM_cmath_mix/static");

// Value, gradient and Hessian (issue 11, section 3): the static engine against the Hessians written out in
// benchmarks/handwritten.hpp (tests/static/test_hessian.cpp checks that they agree), over a batch of points
// of N coordinates each.
// Each side stores its own result type (the same layout): a copy from one to the other went through the
// stack, 8-byte stores read back as 16-byte loads, a store-forwarding stall that made the hand side 2x
// slower.
template <class R, std::size_t N, R (*Eval)(const std::array<double, N>&), unsigned Seed = 5>
void run_batch_of_points(benchmark::State& state) {
  const std::vector<double> r = random_inputs(batch * N, Seed);
  dezero::bench::page_vector<std::array<double, N>> points(batch);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t j = 0; j < N; ++j) points[i][j] = r[i * N + j];
  dezero::bench::page_vector<R> out(batch);
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) out[i] = Eval(points[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}

template <dezero::bench::ValueGradHessian2 (*F)(double, double)>
dezero::bench::ValueGradHessian2 of_point(const std::array<double, 2>& x) {
  return F(x[0], x[1]);
}
template <class F, std::size_t N>
dezero::ValueGradHessian<N> static_hessian(const std::array<double, N>& x) {
  return std::apply([](auto... a) { return dezero::value_grad_hessian(F{}, a...); }, x);
}

using HandHessian2 = dezero::bench::ValueGradHessian2;
using ExpSinQuotientF = std::remove_const_t<decltype(dezero::bench::exp_sin_quotient)>;
#define DEZERO_HESSIAN_BENCHMARK(name, F, hand)                                        \
  BENCHMARK(run_batch_of_points<HandHessian2, 2, of_point<dezero::bench::hand>>)       \
      ->Name("BM_hessian_" name "/hand");                                              \
  BENCHMARK(run_batch_of_points<dezero::ValueGradHessian<2>, 2, static_hessian<F, 2>>) \
      ->Name("BM_hessian_" name "/static");
DEZERO_HESSIAN_BENCHMARK("sphere", SphereF, sphere_hessian)
DEZERO_HESSIAN_BENCHMARK("matyas", MatyasF, matyas_hessian)
DEZERO_HESSIAN_BENCHMARK("goldstein", GoldsteinF, goldstein_hessian)
DEZERO_HESSIAN_BENCHMARK("rosenbrock2", RosenbrockF, rosenbrock_hessian)
#undef DEZERO_HESSIAN_BENCHMARK
BENCHMARK(run_batch_of_points<dezero::bench::ValueGradHessian<6>, 6, dezero::bench::exp_sin_quotient_hessian>)
    ->Name("BM_hessian_exp_sin_quotient6/hand");
BENCHMARK(run_batch_of_points<dezero::ValueGradHessian<6>, 6, static_hessian<ExpSinQuotientF, 6>>)
    ->Name("BM_hessian_exp_sin_quotient6/static");

// The Jacobian of the Lorenz vector field (3 in, 3 out) against the hand-written one.
dezero::ValueAndJacobian<3, 3> lorenz_static(const std::array<double, 3>& p) {
  return dezero::value_and_jacobian(dezero::bench::lorenz, p[0], p[1], p[2]);
}
BENCHMARK(run_batch_of_points<dezero::bench::ValueAndJacobian3, 3, dezero::bench::lorenz_jacobian, 6>)
    ->Name("BM_jacobian_lorenz/hand");
BENCHMARK(run_batch_of_points<dezero::ValueAndJacobian<3, 3>, 3, lorenz_static, 6>)
    ->Name("BM_jacobian_lorenz/static");

// Rosenbrock of n variables, sum of n - 1 terms: one value_and_grad per term, accumulated.
constexpr std::size_t rosenbrock_n = 10'000;

template <Result (*Eval)(double, double)>
void run_rosenbrock_n(benchmark::State& state) {
  const std::vector<double> x = random_inputs(rosenbrock_n, 3);
  std::vector<double> grad(rosenbrock_n);
  for (auto _ : state) {
    double value = 0;
    std::fill(grad.begin(), grad.end(), 0.0);
    for (std::size_t i = 0; i + 1 < rosenbrock_n; ++i) {
      const Result r = Eval(x[i], x[i + 1]);
      value += r.value;
      grad[i] += r.grad[0];
      grad[i + 1] += r.grad[1];
    }
    benchmark::DoNotOptimize(value);
    benchmark::DoNotOptimize(grad.data());
    benchmark::ClobberMemory();
  }
}

BENCHMARK(run_rosenbrock_n<Hand::rosenbrock>)->Name("BM_rosenbrock10000/hand");
BENCHMARK(run_rosenbrock_n<Static<RosenbrockF>::eval>)->Name("BM_rosenbrock10000/static");

// elementwise over 10^6 elements: value and gradient of the example through one runtime node,
// against a hand-written loop that produces the same two arrays (y and dy/dx). /static is the whole
// runtime path, forward and backward: besides the node's forward (y and its derivative array, the work of
// the hand loop) it seeds an array of ones and multiplies it into the derivative, two more passes over
// memory that the hand loop folds away (gy = 1). /static_forward is the node's forward alone: the same
// work as the hand loop, the part the bridge generates.
constexpr std::size_t elements = 1'000'000;

dezero::NDArray random_array() {
  const std::vector<double> v = random_inputs(elements, 4);
  dezero::NDArray a = xt::empty<double>(dezero::Shape{elements});
  std::copy(v.begin(), v.end(), a.begin());
  return a;
}

void elementwise_hand(benchmark::State& state) {
  const dezero::NDArray x = random_array();
  for (auto _ : state) {
    dezero::NDArray y = xt::empty<double>(dezero::Shape{elements}),
                    gx = xt::empty<double>(dezero::Shape{elements});
    const double* in = x.data();
    double* out = y.data();
    double* grad = gx.data();
    for (std::size_t i = 0; i < elements; ++i) {
      const double xi = in[i], u = xi * xi + 3 * xi - 1, v = xi * xi + 1, r = u / v;
      out[i] = r * r;
      grad[i] = 2 * r * ((2 * xi + 3) * v - u * (2 * xi)) / (v * v);
    }
    benchmark::DoNotOptimize(out);
    benchmark::DoNotOptimize(grad);
    benchmark::ClobberMemory();
  }
}

// The example as one runtime operation.
const auto smooth = dezero::elementwise([](auto x) { return square((x * x + 3 * x - 1) / (x * x + 1)); });

void elementwise_static(benchmark::State& state) {
  dezero::Variable x(random_array());
  for (auto _ : state) {
    dezero::Variable y = smooth(x);
    y.backward();
    benchmark::DoNotOptimize(x.grad()->data().data());
    x.cleargrad();
  }
}

void elementwise_static_forward(benchmark::State& state) {
  dezero::Variable x(random_array());
  for (auto _ : state) {
    dezero::Variable y = smooth(x);  // records the node: the derivative array is computed and kept
    benchmark::DoNotOptimize(y.data().data());
    benchmark::ClobberMemory();
  }
}

BENCHMARK(elementwise_hand)->Name("BM_elementwise1e6/hand")->Unit(benchmark::kMicrosecond);
BENCHMARK(elementwise_static)->Name("BM_elementwise1e6/static")->Unit(benchmark::kMicrosecond);
BENCHMARK(elementwise_static_forward)
    ->Name("BM_elementwise1e6/static_forward")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
