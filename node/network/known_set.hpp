#pragma once
// A bounded set of hashes that forgets the least recently used first (the
// shape of Substrate's `LruHashSet` in sc-network-gossip): what a peer is known
// to have, so each block, transaction or gossip message is sent to it at most
// once, and which gossip messages the host already took. Inserting or touching
// a hash makes it the most recent; at capacity the least recent one goes.
// Memory: O(capacity). Not thread-safe (the network's io thread owns them).

#include "runtime/codec/bytes.hpp"

#include <cstddef>
#include <list>
#include <unordered_map>

namespace bazaar::node::network {

class KnownSet {
 public:
  explicit KnownSet(std::size_t capacity) : m_capacity(capacity == 0 ? 1 : capacity) {}
  KnownSet(const KnownSet&) = delete;
  KnownSet& operator=(const KnownSet&) = delete;

  /// Adds `hash` as the most recent; returns false if it was already there
  /// (it becomes the most recent all the same).
  bool insert(const runtime::H256& hash) {
    if (auto it = m_index.find(hash); it != m_index.end()) {
      m_order.splice(m_order.end(), m_order, it->second);
      return false;
    }
    m_order.push_back(hash);
    m_index.emplace(hash, std::prev(m_order.end()));
    if (m_order.size() > m_capacity) {
      m_index.erase(m_order.front());
      m_order.pop_front();
    }
    return true;
  }
  /// Forgets `hash`; returns whether it was there.
  bool erase(const runtime::H256& hash) {
    auto it = m_index.find(hash);
    if (it == m_index.end()) return false;
    m_order.erase(it->second);
    m_index.erase(it);
    return true;
  }
  bool contains(const runtime::H256& hash) const { return m_index.contains(hash); }
  std::size_t size() const { return m_order.size(); }
  std::size_t capacity() const { return m_capacity; }

 private:
  std::size_t m_capacity;
  std::list<runtime::H256> m_order;  // least recent first
  std::unordered_map<runtime::H256, std::list<runtime::H256>::iterator> m_index;
};

}  // namespace bazaar::node::network
