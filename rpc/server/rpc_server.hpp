#pragma once
// The JSON-RPC 2.0 server: one TCP port serving HTTP POST and WebSocket
// (DESIGN.md "JSON-RPC"; framing per polkadot-js-compat.md §1).
//
// HTTP: POST with Content-Type application/json; the body is one request or a
// batch. Over the limit: 413; unknown Origin: 403; not POST: 405; wrong content
// type: 415; too many connections: 503 with a message. Notifications-only: 204.
// WebSocket: GET with Upgrade: websocket on any path; one request or batch per
// text message; a message over max_request_bytes is read to its end, dropped,
// and answered with -32007 "Request is too big" (the connection stays open).
// Refusals over HTTP carry a JSON-RPC error body too (413 -32007, 503 -32009).
// Subscriptions only over WebSocket. Each connection has a bounded outbound
// queue: a peer that does not read is disconnected.

#include "rpc/server/dispatcher.hpp"
#include "rpc/server/method_registry.hpp"
#include "runtime/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bazaar::rpc {

/// Substrate's default --rpc-cors: http(s)://localhost:*, http(s)://127.0.0.1:*, https://polkadot.js.org.
std::vector<std::string> default_cors_origins();

/// Whether `origin` (an Origin header) is allowed by `allowed` (see RpcServerOptions::cors_origins).
bool origin_allowed(const std::vector<std::string>& allowed, std::string_view origin);

struct RpcServerOptions {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 9944;  ///< 0: any free port (see RpcServer::port())
  std::size_t max_request_bytes = 15 * 1024 * 1024;   ///< HTTP body or WebSocket message
  std::size_t max_response_bytes = 15 * 1024 * 1024;  ///< per response, -32008 beyond
  std::size_t max_batch = 100;
  std::size_t max_connections = 100;  ///< HTTP and WebSocket together
  std::size_t max_subscriptions_per_connection = 1024;
  /// Bytes queued for one WebSocket peer (responses and notifications) before
  /// it is disconnected as not reading. At least one message always fits.
  std::size_t max_outbound_queue_bytes = 64 * 1024 * 1024;
  /// Browser origins allowed (the Origin header of HTTP requests and WebSocket
  /// upgrades); "*" or "all" allows any; an origin ending in ":*" allows any
  /// port. Requests without an Origin header (non-browser clients) are always
  /// allowed. Default: Substrate's (local pages and polkadot.js.org).
  std::vector<std::string> cors_origins = default_cors_origins();
  /// Who may call unsafe methods (default: loopback peers only).
  RpcMethods methods = RpcMethods::Auto;
  std::size_t threads = 2;  ///< I/O threads; handlers run on them
};

class RpcServer {
 public:
  /// `registry` must outlive the server; handlers run on the server's I/O threads.
  RpcServer(RpcServerOptions options, MethodRegistry& registry);
  ~RpcServer();  ///< stop()s
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  /// Binds, listens and starts the I/O threads. Errors: RpcServerError::InvalidAddress,
  /// AddressInUse (port taken), BindFailed, AlreadyStarted.
  Result<void> start();
  /// Closes the port and every connection (their subscriptions end, on_close
  /// callbacks run on this thread) and joins the I/O threads. Idempotent.
  void stop();
  /// The bound port (the chosen one when options.port was 0); 0 before start().
  uint16_t port() const;
  /// Open connections (HTTP and WebSocket), for metrics and tests.
  std::size_t connection_count() const;
  /// Live subscriptions over all connections, for metrics and tests.
  std::size_t subscription_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Registers `bazaar_rpcStats`: {"connections": n, "subscriptions": n} of `server`,
/// which must outlive the registry's use.
void register_server_stats(MethodRegistry& registry, const RpcServer& server);

}  // namespace bazaar::rpc
