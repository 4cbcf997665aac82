#include "rpc/server/http_session.hpp"

#include "rpc/server/log.hpp"
#include "rpc/server/ws_session.hpp"

#include <boost/beast/websocket.hpp>

#include <cctype>
#include <chrono>
#include <string_view>

namespace bazaar::rpc::detail {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto kReadTimeout = std::chrono::seconds(30);
constexpr auto kDrainTimeout = std::chrono::seconds(5);
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kDrainChunk = 64 * 1024;

bool is_json_content_type(std::string_view v) {
  constexpr std::string_view kJson = "application/json";
  if (v.size() < kJson.size()) return false;
  for (std::size_t i = 0; i < kJson.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(v[i])) != kJson[i]) return false;
  return v.size() == kJson.size() || v[kJson.size()] == ';' || v[kJson.size()] == ' ';
}

/// The JSON-RPC error body of a connection refused for the connection limit.
std::string busy_body(std::size_t limit) {
  return error_response(nullptr, RpcError{kServerBusy, "Server is busy, try again later",
                                          "too many connections: limit " + std::to_string(limit)});
}

}  // namespace

HttpSession::HttpSession(std::shared_ptr<ServerShared> shared, boost::asio::ip::tcp::socket socket,
                         ConnectionSlot slot, bool refuse)
    : m_shared(std::move(shared)), m_stream(std::move(socket)), m_slot(std::move(slot)), m_refuse(refuse) {
  beast::error_code ec;
  auto remote = m_stream.socket().remote_endpoint(ec);
  m_peer_is_loopback = !ec && is_loopback(remote.address());
  m_stream.socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);  // small replies go out at once
}

void HttpSession::run() { read_next(); }

void HttpSession::read_next() {
  m_parser.emplace();
  m_parser->header_limit(kHeaderLimit);
  m_parser->body_limit(m_shared->options.max_request_bytes);
  m_stream.expires_after(kReadTimeout);
  http::async_read(m_stream, m_buffer, *m_parser, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return close();
  if (ec == http::error::body_limit || (ec && m_refuse && m_parser->is_header_done())) {
    Response res{m_refuse ? http::status::service_unavailable : http::status::payload_too_large, 11};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.body() = m_refuse ? busy_body(m_shared->options.max_connections)
                          : error_response(nullptr, RpcError{kOversizedRequest, "Request is too big",
                                                             "limit " + std::to_string(m_shared->options.max_request_bytes) +
                                                                 " bytes"});
    res.keep_alive(false);
    return send(std::move(res));
  }
  if (ec) {
    if (ec != beast::error::timeout) rpc_log()->debug("HTTP read: {}", ec.message());
    return close();
  }
  Request req = m_parser->release();
  if (!m_refuse && beast::websocket::is_upgrade(req)) {
    auto origin = req[http::field::origin];
    if (origin.empty() || m_shared->origin_allowed(origin)) {
      auto ws = std::make_shared<WsSession>(m_shared, std::move(m_stream), std::move(m_slot), m_peer_is_loopback);
      m_shared->track(ws);
      return ws->run(std::move(req));
    }
  }
  send(handle(req));
}

HttpSession::Response HttpSession::handle(const Request& req) {
  Response res{http::status::ok, req.version()};
  res.set(http::field::server, "bazaar-node");
  res.keep_alive(req.keep_alive() && !m_refuse);
  auto text = [&](http::status status, std::string body) {
    res.result(status);
    res.set(http::field::content_type, "text/plain");
    res.body() = std::move(body);
    return std::move(res);
  };
  if (m_refuse) {
    res.result(http::status::service_unavailable);
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.body() = busy_body(m_shared->options.max_connections);
    return res;
  }

  auto origin = req[http::field::origin];
  if (!origin.empty()) {
    if (!m_shared->origin_allowed(origin)) return text(http::status::forbidden, "Origin not allowed\n");
    res.set(http::field::access_control_allow_origin, origin);
    res.set(http::field::vary, "Origin");
  }
  if (req.method() == http::verb::options) {
    res.result(http::status::no_content);
    res.set(http::field::access_control_allow_methods, "POST, OPTIONS");
    res.set(http::field::access_control_allow_headers, "content-type");
    return res;
  }
  if (req.method() != http::verb::post)
    return text(http::status::method_not_allowed, "Used HTTP method is not allowed: POST is required\n");
  if (!is_json_content_type(req[http::field::content_type]))
    return text(http::status::unsupported_media_type, "Supplied content type is not allowed: use application/json\n");

  CallContext ctx;
  ctx.peer_is_loopback = m_peer_is_loopback;
  auto body = m_shared->dispatcher.handle(req.body(), ctx);
  if (!body) {
    res.result(http::status::no_content);
    return res;
  }
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = std::move(*body);
  return res;
}

void HttpSession::send(Response res) {
  res.prepare_payload();
  bool keep_alive = res.keep_alive();
  m_response = std::make_shared<Response>(std::move(res));
  m_stream.expires_after(kReadTimeout);
  http::async_write(m_stream, *m_response,
                    beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), keep_alive));
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  m_response.reset();
  if (ec || !keep_alive) return close();
  read_next();
}

void HttpSession::close() {
  // Half-close, then discard what the peer still sends until it closes too: closing
  // with unread input would reset the connection and could destroy our last response.
  beast::error_code ec;
  m_stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  if (ec) return m_stream.close();
  m_stream.expires_after(kDrainTimeout);
  drain();
}

void HttpSession::drain() {
  m_buffer.consume(m_buffer.size());
  m_stream.async_read_some(m_buffer.prepare(kDrainChunk),
                           [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                             if (ec) return self->m_stream.close();
                             self->m_buffer.commit(n);
                             self->drain();
                           });
}

}  // namespace bazaar::rpc::detail
