#include "rpc/server/ws_session.hpp"

#include "rpc/server/log.hpp"

#include <boost/asio/post.hpp>

namespace bazaar::rpc::detail {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;

WsSession::WsSession(std::shared_ptr<ServerShared> shared, beast::tcp_stream stream, ConnectionSlot slot,
                     bool peer_is_loopback)
    : SubscriptionHost(shared->live_subscriptions),
      m_shared(std::move(shared)),
      m_ws(std::move(stream)),
      m_slot(std::move(slot)),
      m_peer_is_loopback(peer_is_loopback) {}

void WsSession::run(http::request<http::string_body> upgrade) {
  beast::get_lowest_layer(m_ws).expires_never();
  // Handshake timeout 30 s, idle pings every 150 s, a peer silent for 300 s is dropped.
  m_ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  // Messages are read in chunks and a message over max_request_bytes is dropped
  // as it arrives (read_next), so that it can be answered instead of closing.
  m_ws.read_message_max(0);
  m_ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "bazaar-node"); }));
  m_ws.async_accept(upgrade, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
}

void WsSession::on_accept(beast::error_code ec) {
  if (ec) return fail("handshake", ec);
  read_next();
}

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;
}

void WsSession::read_next() {
  m_ws.async_read_some(m_buffer, kReadChunk, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
}

void WsSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) return fail("read", ec);
  const auto limit = m_shared->options.max_request_bytes;
  if (m_oversized || m_buffer.size() > limit) {
    m_oversized = true;
    m_buffer.consume(m_buffer.size());  // never hold more than the limit plus one chunk
  }
  if (!m_ws.is_message_done()) return read_next();
  if (m_oversized) {
    m_oversized = false;
    rpc_log()->debug("dropping a WebSocket message over the {} byte limit", limit);
    enqueue(error_response(nullptr, RpcError{kOversizedRequest, "Request is too big",
                                             "limit " + std::to_string(limit) + " bytes"}));
    return read_next();
  }
  std::string text = beast::buffers_to_string(m_buffer.data());
  m_buffer.consume(m_buffer.size());
  handle_message(std::move(text));
}

void WsSession::handle_message(std::string text) {
  CallContext ctx;
  ctx.peer_is_loopback = m_peer_is_loopback;
  ctx.host = shared_from_this();
  if (auto response = m_shared->dispatcher.handle(text, ctx)) enqueue(std::move(*response));
  ctx.activate_subscriptions();  // after the reply: notifications follow it in the queue
  read_next();
}

bool WsSession::enqueue(std::string message) {
  std::lock_guard lock(m_out_mutex);
  if (m_closed) return false;
  if (!m_queue.empty() && m_queued_bytes + message.size() > m_shared->options.max_outbound_queue_bytes) {
    m_closed = true;
    rpc_log()->debug("disconnecting a WebSocket peer that does not read ({} bytes queued)", m_queued_bytes);
    boost::asio::post(m_ws.get_executor(), [self = shared_from_this()] {
      self->fail("outbound queue full", beast::error_code{});
    });
    return false;
  }
  m_queued_bytes += message.size();
  m_queue.push_back(std::move(message));
  if (!m_writing) {
    m_writing = true;
    boost::asio::post(m_ws.get_executor(), [self = shared_from_this()] { self->write_next(); });
  }
  return true;
}

void WsSession::write_next() {
  const std::string* front = nullptr;
  {
    std::lock_guard lock(m_out_mutex);
    if (m_queue.empty() || m_failed) {
      m_writing = false;
      return;
    }
    front = &m_queue.front();  // deque::push_back keeps references valid
  }
  m_ws.text(true);
  m_ws.async_write(boost::asio::buffer(*front), beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
}

void WsSession::on_write(beast::error_code ec, std::size_t) {
  if (ec) {
    {
      std::lock_guard lock(m_out_mutex);
      m_writing = false;
    }
    return fail("write", ec);
  }
  {
    std::lock_guard lock(m_out_mutex);
    m_queued_bytes -= m_queue.front().size();
    m_queue.pop_front();
  }
  write_next();
}

void WsSession::fail(const char* what, beast::error_code ec) {
  if (m_failed) return;
  m_failed = true;
  if (ec && ec != websocket::error::closed && ec != boost::asio::error::operation_aborted)
    rpc_log()->debug("WebSocket {}: {}", what, ec.message());
  {
    std::lock_guard lock(m_out_mutex);
    m_closed = true;
  }
  beast::error_code ignored;
  beast::get_lowest_layer(m_ws).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(m_ws).socket().close(ignored);  // cancels the pending read and write
  close_all_subscriptions();
}

void WsSession::shutdown() {
  {
    std::lock_guard lock(m_out_mutex);
    m_closed = true;
  }
  close_all_subscriptions();
}

}  // namespace bazaar::rpc::detail
