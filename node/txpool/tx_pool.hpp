#pragma once
// The transaction pool (DESIGN.md "Transaction pool"), modelled on Substrate's graph
// pool. Every transaction is validated by the runtime (through a Validator) before
// admission; the verdict's tags place it in the ready or the future queue (see
// graph.hpp); block authoring takes ready transactions in dependency order, highest
// priority (tip) first, then oldest. The pool bounds its size, bans invalid and
// included hashes for a while, and after each imported block prunes what the block
// included, drops what outlived its longevity and revalidates the rest.
//
// Thread-safe: RPC threads submit, the authoring thread reads ready(), the import
// thread reports blocks. Validators run without the pool's lock held. Status events
// go to watchers in the order of the pool's changes, without the lock held.

#include "node/txpool/ban_list.hpp"
#include "node/txpool/error.hpp"
#include "node/txpool/graph.hpp"
#include "node/txpool/ready_iterator.hpp"
#include "node/txpool/types.hpp"
#include "node/txpool/watchers.hpp"

#include <spdlog/logger.h>

#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace bazaar::node::txpool {

class TxPool {
 public:
  /// `validator` checks submitted transactions against the best block's state;
  /// `best_number` is the best block when the pool starts (longevity is counted from
  /// it); `clock` defaults to std::chrono::steady_clock (tests inject their own).
  TxPool(TxPoolOptions options, Validator validator, runtime::BlockNumber best_number = 0, Clock clock = {});

  /// The pool's hash of an extrinsic: blake2b-256 of its full encoding.
  static H256 hash_of(ByteSpan extrinsic);

  /// Validates and admits an encoded extrinsic; returns its hash. Errors:
  /// AlreadyImported, TemporarilyBanned, a runtime validity error (see error.hpp:
  /// an invalid one also bans the hash), NoTagsProvided, TooLowPriority,
  /// CycleDetected, PoolFull. Source InBlock (transactions of a retracted block,
  /// resubmitted by the node) skips the ban check, as their hashes were banned
  /// when they were included.
  Result<H256> submit(TransactionSource source, Bytes extrinsic);

  struct Watched {
    H256 hash;
    WatchId id;
  };
  /// submit() plus a watch of the new transaction that sees its first status
  /// (Ready or Future) and every later one. The first status is usually delivered
  /// on this thread before the call returns (later, from another thread, when that
  /// thread is delivering events at the same moment), so the callback must be
  /// usable before the returned id is known.
  Result<Watched> submit_and_watch(TransactionSource source, Bytes extrinsic, StatusCallback callback);

  /// Watches a transaction in the pool (or included and awaiting finality); the
  /// callback first gets its current status. nullopt if the pool does not know it.
  std::optional<WatchId> watch(const H256& hash, StatusCallback callback);
  /// Receives every status change of every transaction while it is in the pool,
  /// and InBlock (e.g. for gossip of new ready ones). Finalized and FinalityTimeout
  /// go only to watches of single transactions.
  WatchId watch_all(StatusCallback callback);
  /// Ends a watch; events queued before may still arrive.
  void unwatch(WatchId id);

  /// Snapshot of the ready transactions in block-building order.
  ReadyIterator ready() const;
  /// All transactions: ready ones in block-building order, then future ones, oldest first.
  std::vector<TxPtr> pending() const;
  PoolStatus status() const;
  bool contains(const H256& hash) const;
  /// The transaction with this hash, or nullptr.
  TxPtr get(const H256& hash) const;
  bool is_banned(const H256& hash) const;

  /// The extrinsics with these hashes are in block `block_hash`: remove them (InBlock
  /// for watchers), count their tags as provided by the chain, ban their hashes.
  void remove_included(const H256& block_hash, std::span<const H256> extrinsic_hashes);
  /// The block builder found these invalid: remove them (Invalid) and ban them.
  void remove_invalid(std::span<const H256> hashes);
  /// Revalidates every transaction against the new best state: invalid ones are
  /// removed (Invalid) and banned, the others get their new priority, tags and
  /// longevity and move between ready and future accordingly.
  void revalidate(const Validator& validator);

  /// A new best block `number` was imported with these extrinsics: remove_included,
  /// then drop the transactions whose longevity ended (Invalid, banned), give up
  /// on finality of old inclusions (FinalityTimeout), forget expired bans, and
  /// revalidate with `validator`.
  void on_block_imported(runtime::BlockNumber number, const H256& block_hash,
                         std::span<const H256> included, const Validator& validator);
  /// Block `block_hash` with these extrinsics was finalized: Finalized for watchers.
  void on_block_finalized(const H256& block_hash, std::span<const H256> included);

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  Result<Watched> submit_impl(TransactionSource source, Bytes extrinsic, StatusCallback* callback);
  /// The locked part of submit: admission of a validated transaction.
  Result<Watched> admit(TransactionSource source, const H256& hash, Bytes extrinsic,
                        const runtime::ValidTransaction& validity, StatusCallback* callback);
  runtime::BlockNumber valid_till(runtime::TransactionLongevity longevity) const;
  /// Whether inserting `tx` would only evict itself (priority too low for a full pool).
  bool too_low_for_full_pool(const PoolTransaction& tx) const;
  /// Evicts the worst transactions until the pool is within its bounds; returns them.
  std::vector<H256> enforce_limits(Graph::Changes& changes);
  void emit(const Graph::Changes& changes, const std::optional<H256>& skip = std::nullopt);
  void remove_included_locked(const H256& block_hash, std::span<const H256> extrinsic_hashes);
  /// Delivers queued events; only one thread delivers at a time, in queue order.
  void dispatch();

  const TxPoolOptions m_options;
  const Validator m_validator;
  const Clock m_clock;
  std::shared_ptr<spdlog::logger> m_log;

  mutable std::mutex m_mutex;  ///< guards everything below
  Graph m_graph;
  BanList m_bans;
  Watchers m_watchers;
  runtime::BlockNumber m_best_number;
  uint64_t m_next_insertion_id = 0;
  bool m_dispatching = false;
};

}  // namespace bazaar::node::txpool
