#include "node/txpool/ban_list.hpp"

#include <algorithm>
#include <vector>

namespace bazaar::node::txpool {

void BanList::ban(const runtime::H256& hash, TimePoint now) {
  m_until[hash] = now + m_duration;
  if (m_until.size() <= kMaxEntries) return;
  clear_expired(now);
  if (m_until.size() <= kMaxEntries) return;
  // Still too many: keep the newest half.
  std::vector<TimePoint> ends;
  ends.reserve(m_until.size());
  for (const auto& [h, until] : m_until) ends.push_back(until);
  auto middle = ends.begin() + static_cast<std::ptrdiff_t>(ends.size() / 2);
  std::nth_element(ends.begin(), middle, ends.end());
  std::erase_if(m_until, [cutoff = *middle](const auto& entry) { return entry.second < cutoff; });
}

bool BanList::is_banned(const runtime::H256& hash, TimePoint now) const {
  auto it = m_until.find(hash);
  return it != m_until.end() && now < it->second;
}

void BanList::clear_expired(TimePoint now) {
  std::erase_if(m_until, [now](const auto& entry) { return entry.second <= now; });
}

}  // namespace bazaar::node::txpool
