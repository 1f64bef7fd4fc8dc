// The reference cycles of higher order, and their collection. A runtime graph is a DAG (a node is made after
// its inputs), so its counts free it exactly, except where a gradient with a graph of its own is stored:
// after backward(create_graph = true), x holds x.grad, whose graph holds x. DeZero leaves that cycle to
// Python's collector; here it is found where it can arise:
// - Storing such a gradient in x (a leaf's, or any retained one) *watches* x and everything its gradient's
//   graph reaches: only watched objects can be in a cycle.
// - Dropping a reference to a watched object, while some gradient with a graph is stored anywhere, leaves
//   a cycle nothing else holds perhaps: the object is *suspected*, and a collection runs once the outermost
//   release, backward pass or collection on this thread has finished.
// - The collection is trial deletion (Bacon and Rajan, 2001): over everything the suspects reach, take the
//   references from inside off the counts; an object whose count stays above 0 is held from outside, and so
//   is all it reaches. What is left is garbage: its gradients are let go of, which breaks every cycle in it,
//   and the counts free the rest.
// A user's Function holding Variables in members of its own hides those edges from the count: they keep
// what they hold alive, as any handle does.
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

#include "dezero/runtime/core.hpp"

namespace dezero::detail {

struct Cycles {
  // Nodes holding a gradient that has a creator, over all threads: while there are none there is no
  // cycle, and dropping a reference does nothing more.
  static inline std::atomic<std::int64_t> graph_grads{0};
  [[gnu::noinline, gnu::cold]] static void forget(VariableNode& n) noexcept {  // n.grad lost its creator
    n.holds_graph_grad = false;
    graph_grads.fetch_sub(1, std::memory_order_relaxed);
  }

  struct Object {
    void* p;
    bool node;
  };
  static inline thread_local std::vector<Object> suspects;  // each holds one reference
  // !suspects.empty(), as a plain thread_local the release paths read without a TLS wrapper call.
  static inline thread_local bool any_suspects = false;
  static inline thread_local int deferring = 0;  // inside a backward pass or a collection
  static inline thread_local bool collecting = false;

  [[gnu::noinline]] static void watch(VariableNode& x) {
    x.holds_graph_grad = true;
    graph_grads.fetch_add(1, std::memory_order_relaxed);
    // From x's new gradient, even if x is watched already (its earlier gradient's graph was): what was
    // watched before stops the walk, since all it reaches is watched too.
    x.watched = true;
    std::vector<Object> stack{{&x, true}};
    while (!stack.empty()) {
      const Object o = stack.back();
      stack.pop_back();
      children(o, [&](void* c, bool node) { mark(c, node, stack); });
    }
  }

  // A reference to n (to f) was dropped, and others remain. The queue holds one more until it is collected.
  // Out of line and cold: the release paths that call them are every operation's.
  [[gnu::noinline, gnu::cold]] static void suspect(VariableNode* n) noexcept { suspect({n, true}); }
  [[gnu::noinline, gnu::cold]] static void suspect(FunctionBase* f) noexcept { suspect({f, false}); }

  static bool deferred() noexcept;  // core_impl.hpp: also while a release is draining

  // Collects from every suspect. Noexcept: if the bookkeeping cannot be allocated, the garbage stays.
  [[gnu::noinline]] static void collect() noexcept {
    if (collecting) return;
    collecting = true;
    std::vector<Object> roots;
    roots.swap(suspects);
    any_suspects = false;
    std::vector<Variable> broken;  // the gradients of garbage nodes, let go of at the end
    try {
      find_garbage(roots, broken);
    } catch (...) {
    }
    for (const Object& o : roots) {
      suspected(o) = false;
      if (o.node)
        release(static_cast<VariableNode*>(o.p));
      else if (auto* f = static_cast<FunctionBase*>(o.p); --f->refs_ == 0)
        release(f);
    }
    broken.clear();  // the counts free the garbage from here
    collecting = false;
  }

  // Defers collections to the end of a scope (a backward pass) rather than one per dropped reference.
  class [[nodiscard]] Deferral {
   public:
    Deferral() noexcept { ++deferring; }
    Deferral(const Deferral&) = delete;
    Deferral& operator=(const Deferral&) = delete;
    ~Deferral() {
      if (--deferring == 0 && any_suspects && !deferred()) collect();
    }
  };

