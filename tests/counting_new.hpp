// Replaces the global operator new and delete of the test program that
// includes this header (include it in one source file of the program only):
// every allocation is counted, and one can be made to fail, to test what an
// out-of-memory error leaves behind.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace counting_new {
/// Allocations made so far by the program.
inline std::atomic<std::size_t> allocations{0};
/// While above zero, counts down at each allocation, and the allocation that
/// brings it to zero throws std::bad_alloc instead.
inline std::atomic<std::size_t> fail_in{0};

inline void* allocate(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (fail_in.load() > 0 && fail_in.fetch_sub(1) == 1) throw std::bad_alloc();
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
} // namespace counting_new

// Every replaceable allocation function routes to allocate(); the aligned forms
// are not used by tapegrad (no over-aligned types) and stay the library's.
void* operator new(std::size_t size) { return counting_new::allocate(size); }
void* operator new[](std::size_t size) { return counting_new::allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counting_new::allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
