#pragma once
// A bounded LRU cache of decoded trie nodes keyed by hash, shared by all
// readers of a TrieDb (block import, RPC) so hot nodes near the root are not
// re-read and re-decoded from LevelDB. Nodes are immutable and
// content-addressed, so a cached node is valid for as long as its hash is.
// Thread-safe.

#include <boost/unordered/unordered_flat_map.hpp>

#include <list>
#include <memory>
#include <mutex>

#include "node/trie/hash_key.hpp"
#include "node/trie/node_codec.hpp"

namespace bazaar::node::trie {

class NodeCache {
 public:
  /// `capacity_bytes` bounds the sum of Node::memory_size() of cached nodes;
  /// 0 disables the cache.
  explicit NodeCache(std::size_t capacity_bytes);

  /// The cached node, marked most recently used; nullptr on a miss.
  std::shared_ptr<const Node> get(const H256& hash);
  /// Caches `node` under `hash`, evicting least recently used nodes to stay in bounds.
  void put(const H256& hash, std::shared_ptr<const Node> node);

  /// Bytes a cached node counts against the capacity (its size plus bookkeeping).
  static std::size_t cost(const Node& node);

  std::size_t size() const;
  std::size_t used_bytes() const;
  std::size_t hits() const;
  std::size_t misses() const;

 private:
  struct Entry {
    H256 hash;
    std::shared_ptr<const Node> node;
    std::size_t cost;
  };
  using List = std::list<Entry>;

  mutable std::mutex m_mutex;
  std::size_t m_capacity;
  std::size_t m_used = 0;
  std::size_t m_hits = 0;
  std::size_t m_misses = 0;
  List m_lru;  // front = most recently used
  boost::unordered_flat_map<H256, List::iterator, SeededNodeHash> m_index;
};

}  // namespace bazaar::node::trie
