// libFuzzer target: the input bytes are a small program of runtime-engine operations on small arrays (bad
// shapes, nan and inf included). Every step must end in a value or a documented exception (docs/errors.md:
// all derive from std::logic_error); anything else - another exception, a crash, a leak, undefined
// behaviour - is a finding. Built with clang's -fsanitize=fuzzer,address,undefined (docs/testing.md).
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "dezero/dezero.hpp"

using dezero::NDArray;
using dezero::Shape;
using dezero::Variable;

namespace {

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "fuzz_runtime: %s\n", what);
  std::abort();
}

// Shapes that broadcast with some of the others and not with the rest.
const std::array<Shape, 7> shapes{Shape{},     Shape{1},    Shape{2},   Shape{3},
                                  Shape{2, 3}, Shape{3, 1}, Shape{1, 3}};

NDArray consume_array(FuzzedDataProvider& in) {
  const Shape& shape = shapes[in.ConsumeIntegralInRange<std::size_t>(0, shapes.size() - 1)];
  NDArray a = NDArray::from_shape(shape);
  for (double& v : a)
    v = in.ConsumeBool() ? in.ConsumeIntegralInRange(-4, 4) : in.ConsumeFloatingPoint<double>();
  return a;
}

bool same_values(const NDArray& a, const NDArray& b) {
  if (a.shape() != b.shape()) return false;
  for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j)
    if (!(*i == *j || (std::isnan(*i) && std::isnan(*j)))) return false;
  return true;
}

// Two outputs, one input: the caller may drop either output.
struct Split : dezero::Function {
  std::vector<NDArray> forward(const dezero::ArrayList& xs) override { return {2.0 * xs[0], xs[0] * xs[0]}; }
  std::vector<Variable> backward(const std::vector<Variable>& gys) override {
    return {gys[0] * 2.0 + gys[1] * 2.0 * inputs()[0]};
  }
};

// A user Function whose backward breaks its contract in one of three ways.
struct Broken : dezero::Function {
  explicit Broken(int how) : how_(how) {}
  std::vector<NDArray> forward(const dezero::ArrayList& xs) override { return {NDArray(xs[0])}; }
  std::vector<Variable> backward(const std::vector<Variable>& gys) override {
    if (how_ == 0) return {};                     // too few gradients
    if (how_ == 1) return {gys[0], gys[0]};       // too many
    return {Variable(NDArray::from_shape({4}))};  // wrong shape
  }
  int how_;
};

class Program {
 public:
  explicit Program(FuzzedDataProvider& in) : in_(in) {}

  void run() {
    while (in_.remaining_bytes() > 0 && steps_++ < 200) {
      try {
        step();
      } catch (const std::logic_error&) {  // every documented error (shape_error, arity_error, ...)
      } catch (const std::exception& e) {
        std::fprintf(stderr, "undocumented exception: %s\n", e.what());
        finding("an operation threw an exception that docs/errors.md does not list");
      }
      check_invariants();
    }
  }

 private:
  Variable& pick() { return vars_[in_.ConsumeIntegralInRange<std::size_t>(0, vars_.size() - 1)]; }

  void keep(Variable v) {
    if (vars_.size() < 32) vars_.push_back(std::move(v));
  }

  void step() {
    if (vars_.empty()) return keep(Variable(consume_array(in_)));
    switch (in_.ConsumeIntegralInRange(0, 18)) {
      case 0:
        return keep(Variable(consume_array(in_)));
      case 1:
        return binary(0);
      case 2:
        return binary(1);
      case 3:
        return binary(2);
      case 4:
        return binary(in_.ConsumeIntegralInRange(3, 4));  // 4: the functions of two operands
      case 5:
        return unary();
      case 6:
        return keep(dezero::pow(pick(), in_.ConsumeFloatingPointInRange(-3.0, 3.0)));
      case 7:
        return keep(pick() + in_.ConsumeFloatingPoint<double>());
      case 8: {  // create_graph too: gradients with graphs, and the cycles they make with their variables
        const bool retain_grad = in_.ConsumeBool();
        return pick().backward(retain_grad, in_.ConsumeBool());
      }
      case 9:
        return pick().cleargrad();
      case 10: {
        if (guard_)
          guard_.reset();
        else
          guard_.emplace(dezero::Config::enable_backprop, false);
        return;
      }
      case 11: {
        Variable& v = pick();
        v = vars_.back();  // drop a handle: an intermediate may be freed
        return vars_.pop_back();
      }
      case 12: {
        std::vector<Variable> ys = (*std::make_shared<Split>())(pick());
        return keep(ys[in_.ConsumeIntegralInRange<std::size_t>(0, 1)]);
      }
      case 13:
        return keep((*std::make_shared<Broken>(in_.ConsumeIntegralInRange(0, 2)))(pick()));
      case 14: {
        const Variable& v = pick();
        const double x = v.item();  // throws unless one element
        if (v.size() != 1) finding("item() of several elements returned");
        static_cast<void>(x);
        return;
      }
      case 15: {
        const Variable& v = pick();
        if (dezero::len(v) != v.shape().at(0)) finding("len() is not the first dimension");
        return;
      }
      case 16: {
        static const auto smooth =
            dezero::elementwise([](auto x) { return square((x * x + 3 * x - 1) / (x * x + 1)); });
        return keep(smooth(pick()));
      }
      case 17: {  // gradients store nothing: every gradient is the same object before and after
        const Variable& y = pick();
        const Variable& x = pick();
        std::vector<std::optional<Variable>> before;
        for (const Variable& v : vars_) before.push_back(v.grad());
        const bool create_graph = in_.ConsumeBool();
        const std::vector<Variable> g = dezero::gradients(y, {x}, create_graph);
        for (std::size_t i = 0; i < vars_.size(); ++i) {
          const std::optional<Variable>& now = vars_[i].grad();
          if (now.has_value() != before[i].has_value() || (now && !same_node(*now, *before[i])))
            finding("gradients() changed a stored gradient");
        }
        if (g[0].shape() != x.shape()) finding("a gradient from gradients() has the wrong shape");
        return keep(g[0]);
      }
      default: {
        const Variable& v = pick();
        const Variable y = Variable(v.data()) * 1.0;  // data() of a freed intermediate throws
        if (!same_values(y.data(), v.data())) finding("x * 1 differs from x");
        return;
      }
    }
  }

