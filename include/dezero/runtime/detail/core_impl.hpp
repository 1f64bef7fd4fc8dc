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
#include "dezero/runtime/detail/pool.hpp"

namespace dezero {

namespace detail {

// The functions whose last reference went while a release was in progress on this thread: let go of by the
// loop of the first release instead of from inside the one that dropped them (see release()).
struct PendingReleases {
  static inline thread_local std::vector<FunctionBase*> functions;
  static inline thread_local std::vector<std::shared_ptr<Function>> users;  // a user's Function's self_
  static inline thread_local bool draining = false;
};

inline void drain_releases() noexcept {
  std::vector<FunctionBase*>& functions = PendingReleases::functions;
  std::vector<std::shared_ptr<Function>>& users = PendingReleases::users;
  while (!functions.empty() || !users.empty()) {
    if (!functions.empty()) {
      FunctionBase* f = functions.back();
      functions.pop_back();
      f->release_from_graph();  // frees its inputs; their nodes queue their creators instead of recursing
    } else {
      std::shared_ptr<Function> f = std::move(users.back());
      users.pop_back();
      f.reset();
    }
  }
  // A wide graph queues one entry per input of a function: do not keep that much memory for later.
  if (functions.capacity() > 4096) std::vector<FunctionBase*>().swap(functions);
  if (users.capacity() > 4096) std::vector<std::shared_ptr<Function>>().swap(users);
  PendingReleases::draining = false;
}

inline void release(FunctionBase* f) noexcept {
  if (PendingReleases::draining) return PendingReleases::functions.push_back(f);
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
inline void release(VariableNode* node) noexcept {
  if (--node->refs != 0) return;
  Creator creator = std::move(node->creator);
  if (creator) creator->outputs_[node->output_index] = nullptr;  // the function's weak reference
  const bool embedded = node->embedded;
  node->~VariableNode();
  if (!embedded) PoolAllocator<VariableNode>{}.deallocate(node, 1);
}  // creator goes here, and with it perhaps the function and its memory

inline VariableNode::~VariableNode() = default;

inline void VariableNode::accumulate(double g) {
  if (has_raw) {
    raw += g;
    return;
  }
  if (grad && !grad->node_->data.is_scalar()) {  // a gradient of another kind: stay with Variables
    std::optional<Variable>& old = materialized_grad();
    *old = detail::apply(ops::Add{}, *old, Variable(g));
    return;
  }
  raw_includes_grad = grad.has_value();
  raw = raw_includes_grad ? grad->node_->data.scalar() + g : g;  // DeZero's order: old + new
  has_raw = true;
}

inline std::optional<Variable>& VariableNode::materialized_grad() {
  if (!has_raw) return grad;
  has_raw = false;
  if (raw_includes_grad && grad->node_->refs == 1)
    grad->node_->data = Data(raw);  // in place: nothing else sees the old gradient
  else
    grad = Variable(raw);  // DeZero: a new Variable, the old one untouched
  return grad;
}

template <class... A>
VariableNode* make_node(A&&... a) {
  return new (PoolAllocator<VariableNode>{}.allocate(1)) VariableNode(std::forward<A>(a)...);
}

}  // namespace detail

// Returns to the heap the memory this thread keeps for reuse: large arrays (detail/array_cache.hpp), graph
// nodes (detail/pool.hpp) and the release queue. Graphs alive on the thread are unaffected.
inline void release_cached_memory() noexcept {
  detail::ArrayCache::release();
  detail::PoolList::clear_all();
  if (!detail::PendingReleases::draining) {
    std::vector<FunctionBase*>().swap(detail::PendingReleases::functions);
    std::vector<std::shared_ptr<Function>>().swap(detail::PendingReleases::users);
  }
}

// Creator ------------------------------------------------------------------------------------------------

inline Creator::Creator(const Creator& o) noexcept : f_(o.f_) {
  if (f_) ++f_->refs_;
}
inline Creator::Creator(FunctionBase* f) noexcept : f_(f) { ++f_->refs_; }

inline void Creator::reset() noexcept {
  FunctionBase* f = std::exchange(f_, nullptr);
  if (f && --f->refs_ == 0) detail::release(f);
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
  node_->has_raw = false;
  node_->grad = std::move(grad);
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

inline void Variable::backward(bool retain_grad) {
  detail::VariableNode& self = *node_;
  if (self.data.empty()) throw std::logic_error("backward(): the Variable has no data");
  if (!self.materialized_grad()) self.grad = from_value(detail::filled_like(self.data, 1.0));
  if (!self.creator) return;

  // Stage 2: gradients are values; the backward pass builds no graph of its own.
  ConfigGuard values_only = no_grad();

  // A pass number marks the functions this pass reached, so each is counted once without a set lookup.
  static std::atomic<std::uint64_t> passes{0};
  const std::uint64_t pass = passes.fetch_add(1, std::memory_order_relaxed) + 1;

  // Dependency counting (docs/runtime-engine.md, "backward"): first the uses of each function's outputs by
  // the functions this pass reaches, then the functions in an order where each runs once all of those have
  // run: a topological order without a sort or a heap.
  FunctionBase* root = self.creator.get();
  std::vector<FunctionBase*> stack{root};
  root->visited_ = pass;
  root->pending_ = 0;
  while (!stack.empty()) {
    FunctionBase* f = stack.back();
    stack.pop_back();
    for (const Variable& x : f->inputs_)
      if (FunctionBase* g = x.node_ ? x.node_->creator.get() : nullptr) {
        if (g->visited_ != pass) {
          g->visited_ = pass;
          g->pending_ = 0;
          stack.push_back(g);
        }
        ++g->pending_;
      }
  }

  // Without retain_grad, scalar gradients stay numbers (VariableNode::raw): a built-in function of scalars
  // takes its output's and adds to its inputs' without making a Variable. With retain_grad every gradient
  // is a Variable, as DeZero's (an Add then passes the same object to both inputs).
  const bool numbers = !retain_grad;
  const auto done_with = [&](FunctionBase* f, std::size_t i) {
    detail::VariableNode* x = f->inputs_[i].node_;  // null for a number kept in the function
    if (FunctionBase* g = x ? x->creator.get() : nullptr; g && --g->pending_ == 0) stack.push_back(g);
  };
  stack.push_back(root);
  try {
    while (!stack.empty()) {
      FunctionBase* f = stack.back();
      stack.pop_back();

      if (numbers && f->num_outputs_ == 1 && f->inputs_.size() <= 2) {
        detail::VariableNode* y = f->outputs_[0];
        const bool scalar =
            y && y->data.is_scalar() && (y->has_raw || (y->grad && y->grad->node_->data.is_scalar()));
        if (scalar && f->backward_scalars(y->has_raw ? y->raw : y->grad->node_->data.scalar())) {
          for (std::size_t i = 0; i < f->inputs_.size(); ++i) done_with(f, i);
          y->clear_grad();
          continue;
        }
      }

      // Each output is taken once: its gradient goes in, the first one is handed to the rule, and with
      // retain_grad = false its gradient is dropped afterwards.
      detail::small_vector<std::optional<Variable>> outputs;
      FunctionBase::Grads gys;
      for (std::size_t k = 0; k < f->num_outputs_; ++k) {
        detail::VariableNode* y = f->outputs_[k];
        if (y && y->materialized_grad())
          gys.push_back(*y->grad);
        else  // a dropped or unused output contributes nothing
          gys.push_back(from_value(detail::filled(f->output_shape(k), 0.0)));
        if (y) ++y->refs;
        outputs.push_back(y ? std::optional<Variable>(Variable(y, Variable::adopt{})) : std::nullopt);
      }
      FunctionBase::Grads gxs =
          f->backward_grads({gys.data(), gys.size()}, outputs[0] ? &*outputs[0] : nullptr);

      for (std::size_t i = 0; i < f->inputs_.size(); ++i) {
        detail::VariableNode& x = *f->inputs_[i].node_;
        if (numbers && x.data.is_scalar() && gxs[i].node_->data.is_scalar())
          x.accumulate(gxs[i].node_->data.scalar());
        else if (!x.materialized_grad())
          x.grad = std::move(gxs[i]);
        else if (x.grad->node_->refs > 1 || !detail::add_in_place(x.grad->node_->data, gxs[i].value()))
          x.grad =
              detail::apply(ops::Add{}, *x.grad, gxs[i]);  // DeZero: a new Variable, the old one untouched
        // (in place only when nothing else can see the old gradient)
        done_with(f, i);
      }
      if (!retain_grad)
        for (std::optional<Variable>& y : outputs)
          if (y) y->node_->clear_grad();
    }
  } catch (...) {
    // A rule threw (a user Function's backward): leave no half-accumulated gradient behind.
    clear_grads_of_pass(pass);
    throw;
  }
}

// After a failed pass: clears the gradient of every variable the pass reached (the functions it counted,
// their inputs and outputs), so that a later backward starts from a clean graph. Only on the exceptional
// path.
inline void Variable::clear_grads_of_pass(std::uint64_t pass) noexcept {
  node_->clear_grad();
  if (!node_->creator || node_->creator->visited_ != pass) return;
  std::vector<FunctionBase*> stack{node_->creator.get()};
  node_->creator->visited_ = 0;
  while (!stack.empty()) {
    FunctionBase* f = stack.back();
    stack.pop_back();
    for (std::size_t k = 0; k < f->num_outputs_; ++k)
      if (detail::VariableNode* y = f->outputs_[k]) y->clear_grad();
    f->clear_number_gradients();
    for (Variable& x : f->inputs_) {
      if (!x.node_) continue;
      x.node_->clear_grad();
      if (FunctionBase* g = x.node_->creator.get(); g && g->visited_ == pass) {
        g->visited_ = 0;
        stack.push_back(g);
      }
    }
  }
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

inline Function::Grads Function::backward_grads(std::span<const Variable> gys, const Variable*) {
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
