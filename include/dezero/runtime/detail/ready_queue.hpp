// The order of a backward pass: DeZero's (by generation, the function reached last first), kept in a bucket
// per generation instead of a list sorted each time a function is added.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

#include "dezero/runtime/core.hpp"

namespace dezero::detail {

// Storage that this thread keeps from one backward pass to the next, like Scratch, for plain values; a pass
// started inside another finds it taken and allocates its own.
template <class T, int Kind>
class Buffer {
 public:
  Buffer() noexcept {
    std::swap(data_, spare().data_);
    std::swap(capacity_, spare().capacity_);
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() {
    Spare& s = spare();
    if (capacity_ <= kept && capacity_ > s.capacity_) {
      std::swap(data_, s.data_);
      std::swap(capacity_, s.capacity_);
    }
    ::operator delete(data_);
  }
  T* data() const noexcept { return data_; }
  std::size_t capacity() const noexcept { return capacity_; }
  // Room for n values; the first `used` are kept.
  void reserve(std::size_t n, std::size_t used) {
    if (n <= capacity_) return;
    const std::size_t capacity = std::max<std::size_t>({n, 2 * capacity_, 64});
    T* p = static_cast<T*>(::operator new(capacity * sizeof(T)));
    std::copy(data_, data_ + used, p);
    ::operator delete(data_);
    data_ = p;
    capacity_ = capacity;
  }
  static void release() noexcept {
    ::operator delete(spare().data_);
    spare() = {};
  }

 private:
  static constexpr std::size_t kept = std::size_t{1} << 20;  // 8 MB of pointers at most, for later
  struct Spare {
    T* data_ = nullptr;
    std::size_t capacity_ = 0;
    ~Spare() { ::operator delete(data_); }
  };
  static Spare& spare() noexcept {
    static thread_local Spare s;
    return s;
  }
  T* data_ = nullptr;
  std::size_t capacity_ = 0;
};

// backward's order, DeZero's: the function of the highest generation first, and of those of one generation
// the one reached last. DeZero sorts its list by generation each time it adds a function; here each
// generation has a list of its own, linked through the functions' pending_ field (an index into `reached`),
// so that reaching a function and taking the next are a few instructions and the graph is walked once. A
// function's uses all have higher generations than it, so it runs after all of them.
class ReadyQueue {
 public:
  ReadyQueue(std::uint64_t pass, int top) : pass_(pass), current_(static_cast<std::size_t>(top)) {
    heads_.reserve(current_ + 1, 0);
    std::fill_n(heads_.data(), current_ + 1, none);
  }

  // The creator of x, if it has one and this pass has not reached it yet, joins the queue.
  [[gnu::always_inline]] void reach(VariableNode* x) {
    if (!x) return;  // a number kept in the function
    if (FunctionBase* g = x->creator.get(); g && g->visited_ != pass_) add(g);
  }
  [[gnu::always_inline]] void add(FunctionBase* g) {
    g->visited_ = pass_;
    if (size_ == reached_.capacity()) [[unlikely]]
      grow();
    std::uint32_t& head = heads_.data()[static_cast<std::size_t>(g->generation_)];
    g->pending_ = head;
    head = static_cast<std::uint32_t>(size_);
    reached_.data()[size_++] = g;
  }
  // The next function to run; null when none is left.
  FunctionBase* next() noexcept {
    std::uint32_t* heads = heads_.data();
    while (heads[current_] == none)
      if (current_-- == 0) return nullptr;
    FunctionBase* f = reached_.data()[heads[current_]];
    heads[current_] = f->pending_;
    return f;
  }

  [[gnu::noinline]] void grow() { reached_.reserve(size_ + 1, size_); }

  static void release() noexcept {
    Buffer<std::uint32_t, 0>::release();
    Buffer<FunctionBase*, 1>::release();
  }

 private:
  static constexpr std::uint32_t none = ~std::uint32_t{0};
  std::uint64_t pass_;
  std::size_t current_;  // the highest generation that may have a function left
  std::size_t size_ = 0;
  Buffer<std::uint32_t, 0> heads_;    // per generation, the last function reached (an index), or none
  Buffer<FunctionBase*, 1> reached_;  // every function reached, in that order
};

}  // namespace dezero::detail
