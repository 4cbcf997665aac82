#include "node/txpool/graph.hpp"

#include <algorithm>
#include <cassert>

namespace bazaar::node::txpool {

Graph::Graph() : m_pruned(1) {}

Graph Graph::empty_like() const {
  Graph out;
  out.m_pruned = m_pruned;
  return out;
}

bool Graph::is_pruned(const TransactionTag& tag) const {
  return std::any_of(m_pruned.begin(), m_pruned.end(), [&](const auto& block) { return block.contains(tag); });
}

bool Graph::all_satisfied(const PoolTransaction& tx) const {
  return std::all_of(tx.validity.requires_tags.begin(), tx.validity.requires_tags.end(),
                     [this](const TransactionTag& t) { return satisfied(t); });
}

bool Graph::would_be_ready(const PoolTransaction& tx) const { return all_satisfied(tx); }

TxPtr Graph::get(const H256& hash) const {
  auto it = m_entries.find(hash);
  return it == m_entries.end() ? nullptr : it->second.tx;
}

bool Graph::is_ready(const H256& hash) const {
  auto it = m_entries.find(hash);
  return it != m_entries.end() && it->second.ready;
}

std::set<H256> Graph::ready_ancestors(const PoolTransaction& tx) const {
  std::set<H256> seen;
  std::vector<const PoolTransaction*> work{&tx};
  while (!work.empty()) {
    const PoolTransaction* current = work.back();
    work.pop_back();
    for (const auto& tag : current->validity.requires_tags) {
      auto it = m_provided.find(tag);
      if (it != m_provided.end() && seen.insert(it->second).second) work.push_back(m_entries.at(it->second).tx.get());
    }
  }
  return seen;
}

namespace {

Graph::Change change(const H256& hash, TxStatusKind kind, std::optional<H256> other = std::nullopt) {
  return {hash, TxStatus{kind, other}};
}

}  // namespace

Result<void> Graph::insert(TxPtr tx, Changes& changes, H256* blocker) {
  assert(!contains(tx->hash));
  if (!all_satisfied(*tx)) {
    link_future(tx);
    m_bytes += tx->data.size();
    changes.push_back(change(tx->hash, TxStatusKind::Future));
    return success();
  }
  if (auto refusal = add_ready(tx, changes)) {
    if (blocker) *blocker = refusal->blocker;
    return refusal->error;
  }
  m_bytes += tx->data.size();
  changes.push_back(change(tx->hash, TxStatusKind::Ready));
  promote_waiting(tx->validity.provides_tags, changes);
  return success();
}

std::optional<Graph::Refusal> Graph::add_ready(const TxPtr& tx, Changes& changes) {
  std::set<H256> conflicts;
  for (const auto& tag : tx->validity.provides_tags) {
    if (auto it = m_provided.find(tag); it != m_provided.end()) conflicts.insert(it->second);
  }
  for (const auto& hash : conflicts) {
    if (m_entries.at(hash).tx->validity.priority >= tx->validity.priority) {
      return Refusal{TxPoolError::TooLowPriority, hash};
    }
  }
  // tx gets edges from the providers of its requires tags (its ancestors) and to the
  // ready transactions requiring its provides tags. Replacing an ancestor, or
  // unlocking one, would make tx depend on itself.
  bool unlocks_some = std::any_of(tx->validity.provides_tags.begin(), tx->validity.provides_tags.end(),
                                  [this](const TransactionTag& t) { return m_required_by.contains(t); });
  if (!conflicts.empty() || unlocks_some) {
    auto ancestors = ready_ancestors(*tx);
    for (const auto& hash : conflicts) {
      if (ancestors.contains(hash)) return Refusal{TxPoolError::CycleDetected, hash};
    }
    for (const auto& tag : tx->validity.provides_tags) {
      auto it = m_required_by.find(tag);
      if (it == m_required_by.end()) continue;
      for (const auto& hash : it->second) {
        if (ancestors.contains(hash)) return Refusal{TxPoolError::CycleDetected, hash};
      }
    }
  }
  std::vector<TransactionTag> vanished;
  for (const auto& hash : conflicts) {
    TxPtr old = m_entries.at(hash).tx;
    unlink_ready(*old);
    drop_entry(hash);
    for (const auto& tag : old->validity.provides_tags) {
      const auto& provides = tx->validity.provides_tags;
      if (std::find(provides.begin(), provides.end(), tag) == provides.end()) vanished.push_back(tag);
    }
    changes.push_back(change(hash, TxStatusKind::Usurped, tx->hash));
  }
  link_ready(tx);
  demote_requirers(vanished, changes);
  return std::nullopt;
}

void Graph::link_ready(const TxPtr& tx) {
  m_entries[tx->hash] = Entry{tx, true};
  for (const auto& tag : tx->validity.provides_tags) m_provided[tag] = tx->hash;
  for (const auto& tag : tx->validity.requires_tags) m_required_by[tag].insert(tx->hash);
  m_ready_order.insert(key_of(*tx));
}

void Graph::unlink_ready(const PoolTransaction& tx) {
  for (const auto& tag : tx.validity.provides_tags) {
    if (auto it = m_provided.find(tag); it != m_provided.end() && it->second == tx.hash) m_provided.erase(it);
  }
  for (const auto& tag : tx.validity.requires_tags) {
    if (auto it = m_required_by.find(tag); it != m_required_by.end()) {
      it->second.erase(tx.hash);
      if (it->second.empty()) m_required_by.erase(it);
    }
  }
  m_ready_order.erase(key_of(tx));
  m_entries.at(tx.hash).ready = false;
}

void Graph::link_future(const TxPtr& tx) {
  m_entries[tx->hash] = Entry{tx, false};
  for (const auto& tag : tx->validity.requires_tags) {
    if (!satisfied(tag)) m_waiting[tag].insert(tx->hash);
  }
  m_future_order.insert(key_of(*tx));
}

void Graph::unlink_future(const PoolTransaction& tx) {
  for (const auto& tag : tx.validity.requires_tags) {
    if (auto it = m_waiting.find(tag); it != m_waiting.end()) {
      it->second.erase(tx.hash);
      if (it->second.empty()) m_waiting.erase(it);
    }
  }
  m_future_order.erase(key_of(tx));
}

void Graph::drop_entry(const H256& hash) {
  auto it = m_entries.find(hash);
  m_bytes -= it->second.tx->data.size();
  m_entries.erase(it);
}

void Graph::demote_requirers(const std::vector<TransactionTag>& tags, Changes& changes) {
  std::vector<H256> work;
  auto queue_requirers = [&](const std::vector<TransactionTag>& lost) {
    for (const auto& tag : lost) {
      if (satisfied(tag)) continue;
      if (auto it = m_required_by.find(tag); it != m_required_by.end()) {
        work.insert(work.end(), it->second.begin(), it->second.end());
      }
    }
  };
  queue_requirers(tags);
  while (!work.empty()) {
    H256 hash = work.back();
    work.pop_back();
    auto it = m_entries.find(hash);
    if (it == m_entries.end() || !it->second.ready || all_satisfied(*it->second.tx)) continue;
    TxPtr tx = it->second.tx;
    unlink_ready(*tx);
    link_future(tx);
    changes.push_back(change(hash, TxStatusKind::Future));
    queue_requirers(tx->validity.provides_tags);
  }
}

void Graph::promote_waiting(const std::vector<TransactionTag>& tags, Changes& changes) {
  std::deque<TransactionTag> work(tags.begin(), tags.end());
  while (!work.empty()) {
    TransactionTag tag = std::move(work.front());
    work.pop_front();
    auto waiting = m_waiting.find(tag);
    if (waiting == m_waiting.end()) continue;
    std::vector<TxPtr> candidates;
    for (const auto& hash : waiting->second) candidates.push_back(m_entries.at(hash).tx);
    std::sort(candidates.begin(), candidates.end(),
              [](const TxPtr& a, const TxPtr& b) { return a->insertion_id < b->insertion_id; });
    for (const auto& tx : candidates) {
      auto it = m_entries.find(tx->hash);
      if (it == m_entries.end() || it->second.ready || it->second.tx != tx) continue;
      if (!all_satisfied(*tx)) {
        // Still waiting, possibly for a tag that was satisfied when it arrived.
        for (const auto& t : tx->validity.requires_tags) {
          if (!satisfied(t)) m_waiting[t].insert(tx->hash);
        }
        continue;
      }
      unlink_future(*tx);
      if (auto refusal = add_ready(tx, changes)) {
        drop_entry(tx->hash);
        if (refusal->error == TxPoolError::TooLowPriority) {
          changes.push_back(change(tx->hash, TxStatusKind::Usurped, refusal->blocker));
        } else {
          changes.push_back(change(tx->hash, TxStatusKind::Dropped));
        }
        continue;
      }
      changes.push_back(change(tx->hash, TxStatusKind::Ready));
      work.insert(work.end(), tx->validity.provides_tags.begin(), tx->validity.provides_tags.end());
    }
  }
}

TxPtr Graph::remove(const H256& hash, Changes& changes) {
  auto it = m_entries.find(hash);
  if (it == m_entries.end()) return nullptr;
  TxPtr tx = it->second.tx;
  if (it->second.ready) {
    unlink_ready(*tx);
    drop_entry(hash);
    demote_requirers(tx->validity.provides_tags, changes);
  } else {
    unlink_future(*tx);
    drop_entry(hash);
  }
  return tx;
}

TxPtr Graph::remove_included(const H256& hash, Changes& changes) {
  auto it = m_entries.find(hash);
  if (it == m_entries.end()) return nullptr;
  TxPtr tx = it->second.tx;
  m_pruned.back().insert(tx->validity.provides_tags.begin(), tx->validity.provides_tags.end());
  if (it->second.ready) {
    unlink_ready(*tx);
  } else {
    unlink_future(*tx);
  }
  drop_entry(hash);
  promote_waiting(tx->validity.provides_tags, changes);
  return tx;
}

void Graph::next_block() {
  m_pruned.emplace_back();
  while (m_pruned.size() > kPrunedBlocks) m_pruned.pop_front();
}

TxPtr Graph::worst_ready() const {
  return m_ready_order.empty() ? nullptr : m_entries.at(m_ready_order.begin()->hash).tx;
}

TxPtr Graph::worst_future() const {
  return m_future_order.empty() ? nullptr : m_entries.at(m_future_order.begin()->hash).tx;
}

std::size_t Graph::bytes_below(runtime::TransactionPriority priority, std::size_t enough) const {
  std::size_t sum = 0;
  for (const auto* order : {&m_ready_order, &m_future_order}) {
    for (auto it = order->begin(); it != order->end() && it->priority < priority && sum < enough; ++it) {
      sum += m_entries.at(it->hash).tx->data.size();
    }
  }
  return sum;
}

std::vector<TxPtr> Graph::all() const {
  std::vector<TxPtr> out;
  out.reserve(m_entries.size());
  for (const auto& [hash, entry] : m_entries) out.push_back(entry.tx);
  std::sort(out.begin(), out.end(), [](const TxPtr& a, const TxPtr& b) { return a->insertion_id < b->insertion_id; });
  return out;
}

std::vector<TxPtr> Graph::future() const {
  std::vector<TxPtr> out;
  for (const auto& [hash, entry] : m_entries) {
    if (!entry.ready) out.push_back(entry.tx);
  }
  std::sort(out.begin(), out.end(), [](const TxPtr& a, const TxPtr& b) { return a->insertion_id < b->insertion_id; });
  return out;
}

ReadyIterator Graph::ready() const {
  std::vector<ReadyIterator::Node> nodes;
  std::unordered_map<H256, std::size_t> index;
  for (const auto& [hash, entry] : m_entries) {
    if (!entry.ready) continue;
    index.emplace(hash, nodes.size());
    nodes.push_back({entry.tx, {}, 0});
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::set<std::size_t> parents;
    for (const auto& tag : nodes[i].tx->validity.requires_tags) {
      auto provider = m_provided.find(tag);
      if (provider == m_provided.end()) continue;
      std::size_t parent = index.at(provider->second);
      if (parent != i) parents.insert(parent);
    }
    for (std::size_t parent : parents) nodes[parent].children.push_back(i);
    nodes[i].parents = parents.size();
  }
  return ReadyIterator(std::move(nodes));
}

}  // namespace bazaar::node::txpool
