#pragma once
// One TCP connection carrying frames (frame.hpp): a read loop that checks
// each frame's length against the maximum before allocating its body, and a
// send queue written one frame at a time. Runs on the network's io thread;
// every method must be called there. After close() (or after the error
// callback fired) no callback is called again.

#include "node/network/frame.hpp"
#include "node/network/metrics.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace bazaar::node::network {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  using FrameHandler = std::function<void(uint64_t id, Frame frame)>;
  /// The connection failed: a socket error, a closed stream, FrameTooLarge,
  /// Undecodable (frame), or the send queue overflowing.
  using ErrorHandler = std::function<void(uint64_t id, boost::system::error_code ec)>;

  Connection(Socket socket, uint64_t id, bool inbound, std::size_t max_frame_size, std::size_t max_send_queue,
             NetworkMetrics& metrics);

  /// Starts the read loop.
  void start(FrameHandler on_frame, ErrorHandler on_error);
  /// Queues an encoded frame (from encode_frame / encode_message).
  void send(Bytes frame);
  /// Closes the socket; pending operations end silently.
  void close();

  uint64_t id() const { return m_id; }
  bool inbound() const { return m_inbound; }
  bool closed() const { return m_closed; }
  /// "ip:port" of the remote end (empty if unknown).
  const std::string& remote() const { return m_remote; }
  /// The remote IP address text.
  const std::string& remote_ip() const { return m_remote_ip; }
  /// A timer for the owner's deadlines (handshake); cancelled by close().
  boost::asio::steady_timer& timer() { return m_timer; }

 private:
  void read_header();
  void read_body(std::size_t length);
  void write_next();
  void fail(boost::system::error_code ec);

  Socket m_socket;
  boost::asio::steady_timer m_timer;
  const uint64_t m_id;
  const bool m_inbound;
  const std::size_t m_max_frame;
  const std::size_t m_max_send_queue;
  NetworkMetrics& m_metrics;
  std::string m_remote;
  std::string m_remote_ip;

  FrameHandler m_on_frame;
  ErrorHandler m_on_error;
  bool m_closed = false;

  std::array<uint8_t, kFrameHeaderSize> m_header{};
  Bytes m_body;
  std::deque<Bytes> m_queue;
  std::size_t m_queued_bytes = 0;
  bool m_writing = false;
};

}  // namespace bazaar::node::network
