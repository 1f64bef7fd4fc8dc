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

// The functions queued by the release in progress on this thread (see release_iteratively).
struct PendingReleases {
  static inline thread_local std::vector<std::shared_ptr<Function>> list;
  static inline thread_local bool draining = false;
};

inline void release_iteratively(std::shared_ptr<Function>&& f) noexcept {
  std::vector<std::shared_ptr<Function>>& pending = PendingReleases::list;
  if (PendingReleases::draining) {
    pending.push_back(std::move(f));
    return;
  }
  PendingReleases::draining = true;
  f.reset();  // destroys the function's inputs; their nodes queue their creators instead of recursing
  while (!pending.empty()) {
    std::shared_ptr<Function> next = std::move(pending.back());
    pending.pop_back();
    next.reset();
  }
  // A wide graph queues one entry per input of a function: do not keep that much memory for later.
  if (pending.capacity() > 4096) std::vector<std::shared_ptr<Function>>().swap(pending);
  PendingReleases::draining = false;
}

}  // namespace detail

// Returns to the heap the memory this thread keeps for reuse: large arrays (detail/array_cache.hpp), graph
// nodes (detail/pool.hpp) and the release queue. Graphs alive on the thread are unaffected.
inline void release_cached_memory() noexcept {
  detail::ArrayCache::release();
  detail::PoolList::clear_all();
  if (!detail::PendingReleases::draining)
    std::vector<std::shared_ptr<Function>>().swap(detail::PendingReleases::list);
}

// Variable ----------------------------------------------------------------------------------------------

namespace detail {
inline std::shared_ptr<VariableNode> make_node(Data value) {
  return std::allocate_shared<VariableNode>(PoolAllocator<VariableNode>{}, std::move(value));
}
}  // namespace detail

inline Variable::Variable() : node_(detail::make_node(detail::Data())) {}
inline Variable::Variable(NDArray data, std::string name)
    : node_(detail::make_node(detail::Data(std::move(data)))) {
  if (!name.empty()) set_name(std::move(name));
}
inline Variable::Variable(double value) : node_(detail::make_node(detail::Data(value))) {}

inline Variable Variable::from_value(detail::Data value) {
  return Variable(detail::make_node(std::move(value)));
}

inline const detail::Data& Variable::value() const { return node_->data; }

// An intermediate array (a function output) that only built-in functions hold, none of which reads it in
// backward, can never be read again: free it, as PyTorch frees what no backward needs. Leaves, scalars and
// values anyone holds a handle to are kept.
inline Variable::~Variable() {
  if (node_ && node_->data.holds_array()) release_if_unreadable();  // scalars: one inline test
}

inline void Variable::release_if_unreadable(long handles) noexcept {
  detail::VariableNode& n = *node_;
  if (n.readers == 0 && n.creator && n.data.holds_array() &&
      node_.use_count() == static_cast<long>(n.graph_refs) + handles)
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
inline const std::optional<Variable>& Variable::grad() const { return node_->grad; }
inline void Variable::set_grad(std::optional<Variable> grad) { node_->grad = std::move(grad); }
inline void Variable::cleargrad() { node_->grad.reset(); }
inline const std::string& Variable::name() const {
  static const std::string unnamed;
  return node_->name ? *node_->name : unnamed;
}
inline void Variable::set_name(std::string name) {
  node_->name = std::make_unique<std::string>(std::move(name));
}
inline const std::shared_ptr<Function>& Variable::creator() const { return node_->creator; }
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
  if (!self.grad) self.grad = from_value(detail::filled_like(self.data, 1.0));
  if (!self.creator) return;

  // Stage 2: gradients are values; the backward pass builds no graph of its own.
  ConfigGuard values_only = no_grad();

  // A pass number marks the functions already queued, so each runs once without a set lookup.
  static std::atomic<std::uint64_t> passes{0};
  const std::uint64_t pass = passes.fetch_add(1, std::memory_order_relaxed) + 1;

  // Latest created first (docs/runtime-engine.md, "backward"): every function was created after the
  // creators of its inputs, so this is a topological order, as DeZero's generations give, and it walks the
  // graph in the reverse of the order it was built, as a tape would; ties only between unrelated functions.
  struct Queued {
    std::uint64_t sequence;
    std::uint64_t order;
    Function* f;
    bool operator<(const Queued& o) const {
      return sequence != o.sequence ? sequence < o.sequence : order < o.order;
    }
  };
  std::vector<Queued> heap;
  std::uint64_t order = 0;
  auto queue = [&](Function* f) {
    if (f->visited_ == pass) return;
    f->visited_ = pass;
    heap.push_back({f->sequence_, order++, f});
    std::push_heap(heap.begin(), heap.end());
  };
  queue(self.creator.get());

  try {
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end());
      Function* f = heap.back().f;
      heap.pop_back();

      // Each output is locked once: its gradient goes in, the first one is handed to the rule, and with
      // retain_grad = false its gradient is dropped afterwards.
      detail::small_vector<std::optional<Variable>> outputs;
      Function::Grads gys;
      for (std::size_t k = 0; k < f->outputs_.size(); ++k) {
        std::shared_ptr<detail::VariableNode> y = f->outputs_[k].lock();
        if (y && y->grad)
          gys.push_back(*y->grad);
        else  // a dropped or unused output contributes nothing
          gys.push_back(
              from_value(detail::filled(f->output_shapes_.empty() ? Shape{} : f->output_shapes_[k], 0.0)));
        outputs.push_back(y ? std::optional<Variable>(Variable(std::move(y))) : std::nullopt);
      }
      Function::Grads gxs = f->backward_grads({gys.data(), gys.size()}, outputs[0] ? &*outputs[0] : nullptr);

      for (std::size_t i = 0; i < f->inputs_.size(); ++i) {
        detail::VariableNode& x = *f->inputs_[i].node_;
        if (!x.grad)
          x.grad = std::move(gxs[i]);
        else if (x.grad->node_.use_count() > 1 || !detail::add_in_place(x.grad->node_->data, gxs[i].value()))
          x.grad =
              detail::apply(ops::Add{}, *x.grad, gxs[i]);  // DeZero: a new Variable, the old one untouched
        // (in place only when nothing else can see the old gradient)
        if (x.creator) queue(x.creator.get());
      }
      if (!retain_grad)
        for (std::optional<Variable>& y : outputs)
          if (y) y->node_->grad.reset();
    }
  } catch (...) {
    // A rule threw (a user Function's backward): leave no half-accumulated gradient behind.
    clear_grads_of_pass(pass);
    throw;
  }
}

