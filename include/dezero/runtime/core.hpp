// The runtime engine's core, DeZero's core_simple.py in C++: Variable, Function and backward.
//
// Ownership (docs/runtime-engine.md has the picture): a Variable is a handle to a node; a node owns its
// creator Function; a Function owns its inputs and refers to its outputs weakly. So a graph lives exactly as
// long as a handle to one of its results, and has no reference cycle. The counts are intrusive and not
// atomic (a graph belongs to one thread at a time, docs/runtime-engine.md, "Threads"), nodes and built-in
// functions come from per-thread free lists, and backward runs the functions in DeZero's order, from a
// bucket per generation.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "dezero/runtime/config.hpp"
#include "dezero/runtime/data.hpp"
#include "dezero/runtime/ndarray.hpp"

namespace dezero {

class FunctionBase;
class Function;
class Variable;

namespace detail {

struct VariableNode;
template <class Rule>
class RuleFunction;

template <class T>
using small_vector = boost::container::small_vector<T, 2>;

// Drops one reference to a node or a function; the last one frees it without recursing, however long the
// graph: a chain would otherwise destroy node -> function -> node ... one stack frame per link.
inline void release(VariableNode* node) noexcept;
inline void release(FunctionBase* f) noexcept;
template <class... A>
VariableNode* make_node(A&&... a);  // from this thread's pool
inline void drain_releases() noexcept;
struct Cycles;
class BackwardPass;
class ReadyQueue;

}  // namespace detail

// A handle to the function that made a Variable (Variable::creator()), as a pointer to it: `if (creator)`,
// `creator->name()`, `->inputs()`, `->outputs()`, `->generation()`, `->backward(gys)`. Copies share the
// function and keep it, and its inputs, alive; its outputs stay weak. The count is the function's own and
// not atomic; a user's Function, made with std::make_shared, is kept by a std::shared_ptr to itself while
// the graph counts it.
class Creator {
 public:
  Creator() noexcept = default;
  Creator(const Creator& o) noexcept;
  Creator(Creator&& o) noexcept : f_(std::exchange(o.f_, nullptr)) {}
  Creator& operator=(Creator o) noexcept {
    std::swap(f_, o.f_);
    return *this;
  }
  ~Creator() { reset(); }

  explicit operator bool() const noexcept { return f_ != nullptr; }
  FunctionBase* get() const noexcept { return f_; }
  FunctionBase* operator->() const noexcept { return f_; }
  FunctionBase& operator*() const noexcept { return *f_; }
  friend bool operator==(const Creator& a, const Creator& b) noexcept { return a.f_ == b.f_; }

 private:
  friend class FunctionBase;
  explicit Creator(FunctionBase* f) noexcept;  // takes a reference
  void reset() noexcept;

  FunctionBase* f_ = nullptr;
};

// A handle to a value in the graph. Copies share one node, like Python references.
class Variable {
 public:
  // No data (DeZero's Variable(None)).
  Variable();
  Variable(NDArray data, std::string name = {});
  Variable(double value);
  Variable(const Variable& o) noexcept;
  Variable(Variable&& o) noexcept : node_(std::exchange(o.node_, nullptr)) {}
  // Dropping a handle may free an intermediate array that nothing can read any more.
  Variable& operator=(Variable other) noexcept {
    std::swap(node_, other.node_);
    return *this;
  }
  ~Variable();

  const NDArray& data() const;
  NDArray& data();
  const std::optional<Variable>& grad() const;
  void set_grad(std::optional<Variable> grad);
  void cleargrad();

