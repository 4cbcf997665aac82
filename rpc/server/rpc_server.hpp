#pragma once
// The JSON-RPC 2.0 server: one TCP port serving HTTP POST and WebSocket
// (DESIGN.md "JSON-RPC"; framing per polkadot-js-compat.md §1).
//
// HTTP: POST with Content-Type application/json; the body is one request or a
// batch. Over the limit: 413; unknown Origin: 403; not POST: 405; wrong content
// type: 415; too many connections: 503 with a message. Notifications-only: 204.
// WebSocket: GET with Upgrade: websocket on any path; one request or batch per
// text message; a message over max_request_bytes closes the socket (1009).
// Subscriptions only over WebSocket. Each connection has a bounded outbound
// queue: a peer that does not read is disconnected.

#include "rpc/server/dispatcher.hpp"
#include "rpc/server/method_registry.hpp"
#include "runtime/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bazaar::rpc {

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
  /// Browser origins allowed (the Origin header); "*" or "all" allows any.
  /// Requests without an Origin header (non-browser clients) are always allowed.
  std::vector<std::string> cors_origins;
  /// false: unsafe methods answer only loopback peers.
  bool unsafe_methods_allowed = false;
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

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace bazaar::rpc
