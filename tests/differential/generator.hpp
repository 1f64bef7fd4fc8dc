// The seeded generator of random expressions (issue 5): + - * /, unary -, integer and double powers, exp,
// log and sqrt of positive arguments, sin, cos, tanh, and the smooth functions of <cmath> that issue 13 added
// (each inside its domain: a guard's for a logarithm, a bounded argument for asin, acos, atanh and tan);
// depth up to 12; shared subexpressions; 1-4 inputs.
// generate(seed, limits) is a pure function of its arguments on every platform (SplitMix64 and integer
// arithmetic only: the standard distributions are implementation-defined), so a seed names a case.
//
// Keeping finite differences meaningful:
//   - log, sqrt, a double power and a negative integer power take a guard, g(a) = a * a + c, pow(a, 2) + c
//     or exp(a) + c with c in [1/4, 2]: positive and at least 1/4 whatever a is;
//   - a division is by a guard or by a nonzero constant, so never by something near zero;
//   - a candidate is drawn again from the same stream (as are those over the node limits) where finite
//     differences could not check it (`checkable`): an intermediate value outside [-1e3, 1e3] (exp of
//     exp ...) or below 1e-100 in magnitude (but an exact 0, as x - x is), where underflow makes rounding
//     absolute instead of relative and the error bounds of oracle.hpp do not hold; or a gradient component
//     (of G_abs, the sum of the paths' magnitudes) above 1e3. The central differences assume that f varies
//     on a scale much longer than their steps (2^-17 and 2^-16), so that the h^2 term dominates the
//     truncation error and its estimate from the two steps holds. The slope bound is the proxy for that
//     scale (a heuristic, not a proof): it redraws sin(x^8) near x = 2 (slope 4e5, a turn every 1e-3
//     against a step of 8e-6), and in 600,000 runtime cases it let no point through where the estimate
//     failed. 3 % of candidates are redrawn in all.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "expression.hpp"
#include "reference.hpp"

namespace dezero::differential {

struct Limits {
  int max_depth = 12;  // operations on the longest path from an input to the root, guards included
  int max_nodes = 80;  // distinct operations (the runtime engine's graph)
  // Operations once every shared subexpression that holds a constant or an exponent is unfolded: the
  // static engine makes one slot per *use* of such a subexpression (docs/static-engine.md, "Limits"), and
  // its compile time grows with that unfolded size. Unbounded, a depth-12 chain of reuse is 2^12 slots.
  long max_unfolded = 1 << 20;
};

// The limits of the static engine's generated tests: 48 operations, 64 unfolded, keep an expression at about
// 0.27 s of g++ -O3 on average (docs/testing.md, "Cost"), while depth 12 and sharing are still reached.
inline constexpr Limits static_limits{12, 48, 64};

struct Case {
  std::uint64_t seed = 0;
  Expression expression;
  std::vector<double> point;
  int depth = 0;
};

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {  // SplitMix64
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1p-53;
  }

 private:
  std::uint64_t state_;
};

namespace detail {

class Builder {
 public:
  Builder(Random& rng, int inputs) : rng_(rng) {
    e_.inputs = inputs;
    for (int i = 0; i < inputs; ++i) add({Op::input, -1, -1, 0, i});
  }

