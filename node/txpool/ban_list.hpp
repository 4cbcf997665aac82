#pragma once
// Hashes the pool refuses for a while (Substrate's PoolRotator): transactions found
// invalid and transactions already included in a block. Not thread-safe: TxPool
// guards it.
//
// Every ban lasts the same duration, so bans expire in the order they were made:
// a FIFO of (expiry, hash) next to the hash index makes clear_expired and the
// size bound cost O(expired) instead of a scan of every entry (a syncing node bans
// every extrinsic of every imported block).

#include "runtime/codec/bytes.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <unordered_map>
#include <utility>

namespace bazaar::node::txpool {

class BanList {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  /// Past this many banned hashes the oldest bans are forgotten early (memory bound).
  static constexpr std::size_t kMaxEntries = 16384;

  explicit BanList(std::chrono::seconds duration) : m_duration(duration) {}

  /// Bans `hash` until now + duration (extending an earlier ban). When more than
  /// kMaxEntries hashes are banned, the oldest bans are dropped.
  void ban(const runtime::H256& hash, TimePoint now);
  bool is_banned(const runtime::H256& hash, TimePoint now) const;
  /// Forgets the bans that have expired. Times passed to ban() must not go
  /// backwards (steady_clock); if they do, such bans are cleared late, never
  /// reported banned after their expiry.
  void clear_expired(TimePoint now);
  /// Banned hashes, including expired ones not yet cleared.
  std::size_t size() const { return m_until.size(); }

 private:
  /// Drops the front of the FIFO, and its ban unless a later ban() extended it.
  void pop_oldest();

  std::chrono::seconds m_duration;
  std::unordered_map<runtime::H256, TimePoint> m_until;
  /// (expiry, hash) in the order of ban() calls; an entry whose expiry no longer
  /// matches m_until was superseded by a later ban of the same hash.
  std::deque<std::pair<TimePoint, runtime::H256>> m_order;
};

}  // namespace bazaar::node::txpool
