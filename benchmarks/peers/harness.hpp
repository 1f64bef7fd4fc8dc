// The comparison's problems, their hand-written reference, the check and the benchmark registration, shared
// by the executable of every library (one executable per library, so that an expensive library's headers,
// libtorch's, are compiled once and cached, and a missing library removes only its own executable).
//
// A library is a struct that provides any of these (a problem it does not provide is not registered):
//   static ValueAndGrad2 gradient2(F f, double x, double y);  // sphere, matyas, goldstein, rosenbrock2
//   static std::pair<double, double> gradient1(F f, double x); // value and derivative: chain10000
//   struct Rosenbrock { explicit Rosenbrock(const std::vector<double>& x); void run();
//                       double value() const; double grad(std::size_t i) const; };   // n = 100, 10,000
//   struct Dynamic    { ...the same, for dynamic_sum... };
//   struct Smooth     { ...the same, value(i) and grad(i) per element... };           // 1e6 elements
// Everything a gradient needs happens inside run() (for a taping library: the taping too, unless the
// library's name says "replay"); the constructor only converts the inputs into the library's own arrays.
#pragma once

#include <benchmark/benchmark.h>

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../handwritten.hpp"
#include "dezero/test_functions.hpp"

namespace dezero::peers {

using bench::ValueAndGrad2;

// --- the problems, as generic formulas every library runs unchanged -----------------------------------------

// 10,000 operations: 5,000 x (y = y * 1.0001 + 0.5), as in benchmarks/runtime_engine.cpp.
inline constexpr int chain_pairs = 5000;
inline constexpr auto scalar_chain = [](auto y) {
  for (int i = 0; i < chain_pairs; ++i) y = y * 1.0001 + 0.5;
  return y;
};

// The elementwise expression ((x*x + 3x - 1) / (x*x + 1))**2.
inline constexpr auto smooth = [](const auto& x) {
  using std::pow;
  return pow((x * x + 3 * x - 1) / (x * x + 1), 2);
};

// The sum of term(x[i], x[i + 1]) (Rosenbrock of n variables) or of term(x[i]) (the dynamic case), for a
// library whose scalar is Scalar; `zero` starts the sum.
template <class Scalar, class V>
Scalar rosenbrock_sum(const V& x, Scalar zero) {
  for (std::size_t i = 0; i + 1 < x.size(); ++i) zero = zero + dezero::rosenbrock(x[i], x[i + 1]);
  return zero;
}
template <class Scalar, class V>
Scalar smooth_sum(const V& x, Scalar zero) {
  for (const auto& xi : x) zero = zero + smooth(xi);
  return zero;
}

// --- sizes and inputs ----------------------------------------------------------------------------------------

inline constexpr std::size_t points = 256;  // a 2-variable benchmark evaluates this many points per iteration
inline constexpr std::size_t smooth_elements = 1'000'000;

// The dynamic case's length is read at run time: DEZERO_BENCH_DYNAMIC_N, 1000 by default.
inline std::size_t dynamic_n() {
  const char* n = std::getenv("DEZERO_BENCH_DYNAMIC_N");
  return n ? static_cast<std::size_t>(std::strtoul(n, nullptr, 10)) : 1000;
}

inline std::vector<double> random_inputs(std::size_t n, unsigned seed, double lo = -2, double hi = 2) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<double> v(n);
  for (double& x : v) x = dist(rng);
  return v;
}

// --- sums of separable terms, for forward-mode and compile-time libraries ----------------------------------------

// Holds the input, the value and the gradient of a problem over an array, in vectors allocated once.
struct Array {
  explicit Array(const std::vector<double>& x) : x(x), g(x.size()) {}
  const std::vector<double>& x;
  std::vector<double> g;
  double v = 0;
  double value() const { return v; }
  double grad(std::size_t i) const { return g[i]; }
};

// A library that differentiates a fixed-size function (a forward-mode one: n directions at once would cost
// O(n^2); a compile-time one: the expression's size is a type) reaches the gradient of a sum of terms term
// by term, accumulated; an elementwise function, element by element. Lib::gradient2(f, x, y) and
// Lib::gradient1(f, x) give one term's value and gradient.
template <class Lib>
struct ByTerms {
  struct Rosenbrock : Array {
    using Array::Array;
    void run() {
      v = 0;
      std::fill(g.begin(), g.end(), 0.0);
      for (std::size_t i = 0; i + 1 < x.size(); ++i) {
        const ValueAndGrad2 r = Lib::gradient2(dezero::rosenbrock, x[i], x[i + 1]);
        v += r.value;
        g[i] += r.grad[0];
        g[i + 1] += r.grad[1];
      }
    }
  };

