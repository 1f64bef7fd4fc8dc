// Hand-written values and derivatives: the baselines every benchmark is measured against, and the
// reference every engine's gradient is checked against before it is timed.
#pragma once

#include <array>

namespace dezero::bench {

struct ValueAndGrad2 {
  double value;
  std::array<double, 2> grad;
};

inline ValueAndGrad2 goldstein(double x, double y) {
  const double a = x + y + 1, b = 2 * x - 3 * y;
  const double p = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y;
  const double q = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y;
  const double A = 1 + a * a * p, B = 30 + b * b * q;
  const double dp = -14 + 6 * x + 6 * y;  // dp/dx and dp/dy are the same
  const double dAdx = 2 * a * p + a * a * dp, dAdy = dAdx;
  const double dBdx = 4 * b * q + b * b * (-32 + 24 * x - 36 * y);
  const double dBdy = -6 * b * q + b * b * (48 - 36 * x + 54 * y);
  return {A * B, {dAdx * B + A * dBdx, dAdy * B + A * dBdy}};
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
