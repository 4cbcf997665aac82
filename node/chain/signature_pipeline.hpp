#pragma once
// Signature verification on worker threads, ahead of block execution and
// across blocks (issue 4: "verification of signatures during sync uses both
// cores").
//
// Block import (block_import.hpp) executes blocks one after another on the
// importing thread; the ECDSA recoveries of their extrinsics are independent
// of execution and of each other. The pipeline keeps a FIFO of signature
// checks (composition::SignatureCheck) that worker threads verify in order:
//   - import submits each block's checks before executing it (unless they
//     were derived ahead), at the front of the queue, and execution
//     asks passed() for every check it makes: a verified check is not redone,
//     one nobody has started is verified on the importing thread itself, and
//     while a worker is on the one asked about, the importing thread verifies
//     the checks queued next instead of waiting (so no core idles and nothing
//     is skipped);
//   - sync submits the blocks of a downloaded range ahead of their import
//     (submit_ahead): a worker derives their checks when no check is waiting,
//     so while block n executes the workers verify the signatures of blocks
//     n, n+1, ….
// Only checks that were verified (and passed) are reported as passed: a
// check derived from the wrong state (an era whose birth block the deriving
// state lacks) simply never matches what execution asks, and execution
// verifies that signature itself. So a wrong or stale entry can cost time,
// never admit a bad signature.
//
// Bounded: at most max_checks checks are held; ahead work beyond that is
// dropped (and done at import). Thread-safe.

#include "modules/composition/executive.hpp"

#include <boost/unordered/unordered_flat_map.hpp>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <unordered_map>
#include <vector>

namespace bazaar::node::chain {

using modules::composition::SignatureCheck;

class SignaturePipeline {
 public:
  /// Derives a block's signature checks (run on a worker).
  using Derive = std::function<std::vector<SignatureCheck>()>;

  /// Starts `workers` threads (0: none; then every check is verified by the
  /// thread that asks about it).
  explicit SignaturePipeline(std::size_t workers, std::size_t max_checks = std::size_t{1} << 18);
  ~SignaturePipeline();  ///< stops and joins the workers (each finishes the check it is on)
  SignaturePipeline(const SignaturePipeline&) = delete;
  SignaturePipeline& operator=(const SignaturePipeline&) = delete;

  /// Queues `checks` for the workers, in order, ahead of everything queued
  /// (the caller is about to ask about them; checks derived for later blocks
  /// wait); checks already held are not queued again. Beyond max_checks the
  /// rest is not queued.
  void submit(std::span<const SignatureCheck> checks);
  /// Queues `derive` (the checks of a block ahead, keyed by its hash): a
  /// worker runs it when no check is waiting and queues what it returns.
  /// Ignored when `key` was submitted before and not forgotten, or when the
  /// pipeline is full.
  void submit_ahead(const runtime::H256& key, Derive derive);
  /// How many checks a worker derived for `key` (submitted ahead); nullopt
  /// if it was not submitted or not derived yet.
  std::optional<std::size_t> ahead_checks(const runtime::H256& key) const;

  /// Whether `check` is held and verified to pass: verifies it now on the
  /// calling thread if no worker has started it; if one is on it, verifies
  /// the next queued checks meanwhile (or waits when none is left). False if
  /// it is not held (the caller verifies it) or its signature is bad.
  bool passed(const SignatureCheck& check);

  /// Drops the ahead entry `key` with the checks derived for it, and `checks`
  /// (the block was imported or rejected).
  void forget(const runtime::H256& key, std::span<const SignatureCheck> checks);
  /// Drops everything not started (e.g. the rest of a range whose block failed).
  void clear();

  std::size_t workers() const { return m_workers.size(); }
  /// Checks held now (queued, being verified or verified and not yet forgotten).
  std::size_t held() const;
  /// Verifications done so far by workers and by callers of passed() (for tests and metrics).
  std::size_t verified_by_workers() const { return m_by_workers.load(); }
  std::size_t verified_by_callers() const { return m_by_callers.load(); }

 private:
  struct Entry {
    SignatureCheck check;
    std::atomic<uint8_t> state{0};
  };
  static constexpr uint8_t kPending = 0, kClaimed = 1, kPassed = 2, kFailed = 3, kDropped = 4;

  /// Takes a pending entry for verification (false if someone else has, or it was dropped).
  static bool claim(Entry& entry);
  static void verify(Entry& entry);
  /// Pops the queue up to the first entry it can claim (nullptr: none left).
  std::shared_ptr<Entry> claim_next();
  void work(std::stop_token stop);
  /// Holds and queues the checks not held yet: at the queue's front if `first`, else at its back.
  void submit_locked(std::span<const SignatureCheck> checks, bool first);

  const std::size_t m_max_checks;
  mutable std::mutex m_mutex;  // guards the containers below
  std::condition_variable_any m_wake;
  // Open addressing: execution looks up every extrinsic's check here (a
  // node-based map was ~1 % of the import thread in the sync bench).
  boost::unordered_flat_map<SignatureCheck, std::shared_ptr<Entry>, modules::composition::SignatureCheckHash> m_held;
  std::deque<std::shared_ptr<Entry>> m_queue;                 // FIFO of entries for the workers
  std::deque<std::pair<runtime::H256, Derive>> m_ahead_jobs;  // blocks ahead whose checks are not derived yet
  /// Keys submitted ahead: the checks derived for them (nullopt until a worker derived them).
  std::unordered_map<runtime::H256, std::optional<std::vector<SignatureCheck>>> m_ahead;
  std::atomic<std::size_t> m_by_workers{0};
  std::atomic<std::size_t> m_by_callers{0};
  std::vector<std::jthread> m_workers;  // last: stopped and joined first
};

}  // namespace bazaar::node::chain
