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
//                                   adjoint gy, the output value y and the input values.
// Formulas follow DeZero's core.py term by term (same operations in the same order), so that results
// agree to the last bit with DeZero wherever the arithmetic is exact.
#pragma once

#include <cmath>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "dezero/ops/inline.hpp"
#include "dezero/ops/math.hpp"

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

}  // namespace dezero::ops
