#include "node/chain/signature_pipeline.hpp"

#include <pthread.h>

namespace bazaar::node::chain {

namespace {
/// Blocks ahead held at most (each also counts its checks against max_checks).
constexpr std::size_t kMaxAhead = 1024;
}  // namespace

SignaturePipeline::SignaturePipeline(std::size_t workers, std::size_t max_checks) : m_max_checks(max_checks) {
  m_workers.reserve(workers);
  for (std::size_t t = 0; t < workers; ++t) m_workers.emplace_back([this](std::stop_token stop) { work(stop); });
}

SignaturePipeline::~SignaturePipeline() {
  for (auto& worker : m_workers) worker.request_stop();
  m_wake.notify_all();
  m_workers.clear();  // joins
}

bool SignaturePipeline::claim(Entry& entry) {
  uint8_t expected = kPending;
  return entry.state.compare_exchange_strong(expected, kClaimed, std::memory_order_acq_rel);
}

void SignaturePipeline::verify(Entry& entry) {
  const bool ok = modules::composition::verify_signature_check(entry.check);
  entry.state.store(ok ? kPassed : kFailed, std::memory_order_release);
  entry.state.notify_all();
}

void SignaturePipeline::submit_locked(std::span<const SignatureCheck> checks, bool first) {
  std::vector<std::shared_ptr<Entry>> added;
  for (const auto& check : checks) {
    if (m_held.size() >= m_max_checks) break;
    auto [it, inserted] = m_held.try_emplace(check, nullptr);
    if (!inserted) continue;
    it->second = std::make_shared<Entry>();
    it->second->check = check;
    added.push_back(it->second);
  }
  if (added.empty()) return;
  m_queue.insert(first ? m_queue.begin() : m_queue.end(), std::make_move_iterator(added.begin()),
                 std::make_move_iterator(added.end()));
  m_wake.notify_all();
}

void SignaturePipeline::submit(std::span<const SignatureCheck> checks) {
  std::lock_guard lock(m_mutex);
  submit_locked(checks, true);
}

void SignaturePipeline::submit_ahead(const runtime::H256& key, Derive derive) {
  if (m_workers.empty()) return;  // nobody would run it
  std::lock_guard lock(m_mutex);
  if (m_held.size() >= m_max_checks || m_ahead.size() >= kMaxAhead) return;
  if (!m_ahead.try_emplace(key).second) return;
  m_ahead_jobs.emplace_back(key, std::move(derive));
  m_wake.notify_one();
}

std::optional<std::size_t> SignaturePipeline::ahead_checks(const runtime::H256& key) const {
  std::lock_guard lock(m_mutex);
  const auto it = m_ahead.find(key);
  if (it == m_ahead.end() || !it->second) return std::nullopt;
  return it->second->size();
}

bool SignaturePipeline::passed(const SignatureCheck& check) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(m_mutex);
    const auto it = m_held.find(check);
    if (it == m_held.end()) return false;
    entry = it->second;
  }
  if (claim(*entry)) {
    verify(*entry);
    ++m_by_callers;
  } else {
    // A worker is on it. Rather than idle until it is done, verify the checks
    // queued next (this block's following ones, most likely), as a worker
    // would: when execution is faster than the workers, the two threads then
    // take turns on the queue instead of moving in lockstep.
    while (entry->state.load(std::memory_order_acquire) == kClaimed) {
      if (auto next = claim_next()) {
        verify(*next);
        ++m_by_callers;
        continue;
      }
      entry->state.wait(kClaimed, std::memory_order_acquire);
    }
  }
  return entry->state.load(std::memory_order_acquire) == kPassed;
}

std::shared_ptr<SignaturePipeline::Entry> SignaturePipeline::claim_next() {
  std::lock_guard lock(m_mutex);
  while (!m_queue.empty()) {
    auto entry = std::move(m_queue.front());
    m_queue.pop_front();
    if (claim(*entry)) return entry;
  }
  return nullptr;
}

void SignaturePipeline::forget(const runtime::H256& key, std::span<const SignatureCheck> checks) {
  std::lock_guard lock(m_mutex);
  const auto drop = [this](std::span<const SignatureCheck> dropped) {
    for (const auto& check : dropped) {
      const auto it = m_held.find(check);
      if (it == m_held.end()) continue;
      uint8_t expected = kPending;
      it->second->state.compare_exchange_strong(expected, kDropped, std::memory_order_acq_rel);
      m_held.erase(it);
    }
  };
  if (const auto it = m_ahead.find(key); it != m_ahead.end()) {
    if (it->second) drop(*it->second);
    m_ahead.erase(it);
    std::erase_if(m_ahead_jobs, [&key](const auto& job) { return job.first == key; });
  }
  drop(checks);
  // Dropped entries at the front of the queue go at once; the rest when a worker reaches them.
  while (!m_queue.empty() && m_queue.front()->state.load(std::memory_order_acquire) == kDropped) m_queue.pop_front();
}

void SignaturePipeline::clear() {
  std::lock_guard lock(m_mutex);
  for (auto& entry : m_queue) {
    uint8_t expected = kPending;
    entry->state.compare_exchange_strong(expected, kDropped, std::memory_order_acq_rel);
  }
  m_queue.clear();
  m_ahead_jobs.clear();
  m_ahead.clear();
  m_held.clear();
}

std::size_t SignaturePipeline::held() const {
  std::lock_guard lock(m_mutex);
  return m_held.size();
}

void SignaturePipeline::work(std::stop_token stop) {
  ::pthread_setname_np(::pthread_self(), "bz-sigcheck");  // as ps/top/perf show it
  while (!stop.stop_requested()) {
    std::shared_ptr<Entry> entry;
    std::optional<std::pair<runtime::H256, Derive>> job;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, stop, [this] { return !m_queue.empty() || !m_ahead_jobs.empty(); });
      if (stop.stop_requested()) return;
      if (!m_queue.empty()) {
        entry = std::move(m_queue.front());
        m_queue.pop_front();
      } else {
        job = std::move(m_ahead_jobs.front());
        m_ahead_jobs.pop_front();
      }
    }
    if (entry) {
      if (claim(*entry)) {
        verify(*entry);
        ++m_by_workers;
      }
      continue;
    }
    auto checks = job->second();
    std::lock_guard lock(m_mutex);
    const auto it = m_ahead.find(job->first);
    if (it == m_ahead.end()) continue;  // forgotten or cleared meanwhile
    submit_locked(checks, false);
    it->second = std::move(checks);
  }
}

}  // namespace bazaar::node::chain
