// Counts live heap bytes in a benchmark binary (global operator new/delete replaced), so a benchmark can
// report the peak its own iteration reaches over what was live before it started. Include in exactly one
// translation unit.
#pragma once

#include <malloc.h>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace dezero::bench {

// Single-threaded, and off unless a benchmark turns it on, so that timed code pays one branch per
// allocation. Memory freed while counting is off is not subtracted: measure whole iterations.
inline bool counting = false;
inline std::ptrdiff_t live_bytes = 0, peak_bytes = 0;

// Runs f with counting on; returns the peak bytes it had live at once, over what was live before.
template <class F>
std::ptrdiff_t peak_bytes_of(F&& f) {
  live_bytes = peak_bytes = 0;
  counting = true;
  f();
  counting = false;
  return peak_bytes;
}

inline void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (!p) throw std::bad_alloc();
  if (counting) {
    live_bytes += static_cast<std::ptrdiff_t>(malloc_usable_size(p));
    if (live_bytes > peak_bytes) peak_bytes = live_bytes;
  }
  return p;
}

inline void counted_free(void* p) noexcept {
  if (counting && p) live_bytes -= static_cast<std::ptrdiff_t>(malloc_usable_size(p));
  std::free(p);
}

}  // namespace dezero::bench

void* operator new(std::size_t n) { return dezero::bench::counted_alloc(n); }
void* operator new[](std::size_t n) { return dezero::bench::counted_alloc(n); }
void operator delete(void* p) noexcept { dezero::bench::counted_free(p); }
void operator delete[](void* p) noexcept { dezero::bench::counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { dezero::bench::counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { dezero::bench::counted_free(p); }
