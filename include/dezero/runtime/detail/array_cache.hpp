// Reuses the storage of large arrays that the graph frees. A graph over big arrays frees them all when its
// result goes, and glibc hands that memory back to the system (it trims the heap top beyond a threshold),
// so the next iteration of a training loop faults every page in again: on a VM, a few microseconds per 4 KiB
// page, which made a 1e6-element forward and backward 20 times slower. Arrays of at least `min_bytes` are
// kept per thread, up to `max_bytes`, and handed out again for results of the same size.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "dezero/runtime/ndarray.hpp"

namespace dezero::detail {

class ArrayCache {
 public:
  static constexpr std::size_t min_bytes = std::size_t{128} << 10;  // glibc's default mmap threshold
  static constexpr std::size_t max_bytes = std::size_t{512} << 20;

  // An uninitialised array of this shape, from the cache when one of the same size is there.
  template <class S>
  static NDArray take(const S& shape) {
    std::size_t n = 1;
    for (std::size_t d : shape) n *= d;
    if (ArrayCache* cache = local(); cache && n * sizeof(double) >= min_bytes)
      for (std::size_t i = cache->arrays_.size(); i-- > 0;)
        if (cache->arrays_[i].size() == n) {
          NDArray a = std::move(cache->arrays_[i]);
          cache->arrays_.erase(cache->arrays_.begin() + static_cast<std::ptrdiff_t>(i));
          cache->bytes_ -= n * sizeof(double);
          a.reshape(shape);
          return a;
        }
    return NDArray::from_shape(shape);
  }

  // Keeps a's storage for later, if it is large and the cache has room; a is left empty either way.
  static void give(NDArray& a) noexcept {
    const std::size_t bytes = a.size() * sizeof(double);
    ArrayCache* cache = local();
    if (!cache || bytes < min_bytes || cache->bytes_ + bytes > max_bytes) return;
    try {
      cache->arrays_.push_back(std::move(a));
      cache->bytes_ += bytes;
    } catch (...) {  // no room for the entry: let the array go
    }
  }

  // Frees what this thread's cache holds.
  static void release() noexcept {
    if (ArrayCache* cache = local()) {
      std::vector<NDArray>().swap(cache->arrays_);
      cache->bytes_ = 0;
    }
  }

  ~ArrayCache() { dead_ = true; }

 private:
  static ArrayCache* local() noexcept {
    if (dead_) return nullptr;
    thread_local ArrayCache cache;
    return &cache;
  }

  std::vector<NDArray> arrays_;
  std::size_t bytes_ = 0;
  static inline thread_local bool dead_ = false;
};

}  // namespace dezero::detail
