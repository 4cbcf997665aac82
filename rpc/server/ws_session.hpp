#pragma once
// Internal to rpc/server: one WebSocket connection. Reads messages, dispatches
// them on the connection's strand, and writes responses and notifications from a
// bounded queue that any thread may fill (SubscriptionHost::enqueue).

#include "rpc/server/server_shared.hpp"
#include "rpc/server/subscription.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <memory>
#include <mutex>
#include <string>

namespace bazaar::rpc::detail {

class WsSession : public SubscriptionHost, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(std::shared_ptr<ServerShared> shared, boost::beast::tcp_stream stream, ConnectionSlot slot,
            bool peer_is_loopback);

  /// Accepts the upgrade request already read by the HTTP session, then reads messages.
  void run(boost::beast::http::request<boost::beast::http::string_body> upgrade);
  bool enqueue(std::string message) override;
  /// Server stop: refuses further messages and ends every subscription (any thread).
  void shutdown();

 private:
  void on_accept(boost::beast::error_code ec);
  void read_next();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void handle_message(std::string text);
  void write_next();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void fail(const char* what, boost::beast::error_code ec);

  std::shared_ptr<ServerShared> m_shared;
  boost::beast::websocket::stream<boost::beast::tcp_stream> m_ws;
  ConnectionSlot m_slot;
  bool m_peer_is_loopback;
  boost::beast::flat_buffer m_buffer;
  bool m_failed = false;     // strand only
  bool m_oversized = false;  // strand only: the message being read is over the limit and dropped

  std::mutex m_out_mutex;  // guards the fields below
  std::deque<std::string> m_queue;  // front = being written while m_writing
  std::size_t m_queued_bytes = 0;
  bool m_writing = false;
  bool m_closed = false;
};

}  // namespace bazaar::rpc::detail
