// The shared vocabulary: one tag per operation, named after DeZero's Function class, carrying the
// operation's value and derivative rules written once, generically. Both engines use these rules:
// the static engine on doubles (and compile-time constants), the runtime engine on `Variable`s, so that a
// backward rule is itself differentiable, as in DeZero's stage 3.
//
// A rule R provides
//   R::name                         DeZero's class name, for messages and graph dumps
//   R::arity                        the number of inputs
//   r(x0, ..., xk)                  the value
//   r.template grad<I>(gy, y, x0, ..., xk)
//                                   gy * dy/dx_I, the adjoint contribution to input I, given the output
//                                   adjoint gy, the output value y and the input values; `zero` for an
//                                   input that receives no gradient.
// A rule's value is the <cmath> function itself, so values agree with it bit for bit; a derivative map is
// written with operations that both engines provide, so that it is itself differentiable (higher order).
// Formulas follow DeZero's core.py term by term (same operations in the same order), so that results
// agree to the last bit with DeZero wherever the arithmetic is exact.
#pragma once

#include <cmath>
#include <cstddef>
#include <numbers>
#include <string_view>
#include <type_traits>

#include "dezero/ops/inline.hpp"
#include "dezero/ops/math.hpp"
#include "dezero/ops/one.hpp"

namespace dezero::ops {

struct Add {
  static constexpr std::string_view name = "Add";
  static constexpr std::size_t arity = 2;
  template <class X0, class X1>
  DEZERO_INLINE constexpr auto operator()(const X0& x0, const X1& x1) const {
    return x0 + x1;
  }
  template <std::size_t I, class G, class Y, class X0, class X1>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X0&, const X1&) const {
    return gy;
  }
};

struct Sub {
  static constexpr std::string_view name = "Sub";
  static constexpr std::size_t arity = 2;
  template <class X0, class X1>
  DEZERO_INLINE constexpr auto operator()(const X0& x0, const X1& x1) const {
    return x0 - x1;
  }
  template <std::size_t I, class G, class Y, class X0, class X1>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X0&, const X1&) const {
    if constexpr (I == 0)
      return gy;
    else
      return -gy;
  }
};

struct Mul {
  static constexpr std::string_view name = "Mul";
  static constexpr std::size_t arity = 2;
  template <class X0, class X1>
  DEZERO_INLINE constexpr auto operator()(const X0& x0, const X1& x1) const {
    return x0 * x1;
  }
  template <std::size_t I, class G, class Y, class X0, class X1>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X0& x0, const X1& x1) const {
    if constexpr (I == 0)
      return gy * x1;
    else
      return gy * x0;
  }
};

struct Div {
  static constexpr std::string_view name = "Div";
  static constexpr std::size_t arity = 2;
  template <class X0, class X1>
  DEZERO_INLINE constexpr auto operator()(const X0& x0, const X1& x1) const {
    return x0 / x1;
  }
  template <std::size_t I, class G, class Y, class X0, class X1>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X0& x0, const X1& x1) const {
    if constexpr (I == 0)
      return gy / x1;
    else
      return gy * (-x0 / square(x1));
  }
};

struct Neg {
  static constexpr std::string_view name = "Neg";
  static constexpr std::size_t arity = 1;
  template <class X>
  DEZERO_INLINE constexpr auto operator()(const X& x) const {
    return -x;
  }
  template <std::size_t I, class G, class Y, class X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X&) const {
    return -gy;
  }
};

struct Square {
  static constexpr std::string_view name = "Square";
  static constexpr std::size_t arity = 1;
  template <class X>
  DEZERO_INLINE constexpr auto operator()(const X& x) const {
    return x * x;
  }
  template <std::size_t I, class G, class Y, class X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X& x) const {
    return 2.0 * x * gy;
  }
};

