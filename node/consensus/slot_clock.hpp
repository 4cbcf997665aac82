#pragma once
// Aura time (DESIGN.md "Block authoring"): slot = unix time in ms / slot
// duration. The clock is a seam: the node uses the system clock, tests a
// manual one they move by hand, so authoring tests never sleep.

#include "node/chain/aura_digest.hpp"
#include "runtime/primitives/types.hpp"

#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace bazaar::node::consensus {

using chain::Slot;
using runtime::Moment;

class SlotClock {
 public:
  virtual ~SlotClock() = default;
  /// Unix time, milliseconds.
  virtual Moment now_ms() const = 0;
  /// Blocks until now_ms() >= deadline_ms; returns false early (at once if
  /// already requested) when `stop` is requested.
  virtual bool wait_until(Moment deadline_ms, std::stop_token stop) const = 0;
};

/// The slot containing unix time `ms` (duration > 0).
inline Slot slot_at(Moment ms, uint64_t slot_duration_ms) { return ms / slot_duration_ms; }
/// The first millisecond of `slot`.
inline Moment slot_start(Slot slot, uint64_t slot_duration_ms) { return slot * slot_duration_ms; }

/// std::chrono::system_clock.
class SystemClock final : public SlotClock {
 public:
  Moment now_ms() const override;
  bool wait_until(Moment deadline_ms, std::stop_token stop) const override;
};

/// A clock that only moves when told to (tests).
class ManualClock final : public SlotClock {
 public:
  explicit ManualClock(Moment start_ms = 0) : m_now(start_ms) {}
  Moment now_ms() const override;
  bool wait_until(Moment deadline_ms, std::stop_token stop) const override;

  void set(Moment ms);
  void advance(Moment ms);

 private:
  mutable std::mutex m_mutex;
  mutable std::condition_variable_any m_changed;
  Moment m_now;
};

}  // namespace bazaar::node::consensus
