#pragma once
// The unsubscribe handle that the RPC ports hand out for their callbacks
// (new heads, extrinsic status updates). Header-only.

#include <functional>
#include <utility>

namespace bazaar::rpc {

/// Owns one registration of a callback with a port. Destroying or reset()ting it
/// unregisters the callback: after reset() returns no new invocation starts (one
/// already running on another thread may still finish). Move-only.
class PortSubscription {
 public:
  PortSubscription() = default;
  /// `cancel` undoes the registration; it is called at most once.
  explicit PortSubscription(std::function<void()> cancel) : m_cancel(std::move(cancel)) {}
  PortSubscription(PortSubscription&& o) noexcept : m_cancel(std::exchange(o.m_cancel, nullptr)) {}
  PortSubscription& operator=(PortSubscription&& o) noexcept {
    if (this != &o) {
      reset();
      m_cancel = std::exchange(o.m_cancel, nullptr);
    }
    return *this;
  }
  PortSubscription(const PortSubscription&) = delete;
  PortSubscription& operator=(const PortSubscription&) = delete;
  ~PortSubscription() { reset(); }

  /// Unregisters now (idempotent).
  void reset() {
    if (auto cancel = std::exchange(m_cancel, nullptr)) cancel();
  }
  /// True while registered.
  bool active() const { return static_cast<bool>(m_cancel); }

 private:
  std::function<void()> m_cancel;
};

}  // namespace bazaar::rpc
