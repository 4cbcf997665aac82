#include "node/trie/node_cache.hpp"

namespace bazaar::node::trie {

NodeCache::NodeCache(std::size_t capacity_bytes) : m_capacity(capacity_bytes) {}

std::size_t NodeCache::cost(const Node& node) {
  // The list entry (two links), the index entry (key, iterator, bucket link) and the shared_ptr control block.
  return node.memory_size() + sizeof(Entry) + 2 * sizeof(void*) + sizeof(H256) + 3 * sizeof(void*) + 32;
}

std::shared_ptr<const Node> NodeCache::get(const H256& hash) {
  std::lock_guard lock(m_mutex);
  auto it = m_index.find(hash);
  if (it == m_index.end()) {
    ++m_misses;
    return nullptr;
  }
  ++m_hits;
  m_lru.splice(m_lru.begin(), m_lru, it->second);
  return it->second->node;
}

void NodeCache::put(const H256& hash, std::shared_ptr<const Node> node) {
  std::size_t cost = NodeCache::cost(*node);
  std::lock_guard lock(m_mutex);
  if (cost > m_capacity) return;
  auto it = m_index.find(hash);
  if (it != m_index.end()) {
    m_lru.splice(m_lru.begin(), m_lru, it->second);
    return;
  }
  m_lru.push_front(Entry{hash, std::move(node), cost});
  m_index.emplace(hash, m_lru.begin());
  m_used += cost;
  while (m_used > m_capacity) {
    const Entry& victim = m_lru.back();
    m_used -= victim.cost;
    m_index.erase(victim.hash);
    m_lru.pop_back();
  }
}

std::size_t NodeCache::size() const {
  std::lock_guard lock(m_mutex);
  return m_lru.size();
}

std::size_t NodeCache::used_bytes() const {
  std::lock_guard lock(m_mutex);
  return m_used;
}

std::size_t NodeCache::hits() const {
  std::lock_guard lock(m_mutex);
  return m_hits;
}

std::size_t NodeCache::misses() const {
  std::lock_guard lock(m_mutex);
  return m_misses;
}

}  // namespace bazaar::node::trie