// x ** c with c fixed when the function is made (DeZero keeps it as an attribute, not an input). Pow<double>
// is DeZero's Pow; Pow<int> is the static engine's pow(x, int): its value is repeated multiplication
// (constexpr, and straight-line once c is known). One derivative formula serves both, so that c = 2 agrees
// to the last bit whichever exponent type made it.
template <class E>
struct Pow {
  static_assert(std::is_same_v<E, double> || std::is_same_v<E, int>,
                "Pow: the exponent is a double or an int");
  static constexpr std::string_view name = "Pow";
  static constexpr std::size_t arity = 1;
  E c;
  template <class X>
  DEZERO_INLINE constexpr auto operator()(const X& x) const {
    return power(x, c);
  }
  template <std::size_t I, class G, class Y, class X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X& x) const {
    // For c = 2, (2 * gy) * x equals 2 * x * gy exactly (scaling by 2 is exact) and lets a constant gy fold.
    if constexpr (std::is_integral_v<E>)
      if (c == 2) return 2 * gy * x;
    return c * power(x, c - 1) * gy;
  }

 private:
  template <class X>
  DEZERO_INLINE static constexpr auto power(const X& x, E c) {
    if constexpr (std::is_integral_v<E>) {
      using R = decltype(x * x);
      const unsigned m = c < 0 ? 0u - static_cast<unsigned>(c) : static_cast<unsigned>(c);
      R r = static_cast<R>(1.0);
      if (m == 1) r = static_cast<R>(x);
      if (m >= 2) r = x * x;
      for (unsigned i = 2; i < m; ++i) r = r * x;
      if (c < 0) return static_cast<R>(1.0 / r);
      return r;
    } else if constexpr (std::is_arithmetic_v<X>) {
      return numpy_power(x, c);  // numpy's exponents 2, 1, 0.5, 0, -1 without a pow call
    } else {
      using std::pow;
      return pow(x, c);
    }
  }
};

struct Exp {
  static constexpr std::string_view name = "Exp";
  static constexpr std::size_t arity = 1;
  template <class X>
  DEZERO_INLINE constexpr auto operator()(const X& x) const {
    using std::exp;
    return exp(x);
  }
  template <std::size_t I, class G, class Y, class X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y& y, const X&) const {
    return gy * y;
  }
};

struct Log {
  static constexpr std::string_view name = "Log";
  static constexpr std::size_t arity = 1;
  template <class X>
  DEZERO_INLINE constexpr auto operator()(const X& x) const {
    using std::log;
    return log(x);
  }
  template <std::size_t I, class G, class Y, class X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X& x) const {
    return gy / x;
  }
};

struct Sqrt {
  static constexpr std::string_view name = "Sqrt";
  static constexpr std::size_t arity = 1;
  template <class X>
  DEZERO_INLINE constexpr auto operator()(const X& x) const {
    using std::sqrt;
    return sqrt(x);
  }
  template <std::size_t I, class G, class Y, class X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y& y, const X&) const {
    return gy / (2.0 * y);
  }
};

struct Sin {
  static constexpr std::string_view name = "Sin";
  static constexpr std::size_t arity = 1;
  template <class X>
  DEZERO_INLINE constexpr auto operator()(const X& x) const {
    using std::sin;
    return sin(x);
  }
  template <std::size_t I, class G, class Y, class X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X& x) const {
    using std::cos;
    return gy * cos(x);
  }
};

struct Cos {
  static constexpr std::string_view name = "Cos";
  static constexpr std::size_t arity = 1;
  template <class X>
  DEZERO_INLINE constexpr auto operator()(const X& x) const {
    using std::cos;
    return cos(x);
  }
  template <std::size_t I, class G, class Y, class X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X& x) const {
    using std::sin;
    return gy * -sin(x);
  }
};

struct Tanh {
  static constexpr std::string_view name = "Tanh";
  static constexpr std::size_t arity = 1;
  template <class X>
  DEZERO_INLINE constexpr auto operator()(const X& x) const {
    using std::tanh;
    return tanh(x);
  }
  template <std::size_t I, class G, class Y, class X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y& y, const X&) const {
    return gy * (1.0 - y * y);
  }
};

// The functions of <cmath> beyond DeZero's. A rule of one argument whose value is the <cmath> function f
// of that name, found as generic code finds it (std:: for a number).
#define DEZERO_CMATH_VALUE(f)                                 \
  template <class X>                                          \
  DEZERO_INLINE constexpr auto operator()(const X& x) const { \
    using std::f;                                             \
    return f(x);                                              \
  }
#define DEZERO_CMATH_VALUE2(f)                                                \
  template <class X0, class X1>                                               \
  DEZERO_INLINE constexpr auto operator()(const X0& x0, const X1& x1) const { \
    using std::f;                                                             \
    return f(static_cast<double>(x0), static_cast<double>(x1));               \
  }

