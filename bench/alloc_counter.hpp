// Allocation counter: how many times the program called operator new.
//
// alloc_counter.cpp replaces the global operator new and delete for the
// benchmark binary only, so a workload can count the heap allocations of one
// steady-state step instead of assuming there are none.
#pragma once

#include <cstdint>

namespace bench {

/// Number of calls to any global operator new since the program started.
std::uint64_t allocation_count() noexcept;

} // namespace bench