  // A node of depth `depth` exactly (the spine that makes deep expressions), or at most `depth`.
  int make(int depth, bool exact) {
    if (depth == 0 || (!exact && rng_.chance(15))) return rng_.below(e_.inputs);
    if (!exact && rng_.chance(25)) {  // share an existing subexpression
      std::vector<int> fit;
      for (int k = e_.inputs; k < static_cast<int>(e_.nodes.size()); ++k)
        if (!e_.is_constant(k) && depth_[static_cast<std::size_t>(k)] <= depth) fit.push_back(k);
      if (!fit.empty()) return fit[static_cast<std::size_t>(rng_.below(static_cast<int>(fit.size())))];
    }
    const auto below = [&](int cost) { return make(depth - cost, exact); };
    const auto any = [&](int cost) { return make(std::max(0, depth - cost - rng_.below(4)), false); };
    for (;;) {
      switch (rng_.below(26)) {
        case 14:
        case 15:
        case 16:
        case 17:
        case 0:
        case 1:
        case 2: {  // + - *, sometimes with a constant on one side
          const Op op = std::array{Op::add, Op::sub, Op::mul}[static_cast<std::size_t>(rng_.below(3))];
          const int x = below(1);
          if (rng_.chance(20)) {
            const int c = constant(-3, 3);
            return rng_.chance(50) ? add({op, x, c}) : add({op, c, x});
          }
          const int y = any(1);
          return rng_.chance(50) ? add({op, x, y}) : add({op, y, x});
        }
        case 18:
        case 3: {  // division: by a guard (or a constant dividend over it), or by a constant
          if (rng_.chance(20)) return add({Op::div, below(1), constant(0.25, 3)});
          if (depth < 3) continue;
          const int g = guard(depth - 1, exact);
          return add({Op::div, rng_.chance(20) ? constant(-3, 3) : any(1), g});
        }
        case 4:
          return add({Op::neg, below(1)});
        case 5: {  // integer powers 1..5 of anything; -1..-3 of a guard
          if (depth >= 3 && rng_.chance(30))
            return add({Op::pow_int, guard(depth - 1, exact), -1, 0, -1 - rng_.below(3)});
          return add({Op::pow_int, below(1), -1, 0, 1 + rng_.below(5)});
        }
        case 6: {  // double powers (an odd number of eighths in [-2.5, 3.5]) of a guard
          if (depth < 3) continue;
          const double c = (2 * rng_.below(24) - 19) / 8.0;
          return add({Op::pow_double, guard(depth - 1, exact), -1, c});
        }
        case 7:
          return add({Op::exp, below(1)});
        case 8:
        case 9:
          if (depth < 3) continue;
          return add({rng_.chance(50) ? Op::log : Op::sqrt, guard(depth - 1, exact)});
        case 10:
        case 11:
          return add({Op::sin, below(1)});
        case 12:
          return add({Op::cos, below(1)});
        case 20: {  // atan2 and hypot with a guard on one side: no point near the origin
          if (depth < 3) continue;
          const Op op = rng_.chance(50) ? Op::atan2 : Op::hypot;
          const int g = guard(depth - 1, exact), y = any(1);
          return rng_.chance(50) ? add({op, y, g}) : add({op, g, y});
        }
        case 21: {  // a guard raised to a bounded variable exponent, or a constant raised to a variable
          if (depth < 3) continue;
          if (rng_.chance(30)) return add({Op::pow_var, constant(0.25, 3), bounded(depth - 1, exact)});
          const int g = guard(depth - 1, exact);
          return add({Op::pow_var, g, bounded(std::max(2, depth - 1 - rng_.below(3)), false)});
        }
        case 22: {  // of a bounded argument, |t| < 1
          if (depth < 3) continue;
          const Op op =
              std::array{Op::tan, Op::asin, Op::acos, Op::atanh}[static_cast<std::size_t>(rng_.below(4))];
          return add({op, bounded(depth - 1, exact)});
        }
        case 23: {
          const Op op =
              std::array{Op::atan, Op::sinh, Op::cosh, Op::asinh}[static_cast<std::size_t>(rng_.below(4))];
          return add({op, below(1)});
        }
        case 24: {
          const Op op =
              std::array{Op::exp2, Op::expm1, Op::erf, Op::erfc}[static_cast<std::size_t>(rng_.below(4))];
          return add({op, below(1)});
        }
        case 25: {  // of a guard (>= 1/4; acosh's >= 1: the guard plus 1)
          if (depth < 4) continue;
          const Op op = std::array{Op::log2, Op::log10, Op::log1p, Op::cbrt,
                                   Op::acosh}[static_cast<std::size_t>(rng_.below(5))];
          const int g = guard(depth - (op == Op::acosh ? 2 : 1), exact);
          return add({op, op == Op::acosh ? add({Op::add, g, constant(1, 2)}) : g});
        }
        default:
          return add({Op::tanh, below(1)});
      }
    }
  }

