// Definitions of core.hpp, apart so that the declarations read as the engine's public surface.
#pragma once

#include <cxxabi.h>
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <typeinfo>

#include "dezero/runtime/core.hpp"
#include "dezero/runtime/detail/apply.hpp"
#include "dezero/runtime/detail/cycles.hpp"
#include "dezero/runtime/detail/pool.hpp"
#include "dezero/runtime/detail/ready_queue.hpp"

namespace dezero {

namespace detail {

// The functions whose last reference went while a release was in progress on this thread: let go of by the
// loop of the first release instead of from inside the one that dropped them (see release()). Built-in
// operations are linked through their own next_released_ (a list without allocation, and a plain
// thread_local pointer, read without a TLS wrapper call); a user's Function's self_ waits in a vector.
struct PendingReleases {
  static inline thread_local FunctionBase* functions = nullptr;
  static inline thread_local std::vector<std::shared_ptr<Function>> users;
  static inline thread_local bool draining = false;
};

inline void drain_releases() noexcept {
  for (;;) {
    if (FunctionBase* f = PendingReleases::functions) {
      PendingReleases::functions = f->next_released_;
      f->release_from_graph();  // frees its inputs; their nodes queue their creators instead of recursing
    } else if (!PendingReleases::users.empty()) {
      std::vector<std::shared_ptr<Function>>& users = PendingReleases::users;
      std::shared_ptr<Function> f = std::move(users.back());
      users.pop_back();
      f.reset();
      // A wide graph queues many: do not keep that much memory for later.
      if (users.empty() && users.capacity() > 4096) std::vector<std::shared_ptr<Function>>().swap(users);
    } else {
      break;
    }
  }
  PendingReleases::draining = false;
  if (Cycles::any_suspects && !Cycles::deferred()) Cycles::collect();
}

inline bool Cycles::deferred() noexcept { return deferring > 0 || PendingReleases::draining; }

inline void release(FunctionBase* f) noexcept {
  if (PendingReleases::draining) {
    f->next_released_ = PendingReleases::functions;
    PendingReleases::functions = f;
    return;
  }
  PendingReleases::draining = true;
  f->release_from_graph();
  drain_releases();
}

inline void release(std::shared_ptr<Function>&& f) noexcept {
  if (PendingReleases::draining) return PendingReleases::users.push_back(std::move(f));
  PendingReleases::draining = true;
  f.reset();
  drain_releases();
}

// The node goes before its creator lets go of it: a built-in operation's output lives inside the function's
// own memory (RuleFunction), which the function frees when its last Creator goes.
template <class>
void VariableNode::free(VariableNode* node) noexcept {
  Creator creator = std::move(node->creator);
  if (creator) creator->outputs_[node->output_index] = nullptr;  // the function's weak reference
  const bool embedded = node->embedded;
  node->~VariableNode();
  if (!embedded) PoolAllocator<VariableNode>{}.deallocate(node, 1);
}  // creator goes here, and with it perhaps the function and its memory

inline void release(VariableNode* node) noexcept {
  if (--node->refs == 0) return VariableNode::free(node);
  if (node->watched) [[unlikely]]
    Cycles::suspect(node);
}

inline VariableNode::~VariableNode() { forget_graph_grad(); }

inline void VariableNode::forget_graph_grad() noexcept {
  if (holds_graph_grad) [[unlikely]]
    Cycles::forget(*this);
}
inline void VariableNode::assign_grad(Variable g) noexcept {
  forget_graph_grad();
  has_raw = false;
  grad = std::move(g);
}
inline void VariableNode::clear_grad() noexcept {
  has_raw = false;
  if (grad) drop_grad();  // holds_graph_grad implies a grad
}
template <class>
void VariableNode::drop_grad() noexcept {
  forget_graph_grad();
  grad.reset();
}

// accumulate's rare path, out of line so that its common path stays a few instructions (a template: a
// function of a header, without `inline`, which g++ will not combine with noinline).
template <class Node>
[[gnu::noinline]] void accumulate_variable(Node& x, double g) {
  std::optional<Variable>& old = x.materialized_grad();
  x.assign_grad(detail::apply(ops::Add{}, *old, Variable(g)));
}

inline void VariableNode::accumulate(double g) {
  if (has_raw) {
    raw += g;
    return;
  }
  if (grad && !grad->node_->data.is_scalar()) [[unlikely]]  // a gradient of another kind: Variables
    return accumulate_variable(*this, g);
  raw_includes_grad = grad.has_value();
  raw = raw_includes_grad ? grad->node_->data.scalar() + g : g;  // DeZero's order: old + new
  has_raw = true;
}

inline std::optional<Variable>& VariableNode::materialized_grad() {
  if (!has_raw) return grad;
  has_raw = false;
  if (raw_includes_grad && grad->node_->refs == 1 && !grad->node_->creator)
    grad->node_->data = Data(raw);  // in place: nothing else sees the old gradient
  else
    assign_grad(Variable(raw));  // DeZero: a new Variable, the old one untouched
  return grad;
}

template <class S>
Data* VariableNode::grad_to_add_into(const S& shape) noexcept {
  if (has_raw || !grad) return nullptr;
  VariableNode& g = *grad->node_;
  if (g.creator || g.refs != 1 || !g.data.holds_array()) return nullptr;
  const auto& own = g.data.array().shape();
  if (!std::equal(own.begin(), own.end(), shape.begin(), shape.end())) return nullptr;
  return &g.data;
}

template <class... A>
VariableNode* make_node(A&&... a) {
  return new (PoolAllocator<VariableNode>{}.allocate(1)) VariableNode(std::forward<A>(a)...);
}

}  // namespace detail

// Creator ------------------------------------------------------------------------------------------------

inline Creator::Creator(const Creator& o) noexcept : f_(o.f_) {
  if (f_) ++f_->refs_;
}
inline Creator::Creator(FunctionBase* f) noexcept : f_(f) { ++f_->refs_; }

inline void Creator::reset() noexcept {
  FunctionBase* f = std::exchange(f_, nullptr);
  if (!f) return;
  if (--f->refs_ == 0)
    detail::release(f);
  else if (f->watched_) [[unlikely]]
    detail::Cycles::suspect(f);
}

// Variable ----------------------------------------------------------------------------------------------

inline Variable::Variable() : node_(detail::make_node()) {}
inline Variable::Variable(NDArray data, std::string name)
    : node_(detail::make_node(detail::Data(std::move(data)))) {
  if (!name.empty()) set_name(std::move(name));
}
inline Variable::Variable(double value) : node_(detail::make_node(detail::Data(value))) {}
inline Variable::Variable(const Variable& o) noexcept : node_(o.node_) {
  if (node_) ++node_->refs;
}

inline Variable Variable::from_value(detail::Data value) {
  return Variable(detail::make_node(std::move(value)), adopt{});
}

inline const detail::Data& Variable::value() const { return node_->data; }

// An intermediate array (a function output) that only built-in functions hold, none of which reads it in
// backward, can never be read again: free it, as PyTorch frees what no backward needs. Leaves, scalars and
// values anyone holds a handle to are kept.
inline Variable::~Variable() {
  if (!node_) return;
  if (node_->data.holds_array()) release_if_unreadable();  // scalars: one inline test
  detail::release(node_);
}

inline void Variable::release_if_unreadable(std::uint32_t handles) noexcept {
  detail::VariableNode& n = *node_;
  if (n.readers == 0 && n.creator && n.data.holds_array() && n.refs == n.graph_refs + handles)
    n.data.release();
}

inline const detail::Data& Variable::checked_value(std::string_view what) const {
  if (node_->data.empty()) throw std::logic_error(std::string(what) + ": the Variable has no data");
  return node_->data;
}

inline const NDArray& Variable::data() const { return checked_value("data()").array(); }
inline NDArray& Variable::data() {
  checked_value("data()");
  return node_->data.array();
}
inline const std::optional<Variable>& Variable::grad() const { return node_->materialized_grad(); }
inline void Variable::set_grad(std::optional<Variable> grad) {
  if (!grad) return node_->clear_grad();
  const bool graph = grad->node_ && grad->node_->creator;
  node_->assign_grad(std::move(*grad));
  if (graph) detail::Cycles::watch(*node_);
}
inline void Variable::cleargrad() { node_->clear_grad(); }
inline const std::string& Variable::name() const {
  static const std::string unnamed;
  return node_->name ? *node_->name : unnamed;
}
inline void Variable::set_name(std::string name) {
  node_->name = std::make_unique<std::string>(std::move(name));
}
inline const Creator& Variable::creator() const { return node_->creator; }
inline int Variable::generation() const { return node_->generation; }
inline Shape Variable::shape() const { return checked_value("shape()").shape(); }
inline std::size_t Variable::ndim() const { return checked_value("ndim()").ndim(); }
inline std::size_t Variable::size() const { return checked_value("size()").size(); }

inline double Variable::item() const {
  const detail::Data& d = checked_value("item()");
  if (d.is_scalar()) return d.scalar();
  if (d.size() != 1)
    throw std::invalid_argument("item(): can only convert a Variable of one element, this one has shape " +
                                to_string(d.shape()));
  return *d.array().begin();
}

// Python's len(): the first dimension.
inline std::size_t len(const Variable& v) {
  if (v.ndim() == 0) throw std::invalid_argument("len() of unsized object: the Variable is 0-d");
  return v.shape()[0];
}

namespace detail {

// A vector this thread keeps from one backward pass to the next: a malloc and a free per pass are a tenth
// of a small graph's pass (a goldstein Hessian by gradients() makes three). A pass started inside another
// (a user's backward calling backward) finds the spare taken and starts empty.
template <class T>
class Scratch {
 public:
  Scratch() noexcept { items.swap(spare()); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() {
    items.clear();
    if (items.capacity() <= 4096 && items.capacity() > spare().capacity()) items.swap(spare());
  }
  std::vector<T> items;

  static void release() noexcept { std::vector<T>().swap(spare()); }

 private:
  static std::vector<T>& spare() noexcept {
    static thread_local std::vector<T> kept;
    return kept;
  }
};

// One backward pass below a root node: Variable::backward, and dezero::gradients (`collect`), which puts
// aside the gradient of every node the pass touches and gives it back afterwards.
class BackwardPass {
 public:
  BackwardPass(bool retain_grad, bool create_graph, bool collect)
      : retain_grad_(retain_grad), create_graph_(create_graph), collect_(collect) {}
  BackwardPass(const BackwardPass&) = delete;
  BackwardPass& operator=(const BackwardPass&) = delete;
  ~BackwardPass() {
    if (collect_) restore();
  }

