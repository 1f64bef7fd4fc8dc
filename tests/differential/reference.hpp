// The reference: the plain double function at a point, its gradient by a reverse sweep whose derivatives are
// written out here (independently of the library's rules), and the magnitudes that bound rounding errors:
// E(x) = u sum_k m_k |adj_k v_k| for the value, G_abs (the sweep on absolute values) for the gradient.
// oracle.hpp derives the tolerances from them; the generator uses them to keep points where finite
// differences can check a gradient.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "expression.hpp"

namespace dezero::differential {

inline constexpr double unit_roundoff = 0x1p-53;

struct Reference {
  double value = 0;
  double value_error = 0;          // E(x)
  std::vector<double> grad;        // reverse sweep with this file's derivatives
  std::vector<double> grad_abs;    // the same on absolute values: G_abs
  std::vector<double> grad_error;  // u (8 depth + nodes) G_abs
  // K: the sum over the nodes of how much more than a few u the static engine's rule for the node's local
  // derivative may err relatively, where the rule's formula cancels (tanh's 1 - y*y near |y| = 1, asin's
  // 1 - x*x, expm1's y + 1, a power's exponent c - 1, ...). A gradient's rounding is then within
  // grad_error + u K G_abs (each path's product errs by at most u K relatively). The Hessian's check uses it.
  double condition = 0;
};

// m_k: the rounding of operation k in units of u (oracle.hpp says why these).
inline double rounding_units(const Node& n) {
  switch (n.op) {
    case Op::add:
    case Op::sub:
    case Op::mul:
    case Op::div:
    case Op::sqrt:
      return 1;
    case Op::pow_int:
      return std::max(4.0, std::abs(n.index) + 1.0);
    case Op::neg:
    case Op::input:
    case Op::constant:
      return 0;
    case Op::cbrt:  // glibc's documented maxima on x86-64: 4 ulp for cbrt, 5 for erfc
      return 8;
    case Op::erfc:
      return 10;
    default:
      return 4;
  }
}

// How the reference computes pow(x, n) for an integer n: as the plain function (and the runtime engine's
// Pow<double>) do, by std::pow, or as the static engine's Pow<int> does, by repeated multiplication.
enum class Powers { library, multiplied };

inline double multiplied_power(double x, int n) {  // ops::Pow<int>'s value, operation for operation
  const unsigned m = n < 0 ? 0u - static_cast<unsigned>(n) : static_cast<unsigned>(n);
  double r = 1.0;
  if (m == 1) r = x;
  if (m >= 2) r = x * x;
  for (unsigned i = 2; i < m; ++i) r = r * x;
  return n < 0 ? 1.0 / r : r;
}

inline Reference reference(const Expression& e, const std::vector<double>& x, int depth,
                           Powers powers = Powers::library) {
  const auto power = [&](double a, int n) {
    return powers == Powers::library ? std::pow(a, n) : multiplied_power(a, n);
  };
  std::vector<double> v(e.nodes.size());
  for (int k = 0; k <= e.root(); ++k) {
    const Node& n = e.at(k);
    const auto i = static_cast<std::size_t>(k);
    if (n.op == Op::input)
      v[i] = x[static_cast<std::size_t>(n.index)];
    else if (n.op == Op::pow_int)
      v[i] = power(v[static_cast<std::size_t>(n.a)], n.index);
    else if (n.op != Op::constant)
      v[i] = apply_node(e, k, v);
  }
  const auto size = e.nodes.size();
  std::vector<double> adj(size, 0), adj_abs(size, 0);
  adj.back() = adj_abs.back() = 1;
  const auto val = [&](int k) { return e.is_constant(k) ? e.at(k).c : v[static_cast<std::size_t>(k)]; };
  double error = 0, condition = 0;
  for (int k = e.root(); k >= 0; --k) {
    const Node& n = e.at(k);
    const double g = adj[static_cast<std::size_t>(k)], ga = adj_abs[static_cast<std::size_t>(k)];
    error += rounding_units(n) * std::abs(g * v[static_cast<std::size_t>(k)]);
    if (arity(n.op) == 0) continue;
    // d(node)/d(operand 0) and d(node)/d(operand 1)
    const double a = val(n.a), b = n.b >= 0 ? val(n.b) : 0;
    double da = 0, db = 0;
    switch (n.op) {
      case Op::add:
        da = 1, db = 1;
        break;
      case Op::sub:
        da = 1, db = -1;
        break;
      case Op::mul:
        da = b, db = a;
        break;
      case Op::div:
        da = 1 / b, db = -a / (b * b);
        break;
      case Op::neg:
        da = -1;
        break;
      case Op::pow_int:
        da = n.index * power(a, n.index - 1);
        break;
      case Op::pow_double:
        da = n.c * std::pow(a, n.c - 1);
        break;
      case Op::exp:
        da = std::exp(a);
        break;
      case Op::log:
        da = 1 / a;
        break;
      case Op::sqrt:
        da = 0.5 / std::sqrt(a);
        break;
      case Op::sin:
        da = std::cos(a);
        break;
      case Op::cos:
        da = -std::sin(a);
        break;
      case Op::tanh:
        da = 1 - std::tanh(a) * std::tanh(a);
        break;
      case Op::atan2:
        da = b / (a * a + b * b), db = -a / (a * a + b * b);
        break;
      case Op::hypot:
        da = a / std::hypot(a, b), db = b / std::hypot(a, b);
        break;
      case Op::pow_var:
        da = b * std::pow(a, b - 1), db = std::pow(a, b) * std::log(a);
        break;
      case Op::tan:
        da = 1 / (std::cos(a) * std::cos(a));
        break;
      case Op::asin:
        da = 1 / std::sqrt(1 - a * a);
        break;
      case Op::acos:
        da = -1 / std::sqrt(1 - a * a);
        break;
      case Op::atan:
        da = 1 / (1 + a * a);
        break;
      case Op::sinh:
        da = std::cosh(a);
        break;
      case Op::cosh:
        da = std::sinh(a);
        break;
      case Op::asinh:
        da = 1 / std::sqrt(a * a + 1);
        break;
      case Op::acosh:
        da = 1 / std::sqrt(a * a - 1);
        break;
      case Op::atanh:
        da = 1 / (1 - a * a);
        break;
      case Op::exp2:
        da = std::exp2(a) * 0.6931471805599453;
        break;
      case Op::expm1:
        da = std::exp(a);
        break;
      case Op::log2:
        da = 1 / (a * 0.6931471805599453);
        break;
      case Op::log10:
        da = 1 / (a * 2.302585092994046);
        break;
      case Op::log1p:
        da = 1 / (1 + a);
        break;
      case Op::cbrt:
        da = 1 / (3 * std::cbrt(a) * std::cbrt(a));
        break;
      case Op::erf:
        da = 1.1283791670955126 * std::exp(-a * a);
        break;
      case Op::erfc:
        da = -1.1283791670955126 * std::exp(-a * a);
        break;
      default:
        break;
    }
    const double y = v[static_cast<std::size_t>(k)];
    switch (n.op) {
      case Op::tanh:
        condition += y * y / std::abs(1 - y * y);
        break;
      case Op::asin:
      case Op::acos:
        condition += a * a / (2 * std::abs(1 - a * a));
        break;
      case Op::atanh:
        condition += a * a / std::abs(1 - a * a);
        break;
      case Op::acosh:
        condition += a * a / (2 * std::abs(a * a - 1));
        break;
      case Op::expm1:
        condition += std::abs(y) / std::abs(y + 1);
        break;
      case Op::log1p:
        condition += std::abs(a) / std::abs(a + 1);
        break;
      case Op::pow_double:
        condition += std::abs(n.c * std::log(std::abs(a)));
        break;
      case Op::pow_var:
        condition += std::abs(b * std::log(std::abs(a)));
        break;
      default:
        break;
    }
    const auto push = [&](int operand, double d) {
      if (operand < 0 || e.is_constant(operand)) return;
      adj[static_cast<std::size_t>(operand)] += g * d;
      adj_abs[static_cast<std::size_t>(operand)] += ga * std::abs(d);
    };
    push(n.a, da);
    push(n.b, db);
  }
  Reference r;
  r.condition = condition;
  r.value = v.back();
  r.value_error = unit_roundoff * error;
  for (int i = 0; i < e.inputs; ++i) {
    r.grad.push_back(adj[static_cast<std::size_t>(i)]);
    r.grad_abs.push_back(adj_abs[static_cast<std::size_t>(i)]);
    r.grad_error.push_back(unit_roundoff * (8.0 * depth + static_cast<double>(size)) *
                           adj_abs[static_cast<std::size_t>(i)]);
  }
  return r;
}

}  // namespace dezero::differential
