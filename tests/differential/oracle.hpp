// What an engine's result is checked against: central finite differences of the plain double function, with
// a tolerance derived from bounds of the errors involved, and the distance in ulps between two doubles.
//
// The tolerance of gradient component i, at point x, step h (a power of two: x +- h is exact):
//   D(h) = (f(x + h e_i) - f(x - h e_i)) / 2h = f' + tau(h) + rho(h),  tau(h) ~ h^2 f''' / 6  (truncation)
//   |rho(h)| <= R(h) = (E(x + h e_i) + E(x - h e_i)) / 2h               (rounding of f's two evaluations)
// where E(x) bounds the rounding error of evaluating f at x to first order: each operation k rounds its
// value v_k by at most m_k u |v_k| (u = 2^-53), and an error in v_k reaches f multiplied by df/dv_k, the
// adjoint of node k, so E = u sum_k m_k |adj_k v_k| (reference.hpp, whose reverse sweep is written out
// independently of the library's rules). m_k: 1 for + - * / and sqrt (correctly rounded); 4 (two
// ulps) for exp log sin cos tanh pow, above glibc's documented maxima on x86-64; |n| + 1 for pow(x, n)
// as repeated multiplication. Its size at a badly conditioned point (cancellation in a sum of large
// terms) is exactly what makes the tolerance grow there, and only there.
// The truncation term is measured, not assumed: D(2h) = f' + 4 tau + rho(2h), so
//   |tau(h)| <= (|D(h) - D(2h)| + R(h) + R(2h)) / 3
//   |D(h) - f'| <= |D(h) - D(2h)| / 3 + (4 R(h) + R(2h)) / 3.
// The engine's own gradient g has rounding error too, bounded by u (8 depth + nodes) G_abs_i, G_abs the
// gradient swept on absolute values (every path's product of |local derivatives|, summed): each path term
// has at most depth + 1 factors, each within ~6u, and a sum of n terms is within n u of their |sum|.
// Both bounds are first order (the h^4 term, products of two roundings and the change of a derivative
// through its argument's rounding error are left out), hence a factor 2 over their sum:
//   |g_i - D(h)| <= 2 (|D(h) - D(2h)|/3 + (4R(h) + R(2h))/3 + u (8 depth + nodes) G_abs_i),
// and 0 for an input that f does not depend on (no path reaches it: both are exactly 0).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "expression.hpp"
#include "generator.hpp"
#include "reference.hpp"

