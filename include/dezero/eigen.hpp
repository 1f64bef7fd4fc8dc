// Eigen matrices of runtime Variables (issue 12, section 4): what Eigen needs so that
// `Eigen::Matrix<dezero::Variable, Eigen::Dynamic, 1>` and `Eigen::Matrix<dezero::Variable, Eigen::Dynamic,
// Eigen::Dynamic>` work, and generic code written once runs on double and on Variable:
//
//   template <class T>
//   T energy(const Eigen::Matrix<T, Eigen::Dynamic, 1>& x) { return x.dot(x) + x.sum(); }
//
//   Eigen::Matrix<dezero::Variable, Eigen::Dynamic, 1> x(3);
//   x << 1.0, 2.0, 3.0;                   // each element a leaf Variable
//   dezero::Variable y = energy(x);       // the graph of every scalar operation Eigen performed
//   y.backward();                         // x(i).grad(): dy/dx_i
//
// - Eigen::NumTraits<dezero::Variable>: a real, signed, non-integer scalar that needs construction
//   (Eigen then default-constructs and copies elements instead of memcpy'ing them).
// - Eigen::ScalarBinaryOpTraits with double on either side: `2.0 * x`, `x.array() - 1.0`.
// - The math Eigen calls through `numext` (sqrt, exp, log, sin, cos, tanh) is found by argument-dependent
//   lookup in namespace dezero (dezero/runtime/operations.hpp); abs2 is x * x. What has no rule (abs,
//   comparisons, hence lpNorm<1>, normalized(), decompositions with pivoting) is not provided.
// - `+= -= *= /=` on Variable, which Eigen's compound assignments (`y += A * x`) and its products use:
//   `a = a + b`, a new node, as every other operation.
//
// Only a user who includes this header needs Eigen (Debian's libeigen3-dev; in CMake,
// `find_package(dezero COMPONENTS eigen)` and the target dezero::eigen).
#pragma once

#include <Eigen/Core>

#include "dezero/runtime.hpp"

namespace dezero {

// Eigen's compound assignments and its product kernels update scalars in place. A Variable is a handle:
// the handle is rebound to the new node, as `a = a + b` would.
inline Variable& operator+=(Variable& a, const Variable& b) { return a = a + b; }
inline Variable& operator-=(Variable& a, const Variable& b) { return a = a - b; }
inline Variable& operator*=(Variable& a, const Variable& b) { return a = a * b; }
inline Variable& operator/=(Variable& a, const Variable& b) { return a = a / b; }
inline Variable& operator+=(Variable& a, double b) { return a = a + b; }
inline Variable& operator-=(Variable& a, double b) { return a = a - b; }
inline Variable& operator*=(Variable& a, double b) { return a = a * b; }
inline Variable& operator/=(Variable& a, double b) { return a = a / b; }

// A column vector and a matrix of Variables, for generic code that names its scalar type.
using VectorX = Eigen::Matrix<Variable, Eigen::Dynamic, 1>;
using MatrixX = Eigen::Matrix<Variable, Eigen::Dynamic, Eigen::Dynamic>;

}  // namespace dezero

namespace Eigen {

template <>
struct NumTraits<dezero::Variable> : NumTraits<double> {
  using Real = dezero::Variable;
  using NonInteger = dezero::Variable;
  using Nested = dezero::Variable;
  using Literal = double;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    // Each operation is a graph node (tens of nanoseconds): Eigen evaluates a subexpression that it would
    // otherwise compute twice into a temporary, so that no node is made twice.
    ReadCost = 1,
    AddCost = 50,
    MulCost = 50
  };
};

template <class BinaryOp>
struct ScalarBinaryOpTraits<dezero::Variable, double, BinaryOp> {
  using ReturnType = dezero::Variable;
};
template <class BinaryOp>
struct ScalarBinaryOpTraits<double, dezero::Variable, BinaryOp> {
  using ReturnType = dezero::Variable;
};

namespace internal {

// The imaginary part of a real scalar: zero, as a type. Eigen's matrix-vector product asks
// `imag(alpha) == RealScalar(0)` (for complex-by-real products) even for real scalars; answering with this
// type keeps Variable free of an `operator==` returning bool (comparisons of Variables are the runtime
// engine's business, not Eigen's).
struct zero_imaginary_part {
  friend constexpr bool operator==(zero_imaginary_part, const dezero::Variable&) { return true; }
  operator dezero::Variable() const { return dezero::Variable(0.0); }
};
template <>
struct imag_retval<dezero::Variable> {
  using type = zero_imaginary_part;
};
template <>
struct imag_impl<dezero::Variable> {
  static zero_imaginary_part run(const dezero::Variable&) { return {}; }
};

}  // namespace internal

}  // namespace Eigen