  // DeZero's core.py: seeds grad with ones of this variable's shape if it has none, then runs every
  // Function of the graph once, each after every function that uses its outputs, in DeZero's order (the
  // highest generation first), from a bucket per generation rather than a sort. retain_grad = false drops
  // each function output's grad once it has been used. create_graph = true records the backward pass itself
  // (Config::enable_backprop is create_graph during the pass, and restored after it, also on an
  // exception): every gradient then has a creator and can be differentiated again. On a leaf it only seeds
  // grad (DeZero raises there). If a rule throws, the exception propagates and every variable the pass
  // reached is left without a gradient.
  //
  // With create_graph, x.grad()'s graph holds x and x holds x.grad(): a reference cycle, which the engine
  // frees when nothing else holds it (docs/runtime-engine.md, "Higher order"). dezero::gradients returns
  // gradients without storing them, and makes no cycle.
  void backward(bool retain_grad = false, bool create_graph = false);

  const std::string& name() const;
  void set_name(std::string name);
  const Creator& creator() const;
  int generation() const;

  Shape shape() const;
  std::size_t ndim() const;
  std::size_t size() const;
  std::string_view dtype() const { return "float64"; }
  // The value of a one-element variable; std::invalid_argument otherwise.
  double item() const;
  // numpy's truth value, so that code may branch on a comparison (`if (x > 0)`): item() != 0.
  explicit operator bool() const { return item() != 0.0; }

  // Identity, as Python's `is`; node_id as Python's id(), for maps keyed by identity (get_dot_graph).
  friend bool same_node(const Variable& a, const Variable& b) { return a.node_ == b.node_; }
  friend const void* node_id(const Variable& v) { return v.node_; }

  // For the engine: the stored value without turning a scalar into an NDArray.
  const detail::Data& value() const;
  static Variable from_value(detail::Data value);

 private:
  friend class FunctionBase;
  friend class Function;
  friend struct detail::VariableNode;
  friend struct detail::Cycles;
  friend class detail::BackwardPass;
  template <class Rule>
  friend class detail::RuleFunction;
  // Takes a reference to node (a tag, not a plain pointer: Variable(0) is the number 0).
  struct adopt {};
  Variable(detail::VariableNode* node, adopt) noexcept : node_(node) {}
  // Frees the value if nothing can read it: no reader, and no handle but the graph's and `handles` others.
  void release_if_unreadable(std::uint32_t handles = 1) noexcept;
  const detail::Data& checked_value(std::string_view what) const;

