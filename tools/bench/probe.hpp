#pragma once
// bazaar-bench-sync's single-core baseline sampled during the sync. Every few
// seconds a probe stops both nodes (SIGSTOP, waiting until every thread is
// stopped), runs the single-core recover-and-hash (recover_and_hash: one
// thread, steady_clock wall time) on a slice of the baseline payloads while
// nothing else of the benchmark runs, and resumes both nodes. Probing across
// the sync makes the baseline see the same host clock as the sync does (on a
// VM the clock drifts by itself within one run). The sync's times exclude the
// paused intervals (paused()).

#include "tools/bench/sync_process.hpp"
#include "tools/bench/workload.hpp"

#include <chrono>
#include <cstddef>
#include <vector>

namespace bazaar::tools::bench {

struct ProbeOptions {
  double every_s = 5;        ///< seconds between probes (wall time); 0 disables them
  std::size_t size = 1'000;  ///< timed recoveries per probe
  std::size_t warmup = 50;   ///< untimed recoveries first: the nodes' threads evicted secp256k1's tables
};

struct ProbeSample {
  double rate = 0;      ///< recoveries per second
  double paused_s = 0;  ///< wall time from the first SIGSTOP to the last SIGCONT
};

class SyncProber {
 public:
  using Clock = std::chrono::steady_clock;

  /// Probes rotate through `payloads` (kept by reference: it must outlive the
  /// prober); the first is due `options.every_s` after `start`.
  SyncProber(const std::vector<SignedPayload>& payloads, ProbeOptions options, Clock::time_point start);

  /// Takes a probe if one is due at `now` (none if disabled or `payloads` is
  /// empty); true if it took one. Error if a node could not be paused (both
  /// are running again then) or a signature does not verify.
  BenchResult<bool> maybe_probe(Clock::time_point now, ChildProcess& serving, ChildProcess& syncing);

  /// Wall time the nodes were paused so far, all probes together.
  Clock::duration paused() const { return m_paused; }
  const std::vector<ProbeSample>& samples() const { return m_samples; }

 private:
  /// The next `count` payloads in rotation (copied before the nodes are paused).
  std::vector<SignedPayload> next_slice(std::size_t count);
  BenchResult<ProbeSample> probe(ChildProcess& serving, ChildProcess& syncing);

  const std::vector<SignedPayload>& m_payloads;
  ProbeOptions m_options;
  Clock::time_point m_next_due;
  std::size_t m_offset = 0;
  Clock::duration m_paused{};
  std::vector<ProbeSample> m_samples;
};

/// The median of `values` (the mean of the middle two for an even count); 0 if empty.
double median(std::vector<double> values);

}  // namespace bazaar::tools::bench
