// Hand-written values, gradients and full Hessians for the Hessian section of the peer comparison
// (benchmarks/peers, docs/benchmarks.md): goldstein and Rosenbrock of n variables. The reference every
// library's Hessian is checked against before it is timed, and the baseline of every ratio. Rosenbrock of 2
// variables is bench::rosenbrock_hessian (handwritten.hpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>

#include "handwritten.hpp"

namespace dezero::bench {

// goldstein = p * q by the product rule, as a person writes it: p = 1 + a^2 b with a = x + y + 1 and b the
// first polynomial, q = 30 + c^2 d with c = 2x - 3y and d the second; the partials of b and d written once.
// Not named goldstein_hessian: branch issue11-static adds that (the same derivation) to handwritten.hpp, and
// this one should give way to it once both are merged.
inline ValueGradHessian2 goldstein_value_grad_hessian(double x, double y) {
  const double a = x + y + 1, aa = a * a;
  const double b = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y;
  const double b1 = -14 + 6 * x + 6 * y;  // db/dx = db/dy; every second partial of b is 6
  const double c = 2 * x - 3 * y, cc = c * c;
  const double d = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y;
  const double dx = -32 + 24 * x - 36 * y, dy = 48 - 36 * x + 54 * y;  // d_xx = 24, d_xy = -36, d_yy = 54
  const double p = 1 + aa * b, q = 30 + cc * d;
  const double px = 2 * a * b + aa * b1;           // = p_y
  const double pxx = 2 * b + 4 * a * b1 + 6 * aa;  // = p_xy = p_yy
  const double qx = 4 * c * d + cc * dx, qy = -6 * c * d + cc * dy;
  const double qxx = 8 * d + 8 * c * dx + 24 * cc, qxy = -12 * d + 4 * c * dy - 6 * c * dx - 36 * cc,
               qyy = 18 * d - 12 * c * dy + 54 * cc;
  const double hxy = pxx * q + px * qy + px * qx + p * qxy;
  return {p * q,
          {px * q + p * qx, px * q + p * qy},
          {{{pxx * q + 2 * px * qx + p * qxx, hxy}, {hxy, pxx * q + 2 * px * qy + p * qyy}}}};
}

// Rosenbrock of n variables, the sum of rosenbrock(x[i], x[i + 1]): its value, its gradient into g (n) and
// its full Hessian into h (n * n, row-major), every entry written (the band, and zeros elsewhere).
inline double rosenbrock_hessian(std::span<const double> x, std::span<double> g, std::span<double> h) {
  const std::size_t n = x.size();
  std::fill(g.begin(), g.end(), 0.0);
  std::fill(h.begin(), h.end(), 0.0);
  double v = 0;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double x0 = x[i], x1 = x[i + 1], t = x1 - x0 * x0, u = 1 - x0, h01 = -400 * x0;
    v += 100 * t * t + u * u;
    g[i] += -400 * t * x0 - 2 * u;
    g[i + 1] += 200 * t;
    h[i * n + i] += 1200 * x0 * x0 - 400 * x1 + 2;
    h[i * n + i + 1] = h[(i + 1) * n + i] = h01;
    h[(i + 1) * n + i + 1] += 200;
  }
  return v;
}

}  // namespace dezero::bench
