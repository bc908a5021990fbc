// A per-thread count of elementary steps (map keys compared, parent links followed, bytes
// scanned) in loaders whose work must stay linear in their input. Tests read it at size n and 2n
// to bound work by count, not by time; nothing else reads it.
#pragma once
#include <cstdint>

namespace csap::work {

inline thread_local std::uint64_t steps = 0;

inline void step(std::uint64_t n = 1) {
  steps += n;
}

}  // namespace csap::work
