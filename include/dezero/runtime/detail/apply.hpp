// How a rule of the shared vocabulary (dezero/ops/rules.hpp) becomes a runtime operation: RuleFunction
// runs the rule's value map on the inputs' data and its derivative maps on Variables.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dezero/ops/one.hpp"
#include "dezero/ops/reads.hpp"
#include "dezero/ops/rules.hpp"
#include "dezero/runtime/core.hpp"
#include "dezero/runtime/detail/elementwise.hpp"
#include "dezero/runtime/detail/pool.hpp"
#include "dezero/runtime/detail/ready_queue.hpp"

namespace dezero::detail {

// The error paths of built-in operations, out of line (templates of nothing, so that they can be in a
// header) and shared by every rule.
template <class = void>
[[noreturn, gnu::noinline, gnu::cold]] void throw_arity(std::string_view rule, const char* where,
                                                        std::size_t arity, std::size_t n) {
  throw arity_error(std::string(rule) + "." + where + ": takes " + std::to_string(arity) + " inputs, got " +
                    std::to_string(n));
}
template <class = void>
[[noreturn, gnu::noinline, gnu::cold]] void throw_no_data(std::string_view rule) {
  throw std::logic_error(std::string(rule) + ": an input Variable has no data");
}

// What RuleFunction does the same for every rule, compiled once rather than once per rule: the vector-based
// backward, the placeholder of an unread value, the zeros of an input without gradient and the reduction of a
// broadcast input's gradient.
class BuiltinFunction : public FunctionBase {
 public:
  std::vector<Variable> backward(const std::vector<Variable>& gys) final {
    std::optional<Variable> y = output(0);
    Grads gxs = backward_grads({gys.data(), gys.size()}, y ? &*y : nullptr);
    return {gxs.begin(), gxs.end()};
  }

 protected:
  // A value the rule does not read may have been released: this placeholder stands in for it.
  static const Data& unread() {
    static const Data placeholder(0.0);
    return placeholder;
  }

  // An input the rule gives no gradient (`zero`) receives zeros of its shape, as a constant does in DeZero.
  static Variable no_gradient(const Variable& x) {
    return Variable::from_value(filled(x.value().shape(), 0.0));
  }

  // A broadcast input receives the gradient summed back to its own shape; by a SumTo in the graph when
  // the backward pass is recorded (dezero/runtime/broadcast.hpp), so that the sum is differentiated too.
  static Variable reduced(Variable gx, const Variable& x) {
    if (gx.value().is_scalar() && x.value().is_scalar()) return gx;
    Shape shape = x.value().shape();
    if (gx.value().shape() == shape) return gx;
    if (Config::enable_backprop) return dezero::sum_to(gx, shape);
    return Variable::from_value(sum_to(gx.value(), shape));
  }
};

template <class Rule>
class RuleFunction final : public BuiltinFunction {
  static constexpr std::size_t arity = Rule::arity;

 public:
  RuleFunction(const Rule& rule, Data&& value) : rule_(rule) {
    std::construct_at(&output_node_.node, std::move(value));
    output_node_.node.embedded = true;
  }

  // The output y = rule(xs...) and its creator in one block of this thread's pool: the function keeps the
  // inputs (temporaries move in) and holds y's node, which goes first (release(VariableNode*)); the block is
  // freed by release_from_graph() when the last Creator goes.
  template <class... Xs>
  static Variable record(const Rule& rule, Data&& value, Xs&&... xs) {
    RuleFunction* f = new (PoolAllocator<RuleFunction>{}.allocate(1)) RuleFunction(rule, std::move(value));
    Variable y(&f->output_node_.node, Variable::adopt{});  // the node's first reference
    f->link(y, std::forward<Xs>(xs)...);
    return y;
  }

  std::string name() const override { return std::string(Rule::name); }