// A rule of one argument: DeZero's class shape, with the value the <cmath> function `value` and the
// derivative map `derivative` (of gy, y and x).
#define DEZERO_CMATH_RULE(Name, value, derivative)                                               \
  struct Name {                                                                                  \
    static constexpr std::string_view name = #Name;                                              \
    static constexpr std::size_t arity = 1;                                                      \
    DEZERO_CMATH_VALUE(value)                                                                    \
    template <std::size_t I, class G, class Y, class X>                                          \
    DEZERO_INLINE constexpr auto grad([[maybe_unused]] const G& gy, [[maybe_unused]] const Y& y, \
                                      [[maybe_unused]] const X& x) const {                       \
      using std::cosh, std::exp, std::sinh, std::sqrt;                                           \
      return derivative;                                                                         \
    }                                                                                            \
  };

// abs and fabs. abs'(0) = 0, as PyTorch (docs/errors.md, "Non-differentiable points").
DEZERO_CMATH_RULE(Abs, abs, gy* sign(x))

// numpy's sign: piecewise constant, so no gradient.
struct Sign {
  static constexpr std::string_view name = "Sign";
  static constexpr std::size_t arity = 1;
  template <class X>
  DEZERO_INLINE constexpr auto operator()(const X& x) const {
    return sign(static_cast<double>(x));
  }
  template <std::size_t I, class G, class Y, class X>
  DEZERO_INLINE constexpr zero grad(const G&, const Y&, const X&) const {
    return {};
  }
};

// max, min, fmax and fmin of two operands: the value is the <cmath> function's; the gradient goes to the
// larger (smaller) operand, and half to each at a tie, as JAX and PyTorch give.
template <bool Largest, bool Fmax>
struct Extremum {
  static constexpr std::string_view name =
      Largest ? (Fmax ? "Fmax" : "Maximum") : (Fmax ? "Fmin" : "Minimum");
  static constexpr std::size_t arity = 2;
  template <class X0, class X1>
  DEZERO_INLINE constexpr auto operator()(const X0& x0, const X1& x1) const {
    const double a = static_cast<double>(x0), b = static_cast<double>(x1);
    if constexpr (Fmax)
      return Largest ? std::fmax(a, b) : std::fmin(a, b);
    else  // std::max and std::min as the standard defines them, without <algorithm>'s compile time
      return Largest ? (a < b ? b : a) : (b < a ? b : a);
  }
  template <std::size_t I, class G, class Y, class X0, class X1>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X0& x0, const X1& x1) const {
    if constexpr ((I == 0) == Largest)
      return gy * ((x0 > x1) + 0.5 * (x0 == x1));
    else
      return gy * ((x0 < x1) + 0.5 * (x0 == x1));
  }
};
using Maximum = Extremum<true, false>;
using Minimum = Extremum<false, false>;
using Fmax = Extremum<true, true>;
using Fmin = Extremum<false, true>;

// x0 ** x1 with a variable exponent (Pow keeps a fixed one). d/dx1 at x0 = 0 is 0, as PyTorch gives, not
// 0 * log(0).
struct PowVariable {
  static constexpr std::string_view name = "Pow";
  static constexpr std::size_t arity = 2;
  DEZERO_CMATH_VALUE2(pow)
  template <std::size_t I, class G, class Y, class X0, class X1>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y& y, const X0& x0, const X1& x1) const {
    using std::log, std::pow;
    if constexpr (I == 0)
      return gy * (x1 * pow(x0, x1 - 1.0));
    else
      return gy * masked<true>(x0 != 0.0, y * log(x0));
  }
};

struct Atan2 {
  static constexpr std::string_view name = "Atan2";
  static constexpr std::size_t arity = 2;
  DEZERO_CMATH_VALUE2(atan2)
  template <std::size_t I, class G, class Y, class X0, class X1>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const X0& x0, const X1& x1) const {
    if constexpr (I == 0)
      return gy * (x1 / (x0 * x0 + x1 * x1));
    else
      return gy * (-x0 / (x0 * x0 + x1 * x1));
  }
};

struct Hypot {
  static constexpr std::string_view name = "Hypot";
  static constexpr std::size_t arity = 2;
  DEZERO_CMATH_VALUE2(hypot)
  template <std::size_t I, class G, class Y, class X0, class X1>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y& y, const X0& x0, const X1& x1) const {
    if constexpr (I == 0)
      return gy * (x0 / y);
    else
      return gy * (x1 / y);
  }
};

