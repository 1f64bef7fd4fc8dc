// Hand-written values and derivatives: the baselines every benchmark is measured against, and the
// reference every engine's gradient is checked against before it is timed.
#pragma once

#include <array>
#include <cmath>

namespace dezero::bench {

struct ValueAndGrad2 {
  double value;
  std::array<double, 2> grad;
};

inline ValueAndGrad2 sphere(double x, double y) { return {x * x + y * y, {2.0 * x, 2.0 * y}}; }

inline ValueAndGrad2 matyas(double x, double y) {
  return {0.26 * (x * x + y * y) - 0.48 * x * y, {0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x}};
}

// Reverse mode by hand: the products' adjoints first, then the polynomials'.
inline ValueAndGrad2 goldstein(double x, double y) {
  const double a = x + y + 1, aa = a * a;
  const double b = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y;
  const double c = 2 * x - 3 * y, cc = c * c;
  const double d = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y;
  const double p = 1 + aa * b, q = 30 + cc * d;
  const double da = 2 * a * (q * b), db = q * aa, dc = 2 * c * (p * d), dd = p * cc;
  return {p * q,
          {da + db * (-14 + 6 * x + 6 * y) + 2 * dc + dd * (-32 + 24 * x - 36 * y),
           da + db * (-14 + 6 * x + 6 * y) - 3 * dc + dd * (48 - 36 * x + 54 * y)}};
}

inline ValueAndGrad2 rosenbrock(double x0, double x1) {
  const double t = x1 - x0 * x0, u = 1 - x0;
  return {100 * t * t + u * u, {-400 * t * x0 - 2 * u, 200 * t}};
}

// atan2(y, x) * hypot(x, y) + expm1(x * y) - log1p(x * x + y * y), the functions issue 13 added, with the
// derivatives a person writes: r2 = x^2 + y^2 shared, each term's partials from its formula.
inline ValueAndGrad2 cmath_mix(double x, double y) {
  const double r2 = x * x + y * y, a = std::atan2(y, x), h = std::hypot(x, y), e = std::expm1(x * y);
  const double l = std::log1p(r2), dl = 2 / (1 + r2);
  return {
      a * h + e - l,
      {-y / r2 * h + a * (x / h) + (e + 1) * y - dl * x, x / r2 * h + a * (y / h) + (e + 1) * x - dl * y}};
}

// Rosenbrock's value, gradient and Hessian, as a person writes them.
struct ValueGradHessian2 {
  double value;
  std::array<double, 2> grad;
  std::array<std::array<double, 2>, 2> hessian;
};
inline ValueGradHessian2 rosenbrock_hessian(double x0, double x1) {
  const double t = x1 - x0 * x0, u = 1 - x0, h01 = -400 * x0;
  return {100 * t * t + u * u,
          {-400 * t * x0 - 2 * u, 200 * t},
          {{{1200 * x0 * x0 - 400 * x1 + 2, h01}, {h01, 200}}}};
}

// ((x*x + 3x - 1) / (x*x + 1))^2 and its derivative, one element.
struct Smooth {
  double value, derivative;
};
inline Smooth smooth(double x) {
  const double u = x * x + 3 * x - 1, v = x * x + 1, r = u / v;
  return {r * r, 2 * r * ((2 * x + 3) * v - u * 2 * x) / (v * v)};
}

}  // namespace dezero::bench
