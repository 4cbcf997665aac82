#include "node/consensus/slot_clock.hpp"

#include <chrono>

namespace bazaar::node::consensus {

Moment SystemClock::now_ms() const {
  return static_cast<Moment>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

bool SystemClock::wait_until(Moment deadline_ms, std::stop_token stop) const {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  const auto deadline = std::chrono::system_clock::time_point(std::chrono::milliseconds(deadline_ms));
  // Nothing notifies `cv`: the wait ends at the deadline or when stop is requested.
  while (!stop.stop_requested() && now_ms() < deadline_ms)
    cv.wait_until(lock, stop, deadline, [] { return false; });
  return !stop.stop_requested();
}

Moment ManualClock::now_ms() const {
  std::lock_guard lock(m_mutex);
  return m_now;
}

bool ManualClock::wait_until(Moment deadline_ms, std::stop_token stop) const {
  std::unique_lock lock(m_mutex);
  return m_changed.wait(lock, stop, [&] { return m_now >= deadline_ms; });
}

void ManualClock::set(Moment ms) {
  {
    std::lock_guard lock(m_mutex);
    m_now = ms;
  }
  m_changed.notify_all();
}

void ManualClock::advance(Moment ms) {
  {
    std::lock_guard lock(m_mutex);
    m_now += ms;
  }
  m_changed.notify_all();
}

}  // namespace bazaar::node::consensus
