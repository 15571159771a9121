// Column: one of the tape's flat arrays (values, op codes, operands, ...).
//
// It only holds memory; the Tape says how much of it is in use. Growing keeps
// the array flat, for the reverse loop and for the debugger, and does not copy
// what it holds where the C library can avoid it: glibc serves a large block
// with mmap and grows it with mremap, which moves page-table entries, not
// bytes, so a tape of 10^8 nodes never needs twice its size in memory. Pages
// become resident when they are first written, not when room is made.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>

namespace tapegrad::detail {

/// A flat array of trivially copyable T with a room (capacity) that only grows.
template <class T> class Column {
  static_assert(std::is_trivially_copyable_v<T>, "a Column grows with realloc");

public:
  Column() = default;
  Column(const Column&) = delete;
  Column& operator=(const Column&) = delete;
  ~Column() { std::free(data_); }

  /// Element i; i must be below room().
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  /// Element i; i must be below room().
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  /// The first element (nullptr before any room is made).
  [[nodiscard]] T* data() noexcept { return data_; }
  /// The first element (nullptr before any room is made).
  [[nodiscard]] const T* data() const noexcept { return data_; }
  /// How many elements fit.
  [[nodiscard]] std::size_t room() const noexcept { return room_; }

  /// Makes room for at least n elements, keeping the first room() ones.
  /// Throws std::bad_alloc (and changes nothing) if memory runs out.
  void grow_to(std::size_t n) {
    if (n <= room_) return;
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    void* grown = std::realloc(data_, n * sizeof(T));
    if (grown == nullptr) throw std::bad_alloc();
    data_ = static_cast<T*>(grown);
    room_ = n;
  }

private:
  T* data_ = nullptr;
  std::size_t room_ = 0;
};

} // namespace tapegrad::detail
