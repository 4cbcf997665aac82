#pragma once
// The pool's dependency graph, modelled on Substrate's graph pool (base_pool.rs):
// transactions are linked by tags. A transaction is READY when each of its requires
// tags is provided by a ready transaction in the pool or was provided by a
// transaction included in one of the last kPrunedBlocks blocks; otherwise it is
// FUTURE and waits. At most one ready transaction provides a given tag: a newcomer
// with a strictly higher priority replaces (usurps) the holder, otherwise it is
// refused. A ready transaction comes after the ready ones providing its requires
// tags (also when the chain provides them too, as after a retracted block), and a
// transaction that would close a dependency cycle is refused. Not thread-safe:
// TxPool guards it.

#include "node/txpool/error.hpp"
#include "node/txpool/ready_iterator.hpp"
#include "node/txpool/types.hpp"

#include <cstddef>
#include <deque>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace bazaar::node::txpool {

class Graph {
 public:
  /// Blocks for which the tags of included transactions still count as provided.
  static constexpr std::size_t kPrunedBlocks = 2;

  /// What an operation did to transactions, in order: Ready, Future, Usurped (by the
  /// replacing transaction) and Dropped (a promotion refused as a cycle).
  struct Change {
    H256 hash;
    TxStatus status;
  };
  using Changes = std::vector<Change>;

  Graph();

  /// An empty graph that remembers the same recently pruned tags (for rebuilding).
  Graph empty_like() const;

  /// Adds `tx` (whose hash must not be in the graph) as ready or future and promotes
  /// the future transactions it unlocks. Errors: TooLowPriority when a ready
  /// transaction with at least its priority provides one of its tags, CycleDetected
  /// when replacing would make a dependency cycle; the graph is then unchanged and
  /// `blocker`, if given, receives the transaction in the way.
  Result<void> insert(TxPtr tx, Changes& changes, H256* blocker = nullptr);

  /// Removes a transaction (invalid or evicted); ready transactions that needed its
  /// tags go back to future. Returns it, or nullptr if unknown.
  TxPtr remove(const H256& hash, Changes& changes);

  /// Removes a transaction that a block included: its tags now count as provided by
  /// the chain, so dependents stay ready and waiting ones may be promoted.
  TxPtr remove_included(const H256& hash, Changes& changes);

  /// Starts the pruned-tag record of a new block, forgetting the oldest.
  void next_block();

  bool contains(const H256& hash) const { return m_entries.contains(hash); }
  TxPtr get(const H256& hash) const;
  bool is_ready(const H256& hash) const;
  /// Whether `tx` would be ready if inserted now (ignoring replacement).
  bool would_be_ready(const PoolTransaction& tx) const;

  std::size_t ready_count() const { return m_ready_order.size(); }
  std::size_t future_count() const { return m_future_order.size(); }
  std::size_t bytes() const { return m_bytes; }

  /// The ready / future transaction to evict first: lowest priority, then newest.
  TxPtr worst_ready() const;
  TxPtr worst_future() const;

  /// Encoded bytes of the transactions with a priority below `priority` (those
  /// evicted before it), counting only until `enough` is reached.
  std::size_t bytes_below(runtime::TransactionPriority priority, std::size_t enough) const;

  /// All transactions, oldest first.
  std::vector<TxPtr> all() const;
  /// Future transactions, oldest first.
  std::vector<TxPtr> future() const;
  /// A snapshot of the ready transactions in block-building order.
  ReadyIterator ready() const;

 private:
  struct Entry {
    TxPtr tx;
    bool ready = false;
  };
  /// Eviction order: lowest priority first, then newest first.
  struct OrderKey {
    runtime::TransactionPriority priority;
    uint64_t insertion_id;
    H256 hash;
    bool operator<(const OrderKey& o) const {
      if (priority != o.priority) return priority < o.priority;
      return insertion_id > o.insertion_id;
    }
  };
  /// Why add_ready refused a transaction, and the transaction in its way.
  struct Refusal {
    TxPoolError error;
    H256 blocker;
  };

  static OrderKey key_of(const PoolTransaction& tx) { return {tx.validity.priority, tx.insertion_id, tx.hash}; }

  bool is_pruned(const TransactionTag& tag) const;
  bool satisfied(const TransactionTag& tag) const { return is_pruned(tag) || m_provided.contains(tag); }
  bool all_satisfied(const PoolTransaction& tx) const;
  std::set<H256> ready_ancestors(const PoolTransaction& tx) const;

  std::optional<Refusal> add_ready(const TxPtr& tx, Changes& changes);
  void link_ready(const TxPtr& tx);
  void unlink_ready(const PoolTransaction& tx);
  void link_future(const TxPtr& tx);
  void unlink_future(const PoolTransaction& tx);
  void drop_entry(const H256& hash);
  void demote_requirers(const std::vector<TransactionTag>& tags, Changes& changes);
  void promote_waiting(const std::vector<TransactionTag>& tags, Changes& changes);

  std::unordered_map<H256, Entry> m_entries;
  struct TagHash {
    std::size_t operator()(const TransactionTag& tag) const noexcept {
      return std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(tag.data()), tag.size()));
    }
  };
  template <class V>
  using TagMap = std::unordered_map<TransactionTag, V, TagHash>;

  TagMap<H256> m_provided;                                        ///< tag -> the ready tx providing it
  TagMap<std::set<H256>> m_required_by;                           ///< tag -> ready txs requiring it
  TagMap<std::set<H256>> m_waiting;                               ///< unmet tag -> future txs waiting for it
  std::deque<std::unordered_set<TransactionTag, TagHash>> m_pruned; ///< per recent block, newest last
  std::set<OrderKey> m_ready_order;
  std::set<OrderKey> m_future_order;
  std::size_t m_bytes = 0;
};

}  // namespace bazaar::node::txpool