  // Runs every function below root once, after every function that uses its outputs; root's gradient is
  // the seed.
  inline void run(VariableNode& root);

  static inline std::vector<Variable> gradients(const Variable& y, const std::vector<Variable>& xs,
                                                bool create_graph);

  // The vectors passes keep for the next one (release_cached_memory()).
  static void release_scratch() noexcept {
    Scratch<Stashed>::release();
    Scratch<VariableNode*>::release();
    ReadyQueue::release();
  }

 private:
  struct Stashed {
    VariableNode* node;
    std::optional<Variable> grad;
    double raw;
    bool has_raw, raw_includes_grad, holds_graph_grad;
  };

  void stash(VariableNode& x) {
    if (x.stashed) return;
    stash_.items.push_back(
        {&x, std::move(x.grad), x.raw, x.has_raw, x.raw_includes_grad, x.holds_graph_grad});
    x.stashed = true;
    x.grad.reset();
    x.has_raw = false;
    x.holds_graph_grad = false;  // Cycles::graph_grads still counts it: the stash holds that gradient
  }

  void restore() noexcept {
    for (Stashed& s : stash_.items) {
      VariableNode& x = *s.node;
      x.clear_grad();
      x.grad = std::move(s.grad);
      x.raw = s.raw;
      x.has_raw = s.has_raw;
      x.raw_includes_grad = s.raw_includes_grad;
      x.holds_graph_grad = s.holds_graph_grad;
      x.stashed = false;
    }
    stash_.items.clear();
  }

