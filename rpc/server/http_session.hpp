#pragma once
// Internal to rpc/server: one HTTP connection. Serves JSON-RPC over POST with
// keep-alive, hands WebSocket upgrades to a WsSession, and refuses connections
// beyond the limit with 503.

#include "rpc/server/server_shared.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <memory>
#include <optional>

namespace bazaar::rpc::detail {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  /// `slot` empty and `refuse` true: answer 503 "Too many connections" and close.
  HttpSession(std::shared_ptr<ServerShared> shared, boost::asio::ip::tcp::socket socket, ConnectionSlot slot,
              bool refuse);
  void run();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void read_next();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  Response handle(const Request& req);
  void send(Response res);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  void close();
  void drain();

  std::shared_ptr<ServerShared> m_shared;
  boost::beast::tcp_stream m_stream;
  ConnectionSlot m_slot;
  bool m_refuse;
  bool m_peer_is_loopback = false;
  boost::beast::flat_buffer m_buffer;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> m_parser;
  std::shared_ptr<Response> m_response;
};

}  // namespace bazaar::rpc::detail
