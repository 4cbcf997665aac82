#pragma once
// A bounded set of hashes that forgets the oldest first: what a peer is known
// to have (so each transaction or message is sent to it at most once) and
// which gossip messages were seen (duplicate suppression).

#include "runtime/codec/bytes.hpp"

#include <cstddef>
#include <deque>
#include <unordered_set>

namespace bazaar::node::network {

class KnownSet {
 public:
  explicit KnownSet(std::size_t capacity) : m_capacity(capacity == 0 ? 1 : capacity) {}

  /// Adds `hash`; returns false if it was already there.
  bool insert(const runtime::H256& hash) {
    if (!m_set.insert(hash).second) return false;
    m_order.push_back(hash);
    if (m_order.size() > m_capacity) {
      m_set.erase(m_order.front());
      m_order.pop_front();
    }
    return true;
  }
  bool contains(const runtime::H256& hash) const { return m_set.contains(hash); }
  std::size_t size() const { return m_order.size(); }

 private:
  std::size_t m_capacity;
  std::deque<runtime::H256> m_order;
  std::unordered_set<runtime::H256> m_set;
};

}  // namespace bazaar::node::network
