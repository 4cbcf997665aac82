#pragma once
// The storage interface the runtime sees (the seam between runtime and node).
// The node implements StorageReader over its Merkle-Patricia trie at a state
// root; the runtime layers an Overlay on top and hands the overlay's
// committed ChangeSet back to the node after a block.

#include "runtime/codec/bytes.hpp"

#include <cstring>
#include <map>
#include <optional>

namespace bazaar::runtime::storage {

/// Read access to one state (for example the trie at a block's state root).
/// Implementations are deterministic functions of that state.
class StorageReader {
 public:
  virtual ~StorageReader() = default;
  /// The value at key, or nullopt if absent.
  virtual std::optional<Bytes> get(ByteSpan key) const = 0;
  /// The smallest key strictly greater than `key` (lexicographic bytes), or nullopt.
  virtual std::optional<Bytes> next_key(ByteSpan key) const = 0;
};

/// The byte-wise lexicographic order of storage keys (the order of
/// std::vector<uint8_t>'s operator<, and of the trie's key iteration). It also
/// compares a ByteSpan with a stored Bytes key, so a ChangeSet is searched by
/// span without copying the key.
struct KeyLess {
  using is_transparent = void;
  bool operator()(ByteSpan a, ByteSpan b) const noexcept {
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    if (n != 0) {
      if (int c = std::memcmp(a.data(), b.data(), n); c != 0) return c < 0;
    }
    return a.size() < b.size();
  }
};

/// The hash of storage keys in in-memory hash tables (not one of the storage
/// hashers of keys.hpp): XXH3 over every byte, since keys share long prefixes
/// (twox128(module) ++ twox128(item)), seeded once per process so that whoever
/// chooses keys (a transaction's sender) cannot grind them into one probe
/// sequence. Transparent: tables keyed by Bytes are searched by ByteSpan.
struct KeyHash {
  using is_transparent = void;
  using is_avalanching = void;  // for boost::unordered_flat_map: no extra mixing
  std::size_t operator()(ByteSpan key) const noexcept;
};

/// Byte-wise equality of storage keys, transparent like KeyHash.
struct KeyEqual {
  using is_transparent = void;
  bool operator()(ByteSpan a, ByteSpan b) const noexcept {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
  }
};

/// Writes to apply on top of a state: key -> new value, nullopt = delete.
/// Ordered by key, so iteration order is deterministic.
using ChangeSet = std::map<Bytes, std::optional<Bytes>, KeyLess>;

/// A StorageReader over no state at all (genesis building, tests).
class EmptyStorage final : public StorageReader {
 public:
  std::optional<Bytes> get(ByteSpan) const override { return std::nullopt; }
  std::optional<Bytes> next_key(ByteSpan) const override { return std::nullopt; }
};

}  // namespace bazaar::runtime::storage