  detail::VariableNode* node_;
};

// The gradients of y (seeded with ones of its shape, as backward seeds it) with respect to each of xs,
// returned and stored nowhere: no Variable's grad() changes, so a gradient with a graph (create_graph, as
// backward's) makes no reference cycle. PyTorch's torch.autograd.grad. An x that y does not depend on gets
// zeros of its shape.
//   std::vector<Variable> g = dezero::gradients(y, {x, w}, true);
std::vector<Variable> gradients(const Variable& y, const std::vector<Variable>& xs,
                                bool create_graph = false);

// dezero/runtime/broadcast.hpp: numpy's broadcasting and its reverse, as functions of the graph.
inline Variable sum_to(const Variable& x, const Shape& shape);
inline Variable broadcast_to(const Variable& x, const Shape& shape);

namespace detail {

template <class T>
concept variable = std::same_as<std::remove_cvref_t<T>, Variable>;

// What DeZero's as_variable accepts besides a Variable.
template <class T>
concept constant =
    std::is_arithmetic_v<std::remove_cvref_t<T>> || std::same_as<std::remove_cvref_t<T>, NDArray>;

template <class T>
concept operand = variable<T> || constant<T>;

// A Variable passes through (an rvalue stays one, so temporaries move into the graph); a constant becomes a
// new leaf Variable.
template <operand T>
decltype(auto) as_variable(T&& x) {
  if constexpr (variable<T>)
    return std::forward<T>(x);
  else if constexpr (std::is_arithmetic_v<std::remove_cvref_t<T>>)
    return Variable(static_cast<double>(x));
  else
    return Variable(NDArray(std::forward<T>(x)));
}

// What an operation keeps of an operand: a Variable as it is, a number as a number (held by the
// function, a leaf Variable only if someone asks, FunctionBase::inputs()), an NDArray as a new leaf.
template <operand T>
decltype(auto) as_input(T&& x) {
  if constexpr (std::is_arithmetic_v<std::remove_cvref_t<T>>)
    return static_cast<double>(x);
  else
    return as_variable(std::forward<T>(x));
}

struct VariableNode {
  // The counts and flags first, together, without padding between them: 88 bytes in all (96 with them
  // interleaved), so that a built-in operation's block is 208 bytes and a graph's walks touch fewer lines.
  std::uint32_t refs = 1;  // every Variable handle, the functions' inputs included
  // How many functions hold this node as an input, and how many of those (and its creator) read its value
  // in backward. With no other handle and no reader, an array value can be freed.
  std::uint32_t graph_refs = 0;
  std::uint32_t readers = 0;
  std::uint32_t output_index = 0;  // which output of its creator it is
  int generation = 0;
  bool embedded = false;  // inside its creator's memory (a built-in operation's output), not the pool's
  // The gradient is a Variable (DeZero's), or, during and after a backward pass that keeps no graph of its
  // own, a number not yet made one (a scalar node's gradient is a scalar): `raw`, which already includes
  // `grad`'s value when raw_includes_grad. Variable::grad() makes it a Variable on request, so that a pass
  // allocates nothing per gradient.
  bool has_raw = false;
  bool raw_includes_grad = false;
  // Reference cycles (detail/cycles.hpp): holds_graph_grad when `grad` has a creator and was stored to
  // stay (counted in Cycles::graph_grads); watched when a gradient's graph reaches this node, so that
  // dropping a reference to it may leave a cycle nothing else holds; suspected while a collection is due.
  bool holds_graph_grad = false;
  bool watched = false;
  bool suspected = false;
  bool trial = false, held = false;  // during a collection
  // dezero::gradients: the gradient this node had before the pass is put aside (stashed), and a node
  // asked for keeps its gradient through the pass (keep_grad).
  bool stashed = false;
  bool keep_grad = false;
  Data data;
  std::optional<Variable> grad;
  double raw = 0;
  Creator creator;
  std::unique_ptr<std::string> name;  // out of line: most nodes are unnamed

  VariableNode() = default;
  explicit VariableNode(Data&& d) noexcept : data(std::move(d)) {}
  VariableNode(const VariableNode&) = delete;
  VariableNode& operator=(const VariableNode&) = delete;
  inline ~VariableNode();

  // Adds g to the gradient as a number (raw), or as a Variable where the gradient is not a number.
  inline void accumulate(double g);
  // The gradient as a Variable, from raw if it is pending.
  inline std::optional<Variable>& materialized_grad();
  // The array of this node's gradient, when backward may add to it in place: nothing else can see it (one
  // handle, no creator) and it has this shape. Null otherwise.
  template <class S>
  Data* grad_to_add_into(const S& shape) noexcept;
  // Every store to `grad` goes through these two, which keep Cycles::graph_grads right.
  inline void assign_grad(Variable g) noexcept;
  inline void clear_grad() noexcept;
  inline void forget_graph_grad() noexcept;

  // release()'s last reference; out of line, so that dropping one of several references (a handle
  // reassigned in a loop) is a decrement without a call frame (a template: g++ will not combine
  // `inline` with noinline).
  template <class = void>
  [[gnu::noinline]] static void free(VariableNode* node) noexcept;
  template <class = void>
  [[gnu::noinline]] void drop_grad() noexcept;  // clear_grad's rare part
};

}  // namespace detail

// The inputs a Function's forward sees: the input arrays, by reference.
class ArrayList {
 public:
  explicit ArrayList(std::vector<const NDArray*> arrays) : arrays_(std::move(arrays)) {}
  const NDArray& operator[](std::size_t i) const { return *arrays_[i]; }
  std::size_t size() const { return arrays_.size(); }