  ~RuleFunction() override {
    if (!linked_) return;
    count_references<-1>(std::make_index_sequence<arity>{});
    for (Variable& x : storage_.inputs)
      if (x.node_) std::destroy_at(&x);  // a number operand's is null: no call
  }

  // Takes the inputs into the function's own storage and links y into the graph. A number operand is kept
  // here (numbers_), its Variable null until inputs() asks for it.
  template <class... Xs>
  void link(Variable& y, Xs&&... xs) {
    [&]<std::size_t... J>(std::index_sequence<J...>) { (take_input<J>(std::forward<Xs>(xs)), ...); }
    (std::make_index_sequence<arity>{});
    linked_ = true;
    count_references<+1>(std::make_index_sequence<arity>{});
    if constexpr (ops::reads_output<Rule>) ++y.node_->readers;
    connect_output(storage_.inputs, *y.node_);  // y is fresh: no creator, output 0
    // An input that was a temporary moved in has no other handle left to drop: check it now.
    for (Variable& x : storage_.inputs)
      if (x.node_ && x.node_->data.holds_array()) x.release_if_unreadable(0);
  }

  void release_from_graph() noexcept override {
    this->~RuleFunction();
    PoolAllocator<RuleFunction>{}.deallocate(this, 1);
  }

 protected:
  bool backward_scalars(ReadyQueue& queue) override {
    // The output is alive (backward came here through it) and its gradient is a number; so are the values
    // the rule reads (an unread one may have been released: 0 stands in).
    VariableNode* out = output_;
    if (!out || !out->data.is_scalar()) return false;
    double gy;
    if (out->has_raw)
      gy = out->raw;
    else if (out->grad && out->grad->node_->data.is_scalar())
      gy = out->grad->node_->data.scalar();
    else
      return false;
    const auto number = [](const Data& d, bool read, double& v) {
      if (!read) return true;
      if (!d.is_scalar()) return false;
      v = d.scalar();
      return true;
    };
    double y = out->data.scalar(), x[arity] = {};
    const bool all = [&]<std::size_t... J>(std::index_sequence<J...>) {
      return ((storage_.inputs[J].node_
                   ? number(storage_.inputs[J].node_->data, ops::reads_input<Rule, J>, x[J])
                   : (x[J] = numbers_[J], true)) &&
              ...);
    }
    (std::make_index_sequence<arity>{});
    if (!all) return false;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (add_gradient<I>(scalar_grad<I>(gy, y, x)), ...);
      (queue.reach(storage_.inputs[I].node_), ...);
    }
    (std::make_index_sequence<arity>{});
    if (!out->keep_grad) out->clear_grad();
    return true;
  }

  void materialize_inputs() const override {
    [&]<std::size_t... J>(std::index_sequence<J...>) { (materialize<J>(), ...); }
    (std::make_index_sequence<arity>{});
    inline_inputs_ = false;
  }

  void clear_number_gradients() noexcept override { has_number_grad_ = 0; }

