// Hand-written values and derivatives: the baselines every benchmark is measured against, and the
// reference every engine's gradient is checked against before it is timed.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <tuple>

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

// Values, gradients and Hessians as a person writes them: each partial derivative from its formula, shared
// factors named once, the Hessian's symmetric entries computed once.
template <std::size_t N>
struct ValueGradHessian {
  double value;
  std::array<double, N> grad;
  std::array<std::array<double, N>, N> hessian;
};
using ValueGradHessian2 = ValueGradHessian<2>;

inline ValueGradHessian2 sphere_hessian(double x, double y) {
  return {x * x + y * y, {2.0 * x, 2.0 * y}, {{{2.0, 0.0}, {0.0, 2.0}}}};
}

inline ValueGradHessian2 matyas_hessian(double x, double y) {
  return {0.26 * (x * x + y * y) - 0.48 * x * y,
          {0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x},
          {{{0.52, -0.48}, {-0.48, 0.52}}}};
}

inline ValueGradHessian2 rosenbrock_hessian(double x0, double x1) {
  const double t = x1 - x0 * x0, u = 1 - x0, h01 = -400 * x0;
  return {100 * t * t + u * u,
          {-400 * t * x0 - 2 * u, 200 * t},
          {{{1200 * x0 * x0 - 400 * x1 + 2, h01}, {h01, 200}}}};
}

// goldstein = p q, p = 1 + a^2 b, q = 30 + c^2 d, with a, b, c, d the four polynomials: d/dx and d/dy of each
// written once (b's two are one expression, and so p's), then the product rule. The parts both the gradient
// below and the Hessian use:
struct GoldsteinParts {
  double a, aa, b, bx, c, cc, d, dx, dy, p, px, q, qx, qy;
};
inline GoldsteinParts goldstein_parts(double x, double y) {
  const double a = x + y + 1, aa = a * a;
  const double b = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y, bx = -14 + 6 * x + 6 * y;
  const double c = 2 * x - 3 * y, cc = c * c;
  const double d = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y;
  const double dx = -32 + 24 * x - 36 * y, dy = 48 - 36 * x + 54 * y;
  return {a,
          aa,
          b,
          bx,
          c,
          cc,
          d,
          dx,
          dy,
          1 + aa * b,
          2 * a * b + aa * bx,
          30 + cc * d,
          4 * c * d + cc * dx,
          -6 * c * d + cc * dy};
}

// The tighter first-order derivation (issue 11, section 3): the benchmark's baseline for goldstein's
// gradient.
inline ValueAndGrad2 goldstein_by_polynomials(double x, double y) {
  const auto g = goldstein_parts(x, y);
  return {g.p * g.q, {g.px * g.q + g.p * g.qx, g.px * g.q + g.p * g.qy}};
}

inline ValueGradHessian2 goldstein_hessian(double x, double y) {
  const auto [a, aa, b, bx, c, cc, d, dx, dy, p, px, q, qx, qy] = goldstein_parts(x, y);
  const double pxx = 2 * b + 4 * a * bx + 6 * aa;
  const double qxx = 8 * d + 8 * c * dx + 24 * cc, qxy = -12 * d + 4 * c * dy - 6 * c * dx - 36 * cc;
  const double qyy = 18 * d - 12 * c * dy + 54 * cc;
  const double fxy = pxx * q + px * (qx + qy) + p * qxy;
  return {p * q,
          {px * q + p * qx, px * q + p * qy},
          {{{pxx * q + 2 * px * qx + p * qxx, fxy}, {fxy, pxx * q + 2 * px * qy + p * qyy}}}};
}

// The function of six variables with exp, sin and a quotient (generic: the engines run it too).
inline constexpr auto exp_sin_quotient = [](const auto& a, const auto& b, const auto& c, const auto& d,
                                            const auto& e, const auto& f) {
  using std::exp, std::sin;
  return exp(a * b) * sin(c + d * e) + (a - f) / (b * b + 1.0) + c * d * e * f;
};

inline ValueGradHessian<6> exp_sin_quotient_hessian(const std::array<double, 6>& x) {
  const double a = x[0], b = x[1], c = x[2], d = x[3], e = x[4], f = x[5];
  const double E = std::exp(a * b), u = c + d * e, s = std::sin(u), co = std::cos(u);
  const double w = b * b + 1, iw = 1 / w, r = (a - f) / w,
               bw = 2 * b * iw * iw;  // the value as f computes it
  const double Es = E * s, Ec = E * co, bEc = b * Ec, aEc = a * Ec;
  const double ef = e * f, df = d * f, de = d * e, cf = c * f, ce = c * e, cd = c * d;
  const double hab = (E + a * b * E) * s - bw, hbb = a * a * Es - (a - f) * (2 - 8 * b * b * iw) * iw * iw;
  const double hcd = ef - Es * e, hce = df - Es * d, hde = Ec + cf - Es * e * d;
  return {Es + r + cd * ef,
          {b * Es + iw, a * Es - r * b * 2 * iw, Ec + d * ef, Ec * e + c * ef, Ec * d + c * df, cd * e - iw},
          {{{b * b * Es, hab, bEc, bEc * e, bEc * d, 0.0},
            {hab, hbb, aEc, aEc * e, aEc * d, bw},
            {bEc, aEc, -Es, hcd, hce, de},
            {bEc * e, aEc * e, hcd, -Es * e * e, hde, ce},
            {bEc * d, aEc * d, hce, hde, -Es * d * d, cd},
            {0.0, bw, de, ce, cd, 0.0}}}};
}

// The Lorenz vector field (sigma = 10, rho = 28, beta = 8/3), generic, and its value and Jacobian by hand.
inline constexpr auto lorenz = [](const auto& x, const auto& y, const auto& z) {
  return std::tuple{10.0 * (y - x), x * (28.0 - z) - y, x * y - 8.0 / 3.0 * z};
};
struct ValueAndJacobian3 {
  std::array<double, 3> value;
  std::array<std::array<double, 3>, 3> jacobian;
};
inline ValueAndJacobian3 lorenz_jacobian(const std::array<double, 3>& p) {
  const double x = p[0], y = p[1], z = p[2], beta = 8.0 / 3.0;
  return {{10.0 * (y - x), x * (28.0 - z) - y, x * y - beta * z},
          {{{-10.0, 10.0, 0.0}, {28.0 - z, -1.0, -x}, {y, x, -beta}}}};
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
