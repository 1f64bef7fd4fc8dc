// Objectives over vectors through the static engine (issue 12, sections 2, 3 and 5) against hand-written
// value and gradient code in the same binary:
//   - Rosenbrock of n = 10,000 variables through dezero::windowed<2> in one call;
//   - least squares, 2 parameters, 100,000 points, and a Gaussian negative log-likelihood (10,000 points),
//     each a dezero::sum_over node inside the function given to value_and_grad.
// Every result is checked against the hand-written one (relative 1e-10) before it is timed. The ratio is
// BM_<problem>/static over BM_<problem>/hand:
//   static_objectives --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "dezero/static.hpp"
#include "dezero/static/sum_over.hpp"
#include "dezero/static/windowed.hpp"
#include "dezero/test_functions.hpp"
#include "page_aligned.hpp"

namespace {

using dezero::bench::page_vector;

page_vector<double> random_values(std::size_t n, unsigned seed, double lo, double hi) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  page_vector<double> v(n);
  for (double& x : v) x = dist(rng);
  return v;
}

void check(const char* what, double engine, double hand) {
  if (!(std::abs(engine - hand) <= 1e-10 * (1 + std::abs(hand)))) {
    std::fprintf(stderr, "%s: engine %.17g, hand-written %.17g\n", what, engine, hand);
    std::exit(1);
  }
}

// --- Rosenbrock, n = 10,000, windows of 2 ---------------------------------------------------------------
constexpr std::size_t rosenbrock_n = 10'000;

double rosenbrock_hand(const page_vector<double>& x, page_vector<double>& g) {
  std::fill(g.begin(), g.end(), 0.0);
  double value = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double t = x[i + 1] - x[i] * x[i], u = 1 - x[i];
    value += 100 * t * t + u * u;
    g[i] += -400 * t * x[i] - 2 * u;
    g[i + 1] += 200 * t;
  }
  return value;
}

const auto rosenbrock_windows = dezero::windowed<2>(dezero::rosenbrock);

double rosenbrock_static(const page_vector<double>& x, page_vector<double>& g) {
  return dezero::value_and_grad(rosenbrock_windows, x, g);
}

template <double (*Eval)(const page_vector<double>&, page_vector<double>&)>
void run_rosenbrock(benchmark::State& state) {
  const page_vector<double> x = random_values(rosenbrock_n, 3, -2.0, 2.0);
  page_vector<double> g(rosenbrock_n), h(rosenbrock_n);
  check("rosenbrock value", Eval(x, g), rosenbrock_hand(x, h));
  for (std::size_t i = 0; i < rosenbrock_n; ++i) check("rosenbrock gradient", g[i], h[i]);
  for (auto _ : state) {
    benchmark::DoNotOptimize(Eval(x, g));
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}

BENCHMARK(run_rosenbrock<rosenbrock_hand>)->Name("BM_rosenbrock10000_windowed/hand");
BENCHMARK(run_rosenbrock<rosenbrock_static>)->Name("BM_rosenbrock10000_windowed/static");

// --- Least squares, y ~ a t + b over 100,000 points ------------------------------------------------------
struct Point {
  double t, y;
};
constexpr std::size_t points_n = 100'000;

page_vector<Point> make_points() {
  const page_vector<double> t = random_values(points_n, 5, -1.0, 1.0),
                            e = random_values(points_n, 6, -0.1, 0.1);
  page_vector<Point> p(points_n);
  for (std::size_t i = 0; i < points_n; ++i) p[i] = {t[i], 2.0 * t[i] - 0.5 + e[i]};
  return p;
}
const page_vector<Point> points = make_points();

dezero::ValueAndGrad<2> least_squares_hand(double a, double b) {
  double value = 0.0, ga = 0.0, gb = 0.0;
  for (const Point& p : points) {
    const double r = a * p.t + b - p.y;
    value += r * r;
    ga += 2 * r * p.t;
    gb += 2 * r;
  }
  return {value, {ga, gb}};
}

const auto least_squares = [](const auto& a, const auto& b) {
  using dezero::square;
  return dezero::sum_over(
      points, [](const auto& a, const auto& b, const Point& p) { return square(a * p.t + b - p.y); }, a, b);
};

dezero::ValueAndGrad<2> least_squares_static(double a, double b) {
  return dezero::value_and_grad(least_squares, a, b);
}

// --- Gaussian negative log-likelihood of samples y, mean mu, log standard deviation s ---------------------
//   n s + n log(2 pi) / 2 + exp(-2 s) / 2 * sum (y - mu)^2
// The factor that depends on the parameters alone stands outside the sum, as a person writes it: the
// engine keeps every operation where f puts it (IEEE rounding forbids moving a factor out of a sum), so a
// factor written inside the term is paid once per point (with exp(-s) inside: 1.5x, docs/performance.md).
constexpr std::size_t nll_n = 10'000;
const page_vector<double> samples = random_values(nll_n, 7, -3.0, 5.0);
const double half_log_2pi = 0.5 * std::log(2 * M_PI);

dezero::ValueAndGrad<2> nll_hand(double mu, double s) {
  const double n = static_cast<double>(samples.size()), w = std::exp(-2 * s);
  double sum = 0.0, sum_r = 0.0;
  for (double y : samples) {
    const double r = y - mu;
    sum += r * r;
    sum_r += r;
  }
  return {n * s + n * half_log_2pi + 0.5 * w * sum, {-w * sum_r, n - w * sum}};
}

const auto nll = [](const auto& mu, const auto& s) {
  using dezero::square, std::exp;
  const double n = static_cast<double>(samples.size());
  return n * s + n * half_log_2pi +
         0.5 * exp(-2 * s) *
             dezero::sum_over(
                 samples, [](const auto& mu, double y) { return square(y - mu); }, mu);
};

dezero::ValueAndGrad<2> nll_static(double mu, double s) { return dezero::value_and_grad(nll, mu, s); }

template <dezero::ValueAndGrad<2> (*Eval)(double, double), dezero::ValueAndGrad<2> (*Hand)(double, double)>
void run_two_parameters(benchmark::State& state) {
  const double a = state.range(0) / 10.0, b = 0.3;
  const auto r = Eval(a, b), h = Hand(a, b);
  check("value", r.value, h.value);
  check("gradient 0", r.grad[0], h.grad[0]);
  check("gradient 1", r.grad[1], h.grad[1]);
  for (auto _ : state) {
    auto out = Eval(a, b);
    benchmark::DoNotOptimize(out);
  }
}

BENCHMARK(run_two_parameters<least_squares_hand, least_squares_hand>)
    ->Name("BM_least_squares100000/hand")
    ->Arg(15);
BENCHMARK(run_two_parameters<least_squares_static, least_squares_hand>)
    ->Name("BM_least_squares100000/static")
    ->Arg(15);
BENCHMARK(run_two_parameters<nll_hand, nll_hand>)->Name("BM_gaussian_nll10000/hand")->Arg(10);
BENCHMARK(run_two_parameters<nll_static, nll_hand>)->Name("BM_gaussian_nll10000/static")->Arg(10);

}  // namespace

BENCHMARK_MAIN();
