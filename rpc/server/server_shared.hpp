#pragma once
// Internal to rpc/server: state shared by the listener and the sessions.

#include "rpc/server/dispatcher.hpp"
#include "rpc/server/rpc_server.hpp"

#include <boost/asio/ip/address.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

namespace bazaar::rpc::detail {

class WsSession;

struct ServerShared {
  ServerShared(RpcServerOptions opts, const MethodRegistry& registry);

  /// Registers a WebSocket session so that stop() can shut it down.
  void track(const std::shared_ptr<WsSession>& session);
  bool origin_allowed(std::string_view origin) const;

  RpcServerOptions options;
  Dispatcher dispatcher;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> rejecting{0};  ///< connections being refused with 503
  /// Live subscriptions of every connection (SubscriptionHost counts into it).
  std::shared_ptr<std::atomic<std::size_t>> live_subscriptions = std::make_shared<std::atomic<std::size_t>>(0);
  std::mutex sessions_mutex;
  std::vector<std::weak_ptr<WsSession>> ws_sessions;
};

/// Counts one open connection while alive.
class ConnectionSlot {
 public:
  ConnectionSlot() = default;
  explicit ConnectionSlot(std::atomic<std::size_t>* counter) : m_counter(counter) {}
  ConnectionSlot(ConnectionSlot&& o) noexcept : m_counter(std::exchange(o.m_counter, nullptr)) {}
  ConnectionSlot& operator=(ConnectionSlot&& o) noexcept {
    release();
    m_counter = std::exchange(o.m_counter, nullptr);
    return *this;
  }
  ~ConnectionSlot() { release(); }

 private:
  void release() {
    if (m_counter) m_counter->fetch_sub(1);
    m_counter = nullptr;
  }
  std::atomic<std::size_t>* m_counter = nullptr;
};

bool is_loopback(const boost::asio::ip::address& address);

}  // namespace bazaar::rpc::detail