  inline void clear_grads_of_pass(VariableNode& root) noexcept;
  inline void stash_reachable(FunctionBase* root, std::uint64_t mark);

  bool retain_grad_, create_graph_, collect_;
  std::uint64_t pass_ = 0;
  Scratch<Stashed> stash_;
  Scratch<VariableNode*> kept_;  // create_graph: nodes that keep a gradient which may have a graph
};

inline void BackwardPass::run(VariableNode& self) {
  // Stage 3: the rules run on Variables, recording the backward pass too when create_graph.
  ConfigGuard config(Config::enable_backprop, create_graph_);

  // A pass number marks the functions this pass reached, so each is queued once without a set lookup.
  static std::atomic<std::uint64_t> passes{0};
  FunctionBase* root = self.creator.get();
  if (collect_) stash_reachable(root, passes.fetch_add(1, std::memory_order_relaxed) + 1);
  const std::uint64_t pass = pass_ = passes.fetch_add(1, std::memory_order_relaxed) + 1;

  // DeZero's order (docs/runtime-engine.md, "backward"), by generation, without a sort or a first walk.
  ReadyQueue queue(pass, root->generation_);
  queue.add(root);

  // Without retain_grad or create_graph, scalar gradients stay numbers (VariableNode::raw): a built-in
  // function of scalars takes its output's and adds to its inputs' without making a Variable. Otherwise
  // every gradient is a Variable, as DeZero's (an Add then passes the same object to both inputs).
  const bool numbers = !retain_grad_ && !create_graph_;
  const auto done_with = [&](FunctionBase* f, std::size_t i) { queue.reach(f->inputs_[i].node_); };
  try {
    while (FunctionBase* f = queue.next()) {
      if (numbers && f->backward_scalars(queue)) continue;

      // Each output is taken once: its gradient goes in, the first one is handed to the rule, and with
      // retain_grad = false its gradient is dropped afterwards.
      small_vector<std::optional<Variable>> outputs;
      FunctionBase::Grads gys;
      for (std::size_t k = 0; k < f->num_outputs_; ++k) {
        VariableNode* y = f->outputs_[k];
        if (y && y->materialized_grad())
          gys.push_back(*y->grad);
        else  // a dropped or unused output contributes nothing
          gys.push_back(Variable::from_value(filled(f->output_shape(k), 0.0)));
        if (y) ++y->refs;
        outputs.push_back(y ? std::optional<Variable>(Variable(y, Variable::adopt{})) : std::nullopt);
      }
      FunctionBase::Grads gxs =
          f->backward_grads({gys.data(), gys.size()}, outputs[0] ? &*outputs[0] : nullptr, !create_graph_);

      for (std::size_t i = 0; i < f->inputs_.size(); ++i) {
        if (!gxs[i].node_) {  // added to the input's gradient already
          done_with(f, i);
          continue;
        }
        VariableNode& x = *f->inputs_[i].node_;
        VariableNode& gx = *gxs[i].node_;
        if (numbers && x.data.is_scalar() && gx.data.is_scalar())
          x.accumulate(gx.data.scalar());
        else if (!x.materialized_grad())
          x.assign_grad(std::move(gxs[i]));
        else if (create_graph_ || x.grad->node_->creator || x.grad->node_->refs > 1 ||
                 !add_in_place(x.grad->node_->data, gx.data))
          // DeZero: a new Variable, the old one untouched (in place only when nothing else can see the
          // old gradient and it is no function's output); recorded when create_graph. Const, as a user's
          // `x + y` of const Variables: one instantiation of apply less.
          x.assign_grad(apply(ops::Add{}, std::as_const(*x.grad), std::as_const(gxs[i])));
        if (create_graph_ && (retain_grad_ || !x.creator)) kept_.items.push_back(&x);
        done_with(f, i);
      }
      if (!retain_grad_)
        for (std::optional<Variable>& y : outputs)
          if (y && !y->node_->keep_grad) y->node_->clear_grad();
    }
  } catch (...) {
    // A rule threw (a user Function's backward): leave no half-accumulated gradient behind.
    clear_grads_of_pass(self);
    throw;
  }

  // A gradient with a graph that stays where it was stored may close a cycle through its variable.
  if (create_graph_ && !collect_)
    for (VariableNode* x : kept_.items)
      if (!x->holds_graph_grad && !x->has_raw && x->grad && x->grad->node_->creator) Cycles::watch(*x);
}

// dezero::gradients: puts aside the gradient of every node the pass can change (number operands made
// Variables), before any is changed; `mark` is a pass number of its own.
inline void BackwardPass::stash_reachable(FunctionBase* root, std::uint64_t mark) {
  std::vector<FunctionBase*> stack{root};
  root->visited_ = mark;
  while (!stack.empty()) {
    FunctionBase* f = stack.back();
    stack.pop_back();
    if (f->inline_inputs_) f->materialize_inputs();
    for (std::size_t k = 0; k < f->num_outputs_; ++k)
      if (VariableNode* y = f->outputs_[k]) stash(*y);
    for (const Variable& x : f->inputs_) {
      stash(*x.node_);
      if (FunctionBase* g = x.node_->creator.get(); g && g->visited_ != mark) {
        g->visited_ = mark;
        stack.push_back(g);
      }
    }
  }
}

// After a failed pass: clears the gradient of every variable the pass reached (the functions it counted,
// their inputs and outputs), so that a later backward starts from a clean graph. Only on the exceptional
// path.
inline void BackwardPass::clear_grads_of_pass(VariableNode& root) noexcept {
  root.clear_grad();
  if (!root.creator || root.creator->visited_ != pass_) return;
  std::vector<FunctionBase*> stack{root.creator.get()};
  root.creator->visited_ = 0;
  while (!stack.empty()) {
    FunctionBase* f = stack.back();
    stack.pop_back();
    for (std::size_t k = 0; k < f->num_outputs_; ++k)
      if (VariableNode* y = f->outputs_[k]) y->clear_grad();
    f->clear_number_gradients();
    for (Variable& x : f->inputs_) {
      if (!x.node_) continue;
      x.node_->clear_grad();
      if (FunctionBase* g = x.node_->creator.get(); g && g->visited_ == pass_) {
        g->visited_ = 0;
        stack.push_back(g);
      }
    }
  }
}

inline std::vector<Variable> BackwardPass::gradients(const Variable& y, const std::vector<Variable>& xs,
                                                     bool create_graph) {
  VariableNode& root = *y.node_;
  if (root.data.empty()) throw std::logic_error("gradients(): the output Variable has no data");
  for (std::size_t i = 0; i < xs.size(); ++i)
    if (xs[i].node_->data.empty())
      throw std::logic_error("gradients(): input " + std::to_string(i) + " has no data");
  Cycles::Deferral defer;
  // The nodes asked for keep their gradients through the pass (an intermediate's is dropped otherwise).
  struct Keep {
    const std::vector<Variable>& xs;
    ~Keep() {
      for (const Variable& x : xs) x.node_->keep_grad = false;
    }
  } keep{xs};
  for (const Variable& x : xs) x.node_->keep_grad = true;

  std::vector<Variable> result;
  result.reserve(xs.size());
  BackwardPass pass(false, create_graph, true);
  pass.stash(root);
  root.assign_grad(Variable::from_value(filled_like(root.data, 1.0)));
  if (root.creator) pass.run(root);
  for (const Variable& x : xs) {
    VariableNode& n = *x.node_;
    if (n.stashed && n.materialized_grad())
      result.push_back(*n.grad);
    else
      result.push_back(Variable::from_value(filled(n.data.shape(), 0.0)));
  }
  return result;  // the pass gives every touched node its gradient back
}

}  // namespace detail

// Returns to the heap the memory this thread keeps for reuse: large arrays (detail/array_cache.hpp), graph
// nodes (detail/pool.hpp), the release queue and backward's vectors. Graphs alive on the thread are
// unaffected.
inline void release_cached_memory() noexcept {
  detail::ArrayCache::release();
  detail::PoolList::clear_all();
  detail::BackwardPass::release_scratch();
  if (!detail::PendingReleases::draining)
    std::vector<std::shared_ptr<Function>>().swap(detail::PendingReleases::users);
}

inline void Variable::backward(bool retain_grad, bool create_graph) {
  detail::VariableNode& self = *node_;
  if (self.data.empty()) throw std::logic_error("backward(): the Variable has no data");
  detail::Cycles::Deferral defer;  // first: collects what the pass let go of, once
  if (!self.materialized_grad()) self.assign_grad(from_value(detail::filled_like(self.data, 1.0)));
  if (!self.creator) return;
  detail::BackwardPass(retain_grad, create_graph, false).run(self);
}

inline std::vector<Variable> gradients(const Variable& y, const std::vector<Variable>& xs,
                                       bool create_graph) {
  return detail::BackwardPass::gradients(y, xs, create_graph);
}

// Function ----------------------------------------------------------------------------------------------

inline std::string Function::name() const {
  const char* mangled = typeid(*this).name();
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string result = status == 0 && demangled ? demangled : mangled;
  std::free(demangled);
  return result;
}

inline Outputs::operator Variable() const {
  if (size() != 1)
    throw arity_error("a Function call with " + std::to_string(size()) +
                      " outputs cannot be used as one Variable; take a std::vector<Variable>");
  return front();
}

inline Outputs Function::call(std::vector<Variable> inputs) {
  if (weak_from_this().expired())
    throw std::logic_error(name() + ": a Function is called through a std::shared_ptr (std::make_shared<" +
                           name() + ">())");
  if (num_outputs_ != 0 || !inputs_.empty())
    throw std::logic_error(name() + ": a Function object is called once; make a new one for each call");
  std::vector<const NDArray*> arrays;
  arrays.reserve(inputs.size());
  for (const Variable& x : inputs) arrays.push_back(&x.checked_value(name() + ": input").array());

  std::vector<NDArray> ys = forward(ArrayList(std::move(arrays)));
  if (ys.empty()) throw arity_error(name() + ".forward returned no outputs");
  Outputs outputs;
  outputs.reserve(ys.size());
  for (NDArray& y : ys) outputs.emplace_back(std::move(y));
  if (Config::enable_backprop) {
    owned_inputs_ = std::move(inputs);
    output_slots_.resize(outputs.size());
    if (outputs.size() > 1)
      for (const Variable& y : outputs) output_shapes_.push_back(y.value().shape());
    self_ = shared_from_this();  // the graph holds this Function while a Creator does
    connect(owned_inputs_, {outputs.data(), outputs.size()}, output_slots_.data());
  }
  return outputs;
}

inline void Function::release_from_graph() noexcept { detail::release(std::move(self_)); }

inline void FunctionBase::connect(std::span<Variable> inputs, std::span<Variable> outputs,
                                  detail::VariableNode** slots) {
  int generation = 0;
  for (const Variable& x : inputs)
    if (x.node_) generation = std::max(generation, x.node_->generation);
  generation_ = generation;
  inputs_ = inputs;
  outputs_ = slots;
  num_outputs_ = static_cast<std::uint32_t>(outputs.size());
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    detail::VariableNode& y = *outputs[k].node_;
    y.creator = Creator(this);
    y.generation = generation + 1;
    y.output_index = static_cast<std::uint32_t>(k);
    slots[k] = &y;
  }
}

template <std::size_t N>
inline void FunctionBase::connect_output(std::array<Variable, N>& inputs, detail::VariableNode& y) noexcept {
  int generation = 0;
  for (const Variable& x : inputs)
    if (x.node_ && x.node_->generation > generation) generation = x.node_->generation;
  generation_ = generation;
  inputs_ = inputs;
  num_outputs_ = 1;
  ++refs_;  // y's Creator
  y.creator.f_ = this;
  y.generation = generation + 1;
  output_ = &y;
}

inline std::vector<std::optional<Variable>> FunctionBase::outputs() const {
  std::vector<std::optional<Variable>> result;
  for (std::size_t i = 0; i < num_outputs_; ++i) result.push_back(output(i));
  return result;
}

inline std::optional<Variable> FunctionBase::output(std::size_t i) const {
  if (i >= num_outputs_) throw std::out_of_range("output: no output " + std::to_string(i));
  detail::VariableNode* node = outputs_[i];
  if (!node) return std::nullopt;
  ++node->refs;
  return Variable(node, Variable::adopt{});
}

inline Function::Grads Function::backward_grads(std::span<const Variable> gys, const Variable*, bool) {
  std::vector<Variable> gxs = backward(std::vector<Variable>(gys.begin(), gys.end()));
  if (gxs.size() != inputs_.size())
    throw arity_error(name() + ".backward returned " + std::to_string(gxs.size()) + " gradients for " +
                      std::to_string(inputs_.size()) + " inputs");
  for (std::size_t i = 0; i < gxs.size(); ++i)
    if (gxs[i].shape() != inputs_[i].shape())
      throw shape_error(name() + ".backward: the gradient of input " + std::to_string(i) + " has shape " +
                        to_string(gxs[i].shape()) + ", the input has shape " + to_string(inputs_[i].shape()));
  return Grads(gxs.begin(), gxs.end());
}

}  // namespace dezero
