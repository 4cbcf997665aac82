#include "node/txpool/ban_list.hpp"

namespace bazaar::node::txpool {

void BanList::ban(const runtime::H256& hash, TimePoint now) {
  const TimePoint until = now + m_duration;
  auto [it, inserted] = m_until.try_emplace(hash, until);
  if (!inserted) {
    if (it->second == until) return;  // already banned until then: one FIFO entry per (hash, expiry)
    it->second = until;
  }
  m_order.emplace_back(until, hash);
  while (m_until.size() > kMaxEntries) pop_oldest();
  // Re-bans of the same hashes leave superseded FIFO entries; keep them bounded.
  if (m_order.size() > 2 * kMaxEntries) {
    std::erase_if(m_order, [this](const auto& entry) {
      auto it = m_until.find(entry.second);
      return it == m_until.end() || it->second != entry.first;
    });
  }
}

bool BanList::is_banned(const runtime::H256& hash, TimePoint now) const {
  auto it = m_until.find(hash);
  return it != m_until.end() && now < it->second;
}

void BanList::clear_expired(TimePoint now) {
  while (!m_order.empty() && m_order.front().first <= now) pop_oldest();
}

void BanList::pop_oldest() {
  const auto& [until, hash] = m_order.front();
  auto it = m_until.find(hash);
  if (it != m_until.end() && it->second == until) m_until.erase(it);
  m_order.pop_front();
}

}  // namespace bazaar::node::txpool