 private:
  static bool queue(Object o) noexcept {
    try {
      suspects.push_back(o);
      any_suspects = true;
      return true;
    } catch (...) {
      return false;
    }
  }

  static void mark(void* p, bool node, std::vector<Object>& stack) {
    if (watched({p, node})) return;
    watched({p, node}) = true;
    stack.push_back({p, node});
  }

  static void suspect(Object o) noexcept {
    if (suspected(o) || collecting || graph_grads.load(std::memory_order_relaxed) == 0) return;
    if (!queue(o)) return;  // no memory for the queue: the cycle stays
    suspected(o) = true;
    ++count(o);  // the queue's reference
    if (!deferred()) collect();
  }

  // The references an object holds: a node its creator and its gradient, a function its inputs (a
  // function's outputs are weak).
  template <class Edge>
  static void children(Object o, Edge&& edge) {
    if (o.node) {
      auto* n = static_cast<VariableNode*>(o.p);
      if (n->creator) edge(n->creator.get(), false);
      if (n->grad && n->grad->node_) edge(n->grad->node_, true);
    } else {
      for (const Variable& x : static_cast<FunctionBase*>(o.p)->inputs_)
        if (x.node_) edge(x.node_, true);
    }
  }

  // Trial deletion on the counts themselves, as Bacon and Rajan's synchronous collector: every reference
  // from inside the reach of the suspects is taken off its target's count (the suspects' own, the queue's,
  // too); what keeps a count above 0 is held from outside, and so is everything it reaches, whose counts
  // are given back on the way; what is left is garbage, whose counts are given back before its gradients
  // are let go of. No map: two flags per object.
  static std::uint32_t& count(Object o) {
    return o.node ? static_cast<VariableNode*>(o.p)->refs : static_cast<FunctionBase*>(o.p)->refs_;
  }
  static bool& suspected(Object o) {
    return o.node ? static_cast<VariableNode*>(o.p)->suspected : static_cast<FunctionBase*>(o.p)->suspected_;
  }
  static bool& watched(Object o) {
    return o.node ? static_cast<VariableNode*>(o.p)->watched : static_cast<FunctionBase*>(o.p)->watched_;
  }
  static bool& trial(Object o) {
    return o.node ? static_cast<VariableNode*>(o.p)->trial : static_cast<FunctionBase*>(o.p)->trial_;
  }
  static bool& held(Object o) {
    return o.node ? static_cast<VariableNode*>(o.p)->held : static_cast<FunctionBase*>(o.p)->held_;
  }

  static void find_garbage(const std::vector<Object>& roots, std::vector<Variable>& broken) {
    std::vector<Object> reached, stack;
    reached.reserve(roots.size());
    for (const Object& r : roots) {
      --count(r);  // the queue's reference
      if (!trial(r)) {
        trial(r) = true;
        reached.push_back(r);
        stack.push_back(r);
      }
    }
    while (!stack.empty()) {
      const Object o = stack.back();
      stack.pop_back();
      children(o, [&](void* c, bool node) {
        const Object child{c, node};
        --count(child);
        if (!trial(child)) {
          trial(child) = true;
          reached.push_back(child);
          stack.push_back(child);
        }
      });
    }
    const auto outside = [](Object o) {
      return count(o) > 0 || (!o.node && static_cast<FunctionBase*>(o.p)->held_outside_graph());
    };
    for (const Object& o : reached)
      if (!held(o) && outside(o)) {
        held(o) = true;
        stack.push_back(o);
      }
    while (!stack.empty()) {
      const Object o = stack.back();
      stack.pop_back();
      children(o, [&](void* c, bool node) {
        const Object child{c, node};
        ++count(child);
        if (!held(child)) {
          held(child) = true;
          stack.push_back(child);
        }
      });
    }
    for (const Object& o : reached)
      if (!held(o)) children(o, [](void* c, bool node) { ++count({c, node}); });
    for (const Object& r : roots) ++count(r);
    // Every count is what it was. The garbage lets go of its gradients, which breaks its cycles.
    broken.reserve(reached.size());
    for (const Object& o : reached) {
      if (o.node && !held(o)) {
        auto* n = static_cast<VariableNode*>(o.p);
        if (n->grad) {
          broken.push_back(std::move(*n->grad));
          n->clear_grad();
        }
      }
      trial(o) = held(o) = false;
    }
  }
};

}  // namespace dezero::detail
