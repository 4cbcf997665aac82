#pragma once
// A cache of storage values that survives from block to block (Substrate's
// sp-trie SharedTrieCache value cache, simplified to one state): key -> value
// or absent, valid for exactly one state root. Block import executes a block
// on its parent's state through it when the parent's root is the cache's
// root; reads it cannot answer fall through to the trie and are remembered.
// When a block on top of that root is committed, its ChangeSet (writes and
// deletions) is applied and the cache moves to the block's root. A state root
// determines its state, so the contents are a function of root() alone: the
// cache never needs to know which block (fork) produced the root.
//
// Not thread-safe: its owner serializes access (BlockImport locks a mutex).

#include <boost/unordered/unordered_flat_map.hpp>

#include <cstdint>
#include <list>
#include <optional>

#include "node/state/trie_state.hpp"
#include "runtime/storage/storage.hpp"

namespace bazaar::node::state {

class ValueCache {
 public:
  /// The default bound on cached bytes.
  static constexpr std::size_t kDefaultBytes = std::size_t{64} << 20;

  /// `max_bytes` bounds the sum of cost() of the entries (least recently used
  /// entries are evicted first); 0 disables the cache (it never holds a root).
  explicit ValueCache(std::size_t max_bytes = kDefaultBytes);
  ValueCache(const ValueCache&) = delete;
  ValueCache& operator=(const ValueCache&) = delete;

  /// The state root the cached values belong to (nullopt: none, the cache is empty).
  const std::optional<H256>& root() const { return m_root; }

  /// The cached value at `key` (nullopt inside: known absent), marked most
  /// recently used; nullptr if not cached. The pointer is valid until the
  /// next non-const call.
  const std::optional<Bytes>* find(ByteSpan key);
  /// Remembers the value of `key` in the state root(), read from that state.
  /// No-op without a root.
  void insert(ByteSpan key, std::optional<Bytes> value);

  /// A block whose parent state is `parent_root` was committed with `changes`
  /// giving `new_root`. If root() == parent_root the changes are applied and
  /// the cache moves to new_root (returns true); otherwise nothing changes.
  bool advance(const H256& parent_root, const runtime::storage::ChangeSet& changes, const H256& new_root);
  /// Empties the cache and makes it the (empty) cache of `root`.
  void reset(const H256& root);
  /// Empties the cache and drops its root.
  void clear();

  /// Bytes an entry counts against the bound (key, value and bookkeeping).
  static std::size_t cost(std::size_t key_size, const std::optional<Bytes>& value);
  std::size_t size() const { return m_index.size(); }
  std::size_t used_bytes() const { return m_used; }
  uint64_t hits() const { return m_hits; }
  uint64_t misses() const { return m_misses; }

 private:
  struct Entry {
    Bytes key;
    std::optional<Bytes> value;
  };
  using List = std::list<Entry>;
  /// Sets key's value (inserting or replacing), most recently used.
  void put(ByteSpan key, std::optional<Bytes> value);
  void evict();

  std::size_t m_max_bytes;
  std::size_t m_used = 0;
  uint64_t m_hits = 0;
  uint64_t m_misses = 0;
  std::optional<H256> m_root;
  List m_lru;  // front = most recently used
  // Keys are spans into the list entries' keys (stable: list nodes do not move).
  boost::unordered_flat_map<ByteSpan, List::iterator, runtime::storage::KeyHash, runtime::storage::KeyEqual> m_index;
};

/// The StorageReader of `state` that reads through `cache` when the cache
/// belongs to the same root (else it is `state` itself). Misses are read from
/// the trie and inserted; a failed read is not cached and is recorded in
/// `state` (TrieState::failure) as without the cache. next_key always reads
/// the trie. `cache` may be null (no cache). Not thread-safe (the cache is not).
class CachedTrieState final : public runtime::storage::StorageReader {
 public:
  CachedTrieState(const TrieState& state, ValueCache* cache)
      : m_state(state), m_cache(cache && cache->root() == state.root() ? cache : nullptr) {}

  std::optional<Bytes> get(ByteSpan key) const override;
  std::optional<Bytes> next_key(ByteSpan key) const override { return m_state.next_key(key); }

  /// Whether reads go through the cache.
  bool cached() const { return m_cache != nullptr; }

 private:
  const TrieState& m_state;
  ValueCache* m_cache;
};

}  // namespace bazaar::node::state
