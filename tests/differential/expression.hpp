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
  tanh
};

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
  using std::cos, std::exp, std::log, std::pow, std::sin, std::sqrt, std::tanh;
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
    case Op::neg:
      return -x(n.a);
    case Op::pow_int:
      return pow(x(n.a), n.index);
    case Op::pow_double:
      return pow(x(n.a), n.c);
    case Op::exp:
      return exp(x(n.a));
    case Op::log:
      return log(x(n.a));
    case Op::sqrt:
      return sqrt(x(n.a));
    case Op::sin:
      return sin(x(n.a));
    case Op::cos:
      return cos(x(n.a));
    case Op::tanh:
      return tanh(x(n.a));
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
  s << ") {\n"
    << indent << "  using std::cos, std::exp, std::log, std::pow, std::sin, std::sqrt, std::tanh;\n";
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
      case Op::exp:
        call("exp");
        break;
      case Op::log:
        call("log");
        break;
      case Op::sqrt:
        call("sqrt");
        break;
      case Op::sin:
        call("sin");
        break;
      case Op::cos:
        call("cos");
        break;
      case Op::tanh:
        call("tanh");
        break;
      default:
        break;
    }
    s << ";\n";
  }
  s << indent << "  return " << name(e.root()) << ";\n" << indent << '}';
  return s.str();
}

}  // namespace dezero::differential