 private:
  std::vector<const NDArray*> arrays_;
};

// What calling a Function gives: its outputs. Converts to a Variable when there is exactly one.
class Outputs : public std::vector<Variable> {
 public:
  using std::vector<Variable>::vector;
  operator Variable() const;
};

// What every function in a graph is, a built-in operation or a user's Function, and what creator() points to:
// its name, inputs, outputs and generation, and backward. The engine's bookkeeping lives here too; a built-in
// operation is this and its rule (detail/apply.hpp), some 80 bytes.
class FunctionBase {
 public:
  FunctionBase(const FunctionBase&) = delete;
  FunctionBase& operator=(const FunctionBase&) = delete;

  // DeZero's class name.
  virtual std::string name() const = 0;
  // Output gradients in, one gradient per input out, as Variables, so that the rule is itself
  // differentiable (with Config::enable_backprop, the gradients carry a graph).
  virtual std::vector<Variable> backward(const std::vector<Variable>& gys) = 0;

  // A number operand of a built-in operation (`x * 2.0`) is kept in the function, not as a leaf Variable;
  // asked for here, it becomes one, with the gradient DeZero gives it.
  std::span<const Variable> inputs() const {
    if (inline_inputs_) materialize_inputs();
    return {inputs_.data(), inputs_.size()};
  }
  // An output the caller has dropped is std::nullopt, as DeZero's dead weakref.
  std::vector<std::optional<Variable>> outputs() const;
  std::size_t num_outputs() const { return num_outputs_; }
  int generation() const { return generation_; }

 protected:
  using Grads = detail::small_vector<Variable>;

  FunctionBase() = default;
  virtual ~FunctionBase() = default;

  // The engine's entry to backward. `output` is the first output when it is alive (null otherwise). With
  // add_to_inputs (a pass without a graph of its own), a built-in operation may add an input's gradient to
  // that input's own in place, in the loop that computes it, where the pass would have added it in place
  // anyway (VariableNode::grad_to_add_into); that input's entry is then a null Variable.
  virtual Grads backward_grads(std::span<const Variable> gys, const Variable* output,
                               bool add_to_inputs = false) = 0;
  // backward's path for numbers, one call per function: with the output's gradient and every value the
  // rule reads a scalar, adds the input gradients to the inputs' (VariableNode::accumulate) without making
  // Variables, drops the output's gradient (unless kept), and queues each input's creator (`queue.reach`);
  // false, with nothing done, where that does not apply (arrays, or a user's Function), and backward_grads
  // runs instead.
  virtual bool backward_scalars(detail::ReadyQueue&) { return false; }
  // The number operands as leaf Variables (inputs()); forgetting their gradients (a failed pass).
  virtual void materialize_inputs() const {}
  virtual void clear_number_gradients() noexcept {}
  // The shape of output k, for the zeros that stand in for a dropped output's gradient.
  virtual Shape output_shape(std::size_t) const { return {}; }
  // The last Creator went: a built-in operation destroys itself; a user's Function lets go of itself.
  virtual void release_from_graph() noexcept = 0;
  // Whether something the Creator count does not see holds this function (a user's std::shared_ptr to
  // its Function): the cycle collector then counts it as held.
  virtual bool held_outside_graph() const noexcept { return false; }
  std::optional<Variable> output(std::size_t i) const;

  // Links freshly computed outputs into the graph: each holds this function (a Creator); `inputs` is
  // storage the function keeps for its lifetime, `slots` one weak pointer per output.
  void connect(std::span<Variable> inputs, std::span<Variable> outputs, detail::VariableNode** slots);
  // connect for a built-in operation: one output, `output_` its slot, each input null or a Variable.
  template <std::size_t N>
  [[gnu::always_inline]] inline void connect_output(std::array<Variable, N>& inputs,
                                                    detail::VariableNode& y) noexcept;