  Expression take() { return std::move(e_); }
  int depth(int k) const { return depth_[static_cast<std::size_t>(k)]; }

 private:
  // g(a) >= 1/4 for every a: a * a + c, pow(a, 2) + c or exp(a) + c. Two levels: depth >= 2.
  int guard(int depth, bool exact) {
    const int a = make(depth - 2, exact);
    const int c = constant(0.25, 2);
    int inner;
    switch (rng_.below(3)) {
      case 0:
        inner = add({Op::mul, a, a});
        break;
      case 1:
        inner = add({Op::pow_int, a, -1, 0, 2});
        break;
      default:
        inner = add({Op::exp, a});
        break;
    }
    return rng_.chance(50) ? add({Op::add, inner, c}) : add({Op::add, c, inner});
  }

  // 7/8 tanh(a): within (-7/8, 7/8) whatever a is, where asin, acos, atanh and tan have slopes below 3.
  // Two levels: depth >= 2.
  int bounded(int depth, bool exact) {
    const int t = add({Op::tanh, make(depth - 2, exact)});
    return add({Op::mul, t, add({Op::constant, -1, -1, 0.875})});
  }

  // A constant of [lo, hi] in eighths, not zero: short literals, exact in binary.
  int constant(double lo, double hi) {
    const int k0 = static_cast<int>(lo * 8), k1 = static_cast<int>(hi * 8);
    int k = 0;
    while (k == 0) k = k0 + rng_.below(k1 - k0 + 1);
    return add({Op::constant, -1, -1, k / 8.0});
  }

  // The node, or the existing one that is the same operation on the same operands (hash-consing): equal
  // subexpressions are one node, as the static engine makes them one slot when they hold no constant.
  int add(Node n) {
    const auto key = std::tuple{static_cast<int>(n.op), n.a, n.b, n.c, n.index};
    if (const auto it = seen_.find(key); it != seen_.end()) return it->second;
    const int k = static_cast<int>(e_.nodes.size());
    int d = 0;
    for (const int operand : {n.a, n.b})
      if (operand >= 0 && !e_.is_constant(operand))
        d = std::max(d, depth_[static_cast<std::size_t>(operand)] + 1);
    if (n.op != Op::input && n.op != Op::constant) d = std::max(d, 1);
    e_.nodes.push_back(n);
    depth_.push_back(d);
    seen_.emplace(key, k);
    return k;
  }