  void binary(int op) {
    const Variable& a = pick();
    const Variable& b = pick();
    Variable y = op == 0 ? a + b : op == 1 ? a - b : op == 2 ? a * b : op == 3 ? a / b : more_binary(a, b);
    const Shape expected = dezero::broadcast_shapes(a.shape(), b.shape(), "fuzz");
    if (y.shape() != expected) finding("a binary operation's result has the wrong shape");
    if (op == 0 && !same_values(y.data(), NDArray(a.data() + b.data())))
      finding("add differs from xtensor's broadcasting sum");
    keep(std::move(y));
  }

  // The functions of two operands beyond + - * /, where and the comparisons (a condition, then a choice).
  Variable more_binary(const Variable& a, const Variable& b) {
    switch (in_.ConsumeIntegralInRange(0, 8)) {
      case 0:
        return dezero::atan2(a, b);
      case 1:
        return dezero::hypot(a, b);
      case 2:
        return dezero::pow(a, b);
      case 3:
        return dezero::max(a, b);
      case 4:
        return dezero::min(a, b);
      case 5:
        return dezero::fmax(a, b);
      case 6:
        return dezero::fmin(a, b);
      case 7: {
        const Variable c = in_.ConsumeBool() ? a < b : a == b;
        return dezero::where(c, a, b);
      }
      default:
        return dezero::where(a >= 0.5, b, in_.ConsumeFloatingPoint<double>());
    }
  }

  void unary() {
    const Variable& x = pick();
    using Function = Variable (*)(const Variable&);
    static constexpr Function more[] = {
        dezero::abs,   dezero::sign,  dezero::tan,   dezero::asin,  dezero::acos,  dezero::atan,
        dezero::sinh,  dezero::cosh,  dezero::asinh, dezero::acosh, dezero::atanh, dezero::exp2,
        dezero::expm1, dezero::log2,  dezero::log10, dezero::log1p, dezero::cbrt,  dezero::erf,
        dezero::erfc,  dezero::floor, dezero::ceil,  dezero::round, dezero::trunc};
    if (in_.ConsumeBool())
      return keep(more[in_.ConsumeIntegralInRange<std::size_t>(0, std::size(more) - 1)](x));
    switch (in_.ConsumeIntegralInRange(0, 8)) {
      case 0:
        return keep(-x);
      case 1:
        return keep(dezero::square(x));
      case 2:
        return keep(dezero::exp(x));
      case 3:
        return keep(dezero::log(x));
      case 4:
        return keep(dezero::sqrt(x));
      case 5:
        return keep(dezero::sin(x));
      case 6:
        return keep(dezero::cos(x));
      case 7:
        return keep(dezero::tanh(x));
      default:
        return keep(1.0 / x);
    }
  }

  // What must hold after every step, whatever happened in it.
  void check_invariants() const {
    if (dezero::Config::enable_backprop != !guard_) finding("Config::enable_backprop not restored");
    for (const Variable& v : vars_)
      if (v.grad() && v.grad()->shape() != v.shape())
        finding("a gradient's shape differs from its variable's");
  }

  FuzzedDataProvider& in_;
  std::vector<Variable> vars_;
  std::optional<dezero::ConfigGuard> guard_;
  int steps_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Program(in).run();
  return 0;
}