  Grads backward_grads(std::span<const Variable> gys, const Variable* output,
                       bool add_to_inputs = false) override {
    if (gys.size() != 1) throw_arity(Rule::name, "backward", arity, gys.size() + arity - 1);
    if (inline_inputs_) materialize_inputs();  // the general path works on Variables
    std::span<const Variable> xs = inputs();
    // The output is alive whenever backward reaches this function through it; recompute it otherwise.
    std::optional<Variable> recomputed;
    const Variable& y =
        output ? *output
               : recomputed.emplace(Variable::from_value(values(xs, std::make_index_sequence<arity>{})));
    Grads g;  // emplaced: an initializer list would copy each Variable
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      if (Config::enable_backprop)  // a graph of the backward pass is wanted: the rule on Variables
        (g.emplace_back(grad_variable<I>(gys[0], y, xs)), ...);
      else  // values only: the rule on doubles, each gradient in one pass
        (g.emplace_back(grad_values<I>(gys[0], y, xs, add_to_inputs)), ...);
    }
    (std::make_index_sequence<arity>{});
    return g;
  }

 private:
  // Registers (+1) or withdraws (-1) this function as a holder of each input and, where its rule reads
  // the input in backward, as a reader.
  template <int Delta, std::size_t... J>
  void count_references(std::index_sequence<J...>) {
    ((storage_.inputs[J].node_
          ? (storage_.inputs[J].node_->graph_refs += Delta,
             ops::reads_input<Rule, J> ? void(storage_.inputs[J].node_->readers += Delta) : void())
          : void()),
     ...);
  }

  template <std::size_t J, class X>
  void take_input(X&& x) {
    if constexpr (variable<X>) {
      std::construct_at(&storage_.inputs[J], std::forward<X>(x));
    } else {
      new (&storage_.inputs[J]) Variable(nullptr, Variable::adopt{});
      numbers_[J] = static_cast<double>(x);
      inline_inputs_ = true;
    }
  }

  // Number operand J as a leaf Variable, with the gradient the passes so far gave it.
  template <std::size_t J>
  void materialize() const {
    Variable& x = const_cast<Variable&>(storage_.inputs[J]);
    if (x.node_) return;
    x.node_ = make_node(Data(numbers_[J]));
    ++x.node_->graph_refs;
    if constexpr (ops::reads_input<Rule, J>) ++x.node_->readers;
    if (has_number_grad_ & (1u << J)) {
      x.node_->raw = number_grad_[J];
      x.node_->has_raw = true;
    }
  }

  template <std::size_t I>
  void add_gradient(double g) {
    if (VariableNode* x = storage_.inputs[I].node_) return x->accumulate(g);
    if (has_number_grad_ & (1u << I))
      number_grad_[I] += g;
    else
      number_grad_[I] = g;
    has_number_grad_ |= 1u << I;
  }

  template <std::size_t I>
  double scalar_grad(double gy, double y, const double* x) const {
    if constexpr (ops::blocks_gradient<Rule, I>)
      return 0.0;  // zeros of its shape, as no_gradient gives
    else
      return [&]<std::size_t... J>(std::index_sequence<J...>) {
        return static_cast<double>(rule_.template grad<I>(gy, y, x[J]...));
      }
    (std::make_index_sequence<arity>{});
  }

  template <std::size_t... I>
  Data values(std::span<const Variable> xs, std::index_sequence<I...>) const {
    return evaluate(rule_, xs[I].value()...);
  }

  template <std::size_t I>
  Variable grad_variable(const Variable& gy, const Variable& y, std::span<const Variable> xs) const {
    if constexpr (ops::blocks_gradient<Rule, I>)
      return no_gradient(xs[I]);
    else
      return [&]<std::size_t... J>(std::index_sequence<J...>) {
        return reduced(rule_.template grad<I>(gy, y, xs[J]...), xs[I]);
      }
    (std::make_index_sequence<arity>{});
  }

  template <std::size_t I>
  Variable grad_values(const Variable& gy, const Variable& y, std::span<const Variable> xs,
                       bool add_to_inputs) const {
    if constexpr (ops::blocks_gradient<Rule, I>)
      return no_gradient(xs[I]);
    else
      return computed_grad_values<I>(gy, y, xs, add_to_inputs);
  }
  template <std::size_t I>
  Variable computed_grad_values(const Variable& gy, const Variable& y, std::span<const Variable> xs,
                                bool add_to_inputs) const {
    if constexpr (ops::passes_gradient<Rule, I>) {
      const Data& g = gy.value();
      const Data& x = xs[I].value();
      if ((g.is_scalar() && x.is_scalar()) || g.shape() == x.shape()) return gy;  // shared, as DeZero's Add
    }
    auto g = [this](double gy, double y, auto... x) { return rule_.template grad<I>(gy, y, x...); };
    const Data& yv = ops::reads_output<Rule> ? y.value() : unread();
    return [&]<std::size_t... J>(std::index_sequence<J...>) {
      const std::array<const Data*, arity> xv{(ops::reads_input<Rule, J> ? &xs[J].value() : &unread())...};
      if (gy.value().is_scalar() && yv.is_scalar() && (xv[J]->is_scalar() && ...))  // hot path
        return Variable::from_value(Data(g(gy.value().scalar(), yv.scalar(), xv[J]->scalar()...)));
      const Shape target = xs[I].value().shape();
      const auto over_arrays = [&](const auto& f, const auto&... operands) {
        // Where the pass would add this gradient to the input's in place, add it in the loop that computes
        // it: one pass over memory instead of two and no temporary (the same additions, in the same order).
        if (Data* into = add_to_inputs ? xs[I].node_->grad_to_add_into(target) : nullptr;
            into && add_values(f, into->array(), operands...))
          return Variable(nullptr, Variable::adopt{});
        return Variable::from_value(map_values(f, Rule::name, &target, operands...));
      };
      if constexpr (ops::reads_output<Rule>)
        return over_arrays(g, gy.value(), yv, *xv[J]...);
      else  // without the placeholder, a loop over arrays alone, which the optimizer vectorises
        return over_arrays([&g](double gy, auto... x) { return g(gy, 0.0, x...); }, gy.value(), *xv[J]...);
    }
    (std::make_index_sequence<arity>{});
  }

  // The small members first, where the ABI places them in FunctionBase's tail padding: a Mul is a 208-byte
  // block (it was 240), which the walks of a large graph feel.
  [[no_unique_address]] Rule rule_;
  unsigned char has_number_grad_ = 0;
  bool linked_ = false;
  // The inputs, constructed by link() (no default-constructed Variables: each would allocate a node), and
  // the output's node, ended by release(VariableNode*) before this function ends.
  union Storage {
    Storage() {}
    ~Storage() {}
    std::array<Variable, arity> inputs;
  } storage_;
  union Output {
    Output() {}
    ~Output() {}
    VariableNode node;
  } output_node_;
  double numbers_[arity] = {};      // the number operands
  double number_grad_[arity] = {};  // their gradients, while they are not Variables
};

