#include "node/txpool/tx_pool.hpp"

#include "node/log/log.hpp"
#include "runtime/crypto/hash.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace bazaar::node::txpool {

namespace {

std::string short_hash(const H256& hash) { return runtime::to_hex(hash).substr(0, 18); }

/// Transactions of a retracted block come back with source InBlock: they were
/// banned as included, but must be accepted again (as Substrate's resubmit does).
bool checks_ban(TransactionSource source) { return source != TransactionSource::InBlock; }

}  // namespace

TxPool::TxPool(TxPoolOptions options, Validator validator, runtime::BlockNumber best_number, Clock clock)
    : m_options(options),
      m_validator(std::move(validator)),
      m_clock(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      m_log(log::logger("txpool")),
      m_bans(std::chrono::seconds(options.ban_seconds)),
      m_best_number(best_number) {}

H256 TxPool::hash_of(ByteSpan extrinsic) { return runtime::crypto::blake2b_256(extrinsic); }

Result<H256> TxPool::submit(TransactionSource source, Bytes extrinsic) {
  BAZAAR_TRY(auto watched, submit_impl(source, std::move(extrinsic), nullptr));
  return watched.hash;
}

Result<TxPool::Watched> TxPool::submit_and_watch(TransactionSource source, Bytes extrinsic, StatusCallback callback) {
  return submit_impl(source, std::move(extrinsic), &callback);
}

Result<TxPool::Watched> TxPool::submit_impl(TransactionSource source, Bytes extrinsic, StatusCallback* callback) {
  const H256 hash = hash_of(extrinsic);
  {
    std::lock_guard lock(m_mutex);
    if (m_graph.contains(hash)) return TxPoolError::AlreadyImported;
    if (checks_ban(source) && m_bans.is_banned(hash, m_clock())) return TxPoolError::TemporarilyBanned;
  }

  ValidationResult verdict = m_validator(source, extrinsic);
  if (!verdict.is_valid()) {
    const auto& reason = verdict.error();
    m_log->debug("rejected {}: {}", short_hash(hash), runtime::to_string(reason));
    if (reason.is_invalid()) {
      std::lock_guard lock(m_mutex);
      m_bans.ban(hash, m_clock());
    }
    return make_error_code(reason);
  }
  if (verdict.validity().provides_tags.empty()) return TxPoolError::NoTagsProvided;

  Result<Watched> result = admit(source, hash, std::move(extrinsic), verdict.validity(), callback);
  dispatch();
  return result;
}

Result<TxPool::Watched> TxPool::admit(TransactionSource source, const H256& hash, Bytes extrinsic,
                                      const runtime::ValidTransaction& validity, StatusCallback* callback) {
  std::lock_guard lock(m_mutex);
  if (m_graph.contains(hash)) return TxPoolError::AlreadyImported;
  if (checks_ban(source) && m_bans.is_banned(hash, m_clock())) return TxPoolError::TemporarilyBanned;
  auto tx = std::make_shared<PoolTransaction>(
      PoolTransaction{hash, std::move(extrinsic), source, validity, m_next_insertion_id++, valid_till(validity.longevity)});
  if (too_low_for_full_pool(*tx)) return TxPoolError::PoolFull;

  Graph::Changes changes;
  {
    BAZAAR_TRY(m_graph.insert(tx, changes));
  }
  auto evicted = enforce_limits(changes);
  if (std::find(evicted.begin(), evicted.end(), hash) != evicted.end()) {
    emit(changes, hash);
    return TxPoolError::PoolFull;
  }
  Watched watched{hash, 0};
  if (callback) watched.id = m_watchers.watch(hash, std::move(*callback));
  emit(changes);
  m_log->trace("imported {} ({})", short_hash(hash), m_graph.is_ready(hash) ? "ready" : "future");
  return watched;
}

runtime::BlockNumber TxPool::valid_till(runtime::TransactionLongevity longevity) const {
  constexpr auto kMax = std::numeric_limits<runtime::BlockNumber>::max();
  if (longevity >= kMax - m_best_number) return kMax;
  return m_best_number + static_cast<runtime::BlockNumber>(longevity);
}

bool TxPool::too_low_for_full_pool(const PoolTransaction& tx) const {
  auto outranks = [&](const TxPtr& worst) { return worst && tx.validity.priority > worst->validity.priority; };
  if (m_graph.would_be_ready(tx)) {
    if (m_graph.ready_count() >= m_options.max_ready && !outranks(m_graph.worst_ready())) return true;
  } else if (m_graph.future_count() >= m_options.max_future && !outranks(m_graph.worst_future())) {
    return true;
  }
  std::size_t total = m_graph.bytes() + tx.data.size();
  if (total > m_options.max_bytes) {
    // Only transactions with a lower priority are evicted before this one.
    std::size_t excess = total - m_options.max_bytes;
    if (tx.data.size() > m_options.max_bytes || m_graph.bytes_below(tx.validity.priority, excess) < excess) return true;
  }
  return false;
}

std::vector<H256> TxPool::enforce_limits(Graph::Changes& changes) {
  std::vector<H256> evicted;
  auto evict = [&](const TxPtr& tx) {
    m_graph.remove(tx->hash, changes);
    changes.push_back({tx->hash, TxStatus{TxStatusKind::Dropped, std::nullopt}});
    evicted.push_back(tx->hash);
  };
  while (m_graph.ready_count() > m_options.max_ready) evict(m_graph.worst_ready());
  while (m_graph.future_count() > m_options.max_future) evict(m_graph.worst_future());
  while (m_graph.bytes() > m_options.max_bytes) {
    TxPtr ready = m_graph.worst_ready();
    TxPtr future = m_graph.worst_future();
    bool take_future = future && (!ready || future->validity.priority <= ready->validity.priority);
    evict(take_future ? future : ready);
  }
  if (!evicted.empty()) m_log->debug("pool full: evicted {} transactions", evicted.size());
  return evicted;
}

void TxPool::emit(const Graph::Changes& changes, const std::optional<H256>& skip) {
  for (const auto& change : changes) {
    if (skip && change.hash == *skip) continue;
    m_watchers.notify(change.hash, change.status);
  }
}

void TxPool::dispatch() {
  std::unique_lock lock(m_mutex);
  if (m_dispatching) return;  // the delivering thread will also deliver ours, in order
  m_dispatching = true;
  for (auto events = m_watchers.take_events(); !events.empty(); events = m_watchers.take_events()) {
    lock.unlock();
    for (const auto& event : events) {
      for (const auto& callback : event.callbacks) {
        try {
          (*callback)(event.hash, event.status);
        } catch (const std::exception& e) {
          m_log->error("transaction status callback threw: {}", e.what());
        } catch (...) {
          m_log->error("transaction status callback threw");
        }
      }
    }
    lock.lock();
  }
  m_dispatching = false;
}

std::optional<WatchId> TxPool::watch(const H256& hash, StatusCallback callback) {
  WatchId id = 0;
  {
    std::lock_guard lock(m_mutex);
    std::optional<TxStatus> current;
    if (m_graph.contains(hash)) {
      current = TxStatus{m_graph.is_ready(hash) ? TxStatusKind::Ready : TxStatusKind::Future, std::nullopt};
    } else if (auto block = m_watchers.included_in(hash)) {
      current = TxStatus{TxStatusKind::InBlock, *block};
    } else {
      return std::nullopt;
    }
    id = m_watchers.watch(hash, std::move(callback));
    m_watchers.notify_one(id, hash, *current);
  }
  dispatch();
  return id;
}

WatchId TxPool::watch_all(StatusCallback callback) {
  std::lock_guard lock(m_mutex);
  return m_watchers.watch_all(std::move(callback));
}

void TxPool::unwatch(WatchId id) {
  std::lock_guard lock(m_mutex);
  m_watchers.unwatch(id);
}

ReadyIterator TxPool::ready() const {
  std::lock_guard lock(m_mutex);
  return m_graph.ready();
}

std::vector<TxPtr> TxPool::pending() const {
  std::lock_guard lock(m_mutex);
  auto out = m_graph.ready().collect();
  auto future = m_graph.future();
  out.insert(out.end(), future.begin(), future.end());
  return out;
}

PoolStatus TxPool::status() const {
  std::lock_guard lock(m_mutex);
  return {m_graph.ready_count(), m_graph.future_count(), m_graph.bytes()};
}

bool TxPool::contains(const H256& hash) const {
  std::lock_guard lock(m_mutex);
  return m_graph.contains(hash);
}

TxPtr TxPool::get(const H256& hash) const {
  std::lock_guard lock(m_mutex);
  return m_graph.get(hash);
}

bool TxPool::is_banned(const H256& hash) const {
  std::lock_guard lock(m_mutex);
  return m_bans.is_banned(hash, m_clock());
}

void TxPool::remove_included_locked(const H256& block_hash, std::span<const H256> extrinsic_hashes) {
  Graph::Changes changes;
  const TimePoint now = m_clock();
  for (const auto& hash : extrinsic_hashes) {
    bool known = m_graph.remove_included(hash, changes) != nullptr || m_watchers.included_in(hash).has_value();
    m_bans.ban(hash, now);
    if (known) changes.push_back({hash, TxStatus{TxStatusKind::InBlock, block_hash}});
  }
  for (const auto& change : changes) {
    if (change.status.kind == TxStatusKind::InBlock) {
      m_watchers.in_block(change.hash, block_hash, m_best_number);
    } else {
      m_watchers.notify(change.hash, change.status);
    }
  }
}

void TxPool::remove_included(const H256& block_hash, std::span<const H256> extrinsic_hashes) {
  {
    std::lock_guard lock(m_mutex);
    remove_included_locked(block_hash, extrinsic_hashes);
  }
  dispatch();
}

void TxPool::remove_invalid(std::span<const H256> hashes) {
  {
    std::lock_guard lock(m_mutex);
    Graph::Changes changes;
    for (const auto& hash : hashes) {
      m_bans.ban(hash, m_clock());
      if (m_graph.remove(hash, changes)) changes.push_back({hash, TxStatus{TxStatusKind::Invalid, std::nullopt}});
    }
    emit(changes);
  }
  dispatch();
}

void TxPool::revalidate(const Validator& validator) {
  std::vector<TxPtr> snapshot;
  {
    std::lock_guard lock(m_mutex);
    snapshot = m_graph.all();
  }
  std::unordered_map<H256, ValidationResult> verdicts;
  for (const auto& tx : snapshot) verdicts.emplace(tx->hash, validator(tx->source, tx->data));

  {
    std::lock_guard lock(m_mutex);
    const TimePoint now = m_clock();
    Graph::Changes events;
    // Rebuild the graph from the new verdicts, oldest first; transactions that
    // arrived during validation (no verdict) keep theirs.
    Graph fresh = m_graph.empty_like();
    Graph::Changes rebuild;
    for (const auto& tx : m_graph.all()) {
      TxPtr next = tx;
      if (auto it = verdicts.find(tx->hash); it != verdicts.end()) {
        const ValidationResult& verdict = it->second;
        bool invalid = !verdict.is_valid() ? verdict.error().is_invalid() : verdict.validity().provides_tags.empty();
        if (invalid) {
          m_bans.ban(tx->hash, now);
          events.push_back({tx->hash, TxStatus{TxStatusKind::Invalid, std::nullopt}});
          continue;
        }
        if (verdict.is_valid()) {  // an unknown verdict keeps the old validity
          auto updated = std::make_shared<PoolTransaction>(*tx);
          updated->validity = verdict.validity();
          updated->valid_till = valid_till(updated->validity.longevity);
          next = std::move(updated);
        }
      }
      H256 blocker;
      if (auto inserted = fresh.insert(next, rebuild, &blocker); !inserted) {
        bool usurped = inserted.error() == TxPoolError::TooLowPriority;
        rebuild.push_back({next->hash, usurped ? TxStatus{TxStatusKind::Usurped, blocker}
                                               : TxStatus{TxStatusKind::Dropped, std::nullopt}});
      }
    }
    // Report usurpations, and moves between ready and future relative to before.
    for (const auto& change : rebuild) {
      if (change.status.kind == TxStatusKind::Usurped || change.status.kind == TxStatusKind::Dropped) {
        events.push_back(change);
      }
    }
    for (const auto& tx : fresh.all()) {
      bool was_ready = m_graph.is_ready(tx->hash);
      if (fresh.is_ready(tx->hash) != was_ready) {
        events.push_back({tx->hash, TxStatus{was_ready ? TxStatusKind::Future : TxStatusKind::Ready, std::nullopt}});
      }
    }
    m_graph = std::move(fresh);
    enforce_limits(events);
    emit(events);
    m_log->debug("revalidated {} transactions: {} ready, {} future", snapshot.size(), m_graph.ready_count(),
                 m_graph.future_count());
  }
  dispatch();
}

void TxPool::on_block_imported(runtime::BlockNumber number, const H256& block_hash,
                               std::span<const H256> included, const Validator& validator) {
  {
    std::lock_guard lock(m_mutex);
    m_best_number = number;
    m_graph.next_block();
    remove_included_locked(block_hash, included);

    const TimePoint now = m_clock();
    Graph::Changes changes;
    for (const auto& tx : m_graph.all()) {
      if (tx->valid_till > number) continue;
      m_bans.ban(tx->hash, now);
      if (m_graph.remove(tx->hash, changes)) changes.push_back({tx->hash, TxStatus{TxStatusKind::Invalid, std::nullopt}});
    }
    emit(changes);
    m_watchers.expire_inclusions(number, m_options.finality_timeout_blocks);
    m_bans.clear_expired(now);
  }
  dispatch();
  revalidate(validator);
}

void TxPool::on_block_finalized(const H256& block_hash, std::span<const H256> included) {
  {
    std::lock_guard lock(m_mutex);
    m_watchers.finalized(block_hash, included);
  }
  dispatch();
}

}  // namespace bazaar::node::txpool
