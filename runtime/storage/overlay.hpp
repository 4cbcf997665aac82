#pragma once
// Storage overlay with nested transactional layers (sp_state_machine's
// OverlayedChanges, simplified): writes go to the top layer; a layer is either
// committed into the one below or rolled back. The executive opens a layer per
// extrinsic dispatch so that a failing call reverts only its own writes.

#include "runtime/storage/storage.hpp"

#include <boost/unordered/unordered_flat_map.hpp>

#include <map>
#include <vector>

namespace bazaar::runtime::storage {

class Overlay final : public StorageReader {
 public:
  /// `base` must outlive the overlay.
  explicit Overlay(const StorageReader& base);

  std::optional<Bytes> get(ByteSpan key) const override;
  std::optional<Bytes> next_key(ByteSpan key) const override;
  bool exists(ByteSpan key) const { return get(key).has_value(); }

  void set(ByteSpan key, Bytes value);
  void clear(ByteSpan key);
  /// Deletes every key starting with prefix (in the base too); returns how many.
  std::size_t clear_prefix(ByteSpan prefix);
  /// Appends one SCALE-encoded item to a stored SCALE Vec<T> (Substrate's
  /// storage append): the compact length prefix is rewritten, items are kept.
  /// An absent or undecodable value is treated as an empty vector. Amortized
  /// O(item size): the vector is extended in place, also inside transactions
  /// (a rollback truncates it back), never copied per append.
  void append(ByteSpan key, ByteSpan encoded_item);

  /// Opens a nested transactional layer.
  void start_transaction();
  /// Merges the top layer into the one below. Precondition: depth() > 0.
  void commit_transaction();
  /// Drops the top layer's writes. Precondition: depth() > 0.
  void rollback_transaction();
  /// Number of open transactional layers.
  std::size_t depth() const { return m_layers.size() - 1; }

  /// All writes made so far. Precondition: depth() == 0.
  const ChangeSet& changes() const;
  /// Moves the writes out, leaving the overlay empty. Precondition: depth() == 0.
  ChangeSet take_changes();

 private:
  const std::optional<Bytes>* find(ByteSpan key) const;
  /// Writes value (nullopt = delete) at key in the top layer.
  void put(ByteSpan key, std::optional<Bytes> value);

  /// A vector in a lower layer that appends of the current transaction
  /// extended in place: its item count and item bytes before them.
  struct AppendUndo {
    uint64_t count = 0;
    std::size_t items_bytes = 0;
  };

  /// One layer's writes, ordered (next_key, the trie commit) and hashed for
  /// point lookups: every read searches the layers top-down, and the block's
  /// layer holds thousands of keys sharing 32-byte prefixes, on which the
  /// ordered search alone cost ~12 full-prefix compares.
  struct Layer {
    Layer() = default;
    Layer(Layer&&) = default;  // moves keep the map's nodes where they are
    Layer& operator=(Layer&&) = default;
    Layer(const Layer&) = delete;  // a copy's index would point into the original
    Layer& operator=(const Layer&) = delete;

    ChangeSet changes;
    /// Key -> its value in `changes`. Spans and pointers into the map's nodes
    /// stay valid: std::map never moves a node, also not when it is extracted
    /// into another layer's map.
    boost::unordered_flat_map<ByteSpan, std::optional<Bytes>*, KeyHash, KeyEqual> index;

    std::optional<Bytes>* find(ByteSpan key) const;
    /// The value at key in this layer, inserted as nullopt if absent.
    std::optional<Bytes>& slot(ByteSpan key);
    /// Takes over a node of another layer's map (the key is not in this layer).
    void adopt(ChangeSet::node_type node);
  };

  const StorageReader& m_base;
  std::vector<Layer> m_layers;  // [0] = committed, back() = innermost transaction
  std::vector<std::map<Bytes, AppendUndo>> m_undo;  // per layer, parallel to m_layers
};

}  // namespace bazaar::runtime::storage
