#pragma once
// Who wants to hear about which transaction (author_submitAndWatchExtrinsic, and
// pool-wide subscribers such as transaction gossip), and the queue of status events
// still to deliver. Events are queued together with the callbacks to call, under
// the pool's lock, so the order of events is the order of the pool's changes; the
// pool delivers them after releasing its lock. Not thread-safe: TxPool guards it.

#include "node/txpool/types.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bazaar::node::txpool {

/// Receives the status changes of a transaction. Called without the pool's lock
/// held, on whichever thread made the change; it may call back into the pool.
/// It must not throw.
using StatusCallback = std::function<void(const H256& tx, const TxStatus& status)>;
using WatchId = uint64_t;

class Watchers {
 public:
  struct Event {
    H256 hash;
    TxStatus status;
    std::vector<std::shared_ptr<const StatusCallback>> callbacks;
  };

  /// Watches one transaction until a terminal status.
  WatchId watch(const H256& hash, StatusCallback callback);
  /// Watches every transaction's status changes.
  WatchId watch_all(StatusCallback callback);
  void unwatch(WatchId id);
  bool is_watched(const H256& hash) const { return m_by_hash.contains(hash); }

  /// Queues `status` for `hash`'s watchers and the pool-wide ones; a terminal status
  /// ends the watches of `hash`.
  void notify(const H256& hash, const TxStatus& status);
  /// Queues `status` for one watcher only (the current status of a new watch).
  void notify_one(WatchId id, const H256& hash, const TxStatus& status);

  /// Queues InBlock(block) and remembers the inclusion until finality or timeout.
  void in_block(const H256& hash, const H256& block, runtime::BlockNumber number);
  /// Where a watched transaction was included, if it was.
  std::optional<H256> included_in(const H256& hash) const;
  /// Queues Finalized(block) for the watched transactions among `hashes`.
  void finalized(const H256& block, std::span<const H256> hashes);
  /// Queues FinalityTimeout for inclusions older than `timeout` blocks at `best`.
  void expire_inclusions(runtime::BlockNumber best, uint32_t timeout);

  std::vector<Event> take_events() { return std::exchange(m_events, {}); }

 private:
  struct Inclusion {
    H256 block;
    runtime::BlockNumber number;
  };
  using Entry = std::pair<WatchId, std::shared_ptr<const StatusCallback>>;

  WatchId m_next_id = 1;
  std::unordered_map<H256, std::vector<Entry>> m_by_hash;
  std::unordered_map<WatchId, H256> m_hash_of;  ///< per-transaction watches only
  std::vector<Entry> m_all;
  std::unordered_map<H256, Inclusion> m_inclusions;
  std::vector<Event> m_events;
};

}  // namespace bazaar::node::txpool