namespace dezero::differential {

// The step: about the cube root of u (which balances truncation h^2 against rounding u/h for O(1) f''' and
// f), a power of two so that x +- h and x +- 2h are exact for the points of `generate` (multiples of 2^-20).
inline constexpr double step = 0x1p-17;

// The distance between a and b in units in the last place: how many doubles lie between them (+0 and -0
// are one). NaN is infinitely far from everything.
inline std::uint64_t ulp_distance(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<std::uint64_t>::max();
  const auto ordered = [](double x) {
    const auto i = std::bit_cast<std::int64_t>(x);
    return i < 0 ? std::numeric_limits<std::int64_t>::min() - i : i;
  };
  const std::int64_t p = ordered(a), q = ordered(b);
  return p > q ? static_cast<std::uint64_t>(p) - static_cast<std::uint64_t>(q)
               : static_cast<std::uint64_t>(q) - static_cast<std::uint64_t>(p);
}

// Which inputs the root depends on: those that a path from the root reaches.
inline std::vector<bool> inputs_reached(const Expression& e) {
  std::vector<bool> used(e.nodes.size(), false);
  used.back() = true;
  for (int k = e.root(); k >= 0; --k)
    if (used[static_cast<std::size_t>(k)])
      for (const int operand : {e.at(k).a, e.at(k).b})
        if (operand >= 0) used[static_cast<std::size_t>(operand)] = true;
  used.resize(static_cast<std::size_t>(e.inputs));
  return used;
}

// Central differences of every gradient component and the tolerance above, for an engine's gradient.
struct FiniteDifference {
  std::vector<double> grad;       // D(h)
  std::vector<double> tolerance;  // the bound of |g_i - D(h)|
};

inline FiniteDifference finite_difference(const Case& c) {
  FiniteDifference fd;
  const Reference at = reference(c.expression, c.point, c.depth);
  const std::vector<bool> reached = inputs_reached(c.expression);
  for (int i = 0; i < c.expression.inputs; ++i) {
    const auto central = [&](double h, double& rounding) {
      std::vector<double> plus = c.point, minus = c.point;
      plus[static_cast<std::size_t>(i)] += h;
      minus[static_cast<std::size_t>(i)] -= h;
      const Reference p = reference(c.expression, plus, c.depth), m = reference(c.expression, minus, c.depth);
      rounding = (p.value_error + m.value_error) / (2 * h);
      return (p.value - m.value) / (2 * h);
    };
    double r1 = 0, r2 = 0;
    const double d1 = central(step, r1), d2 = central(2 * step, r2);
    fd.grad.push_back(d1);
    // f does not depend on an input that no path reaches: both sides are then exactly 0.
    const auto j = static_cast<std::size_t>(i);
    fd.tolerance.push_back(!reached[j] ? 0
                                       : 2 * (std::abs(d1 - d2) / 3 + (4 * r1 + r2) / 3 + at.grad_error[j]));
  }
  return fd;
}

// The number of additions a reverse sweep makes to accumulate adjoints: one less than the uses of every node.
inline int accumulations(const Expression& e) {
  std::vector<int> uses(e.nodes.size(), 0);
  for (const Node& n : e.nodes)
    for (const int operand : {n.a, n.b})
      if (operand >= 0 && !e.is_constant(operand)) ++uses[static_cast<std::size_t>(operand)];
  int additions = 0;
  for (const int u : uses) additions += std::max(0, u - 1);
  return additions;
}

// How far apart the two engines' value and gradient may be: 4 ulp where they do the same arithmetic, plus
// what the arithmetic they may do differently can move. Both apply the same rules to the same values, so
// every local derivative is the same number in both; what differs is
//   - association: a gradient component is a sum over paths of products of local derivatives. The static
//     engine adds the contributions into a node as a balanced tree, makes a subexpression holding a
//     constant one slot per use (its adjoint is distributed over the uses instead of summed first), and
//     may multiply along a path in forward order; the runtime engine sums into each node in the order
//     backward meets them. Each engine's result is within (depth + F) u G_abs_i of the exactly rounded
//     partials' sum of products: a path term has at most `depth` multiplications, each rounding by u of
//     the term, and the F additions of contributions (one less than the uses of every node) each round by
//     u of magnitudes G_abs bounds. So 2 (depth + F) u G_abs_i between the two;
//   - integer powers: Pow<int> multiplies, Pow<double> (the runtime engine's pow) calls std::pow. What that
//     moves, through every later operation, is measured: the reference computed both ways (d_pow), with a
//     factor 2 for the rounding of the two references themselves.
//   |s - r| <= 4 ulp(r) + 2 (depth + F) u G_abs_i + 2 d_pow_i      (value: 4 ulp(r) + 2 d_pow)
struct EngineTolerance {
  double value;
  std::vector<double> grad;
};

inline double ulp(double x) {
  x = std::abs(x);
  return std::nextafter(x, std::numeric_limits<double>::infinity()) - x;
}

inline EngineTolerance engine_tolerance(const Case& c, double value, const std::vector<double>& grad) {
  const Reference library = reference(c.expression, c.point, c.depth, Powers::library);
  const Reference multiplied = reference(c.expression, c.point, c.depth, Powers::multiplied);
  const double roundings = c.depth + accumulations(c.expression);
  EngineTolerance t{4 * ulp(value) + 2 * std::abs(library.value - multiplied.value), {}};
  for (std::size_t i = 0; i < grad.size(); ++i)
    t.grad.push_back(4 * ulp(grad[i]) + 2 * roundings * unit_roundoff * library.grad_abs[i] +
                     2 * std::abs(library.grad[i] - multiplied.grad[i]));
  return t;
}

// Shortest round-trip decimals, so that a printed case reproduces bit for bit.
inline std::string to_string(const std::vector<double>& xs) {
  std::ostringstream s;
  s << '{';
  for (std::size_t i = 0; i < xs.size(); ++i) s << (i ? ", " : "") << literal(xs[i]);
  s << '}';
  return s.str();
}

// A case as a regression test can take it: the expression as a generic lambda and the point.
inline std::string describe(const Case& c) {
  std::ostringstream s;
  s << "case " << c.seed << " (depth " << c.depth << ", " << detail::operations(c.expression)
    << " operations)\n  const auto f = " << to_cpp(c.expression, "  ") << ";\n  point " << to_string(c.point)
    << '\n';
  return s.str();
}

}  // namespace dezero::differential