DEZERO_CMATH_RULE(Tan, tan, gy*(1.0 + y * y))
DEZERO_CMATH_RULE(Asin, asin, gy / sqrt(1.0 - x * x))
DEZERO_CMATH_RULE(Acos, acos, -gy / sqrt(1.0 - x * x))
DEZERO_CMATH_RULE(Atan, atan, gy / (1.0 + x * x))
DEZERO_CMATH_RULE(Sinh, sinh, gy* cosh(x))
DEZERO_CMATH_RULE(Cosh, cosh, gy* sinh(x))
DEZERO_CMATH_RULE(Asinh, asinh, gy / sqrt(x * x + 1.0))
DEZERO_CMATH_RULE(Acosh, acosh, gy / sqrt(x * x - 1.0))
DEZERO_CMATH_RULE(Atanh, atanh, gy / (1.0 - x * x))
DEZERO_CMATH_RULE(Exp2, exp2, gy*(y* std::numbers::ln2))
DEZERO_CMATH_RULE(Expm1, expm1, gy*(y + 1.0))
DEZERO_CMATH_RULE(Log2, log2, gy / (x * std::numbers::ln2))
DEZERO_CMATH_RULE(Log10, log10, gy / (x * std::numbers::ln10))
DEZERO_CMATH_RULE(Log1p, log1p, gy / (x + 1.0))
DEZERO_CMATH_RULE(Cbrt, cbrt, gy / (3.0 * (y * y)))
DEZERO_CMATH_RULE(Erf, erf, gy*(2.0 * std::numbers::inv_sqrtpi * exp(-(x * x))))
DEZERO_CMATH_RULE(Erfc, erfc, gy*(-2.0 * std::numbers::inv_sqrtpi * exp(-(x * x))))
// Piecewise constant: derivative zero everywhere, as PyTorch (and no gradient at all past the rounding).
DEZERO_CMATH_RULE(Floor, floor, zero{})
DEZERO_CMATH_RULE(Ceil, ceil, zero{})
DEZERO_CMATH_RULE(Round, round, zero{})
DEZERO_CMATH_RULE(Trunc, trunc, zero{})

#undef DEZERO_CMATH_RULE
#undef DEZERO_CMATH_VALUE
#undef DEZERO_CMATH_VALUE2

// Comparisons: 1 where the relation holds, 0 elsewhere (numpy's boolean arrays, as doubles); a condition for
// where, through which no gradient flows.
#define DEZERO_COMPARISON(Name, op)                                                     \
  struct Name {                                                                         \
    static constexpr std::string_view name = #Name;                                     \
    static constexpr std::size_t arity = 2;                                             \
    template <class X0, class X1>                                                       \
    DEZERO_INLINE constexpr double operator()(const X0& x0, const X1& x1) const {       \
      return x0 op x1 ? 1.0 : 0.0;                                                      \
    }                                                                                   \
    template <std::size_t I, class G, class Y, class X0, class X1>                      \
    DEZERO_INLINE constexpr zero grad(const G&, const Y&, const X0&, const X1&) const { \
      return {};                                                                        \
    }                                                                                   \
  };
DEZERO_COMPARISON(Less, <)
DEZERO_COMPARISON(LessEqual, <=)
DEZERO_COMPARISON(Greater, >)
DEZERO_COMPARISON(GreaterEqual, >=)
DEZERO_COMPARISON(Equal, ==)
DEZERO_COMPARISON(NotEqual, !=)
#undef DEZERO_COMPARISON

// g where the condition c (1 or 0) is When, else +0.0: how a gradient reaches the operand that where chose,
// itself differentiable the same way. The condition receives no gradient.
template <bool When>
struct Masked {
  static constexpr std::string_view name = "Masked";
  static constexpr std::size_t arity = 2;
  template <class C, class X>
  DEZERO_INLINE constexpr double operator()(const C& c, const X& x) const {
    return masked<When>(c, x);
  }
  template <std::size_t I, class G, class Y, class C, class X>
  DEZERO_INLINE constexpr auto grad(const G& gy, const Y&, const C& c, const X&) const {
    if constexpr (I == 0)
      return zero{};
    else
      return masked<When>(c, gy);
  }
};

// where(c, a, b) is Where<true>(c, a) + Where<false>(c, b): Masked, but -0.0 where not chosen, the identity
// of IEEE addition, so that the sum is the chosen operand bit for bit (and never the other one's inf or nan).
template <bool When>
struct Where : Masked<When> {
  static constexpr std::string_view name = "Where";
  template <class C, class X>
  DEZERO_INLINE constexpr double operator()(const C& c, const X& x) const {
    return (c != 0) == When ? static_cast<double>(x) : -0.0;
  }
};

}  // namespace dezero::ops
