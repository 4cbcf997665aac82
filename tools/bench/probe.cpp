#include "tools/bench/probe.hpp"

#include "tools/bench/measure.hpp"

#include <algorithm>

namespace bazaar::tools::bench {

namespace {

SyncProber::Clock::duration to_duration(double seconds) {
  return std::chrono::duration_cast<SyncProber::Clock::duration>(std::chrono::duration<double>(seconds));
}

/// Resumes the paused processes when it goes out of scope, whatever happened meanwhile.
class ResumeGuard {
 public:
  ResumeGuard() = default;
  ResumeGuard(const ResumeGuard&) = delete;
  ResumeGuard& operator=(const ResumeGuard&) = delete;
  ~ResumeGuard() { resume_all(); }

  void add(ChildProcess& process) { m_paused.push_back(&process); }
  void resume_all() {
    for (auto* process : m_paused) process->resume();
    m_paused.clear();
  }

 private:
  std::vector<ChildProcess*> m_paused;
};

}  // namespace

SyncProber::SyncProber(const std::vector<SignedPayload>& payloads, ProbeOptions options, Clock::time_point start)
    : m_payloads(payloads), m_options(options), m_next_due(start + to_duration(options.every_s)) {}

BenchResult<bool> SyncProber::maybe_probe(Clock::time_point now, ChildProcess& serving, ChildProcess& syncing) {
  if (m_options.every_s <= 0 || m_options.size == 0 || m_payloads.empty() || now < m_next_due) return false;
  auto sample = probe(serving, syncing);
  if (!sample) return sample.error();
  m_samples.push_back(sample.value());
  m_next_due = Clock::now() + to_duration(m_options.every_s);
  return true;
}

std::vector<SignedPayload> SyncProber::next_slice(std::size_t count) {
  std::vector<SignedPayload> slice;
  slice.reserve(count);
  for (std::size_t i = 0; i < count; ++i) slice.push_back(m_payloads[(m_offset + i) % m_payloads.size()]);
  m_offset = (m_offset + count) % m_payloads.size();
  return slice;
}

BenchResult<ProbeSample> SyncProber::probe(ChildProcess& serving, ChildProcess& syncing) {
  const auto warmup = next_slice(m_options.warmup);
  const auto timed = next_slice(m_options.size);
  const auto paused_at = Clock::now();
  BenchResult<double> seconds = 0.0;
  {
    ResumeGuard guard;
    std::string error;
    for (ChildProcess* node : {&syncing, &serving}) {
      if (!node->pause(error)) return "pausing a node for a baseline probe: " + error;
      guard.add(*node);
    }
    if (auto warmed = recover_and_hash(warmup); !warmed) return warmed.error();
    seconds = recover_and_hash(timed);
    guard.resume_all();
  }
  const auto paused = Clock::now() - paused_at;
  m_paused += paused;
  if (!seconds) return seconds.error();
  const double rate = seconds.value() > 0 ? static_cast<double>(timed.size()) / seconds.value() : 0.0;
  return ProbeSample{rate, std::chrono::duration<double>(paused).count()};
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  if (values.size() % 2 == 1) return values[mid];
  const double upper = values[mid];
  return (*std::max_element(values.begin(), values.begin() + mid) + upper) / 2;
}

}  // namespace bazaar::tools::bench