// A Variable passes, a number stays a number (kept in the function: no leaf node for `x * 2.0`).
template <class X>
decltype(auto) input_value(const X& x) {
  if constexpr (variable<X>)
    return (x.value());
  else
    return Data(static_cast<double>(x));
}

template <class X>
bool scalar_operand(const X& x) {
  if constexpr (variable<X>)
    return x.value().is_scalar();
  else
    return true;
}
template <class X>
double scalar_value(const X& x) {
  if constexpr (variable<X>)
    return x.value().scalar();
  else
    return static_cast<double>(x);
}

// Applies a rule to Variables: the value now, and, when backprop is enabled, a node in the graph.
template <class Rule, class... Xs>
Variable apply(const Rule& rule, Xs&&... xs) {
  static_assert(sizeof...(Xs) == Rule::arity, "apply: wrong number of inputs for this rule");
  static_assert(((variable<Xs> || std::is_arithmetic_v<std::remove_cvref_t<Xs>>)&&...),
                "apply: the inputs are Variables or numbers");
  const auto has_data = [](const auto& x) {
    if constexpr (variable<decltype(x)>) return !x.value().empty();
    return true;
  };
  ((has_data(xs) ? void() : throw_no_data(Rule::name)), ...);
  // Numbers, the hot path: the rule's value map inline, without the array machinery.
  Data value = (scalar_operand(xs) && ...) ? Data(static_cast<double>(rule(scalar_value(xs)...)))
                                           : evaluate(rule, input_value(xs)...);
  if (!Config::enable_backprop) return Variable::from_value(std::move(value));
  return RuleFunction<Rule>::record(rule, std::move(value), std::forward<Xs>(xs)...);
}

}  // namespace dezero::detail
