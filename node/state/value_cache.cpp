#include "node/state/value_cache.hpp"

namespace bazaar::node::state {

ValueCache::ValueCache(std::size_t max_bytes) : m_max_bytes(max_bytes) {}

std::size_t ValueCache::cost(std::size_t key_size, const std::optional<Bytes>& value) {
  // The list node (two links and the Entry), the index node (span, iterator,
  // link, cached hash) and a bucket pointer.
  return key_size + (value ? value->size() : 0) + sizeof(Entry) + 2 * sizeof(void*) + sizeof(ByteSpan) +
         sizeof(List::iterator) + 3 * sizeof(void*);
}

const std::optional<Bytes>* ValueCache::find(ByteSpan key) {
  auto it = m_index.find(key);
  if (it == m_index.end()) {
    ++m_misses;
    return nullptr;
  }
  ++m_hits;
  m_lru.splice(m_lru.begin(), m_lru, it->second);
  return &it->second->value;
}

void ValueCache::insert(ByteSpan key, std::optional<Bytes> value) {
  if (!m_root) return;
  put(key, std::move(value));
  evict();
}

void ValueCache::put(ByteSpan key, std::optional<Bytes> value) {
  if (auto it = m_index.find(key); it != m_index.end()) {
    Entry& entry = *it->second;
    m_used -= cost(entry.key.size(), entry.value);
    m_used += cost(entry.key.size(), value);
    entry.value = std::move(value);
    m_lru.splice(m_lru.begin(), m_lru, it->second);
    return;
  }
  m_used += cost(key.size(), value);
  m_lru.push_front(Entry{Bytes(key.begin(), key.end()), std::move(value)});
  m_index.emplace(ByteSpan(m_lru.front().key), m_lru.begin());
}

void ValueCache::evict() {
  while (m_used > m_max_bytes && !m_lru.empty()) {
    const Entry& victim = m_lru.back();
    m_used -= cost(victim.key.size(), victim.value);
    m_index.erase(ByteSpan(victim.key));
    m_lru.pop_back();
  }
}

bool ValueCache::advance(const H256& parent_root, const runtime::storage::ChangeSet& changes, const H256& new_root) {
  if (m_root != parent_root) return false;
  // The new state is the parent's with `changes` applied: every cached value
  // the block did not touch is unchanged, and the touched ones are known.
  for (const auto& [key, value] : changes) put(key, value);
  evict();
  m_root = new_root;
  return true;
}

void ValueCache::reset(const H256& root) {
  clear();
  if (m_max_bytes > 0) m_root = root;
}

void ValueCache::clear() {
  m_index.clear();
  m_lru.clear();
  m_used = 0;
  m_root.reset();
}

std::optional<Bytes> CachedTrieState::get(ByteSpan key) const {
  if (!m_cache) return m_state.get(key);
  if (const auto* hit = m_cache->find(key)) return *hit;
  auto read = m_state.try_get(key);
  if (!read) return std::nullopt;  // remembered by m_state; not cached
  m_cache->insert(key, read.value());
  return std::move(read).value();
}

}  // namespace bazaar::node::state
