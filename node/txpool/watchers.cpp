#include "node/txpool/watchers.hpp"

#include <algorithm>

namespace bazaar::node::txpool {

WatchId Watchers::watch(const H256& hash, StatusCallback callback) {
  WatchId id = m_next_id++;
  m_by_hash[hash].emplace_back(id, std::make_shared<const StatusCallback>(std::move(callback)));
  m_hash_of.emplace(id, hash);
  return id;
}

WatchId Watchers::watch_all(StatusCallback callback) {
  WatchId id = m_next_id++;
  m_all.emplace_back(id, std::make_shared<const StatusCallback>(std::move(callback)));
  return id;
}

void Watchers::unwatch(WatchId id) {
  if (auto it = m_hash_of.find(id); it != m_hash_of.end()) {
    auto entries = m_by_hash.find(it->second);
    std::erase_if(entries->second, [id](const Entry& e) { return e.first == id; });
    if (entries->second.empty()) {
      m_inclusions.erase(it->second);
      m_by_hash.erase(entries);
    }
    m_hash_of.erase(it);
    return;
  }
  std::erase_if(m_all, [id](const Entry& e) { return e.first == id; });
}

void Watchers::notify(const H256& hash, const TxStatus& status) {
  Event event{hash, status, {}};
  if (auto it = m_by_hash.find(hash); it != m_by_hash.end()) {
    for (const auto& entry : it->second) event.callbacks.push_back(entry.second);
    if (status.is_terminal()) {
      for (const auto& entry : it->second) m_hash_of.erase(entry.first);
      m_by_hash.erase(it);
      m_inclusions.erase(hash);
    }
  }
  for (const auto& entry : m_all) event.callbacks.push_back(entry.second);
  if (!event.callbacks.empty()) m_events.push_back(std::move(event));
}

void Watchers::notify_one(WatchId id, const H256& hash, const TxStatus& status) {
  auto it = m_by_hash.find(hash);
  if (it == m_by_hash.end()) return;
  for (const auto& entry : it->second) {
    if (entry.first == id) m_events.push_back(Event{hash, status, {entry.second}});
  }
}

void Watchers::in_block(const H256& hash, const H256& block, runtime::BlockNumber number) {
  if (is_watched(hash)) m_inclusions[hash] = Inclusion{block, number};
  notify(hash, TxStatus{TxStatusKind::InBlock, block});
}

std::optional<H256> Watchers::included_in(const H256& hash) const {
  auto it = m_inclusions.find(hash);
  return it == m_inclusions.end() ? std::nullopt : std::optional<H256>(it->second.block);
}

void Watchers::finalized(const H256& block, std::span<const H256> hashes) {
  for (const auto& hash : hashes) {
    if (m_inclusions.contains(hash)) notify(hash, TxStatus{TxStatusKind::Finalized, block});
  }
}

void Watchers::expire_inclusions(runtime::BlockNumber best, uint32_t timeout) {
  std::vector<std::pair<H256, H256>> expired;
  for (const auto& [hash, inclusion] : m_inclusions) {
    if (best >= inclusion.number && best - inclusion.number >= timeout) expired.emplace_back(hash, inclusion.block);
  }
  for (const auto& [hash, block] : expired) notify(hash, TxStatus{TxStatusKind::FinalityTimeout, block});
}

}  // namespace bazaar::node::txpool