  struct Dynamic : Array {
    using Array::Array;
    void run() {
      v = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        const auto [value, derivative] = Lib::gradient1(smooth, x[i]);
        v += value;
        g[i] = derivative;
      }
    }
  };

  struct Smooth {
    explicit Smooth(const std::vector<double>& x) : x(x), y(x.size()), g(x.size()) {}
    const std::vector<double>& x;
    std::vector<double> y, g;
    void run() {
      for (std::size_t i = 0; i < x.size(); ++i) std::tie(y[i], g[i]) = Lib::gradient1(smooth, x[i]);
    }
    double value(std::size_t i) const { return y[i]; }
    double grad(std::size_t i) const { return g[i]; }
  };
};

// --- the hand-written reference (benchmarks/handwritten.hpp), in the same interface as every library ----------

template <class F, auto& G>
inline constexpr bool is = std::is_same_v<F, std::remove_cvref_t<decltype(G)>>;

struct Hand {
  static constexpr const char* name = "hand-written";

  template <class F>
  static ValueAndGrad2 gradient2(F, double x, double y) {
    if constexpr (is<F, dezero::sphere>) return bench::sphere(x, y);
    if constexpr (is<F, dezero::matyas>) return bench::matyas(x, y);
    if constexpr (is<F, dezero::goldstein>) return bench::goldstein(x, y);
    if constexpr (is<F, dezero::rosenbrock>) return bench::rosenbrock(x, y);
  }

  template <class F>
  static std::pair<double, double> gradient1(F, double x) {
    if constexpr (is<F, smooth>) {
      const bench::Smooth s = bench::smooth(x);
      return {s.value, s.derivative};
    }
    if constexpr (is<F, scalar_chain>) {
      double y = x, dy = 1;
      for (int i = 0; i < chain_pairs; ++i) {
        y = y * 1.0001 + 0.5;
        dy *= 1.0001;
      }
      return {y, dy};
    }
  }

  using Rosenbrock = ByTerms<Hand>::Rosenbrock;
  using Dynamic = ByTerms<Hand>::Dynamic;
  using Smooth = ByTerms<Hand>::Smooth;
};

// --- checking, then registering -------------------------------------------------------------------------------

// Relative 1e-12 (absolute for magnitudes below 1). A difference stops the whole run.
inline void check(bool& failed, const std::string& what, double got, double want) {
  if (std::abs(got - want) <= 1e-12 * std::max(1.0, std::abs(want))) return;
  std::fprintf(stderr, "CHECK FAILED: %s: %.17g, hand-written %.17g\n", what.c_str(), got, want);
  failed = true;
}

struct Registry {
  bool failed = false;
  int checked = 0;

  template <class Lib, class F>
  void two_variables(const char* problem, F f) {
    if constexpr (requires { Lib::gradient2(f, 1.0, 2.0); }) {
      const std::string name = std::string(problem) + "/" + Lib::name;
      const std::vector<double> xs = random_inputs(points, 1), ys = random_inputs(points, 2);
      for (std::size_t i = 0; i < points && !failed; i += 17) {
        const ValueAndGrad2 r = Lib::gradient2(f, xs[i], ys[i]), h = Hand::gradient2(f, xs[i], ys[i]);
        check(failed, name + " value", r.value, h.value);
        check(failed, name + " d/dx", r.grad[0], h.grad[0]);
        check(failed, name + " d/dy", r.grad[1], h.grad[1]);
      }
      ++checked;
      benchmark::RegisterBenchmark(name.c_str(), [f, xs, ys](benchmark::State& state) {
        std::vector<ValueAndGrad2> out(points);
        for (auto _ : state) {
          for (std::size_t i = 0; i < points; ++i) out[i] = Lib::gradient2(f, xs[i], ys[i]);
          benchmark::DoNotOptimize(out.data());
          benchmark::ClobberMemory();
        }
        state.counters["gradients"] = points;
      });
    }
  }

