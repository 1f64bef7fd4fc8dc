// The comparison's problems (docs/benchmarks.md): generic formulas every library runs unchanged, the inputs,
// and the hand-written reference in the interface every library provides (benchmarks/peers/harness.hpp).
// No Google Benchmark here: the goldstein translation unit whose compile time the report gives includes
// only this header and the library's.
//
// A library is a struct that provides any of these (a problem it does not provide is not run):
//   static ValueAndGrad2 gradient2(F f, double x, double y);  // sphere, matyas, goldstein, rosenbrock2
//   static std::pair<double, double> gradient1(F f, double x); // value and derivative: chain10000
//   struct Rosenbrock { explicit Rosenbrock(const std::vector<double>& x); void run();
//                       double value() const; double grad(std::size_t i) const; };   // n = 100, 10,000
//   struct Dynamic    { ...the same, for the sum of smooth(x[i]), n read at run time... };
//   struct Smooth     { ...the same, value(i) and grad(i) per element... };           // 1e6 elements
//   struct LeastSquares { ...the same, x = the two parameters (a, b) of sum (a t + b - y)^2 over the
//                         100,000 samples of least_squares_samples()... };
// and for the Hessian section, value, gradient and full Hessian:
//   static ValueGradHessian2 hessian2(F f, double x, double y);  // goldstein, rosenbrock2
//   struct RosenbrockHessian { explicit RosenbrockHessian(const std::vector<double>& x); void run();
//                              double value() const; double grad(std::size_t i) const;
//                              double hessian(std::size_t i, std::size_t j) const; };    // n = 100
// Everything a gradient needs happens inside run() (for a taping library: the taping too, unless the
// library's name says "replay"); the constructor only converts the inputs into the library's own arrays.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <random>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../handwritten.hpp"
#include "../handwritten_hessian.hpp"
#include "dezero/test_functions.hpp"

namespace dezero::peers {

using bench::ValueAndGrad2;
using bench::ValueGradHessian2;

// --- the problems, as generic formulas every library runs unchanged
// -----------------------------------------

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

// Least squares over run-time data: sum over the samples (t, y) of (a t + b - y)^2, for a library whose
// scalar is Scalar (written with named Scalars: Sacado's expressions must not outlive a statement).
struct Sample {
  double t, y;
};
inline constexpr std::size_t least_squares_n = 100'000;
inline const std::vector<Sample>& least_squares_samples();

template <class Scalar>
Scalar least_squares_sum(const Scalar& a, const Scalar& b, Scalar sum) {
  for (const Sample& s : least_squares_samples()) {
    const Scalar r = a * s.t + b - s.y;
    sum = sum + Scalar(r * r);
  }
  return sum;
}

// --- sizes and inputs
// ----------------------------------------------------------------------------------------

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

// The samples: y = 2 t - 0.5 plus noise, t in [-1, 1]; the parameters at which the gradient is taken.
inline const std::vector<Sample>& least_squares_samples() {
  static const std::vector<Sample> samples = [] {
    const std::vector<double> t = random_inputs(least_squares_n, 7, -1, 1),
                              e = random_inputs(least_squares_n, 8, -0.1, 0.1);
    std::vector<Sample> s(least_squares_n);
    for (std::size_t i = 0; i < least_squares_n; ++i) s[i] = {t[i], 2 * t[i] - 0.5 + e[i]};
    return s;
  }();
  return samples;
}
inline const std::vector<double> least_squares_parameters{1.5, -0.25};

// --- sums of separable terms, for forward-mode and compile-time libraries
// ----------------------------------------

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

// Holds the input, the value, the gradient and the full Hessian (n * n, row-major) of a function of an array.
struct HessianArray : Array {
  explicit HessianArray(const std::vector<double>& x) : Array(x), h(x.size() * x.size()) {}
  std::vector<double> h;
  double hessian(std::size_t i, std::size_t j) const { return h[i * x.size() + j]; }
  void clear() {
    v = 0;
    std::fill(g.begin(), g.end(), 0.0);
    std::fill(h.begin(), h.end(), 0.0);
  }
};

// The Hessian of Rosenbrock of n variables term by term: each term's 2 x 2 Hessian (Lib::hessian2) added
// into the full matrix, every other entry zero; for a library that differentiates fixed-size functions.
template <class Lib>
struct HessianByTerms {
  struct Rosenbrock : HessianArray {
    using HessianArray::HessianArray;
    void run() {
      clear();
      const std::size_t n = x.size();
      for (std::size_t i = 0; i + 1 < n; ++i) {
        const ValueGradHessian2 r = Lib::hessian2(dezero::rosenbrock, x[i], x[i + 1]);
        v += r.value;
        g[i] += r.grad[0];
        g[i + 1] += r.grad[1];
        h[i * n + i] += r.hessian[0][0];
        h[i * n + i + 1] += r.hessian[0][1];
        h[(i + 1) * n + i] += r.hessian[1][0];
        h[(i + 1) * n + i + 1] += r.hessian[1][1];
      }
    }
  };
};

// --- the hand-written reference (benchmarks/handwritten.hpp), in the same interface as every library
// ----------

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

  template <class F>
  static ValueGradHessian2 hessian2(F, double x, double y) {
    if constexpr (is<F, dezero::goldstein>) return bench::goldstein_value_grad_hessian(x, y);
    if constexpr (is<F, dezero::rosenbrock>) return bench::rosenbrock_hessian(x, y);
  }

  struct RosenbrockHessian : HessianArray {
    using HessianArray::HessianArray;
    void run() { v = bench::rosenbrock_hessian(x, g, h); }
  };

  using Rosenbrock = ByTerms<Hand>::Rosenbrock;
  using Dynamic = ByTerms<Hand>::Dynamic;
  using Smooth = ByTerms<Hand>::Smooth;

  struct LeastSquares : Array {
    using Array::Array;
    void run() {
      const double a = x[0], b = x[1];
      double value = 0.0, ga = 0.0, gb = 0.0;
      for (const Sample& s : least_squares_samples()) {
        const double r = a * s.t + b - s.y;
        value += r * r;
        ga += 2 * r * s.t;
        gb += 2 * r;
      }
      v = value;
      g[0] = ga;
      g[1] = gb;
    }
  };
};

}  // namespace dezero::peers