  std::span<Variable> inputs_;                 // a built-in operation's own storage, or owned_inputs_
  detail::VariableNode** outputs_ = &output_;  // weak: a node clears its entry when it goes
  detail::VariableNode* output_ = nullptr;     // the first output, for a built-in operation the only one
  std::uint32_t num_outputs_ = 0;
  int generation_ = 0;
  std::uint32_t refs_ = 0;         // the Creator handles
  std::uint32_t pending_ = 0;      // backward: the next function of its generation queued (ReadyQueue)
  union {                          // a function being freed is reached by no backward pass
    std::uint64_t visited_ = 0;    // the last backward pass that reached this function
    FunctionBase* next_released_;  // the queue of functions to free (core_impl.hpp, release)
  };
  mutable bool inline_inputs_ = false;  // some input is a number kept in the function (a null Variable)
  bool watched_ = false;                // reachable from a gradient's graph (detail/cycles.hpp)
  bool suspected_ = false;              // a cycle collection is due from here
  bool trial_ = false, held_ = false;   // during a collection

 private:
  friend class Variable;
  friend class Creator;
  friend struct detail::VariableNode;
  friend struct detail::Cycles;
  friend class detail::BackwardPass;
  friend class detail::ReadyQueue;
  friend void detail::release(FunctionBase*) noexcept;
  friend void detail::release(detail::VariableNode*) noexcept;
  friend void detail::drain_releases() noexcept;
};

// The base class of a user's operation. Derive from it, override forward (arrays in, arrays out) and
// backward (output gradients in, one gradient per input out, as Variables so that the rule is itself
// differentiable), and call it through a std::shared_ptr, as DeZero calls a Function object:
//   auto f = std::make_shared<Square>();  Variable y = (*f)(x);
// A Function object is used for one call, as in DeZero.
class Function : public FunctionBase, public std::enable_shared_from_this<Function> {
 public:
  Function() = default;

  virtual std::vector<NDArray> forward(const ArrayList& xs) = 0;
  // DeZero's class name; the default is the C++ type name.
  // Declared inline, as the other two virtual functions defined in core_impl.hpp: otherwise the first is the
  // class's key function, and, defined inline, it made every translation unit emit Function's vtable and all
  // it reaches (the cycle collector, the release queue): 1 s of g++ -O2 for dezero/runtime.hpp alone.
  inline std::string name() const override;

  // Inputs: Variables, arithmetic values, NDArrays, or std::vector<Variable> of any length, in any mix.
  template <class... Xs>
  Outputs operator()(const Xs&... xs) {
    std::vector<Variable> inputs;
    (append_input(inputs, xs), ...);
    return call(std::move(inputs));
  }
  Outputs call(std::vector<Variable> inputs);

 protected:
  // Adapts the vector-based backward and checks what it returns.
  inline Grads backward_grads(std::span<const Variable> gys, const Variable* output, bool) override;

 private:
  Shape output_shape(std::size_t k) const override {
    return output_shapes_.empty() ? Shape{} : output_shapes_[k];
  }
  inline void release_from_graph() noexcept override;
  bool held_outside_graph() const noexcept override { return self_ && self_.use_count() > 1; }
  static void append_input(std::vector<Variable>& in, const std::vector<Variable>& xs) {
    in.insert(in.end(), xs.begin(), xs.end());
  }
  template <detail::operand T>
  static void append_input(std::vector<Variable>& in, const T& x) {
    in.push_back(detail::as_variable(x));
  }

  std::vector<Variable> owned_inputs_;
  std::vector<detail::VariableNode*> output_slots_;
  std::vector<Shape> output_shapes_;  // with several outputs: a dropped one's gradient is zeros of its shape
  std::shared_ptr<Function> self_;    // while the graph holds this Function
};

}  // namespace dezero

#include "dezero/runtime/broadcast.hpp"
#include "dezero/runtime/detail/core_impl.hpp"
