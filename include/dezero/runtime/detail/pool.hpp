// Recycles the memory of graph nodes (Variable nodes, and built-in operations with their output's node).
// A DeZero-style graph allocates a block or two per operation and frees them all at once when the result
// goes; glibc's tcache holds only 7 blocks per size, so most of them would take malloc's slow paths (a
// million-node chain spent three quarters of its time there with a 4 MB cap). Each thread keeps a free
// list per block size, capped so that an idle thread holds at most `cache_bytes` per size (glibc would keep
// that memory in its own free lists too), returned to the heap when the thread ends or on
// release_cached_memory(). A block freed on another thread joins that thread's list: blocks are
// allocated one by one, so any thread may free any block.
#pragma once

#include <cstddef>
#include <new>

namespace dezero::detail {

// This thread's pools of every size, linked so that release_cached_memory() can empty them all. A pool is
// created on first use and destroyed at thread exit in the reverse order, so it unlinks from the front.
class PoolList {
 public:
  virtual void clear() noexcept = 0;

  static void clear_all() noexcept {
    for (PoolList* p = first_; p; p = p->next_) p->clear();
  }

 protected:
  PoolList() noexcept : next_(first_) { first_ = this; }
  ~PoolList() { first_ = next_; }

 private:
  PoolList* next_;
  static inline thread_local PoolList* first_ = nullptr;
};

template <std::size_t Size>
class BlockPool {
  static_assert(Size >= sizeof(void*));

 public:
  static constexpr std::size_t cache_bytes = std::size_t{256} << 20;

  static void* allocate() {
    if (Block* b = local_.head) {
      local_.head = b->next;
      --local_.cached;
      return b;
    }
    return ::operator new(Size);
  }

  static void deallocate(void* p) noexcept {
    if (local_.state != State::live || local_.cached * Size >= cache_bytes) [[unlikely]]
      return deallocate_slow(p);
    local_.head = new (p) Block{local_.head};
    ++local_.cached;
  }

 private:
  struct Block {
    Block* next;
  };
  enum class State : unsigned char { unused, live, dead };
  // Trivial, so that the hot paths read it straight from thread-local storage; Owner empties it at thread
  // exit, and from then on (late frees of thread_local objects' graphs) blocks go straight to the heap.
  struct Local {
    Block* head;
    std::size_t cached;
    State state;
  };
  static inline thread_local Local local_{};

  struct Owner final : PoolList {
    ~Owner() {
      clear();
      local_.state = State::dead;
    }
    void clear() noexcept override {
      while (Block* b = local_.head) {
        local_.head = b->next;
        ::operator delete(b);
      }
      local_.cached = 0;
    }
  };

  [[gnu::noinline]] static void deallocate_slow(void* p) noexcept {
    if (local_.state == State::unused) {  // the first block this thread keeps: register the cleanup
      static thread_local Owner owner;
      local_.state = State::live;
      deallocate(p);
      return;
    }
    ::operator delete(p);  // the cache is full, or the thread is ending
  }
};

// An allocator for std::allocate_shared that draws single objects from BlockPool.
template <class T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n == 1) return static_cast<T*>(BlockPool<round_up(sizeof(T))>::allocate());
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n == 1) return BlockPool<round_up(sizeof(T))>::deallocate(p);
    ::operator delete(p);
  }
  template <class U>
  bool operator==(const PoolAllocator<U>&) const noexcept {
    return true;
  }

 private:
  // Sizes rounded to 16 bytes share pools.
  static constexpr std::size_t round_up(std::size_t n) { return (n + 15) / 16 * 16; }
};

}  // namespace dezero::detail
