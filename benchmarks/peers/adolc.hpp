// ADOL-C: operator overloading on adouble records every operation on a tape (trace_on/trace_off); the
// drivers then sweep the tape (fos_reverse: one reverse sweep with the output weights u).
//   "ADOL-C tape+gradient": taping inside the timed region (the graph changes with the inputs in real use),
//     recorded with keep = 1 so that the reverse sweep follows at once: the main figure.
//   "ADOL-C replay": the tape recorded once at construction, then zos_forward (values, keep = 1) and
//     fos_reverse at the new inputs: valid only because no problem here branches on its inputs.
// Tape buffers are sized from the problem, so that no tape is written to a file.
#pragma once

#include <adolc/adolc.h>

#include "problems.hpp"

namespace dezero::peers {

inline short new_tag() {
  static short next = 1;
  return next++;
}

// Records body(x) -> outputs on tape `tag`: the independents take x, the dependents' values go to y.
// operations: an upper bound on the operations recorded, for the buffer sizes.
template <class Body>
void record(short tag, int keep, const std::vector<double>& x, std::vector<double>& y, std::size_t operations,
            Body body) {
  const auto size = static_cast<uint>(std::max<std::size_t>(operations, 1 << 16));
  trace_on(tag, keep, size, 4 * size, size, 4 * size);
  std::vector<adouble> ax(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) ax[i] <<= x[i];
  std::vector<adouble> ay = body(ax);
  for (std::size_t j = 0; j < ay.size(); ++j) ay[j] >>= y[j];
  trace_off();
}

template <bool replay>
struct Adolc {
  static constexpr const char* name = replay ? "ADOL-C replay" : "ADOL-C tape+gradient";

  // The tape of one function of a few variables, and the sweeps that give its value and gradient.
  template <class F, std::size_t n>
  struct Small {
    static constexpr std::size_t operations = 1 << 16;  // 30,000 for chain10000
    static std::pair<double, std::array<double, n>> gradient(F f, const std::array<double, n>& at) {
      static const short tag = new_tag();
      std::vector<double> x(at.begin(), at.end()), y(1);
      auto body = [f](std::vector<adouble>& a) {
        return std::vector<adouble>{
            [&]<std::size_t... I>(std::index_sequence<I...>){return adouble(f(a[I]...));
      }(std::make_index_sequence<n>{})
    };
  };
  static const bool taped = replay && (record(tag, 0, x, y, operations, body), true);
  (void)taped;
  if (replay)
    zos_forward(tag, 1, n, 1, x.data(), y.data());
  else
    record(tag, 1, x, y, operations, body);
  double u = 1;
  std::array<double, n> g;
  fos_reverse(tag, 1, n, &u, g.data());
  return {y[0], g};
}
};

template <class F>
static ValueAndGrad2 gradient2(F f, double x, double y) {
  const auto [v, g] = Small<F, 2>::gradient(f, {x, y});
  return {v, g};
}

template <class F>
static std::pair<double, double> gradient1(F f, double x) {
  const auto [v, g] = Small<F, 1>::gradient(f, {x});
  return {v, g[0]};
}

// A function of an array with m outputs (m = 1: a sum; m = n: elementwise, whose gradient of the sum is
// the derivative of each output): fos_reverse with weights u = 1 gives the gradient of their sum.
template <class Body, bool elementwise, std::size_t operations_per_element>
struct Array {
  const std::vector<double>& x;
  std::vector<double> y, u, g;
  short tag = new_tag();
  explicit Array(const std::vector<double>& x)
      : x(x), y(elementwise ? x.size() : 1), u(y.size(), 1.0), g(x.size()) {
    if (replay) record(tag, 0, x, y, operations_per_element * x.size(), Body{});
  }
  void run() {
    const int n = static_cast<int>(x.size()), m = static_cast<int>(y.size());
    if (replay)
      zos_forward(tag, m, n, 1, x.data(), y.data());
    else
      record(tag, 1, x, y, operations_per_element * x.size(), Body{});
    fos_reverse(tag, m, n, u.data(), g.data());
  }
  double value(std::size_t i = 0) const { return y[i]; }
  double grad(std::size_t i) const { return g[i]; }
};

struct RosenbrockBody {
  std::vector<adouble> operator()(std::vector<adouble>& x) const { return {rosenbrock_sum(x, adouble(0.0))}; }
};
struct DynamicBody {
  std::vector<adouble> operator()(std::vector<adouble>& x) const { return {smooth_sum(x, adouble(0.0))}; }
};
struct SmoothBody {
  std::vector<adouble> operator()(std::vector<adouble>& x) const {
    std::vector<adouble> y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = smooth(x[i]);
    return y;
  }
};
struct LeastSquaresBody {
  std::vector<adouble> operator()(std::vector<adouble>& x) const {
    return {least_squares_sum(x[0], x[1], adouble(0.0))};
  }
};
using Rosenbrock = Array<RosenbrockBody, false, 16>;
using LeastSquares = Array<LeastSquaresBody, false, 4 * least_squares_n>;  // per parameter: a size hint
using Dynamic = Array<DynamicBody, false, 16>;
using Smooth = Array<SmoothBody, true, 16>;
}
;

// The Hessian section's ADOL-C: taping (keep = 1) and fos_reverse for the value and the gradient, then
// ADOL-C's hessian driver (a forward and a second-order reverse sweep per row, the lower triangle), mirrored
// into the upper triangle; all timed, the taping too, as "ADOL-C tape+gradient".
struct AdolcHessian {
  static constexpr const char* name = "ADOL-C tape+hessian";

  template <class Body>
  static double tape_hessian(short tag, const std::vector<double>& x, std::vector<double>& y, double* g,
                             double** rows, std::size_t operations, Body body) {
    const int n = static_cast<int>(x.size());
    record(tag, 1, x, y, operations, body);
    double u = 1;
    fos_reverse(tag, 1, n, &u, g);
    ::hessian(tag, n, const_cast<double*>(x.data()), rows);
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j) rows[i][j] = rows[j][i];
    return y[0];
  }

  template <class F>
  static ValueGradHessian2 hessian2(F f, double x0, double y0) {
    static const short tag = new_tag();
    std::vector<double> x{x0, y0}, y(1);
    ValueGradHessian2 r;
    double* rows[2] = {r.hessian[0].data(), r.hessian[1].data()};
    r.value = tape_hessian(tag, x, y, r.grad.data(), rows, 1 << 16, [f](std::vector<adouble>& a) {
      return std::vector<adouble>{adouble(f(a[0], a[1]))};
    });
    return r;
  }

  struct RosenbrockHessian : HessianArray {
    short tag = new_tag();
    std::vector<double> y{0.0};
    std::vector<double*> rows;
    explicit RosenbrockHessian(const std::vector<double>& x) : HessianArray(x), rows(x.size()) {
      for (std::size_t i = 0; i < x.size(); ++i) rows[i] = h.data() + i * x.size();
    }
    void run() {
      v = tape_hessian(tag, x, y, g.data(), rows.data(), 16 * x.size(), [](std::vector<adouble>& a) {
        return std::vector<adouble>{rosenbrock_sum(a, adouble(0.0))};
      });
    }
  };
};

}  // namespace dezero::peers
