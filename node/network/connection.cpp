#include "node/network/connection.hpp"

#include "node/network/error.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace bazaar::node::network {

namespace asio = boost::asio;

Connection::Connection(Socket socket, uint64_t id, bool inbound, std::size_t max_frame_size,
                       std::size_t max_send_queue, NetworkMetrics& metrics)
    : m_socket(std::move(socket)), m_timer(m_socket.get_executor()), m_id(id), m_inbound(inbound),
      m_max_frame(max_frame_size), m_max_send_queue(max_send_queue), m_metrics(metrics) {
  boost::system::error_code ec;
  auto ep = m_socket.remote_endpoint(ec);
  if (!ec) {
    m_remote_ip = ep.address().to_string();
    m_remote = ep.address().is_v6() ? "[" + m_remote_ip + "]:" + std::to_string(ep.port())
                                     : m_remote_ip + ":" + std::to_string(ep.port());
  }
  m_socket.set_option(asio::ip::tcp::no_delay(true), ec);
}

void Connection::start(FrameHandler on_frame, ErrorHandler on_error) {
  m_on_frame = std::move(on_frame);
  m_on_error = std::move(on_error);
  read_header();
}

void Connection::read_header() {
  asio::async_read(m_socket, asio::buffer(m_header),
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                     if (self->m_closed) return;
                     if (ec) return self->fail(ec);
                     self->m_metrics.bytes_in += n;
                     auto len = frame_body_length(self->m_header, self->m_max_frame);
                     if (!len) return self->fail(len.error());
                     self->read_body(len.value());
                   });
}

void Connection::read_body(std::size_t length) {
  m_body.resize(length);
  asio::async_read(m_socket, asio::buffer(m_body),
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                     if (self->m_closed) return;
                     if (ec) return self->fail(ec);
                     self->m_metrics.bytes_in += n;
                     auto frame = decode_frame_body(self->m_body);
                     if (!frame) return self->fail(frame.error());
                     // The handler may close us; keep reading only if it did not.
                     self->m_on_frame(self->m_id, std::move(frame).value());
                     if (!self->m_closed) self->read_header();
                   });
}

void Connection::send(Bytes frame) {
  if (m_closed) return;
  m_queued_bytes += frame.size();
  if (m_queued_bytes > m_max_send_queue) {
    fail(asio::error::no_buffer_space);
    return;
  }
  m_queue.push_back(std::move(frame));
  if (!m_writing) write_next();
}

void Connection::write_next() {
  if (m_queue.empty() || m_closed) {
    m_writing = false;
    return;
  }
  m_writing = true;
  asio::async_write(m_socket, asio::buffer(m_queue.front()),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                      if (self->m_closed) return;
                      if (ec) return self->fail(ec);
                      self->m_metrics.bytes_out += n;
                      self->m_queued_bytes -= self->m_queue.front().size();
                      self->m_queue.pop_front();
                      self->write_next();
                    });
}

void Connection::fail(boost::system::error_code ec) {
  if (m_closed) return;
  auto handler = std::move(m_on_error);
  close();
  if (handler) handler(m_id, ec);
}

void Connection::close() {
  if (m_closed) return;
  m_closed = true;
  boost::system::error_code ignored;
  m_timer.cancel();
  m_socket.shutdown(Socket::shutdown_both, ignored);
  m_socket.close(ignored);
  // The queue and the handlers stay until destruction: a cancelled write may
  // still refer to its buffer, and close() may run inside the frame handler.
}

}  // namespace bazaar::node::network
