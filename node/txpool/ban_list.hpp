#pragma once
// Hashes the pool refuses for a while (Substrate's PoolRotator): transactions found
// invalid and transactions already included in a block. Not thread-safe: TxPool
// guards it.

#include "runtime/codec/bytes.hpp"

#include <chrono>
#include <cstddef>
#include <unordered_map>

namespace bazaar::node::txpool {

class BanList {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  /// Past this many entries the oldest bans are forgotten early (memory bound).
  static constexpr std::size_t kMaxEntries = 16384;

  explicit BanList(std::chrono::seconds duration) : m_duration(duration) {}

  /// Bans `hash` until now + duration (extending an earlier ban).
  void ban(const runtime::H256& hash, TimePoint now);
  bool is_banned(const runtime::H256& hash, TimePoint now) const;
  /// Forgets the bans that have expired.
  void clear_expired(TimePoint now);
  std::size_t size() const { return m_until.size(); }

 private:
  std::chrono::seconds m_duration;
  std::unordered_map<runtime::H256, TimePoint> m_until;
};

}  // namespace bazaar::node::txpool
