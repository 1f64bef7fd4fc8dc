// A random expression of the differential tests: a DAG of scalar operations over 1-4 inputs, stored in
// topological order (operands before the node, the root last). The one structure is
//   - evaluated generically: on double (the plain function, for finite differences) and on
//     dezero::Variable (a runtime-engine graph; a node used twice is one Variable, so sharing is real);
//   - printed as C++ source: a generic lambda that the static engine compiles (emit_static_tests.cpp),
//     and that a failing case prints so that it can be pasted into a regression test.
// Needs only the standard library: the generator executable includes it without dezero or Boost.
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace dezero::differential {

enum class Op {
  input,
  constant,
  add,
  sub,
  mul,
  div,
  neg,
  pow_int,
  pow_double,
  exp,
  log,
  sqrt,
  sin,
  cos,
  tanh,
  // issue 13: the smooth functions of <cmath> (the generator keeps each inside its domain)
  atan2,
  hypot,
  pow_var,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  asinh,
  acosh,
  atanh,
  exp2,
  expm1,
  log2,
  log10,
  log1p,
  cbrt,
  erf,
  erfc
};

// One past the last operation, for tables indexed by operation.
inline constexpr int operation_count = static_cast<int>(Op::erfc) + 1;

// The name of a function of <cmath> that an operation calls (nullptr for the others).
inline const char* cmath_name(Op op) {
  switch (op) {
    case Op::exp:
      return "exp";
    case Op::log:
      return "log";
    case Op::sqrt:
      return "sqrt";
    case Op::sin:
      return "sin";
    case Op::cos:
      return "cos";
    case Op::tanh:
      return "tanh";
    case Op::atan2:
      return "atan2";
    case Op::hypot:
      return "hypot";
    case Op::pow_var:
      return "pow";
    case Op::tan:
      return "tan";
    case Op::asin:
      return "asin";
    case Op::acos:
      return "acos";
    case Op::atan:
      return "atan";
    case Op::sinh:
      return "sinh";
    case Op::cosh:
      return "cosh";
    case Op::asinh:
      return "asinh";
    case Op::acosh:
      return "acosh";
    case Op::atanh:
      return "atanh";
    case Op::exp2:
      return "exp2";
    case Op::expm1:
      return "expm1";
    case Op::log2:
      return "log2";
    case Op::log10:
      return "log10";
    case Op::log1p:
      return "log1p";
    case Op::cbrt:
      return "cbrt";
    case Op::erf:
      return "erf";
    case Op::erfc:
      return "erfc";
    default:
      return nullptr;
  }
}

// The using-declaration that generic code over these operations starts with.
inline constexpr const char* using_cmath =
    "using std::acos, std::acosh, std::asin, std::asinh, std::atan, std::atan2, std::atanh, std::cbrt, "
    "std::cos, "
    "std::cosh, std::erf, std::erfc, std::exp, std::exp2, std::expm1, std::hypot, std::log, std::log10, "
    "std::log1p, std::log2, std::pow, std::sin, std::sinh, std::sqrt, std::tan, std::tanh;";

// A node. Operands a and b index earlier nodes; an operand that is a `constant` node is written as a literal
// (a constant operand, as `2.5 * x` is, not a leaf of the graph). `input` uses `index`; `constant` and
// `pow_double` use `c`; `pow_int` uses `index` as the exponent.
struct Node {
  Op op;
  int a = -1;
  int b = -1;
  double c = 0;
  int index = 0;
  friend bool operator==(const Node&, const Node&) = default;
};

struct Expression {
  int inputs = 1;
  std::vector<Node> nodes;  // the root is nodes.back()

  int root() const { return static_cast<int>(nodes.size()) - 1; }
  bool is_constant(int k) const { return nodes[static_cast<std::size_t>(k)].op == Op::constant; }
  const Node& at(int k) const { return nodes[static_cast<std::size_t>(k)]; }
};

inline int arity(Op op) {
  switch (op) {
    case Op::input:
    case Op::constant:
      return 0;
    case Op::add:
    case Op::sub:
    case Op::mul:
    case Op::div:
    case Op::atan2:
    case Op::hypot:
    case Op::pow_var:
      return 2;
    default:
      return 1;
  }
}

// The shortest decimal that reads back as the same double, always with a '.' or an exponent so that C++
// reads it as a double (an integer literal would make pow's exponent an int: another rule).
inline std::string literal(double v) {
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  std::string s(buf.data(), r.ptr);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  if (v < 0) s.insert(0, 1, '(').push_back(')');
  return s;
}

// The value of node k from its operands' values (T = double or dezero::Variable). Math is found as generic
// code finds it: std:: for double, argument-dependent lookup for Variable.
template <class T>
T apply_node(const Expression& e, int k, const std::vector<T>& v) {
  using std::acos, std::acosh, std::asin, std::asinh, std::atan, std::atan2, std::atanh, std::cbrt, std::cos,
      std::cosh, std::erf, std::erfc, std::exp, std::exp2, std::expm1, std::hypot, std::log, std::log10,
      std::log1p, std::log2, std::pow, std::sin, std::sinh, std::sqrt, std::tan, std::tanh;
  const Node& n = e.at(k);
  const auto x = [&](int i) -> const T& { return v[static_cast<std::size_t>(i)]; };
  const auto binary = [&](auto f) -> T {
    if (e.is_constant(n.a)) return f(e.at(n.a).c, x(n.b));
    if (e.is_constant(n.b)) return f(x(n.a), e.at(n.b).c);
    return f(x(n.a), x(n.b));
  };
  switch (n.op) {
    case Op::add:
      return binary([](const auto& p, const auto& q) -> T { return p + q; });
    case Op::sub:
      return binary([](const auto& p, const auto& q) -> T { return p - q; });
    case Op::mul:
      return binary([](const auto& p, const auto& q) -> T { return p * q; });
    case Op::div:
      return binary([](const auto& p, const auto& q) -> T { return p / q; });
    case Op::atan2:
      return binary([](const auto& p, const auto& q) -> T { return atan2(p, q); });
    case Op::hypot:
      return binary([](const auto& p, const auto& q) -> T { return hypot(p, q); });
    case Op::pow_var:
      return binary([](const auto& p, const auto& q) -> T { return pow(p, q); });
    case Op::neg:
      return -x(n.a);
    case Op::pow_int:
      return pow(x(n.a), n.index);
    case Op::pow_double:
      return pow(x(n.a), n.c);
#define DEZERO_DIFFERENTIAL_UNARY(f) \
  case Op::f:                        \
    return f(x(n.a));
      DEZERO_DIFFERENTIAL_UNARY(exp)
      DEZERO_DIFFERENTIAL_UNARY(log)
      DEZERO_DIFFERENTIAL_UNARY(sqrt)
      DEZERO_DIFFERENTIAL_UNARY(sin)
      DEZERO_DIFFERENTIAL_UNARY(cos)
      DEZERO_DIFFERENTIAL_UNARY(tanh)
      DEZERO_DIFFERENTIAL_UNARY(tan)
      DEZERO_DIFFERENTIAL_UNARY(asin)
      DEZERO_DIFFERENTIAL_UNARY(acos)
      DEZERO_DIFFERENTIAL_UNARY(atan)
      DEZERO_DIFFERENTIAL_UNARY(sinh)
      DEZERO_DIFFERENTIAL_UNARY(cosh)
      DEZERO_DIFFERENTIAL_UNARY(asinh)
      DEZERO_DIFFERENTIAL_UNARY(acosh)
      DEZERO_DIFFERENTIAL_UNARY(atanh)
      DEZERO_DIFFERENTIAL_UNARY(exp2)
      DEZERO_DIFFERENTIAL_UNARY(expm1)
      DEZERO_DIFFERENTIAL_UNARY(log2)
      DEZERO_DIFFERENTIAL_UNARY(log10)
      DEZERO_DIFFERENTIAL_UNARY(log1p)
      DEZERO_DIFFERENTIAL_UNARY(cbrt)
      DEZERO_DIFFERENTIAL_UNARY(erf)
      DEZERO_DIFFERENTIAL_UNARY(erfc)
#undef DEZERO_DIFFERENTIAL_UNARY
    default:
      return x(k);  // inputs are set by evaluate; constants are never read as values
  }
}

// Every node's value; `inputs` holds one value per input. Constant nodes hold a default T, never read.
template <class T>
std::vector<T> evaluate_all(const Expression& e, const std::vector<T>& inputs) {
  std::vector<T> v(e.nodes.size());
  for (int k = 0; k <= e.root(); ++k) {
    const Node& n = e.at(k);
    if (n.op == Op::input)
      v[static_cast<std::size_t>(k)] = inputs[static_cast<std::size_t>(n.index)];
    else if (n.op != Op::constant)
      v[static_cast<std::size_t>(k)] = apply_node(e, k, v);
  }
  return v;
}

template <class T>
T evaluate(const Expression& e, const std::vector<T>& inputs) {
  return evaluate_all(e, inputs).back();
}

// The expression as a C++ generic lambda, one named temporary per node, so that sharing is visible and the
// static engine sees the DAG the runtime engine builds. `indent` prefixes every line but the first.
// (Streams, not string concatenation: g++ 12 warns falsely on `"x" + std::string` at -O2, PR 105329.)
inline std::string to_cpp(const Expression& e, const std::string& indent = "") {
  const auto name = [&](int k) {
    const Node& n = e.at(k);
    std::ostringstream s;
    if (n.op == Op::input)
      s << 'x' << n.index;
    else if (n.op == Op::constant)
      s << literal(n.c);
    else
      s << 't' << k;
    return s.str();
  };
  std::ostringstream s;
  s << "[](";
  for (int i = 0; i < e.inputs; ++i) s << (i ? ", " : "") << "[[maybe_unused]] const auto& x" << i;
  s << ") {\n" << indent << "  " << using_cmath << "\n";
  for (int k = 0; k <= e.root(); ++k) {
    const Node& n = e.at(k);
    if (n.op == Op::input || n.op == Op::constant) continue;
    s << indent << "  const auto t" << k << " = ";
    const auto call = [&](const char* f) { s << f << '(' << name(n.a) << ')'; };
    switch (n.op) {
      case Op::add:
        s << name(n.a) << " + " << name(n.b);
        break;
      case Op::sub:
        s << name(n.a) << " - " << name(n.b);
        break;
      case Op::mul:
        s << name(n.a) << " * " << name(n.b);
        break;
      case Op::div:
        s << name(n.a) << " / " << name(n.b);
        break;
      case Op::neg:
        s << '-' << name(n.a);
        break;
      case Op::pow_int:
        s << "pow(" << name(n.a) << ", " << n.index << ')';
        break;
      case Op::pow_double:
        s << "pow(" << name(n.a) << ", " << literal(n.c) << ')';
        break;
      case Op::atan2:
      case Op::hypot:
      case Op::pow_var:
        s << cmath_name(n.op) << '(' << name(n.a) << ", " << name(n.b) << ')';
        break;
      default:
        call(cmath_name(n.op));
        break;
    }
    s << ";\n";
  }
  s << indent << "  return " << name(e.root()) << ";\n" << indent << '}';
  return s.str();
}

}  // namespace dezero::differential
