// page_vector: a std::vector whose storage starts on a page boundary (benchmarks only).
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace dezero::bench {

// Page-aligned storage for the benchmarks' loops over points, so that every contender reads and writes at
// the same addresses modulo the page size. Store-to-load forwarding compares low address bits: two identical
// loops (static and hand-written sphere, instruction for instruction) ran 2x apart when only the page offsets
// of their buffers differed.
template <class T>
struct page_allocator {
  using value_type = T;
  static constexpr std::align_val_t page{4096};
  page_allocator() = default;
  template <class U>
  page_allocator(const page_allocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), page)); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, page); }
  friend bool operator==(page_allocator, page_allocator) { return true; }
};
template <class T>
using page_vector = std::vector<T, page_allocator<T>>;

}  // namespace dezero::bench