  template <class Lib>
  void chain() {
    if constexpr (requires { Lib::gradient1(scalar_chain, 1.0); }) {
      const std::string name = std::string("chain10000/") + Lib::name;
      const double x = random_inputs(1, 5, 0.5, 1.5)[0];
      const auto [v, d] = Lib::gradient1(scalar_chain, x);
      const auto [hv, hd] = Hand::gradient1(scalar_chain, x);
      check(failed, name + " value", v, hv);
      check(failed, name + " derivative", d, hd);
      ++checked;
      benchmark::RegisterBenchmark(name.c_str(), [x](benchmark::State& state) {
        for (auto _ : state) {
          double in = x;
          benchmark::DoNotOptimize(in);
          auto r = Lib::gradient1(scalar_chain, in);
          benchmark::DoNotOptimize(r);
        }
        state.counters["gradients"] = 1;
      });
    }
  }

  // A problem over an array: value() is the function's (scalar_valued) or value(i) the i-th output's.
  template <class Problem, class Reference, bool scalar_valued>
  void array(const std::string& name, std::vector<double> x) {
    auto shared = std::make_shared<const std::vector<double>>(std::move(x));
    {
      Problem p{*shared};
      p.run();
      Reference h{*shared};
      h.run();
      if constexpr (scalar_valued)
        check(failed, name + " value", p.value(), h.value());
      std::size_t bad = 0;
      for (std::size_t i = 0; i < shared->size() && bad < 3; ++i) {
        bool f = false;
        if constexpr (!scalar_valued) check(f, name + " value[" + std::to_string(i) + "]", p.value(i), h.value(i));
        check(f, name + " grad[" + std::to_string(i) + "]", p.grad(i), h.grad(i));
        bad += f;
      }
      failed = failed || bad;
    }
    ++checked;
    benchmark::RegisterBenchmark(name.c_str(), [shared](benchmark::State& state) {
      Problem p{*shared};
      for (auto _ : state) {
        p.run();
        benchmark::ClobberMemory();
      }
      state.counters["gradients"] = 1;
    });
  }

  template <class Lib>
  void library() {
    two_variables<Lib>("sphere", dezero::sphere);
    two_variables<Lib>("matyas", dezero::matyas);
    two_variables<Lib>("goldstein", dezero::goldstein);
    two_variables<Lib>("rosenbrock2", dezero::rosenbrock);
    if constexpr (requires { typename Lib::Rosenbrock; })
      for (std::size_t n : {100, 10'000})
        array<typename Lib::Rosenbrock, Hand::Rosenbrock, true>(
            "rosenbrock" + std::to_string(n) + "/" + Lib::name, random_inputs(n, 3));
    chain<Lib>();
    if constexpr (requires { typename Lib::Smooth; })
      array<typename Lib::Smooth, Hand::Smooth, false>(std::string("smooth1e6/") + Lib::name,
                                                         random_inputs(smooth_elements, 4, -3, 3));
    if constexpr (requires { typename Lib::Dynamic; })
      array<typename Lib::Dynamic, Hand::Dynamic, true>(std::string("dynamic/") + Lib::name,
                                                          random_inputs(dynamic_n(), 6, -3, 3));
  }
};

// main() of a library's executable: checks every library given against the hand-written code, registers the
// hand-written code and them, then runs Google Benchmark. --check-only stops after the checks (the CTest).
template <class... Libs>
int run(int argc, char** argv) {
  // As benchmarks/runtime_engine.cpp (docs/performance.md, "Large arrays and glibc"): glibc's trim and mmap
  // thresholds raised for every library, as a long-running program would tune them, so that no iteration
  // pays for faulting in memory the previous one returned to the system.
  const char* defaults = std::getenv("DEZERO_BENCH_GLIBC_DEFAULTS");
  if (!defaults || std::string(defaults) != "1") {
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
  }
  bool check_only = false;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--check-only") == 0) check_only = true;
  Registry registry;
  registry.library<Hand>();
  (registry.library<Libs>(), ...);
  if (registry.failed) {
    std::fprintf(stderr, "%s: a library's value or gradient differs from the hand-written one\n", argv[0]);
    return 1;
  }
  std::fprintf(stderr, "%s: %d benchmarks checked against hand-written code (relative 1e-12)\n", argv[0],
               registry.checked);
  if (check_only) return 0;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i)
    if (std::strcmp(argv[i], "--check-only") != 0) args.push_back(argv[i]);
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace dezero::peers