// After a failed pass: clears the gradient of every variable the pass reached (the functions it queued, their
// inputs and outputs), so that a later backward starts from a clean graph. Only on the exceptional path.
inline void Variable::clear_grads_of_pass(std::uint64_t pass) noexcept {
  node_->grad.reset();
  if (!node_->creator || node_->creator->visited_ != pass) return;
  std::vector<Function*> stack{node_->creator.get()};
  node_->creator->visited_ = 0;
  while (!stack.empty()) {
    Function* f = stack.back();
    stack.pop_back();
    for (const std::weak_ptr<detail::VariableNode>& y : f->outputs_)
      if (std::shared_ptr<detail::VariableNode> node = y.lock()) node->grad.reset();
    for (Variable& x : f->inputs_) {
      x.node_->grad.reset();
      if (Function* g = x.node_->creator.get(); g && g->visited_ == pass) {
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
  if (!outputs_.empty() || !inputs_.empty())
    throw std::logic_error(name() + ": a Function object is called once; make a new one for each call");
  std::vector<const NDArray*> arrays;
  arrays.reserve(inputs.size());
  for (const Variable& x : inputs) arrays.push_back(&x.checked_value(name() + ": input").array());

  std::vector<NDArray> ys = forward(ArrayList(std::move(arrays)));
  if (ys.empty()) throw arity_error(name() + ".forward returned no outputs");
  Outputs outputs;
  outputs.reserve(ys.size());
  for (NDArray& y : ys) outputs.emplace_back(std::move(y));
  if (Config::enable_backprop) owned_inputs_ = std::move(inputs);
  connect(shared_from_this(), owned_inputs_, {outputs.data(), outputs.size()});
  return outputs;
}

inline void Function::connect(std::shared_ptr<Function> self, std::span<Variable> inputs,
                              std::span<Variable> outputs) {
  if (!Config::enable_backprop) return;
  // The sequence counts creations on this thread, and stays above the inputs' creators' when they come from
  // another thread, so that it orders every function after the functions it depends on.
  thread_local std::uint64_t sequence = 0;
  int generation = 0;
  for (const Variable& x : inputs) {
    generation = std::max(generation, x.node_->generation);
    if (const Function* g = x.node_->creator.get()) sequence = std::max(sequence, g->sequence_);
  }
  generation_ = generation;
  sequence_ = ++sequence;
  inputs_ = inputs;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    Variable& y = outputs[k];
    y.node_->creator = k + 1 == outputs.size() ? std::move(self) : self;
    y.node_->generation = generation + 1;
    outputs_.push_back(y.node_);
    if (outputs.size() > 1) output_shapes_.push_back(y.value().shape());
  }
}

inline std::vector<std::optional<Variable>> Function::outputs() const {
  std::vector<std::optional<Variable>> result;
  for (std::size_t i = 0; i < outputs_.size(); ++i) result.push_back(output(i));
  return result;
}

inline std::optional<Variable> Function::output(std::size_t i) const {
  if (std::shared_ptr<detail::VariableNode> node = outputs_.at(i).lock()) return Variable(std::move(node));
  return std::nullopt;
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
