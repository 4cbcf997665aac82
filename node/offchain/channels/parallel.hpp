#pragma once
// parallel_for: runs fn(i) for i in [0, n) on up to `threads` threads (the
// caller's included), in contiguous chunks; returns when all are done. Used
// for the independent, CPU-bound parts of a batch of channel updates (ECDSA
// signing, program runs), as Bitcoin Core checks a block's scripts in
// parallel. Small batches run on the caller's thread alone.

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace bazaar::node::offchain::channels {

/// Threads worth using for a batch on this machine (at least 1, at most 4).
inline unsigned batch_threads() { return std::clamp(std::thread::hardware_concurrency(), 1u, 4u); }

template <class F>
void parallel_for(std::size_t n, unsigned threads, F&& fn, std::size_t min_per_thread = 8) {
  std::size_t t = std::min<std::size_t>(threads, std::max<std::size_t>(1, n / min_per_thread));
  if (t <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::vector<std::thread> helpers;
  std::size_t chunk = (n + t - 1) / t;
  for (std::size_t start = chunk; start < n; start += chunk)
    helpers.emplace_back([&fn, start, end = std::min(n, start + chunk)] {
      for (std::size_t i = start; i < end; ++i) fn(i);
    });
  for (std::size_t i = 0; i < std::min(n, chunk); ++i) fn(i);
  for (auto& h : helpers) h.join();
}

}  // namespace bazaar::node::offchain::channels
