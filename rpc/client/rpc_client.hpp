#pragma once
// A JSON-RPC 2.0 client over one WebSocket, for the wallet CLI and the provider
// worker (which talk to the chain only through JSON-RPC).
//
// Threading: every method may be called from any thread; calls from several
// threads share the one connection. A private I/O thread reads and routes
// replies and notifications. Notifications are not delivered by callback: each
// Subscription has a queue the caller pops with a deadline (Subscription::next).
// Notifications that arrive before the subscribe reply are buffered, not lost.
// There is no automatic reconnect: after ConnectionClosed, connect again.

#include "runtime/result.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace bazaar::rpc {

enum class RpcClientError {
  InvalidUrl = 1,        ///< not ws://host[:port][/path] or http://...
  UnsupportedScheme,     ///< wss:// or https:// (no TLS support)
  ConnectFailed,         ///< name resolution or TCP connect failed
  HandshakeFailed,       ///< the server refused the WebSocket upgrade (e.g. 503 too many connections)
  Timeout,               ///< no reply / notification within the deadline
  ConnectionClosed,      ///< the connection is closed (by either side)
  CallFailed,            ///< the server answered with a JSON-RPC error (see RpcCallError)
  InvalidResponse,       ///< a reply without result and error, or a non-id subscribe result
  SubscriptionClosed,    ///< the subscription ended (unsubscribed or connection closed)
  SubscriptionOverflow,  ///< notifications were not popped fast enough and the queue bound was hit
};
const char* to_string(RpcClientError e);

}  // namespace bazaar::rpc

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::rpc, RpcClientError)

namespace bazaar::rpc {

/// A JSON-RPC error answered by the server, e.g. {1010, "Invalid Transaction", "bad signature"}.
struct RpcCallError {
  int code = 0;
  std::string message;
  nlohmann::json data;  ///< null when absent
  /// "<code>: <message>[: <data>]", as polkadot.js prints it.
  std::string to_string() const;
};

struct RpcClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds call_timeout{60'000};  ///< as polkadot.js's WsProvider
  std::size_t max_message_bytes = 64 * 1024 * 1024;
  std::size_t max_queued_notifications = 4096;  ///< per subscription; beyond: SubscriptionOverflow
  std::size_t max_early_notifications = 1024;   ///< held for subscriptions not yet confirmed
};

namespace detail {
struct ClientCore;
struct ClientSubscription;
}  // namespace detail

/// One subscription's notifications. Movable; destroying it unsubscribes
/// (without waiting for the answer) if it is still open.
class Subscription {
 public:
  Subscription(Subscription&&) noexcept;
  Subscription& operator=(Subscription&&) noexcept;
  ~Subscription();

  /// The next notification's "result", waiting at most `timeout`. Queued
  /// notifications are returned even after the subscription ended. Errors:
  /// Timeout, SubscriptionClosed, SubscriptionOverflow.
  Result<nlohmann::json> next(std::chrono::milliseconds timeout);
  /// The id the server gave this subscription.
  const std::string& id() const;
  /// Calls the unsubscribe method and ends the subscription; the server's answer (true/false).
  Result<bool> unsubscribe();

 private:
  friend class RpcClient;
  Subscription(std::weak_ptr<detail::ClientCore> core, std::shared_ptr<detail::ClientSubscription> state,
               std::string unsubscribe_method);
  void release();

  std::weak_ptr<detail::ClientCore> m_core;
  std::shared_ptr<detail::ClientSubscription> m_state;
  std::string m_unsubscribe_method;
};

class RpcClient {
 public:
  /// Connects to `url`: ws://host[:port][/path]; http:// is mapped to ws://.
  /// The port defaults to 80. Errors: InvalidUrl, UnsupportedScheme, ConnectFailed,
  /// HandshakeFailed, Timeout.
  static Result<RpcClient> connect(const std::string& url, RpcClientOptions options = {});

  RpcClient(RpcClient&&) noexcept;
  RpcClient& operator=(RpcClient&&) noexcept;
  ~RpcClient();  ///< close()s

  /// Calls `method` with `params` (an array or an object) and waits for the reply,
  /// at most options.call_timeout. A JSON-RPC error answer gives CallFailed and, if
  /// `error` is given, its code, message and data there. Other errors: Timeout,
  /// ConnectionClosed, InvalidResponse.
  Result<nlohmann::json> call(const std::string& method, const nlohmann::json& params = nlohmann::json::array(),
                              RpcCallError* error = nullptr);
  /// Subscribes with `subscribe_method`; `unsubscribe_method` is used to end it.
  /// Errors as for call().
  Result<Subscription> subscribe(const std::string& subscribe_method, const nlohmann::json& params,
                                 const std::string& unsubscribe_method, RpcCallError* error = nullptr);
  /// Closes the connection: pending calls fail with ConnectionClosed and
  /// subscriptions end. Idempotent.
  void close();
  /// False once the connection is closed by either side.
  bool is_open() const;

 private:
  explicit RpcClient(std::shared_ptr<detail::ClientCore> core);
  std::shared_ptr<detail::ClientCore> m_core;
};

}  // namespace bazaar::rpc
