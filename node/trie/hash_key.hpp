#pragma once
// The hash function of in-memory tables keyed by trie node hash (node cache,
// reference count cache).

#include <cstddef>
#include <cstring>
#include <random>

#include "runtime/codec/bytes.hpp"

namespace bazaar::node::trie {

/// Node hashes are blake2b-256 outputs: 8 of their bytes, xor a seed drawn
/// per process and mixed by the table (boost::unordered_flat_map), so that
/// nodes ground to share those bytes' low bits (cheap for whoever writes
/// storage) cannot pile up in one probe sequence.
struct SeededNodeHash {
  std::size_t operator()(const runtime::H256& h) const noexcept {
    std::size_t v;
    std::memcpy(&v, h.bytes.data(), sizeof v);
    return v ^ kSeed;
  }
  static inline const std::size_t kSeed = (std::size_t{std::random_device{}()} << 32) ^ std::random_device{}();
};

}  // namespace bazaar::node::trie
