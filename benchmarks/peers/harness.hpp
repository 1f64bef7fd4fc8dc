// The check and the benchmark registration shared by the executable of every library: one executable per
// library, so that an expensive library's headers (libtorch's) are compiled once and cached, and a missing
// library removes only its own executable. Each library's result is compared with the hand-written one
// (relative 1e-12) before anything is timed; a difference fails the run.
#pragma once

#include <benchmark/benchmark.h>

#include <malloc.h>
#include <cstdio>
#include <cstring>
#include <memory>
#include <regex>
#include <string>

#include "../page_aligned.hpp"
#include "problems.hpp"

namespace dezero::peers {

// --- checking, then registering
// -------------------------------------------------------------------------------

// Relative 1e-12 (absolute for magnitudes below 1). A difference stops the whole run.
inline void check(bool& failed, const std::string& what, double got, double want) {
  if (std::abs(got - want) <= 1e-12 * std::max(1.0, std::abs(want))) return;
  std::fprintf(stderr, "CHECK FAILED: %s: %.17g, hand-written %.17g\n", what.c_str(), got, want);
  failed = true;
}

struct Registry {
  bool failed = false;
  int checked = 0;
  // Problems whose name does not match --benchmark_filter are neither checked nor registered: a library's
  // state after one problem (ADOL-C's location store after a million adoubles) must not slow the next, so
  // scripts/bench runs each problem in a process of its own.
  std::regex filter{"."};

  bool wanted(const std::string& name) const { return std::regex_search(name, filter); }

  // The 2-variable problems: What::of<Lib>(f, x, y) is a library's result, What::check compares it with the
  // hand-written one. Checked at every 17th of the points, then timed at all of them.
  template <class Lib, class What, class F>
  void at_points(const std::string& name, F f) {
    if (!wanted(name)) return;
    const std::vector<double> xr = random_inputs(points, 1), yr = random_inputs(points, 2);
    const bench::page_vector<double> xs(xr.begin(), xr.end()), ys(yr.begin(), yr.end());
    for (std::size_t i = 0; i < points && !failed; i += 17)
      What::check(*this, name, What::template of<Lib>(f, xs[i], ys[i]),
                  What::template of<Hand>(f, xs[i], ys[i]));
    ++checked;
    benchmark::RegisterBenchmark(name.c_str(), [f, xs, ys](benchmark::State& state) {
      bench::page_vector<typename What::result> out(points);
      for (auto _ : state) {
        for (std::size_t i = 0; i < points; ++i) out[i] = What::template of<Lib>(f, xs[i], ys[i]);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
      }
      state.counters["gradients"] = points;  // for a Hessian, Hessians: the report divides by this counter
    });
  }

  // Value and gradient.
  struct Gradient {
    using result = ValueAndGrad2;
    template <class Lib, class F>
    static result of(F f, double x, double y) {
      return Lib::gradient2(f, x, y);
    }
    static void check(Registry& registry, const std::string& name, const result& r, const result& h) {
      bool& failed = registry.failed;
      dezero::peers::check(failed, name + " value", r.value, h.value);
      dezero::peers::check(failed, name + " d/dx", r.grad[0], h.grad[0]);
      dezero::peers::check(failed, name + " d/dy", r.grad[1], h.grad[1]);
    }
  };

  template <class Lib, class F>
  void two_variables(const char* problem, F f) {
    if constexpr (requires { Lib::gradient2(f, 1.0, 2.0); })
      at_points<Lib, Gradient>(std::string(problem) + "/" + Lib::name, f);
  }

  template <class Lib>
  void chain() {
    if constexpr (requires { Lib::gradient1(scalar_chain, 1.0); }) {
      const std::string name = std::string("chain10000/") + Lib::name;
      if (!wanted(name)) return;
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

  // A problem over an array: value() is the function's (scalar_valued) or value(i) the i-th output's; a
  // problem with hessian(i, j) has its Hessian checked too.
  template <class Problem, class Reference, bool scalar_valued>
  void array(const std::string& name, std::vector<double> x) {
    if (!wanted(name)) return;
    auto shared = std::make_shared<const std::vector<double>>(std::move(x));
    {
      Problem p{*shared};
      p.run();
      Reference h{*shared};
      h.run();
      if constexpr (scalar_valued) check(failed, name + " value", p.value(), h.value());
      std::size_t bad = 0;
      for (std::size_t i = 0; i < shared->size() && bad < 3; ++i) {
        bool f = false;
        if constexpr (!scalar_valued)
          check(f, name + " value[" + std::to_string(i) + "]", p.value(i), h.value(i));
        check(f, name + " grad[" + std::to_string(i) + "]", p.grad(i), h.grad(i));
        bad += f;
      }
      failed = failed || bad;
      if constexpr (requires { p.hessian(0, 0); })
        check_hessian(
            name, shared->size(), [&](std::size_t i, std::size_t j) { return p.hessian(i, j); },
            [&](std::size_t i, std::size_t j) { return h.hessian(i, j); });
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

  // --- the Hessian section: value, gradient and full Hessian
  // The Hessian's entries against the hand-written ones; a few differences are reported, then the rest
  // skipped.
  template <class Got, class Want>
  void check_hessian(const std::string& name, std::size_t n, const Got& got, const Want& want) {
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n && bad < 3; ++i)
      for (std::size_t j = 0; j < n && bad < 3; ++j) {
        bool f = false;
        check(f, name + " H[" + std::to_string(i) + "][" + std::to_string(j) + "]", got(i, j), want(i, j));
        bad += f;
      }
    failed = failed || bad;
  }

  // Value, gradient and Hessian.
  struct Hessian {
    using result = ValueGradHessian2;
    template <class Lib, class F>
    static result of(F f, double x, double y) {
      return Lib::hessian2(f, x, y);
    }
    static void check(Registry& registry, const std::string& name, const result& r, const result& h) {
      Gradient::check(registry, name, {r.value, r.grad}, {h.value, h.grad});
      registry.check_hessian(
          name, 2, [&](std::size_t a, std::size_t b) { return r.hessian[a][b]; },
          [&](std::size_t a, std::size_t b) { return h.hessian[a][b]; });
    }
  };

  template <class Lib, class F>
  void hessian_two_variables(const char* problem, F f) {
    if constexpr (requires { Lib::hessian2(f, 1.0, 2.0); })
      at_points<Lib, Hessian>(std::string(problem) + "_hessian/" + Lib::name, f);
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
    if constexpr (requires { typename Lib::LeastSquares; })
      array<typename Lib::LeastSquares, Hand::LeastSquares, true>(
          std::string("least_squares100000/") + Lib::name, least_squares_parameters);
    chain<Lib>();
    hessian_two_variables<Lib>("goldstein", dezero::goldstein);
    hessian_two_variables<Lib>("rosenbrock2", dezero::rosenbrock);
    if constexpr (requires { typename Lib::RosenbrockHessian; })
      array<typename Lib::RosenbrockHessian, Hand::RosenbrockHessian, true>(
          "rosenbrock100_hessian/" + std::string(Lib::name), random_inputs(100, 3));
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
  Registry registry;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--check-only") == 0) check_only = true;
    if (std::strncmp(argv[i], "--benchmark_filter=", 19) == 0) registry.filter = std::regex(argv[i] + 19);
  }
  registry.library<Hand>();
  (registry.library<Libs>(), ...);
  if (registry.failed) {
    std::fprintf(stderr, "%s: a library's value, gradient or Hessian differs from the hand-written one\n",
                 argv[0]);
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