  Random& rng_;
  Expression e_;
  std::vector<int> depth_;
  std::map<std::tuple<int, int, int, double, int>, int> seen_;
};

// The nodes the root depends on (and every input, which keeps its index), renumbered in the same order.
inline Expression reachable(Expression e, int root) {
  std::vector<bool> used(e.nodes.size(), false);
  used[static_cast<std::size_t>(root)] = true;
  for (int k = root; k >= 0; --k) {
    const Node& n = e.at(k);
    if (k < e.inputs) used[static_cast<std::size_t>(k)] = true;
    if (!used[static_cast<std::size_t>(k)]) continue;
    for (const int operand : {n.a, n.b})
      if (operand >= 0) used[static_cast<std::size_t>(operand)] = true;
  }
  Expression r;
  r.inputs = e.inputs;
  std::vector<int> renumber(e.nodes.size(), -1);
  for (int k = 0; k <= root; ++k) {
    if (!used[static_cast<std::size_t>(k)]) continue;
    Node n = e.at(k);
    for (int* operand : {&n.a, &n.b})
      if (*operand >= 0) *operand = renumber[static_cast<std::size_t>(*operand)];
    renumber[static_cast<std::size_t>(k)] = static_cast<int>(r.nodes.size());
    r.nodes.push_back(n);
  }
  return r;
}

// Operations in the expression, and in its unfolding where every subexpression holding a constant or an
// exponent is counted once per use (what the static engine's slots are).
inline int operations(const Expression& e) {
  int n = 0;
  for (const Node& node : e.nodes) n += node.op != Op::input && node.op != Op::constant;
  return n;
}

inline long unfolded_operations(const Expression& e) {
  std::vector<long> size(e.nodes.size(), 0);
  std::vector<bool> stateless(e.nodes.size(), true);
  for (int k = 0; k <= e.root(); ++k) {
    const Node& n = e.at(k);
    const auto i = static_cast<std::size_t>(k);
    if (n.op == Op::input) continue;
    stateless[i] = n.op != Op::constant && n.op != Op::pow_int && n.op != Op::pow_double;
    if (n.op == Op::constant) continue;
    size[i] = 1;
    for (const int operand : {n.a, n.b})
      if (operand >= 0) {
        size[i] = std::min(size[i] + size[static_cast<std::size_t>(operand)], 1L << 40);
        stateless[i] = stateless[i] && stateless[static_cast<std::size_t>(operand)];
      }
  }
  // Stateless subexpressions are one slot however often they are used: count those once.
  long total = 0;
  std::vector<bool> counted(e.nodes.size(), false);
  std::vector<int> stack{e.root()};
  while (!stack.empty()) {
    const int k = stack.back();
    stack.pop_back();
    const Node& n = e.at(k);
    const auto i = static_cast<std::size_t>(k);
    if (n.op == Op::input || n.op == Op::constant) continue;
    if (stateless[i]) {
      if (counted[i]) continue;
      counted[i] = true;
    }
    if (++total > (1L << 20)) return total;
    for (const int operand : {n.a, n.b})
      if (operand >= 0) stack.push_back(operand);
  }
  return total;
}

}  // namespace detail

inline bool checkable(const Expression& e, const std::vector<double>& point, int depth) {
  const std::vector<double> v = evaluate_all(e, point);
  const auto zero = [&](int k) { return k >= 0 && !e.is_constant(k) && v[static_cast<std::size_t>(k)] == 0; };
  for (int k = 0; k <= e.root(); ++k) {
    const Node& n = e.at(k);
    const double a = std::abs(v[static_cast<std::size_t>(k)]);
    // An exact 0 is no underflow when it is exact: a cancellation (x - x), or an operand that is 0.
    const bool exact_zero = a == 0 && (n.op == Op::add || n.op == Op::sub || zero(n.a) || zero(n.b));
    if (n.op != Op::constant && (!(a <= 1e3) || (a < 1e-100 && !exact_zero))) return false;
  }
  const Reference r = reference(e, point, depth);
  return std::all_of(r.grad_abs.begin(), r.grad_abs.end(), [](double g) { return g <= 1e3; });
}

// Case `seed`: 1-4 inputs, a depth drawn from 1..limits.max_depth, a point in [-2, 2]^n.
inline Case generate(std::uint64_t seed, const Limits& limits = {}) {
  Random rng(seed * 0x2545f4914f6cdd1dULL + 1);
  for (;;) {
    const int inputs = 1 + rng.below(4);
    const int depth = 1 + rng.below(limits.max_depth);
    detail::Builder b(rng, inputs);
    const int root = b.make(depth, true);
    Expression e = detail::reachable(b.take(), root);
    if (detail::operations(e) > limits.max_nodes || detail::unfolded_operations(e) > limits.max_unfolded)
      continue;
    std::vector<double> point(static_cast<std::size_t>(inputs));
    for (double& x : point) x = std::round(rng.uniform(-2, 2) * 0x1p20) * 0x1p-20;  // short, exact literals
    if (checkable(e, point, depth)) return {seed, std::move(e), std::move(point), depth};
  }
}

}  // namespace dezero::differential
