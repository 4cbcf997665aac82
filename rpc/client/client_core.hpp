#pragma once
// Internal to rpc/client: the connection shared by RpcClient and its
// Subscriptions. One I/O thread runs the io_context; all socket operations run
// there, all routing tables are guarded by `mutex`.

#include "rpc/client/rpc_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <variant>

namespace bazaar::rpc::detail {

/// The parts of a ws:// URL.
struct WsUrl {
  std::string host;
  std::string port;
  std::string path;
};
Result<WsUrl> parse_ws_url(const std::string& url);

/// A subscription's queue, filled by the I/O thread, popped by Subscription::next.
struct ClientSubscription {
  std::mutex mutex;
  std::condition_variable cv;
  std::string id;          ///< routing key (subscription_key of raw_id)
  nlohmann::json raw_id;   ///< the id exactly as the server sent it
  std::deque<nlohmann::json> queue;
  bool closed = false;
  bool overflow = false;
  std::size_t max_queued = 0;

  /// Appends a notification; false (and the subscription ends) when over the bound.
  bool push(nlohmann::json result);
  void end();
};

/// The outcome of a call as the I/O thread delivers it.
using Reply = std::variant<nlohmann::json, RpcCallError, RpcClientError>;

struct PendingCall {
  std::promise<Reply> promise;
  std::shared_ptr<ClientSubscription> subscription;  ///< set for subscribe calls
};

struct ClientCore {
  explicit ClientCore(RpcClientOptions opts);
  ~ClientCore();

  /// Resolves, connects and performs the WebSocket handshake, then starts reading.
  Result<void> open(const WsUrl& url);
  /// Sends a request; the reply is routed to the returned future.
  std::pair<uint64_t, std::future<Reply>> send_request(const std::string& method, const nlohmann::json& params,
                                                       std::shared_ptr<ClientSubscription> subscription);
  /// Waits for a reply; on timeout forgets the call.
  Reply wait(uint64_t id, std::future<Reply>& future, std::chrono::milliseconds timeout);
  /// send_request + wait, with a JSON-RPC error reported as CallFailed (+ details).
  Result<nlohmann::json> call(const std::string& method, const nlohmann::json& params, RpcCallError* error,
                              std::shared_ptr<ClientSubscription> subscription = nullptr);
  /// Sends a request whose reply is ignored.
  void send_and_forget(const std::string& method, const nlohmann::json& params);
  void forget_subscription(const std::string& id);
  void close();
  bool is_open();

  // I/O thread only.
  void read_next();
  void on_message(std::string_view text);
  void on_reply(uint64_t id, const nlohmann::json& message);
  void on_notification(const nlohmann::json& params);
  void write_next();
  void on_closed();

  RpcClientOptions options;
  boost::asio::io_context ioc;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws;
  boost::beast::flat_buffer read_buffer;
  std::thread thread;

  std::mutex mutex;  // guards everything below
  bool closed = false;
  uint64_t next_id = 1;
  std::map<uint64_t, std::shared_ptr<PendingCall>> pending;
  std::map<std::string, std::shared_ptr<ClientSubscription>> subscriptions;
  std::deque<std::pair<std::string, nlohmann::json>> early;  ///< notifications for unknown ids
  std::deque<std::string> write_queue;                      ///< front = being written while writing
  bool writing = false;
};

/// The routing key of a subscription id (ids may be strings or numbers).
std::string subscription_key(const nlohmann::json& id);

}  // namespace bazaar::rpc::detail
