#pragma once
// The storage interface the runtime sees (the seam between runtime and node).
// The node implements StorageReader over its Merkle-Patricia trie at a state
// root; the runtime layers an Overlay on top and hands the overlay's
// committed ChangeSet back to the node after a block.

#include "runtime/codec/bytes.hpp"

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

/// Writes to apply on top of a state: key -> new value, nullopt = delete.
/// Ordered by key, so iteration order is deterministic.
using ChangeSet = std::map<Bytes, std::optional<Bytes>>;

/// A StorageReader over no state at all (genesis building, tests).
class EmptyStorage final : public StorageReader {
 public:
  std::optional<Bytes> get(ByteSpan) const override { return std::nullopt; }
  std::optional<Bytes> next_key(ByteSpan) const override { return std::nullopt; }
};

}  // namespace bazaar::runtime::storage
