#include "node/metrics/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace bazaar::node::metrics {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kMaxRequestBytes = 8 * 1024;
constexpr auto kRequestTimeout = std::chrono::seconds(5);

// One connection: read a request, write the answer, close.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Registry& registry) : m_stream(std::move(socket)), m_registry(registry) {}

  void start() {
    m_parser.body_limit(kMaxRequestBytes);
    m_parser.header_limit(kMaxRequestBytes);
    m_stream.expires_after(kRequestTimeout);
    http::async_read(m_stream, m_buffer, m_parser,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec) return;  // timeout, oversized or garbage: drop the connection
    const auto& req = m_parser.get();
    m_response.version(req.version());
    m_response.keep_alive(false);
    m_response.set(http::field::server, "bazaar-node");
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      m_response.result(http::status::method_not_allowed);
      m_response.set(http::field::allow, "GET, HEAD");
      m_response.body() = "only GET /metrics\n";
    } else if (req.target() != "/metrics" && req.target() != "/metrics/") {
      m_response.result(http::status::not_found);
      m_response.body() = "not found: the metrics are at /metrics\n";
    } else {
      m_response.result(http::status::ok);
      m_response.set(http::field::content_type, "text/plain; version=0.0.4");
      if (req.method() == http::verb::get) m_response.body() = m_registry.render();
    }
    m_response.prepare_payload();
    http::async_write(m_stream, m_response, [self = shared_from_this()](beast::error_code, std::size_t) {
      beast::error_code ignored;
      self->m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  }

  beast::tcp_stream m_stream;
  const Registry& m_registry;
  beast::flat_buffer m_buffer;
  http::request_parser<http::empty_body> m_parser;
  http::response<http::string_body> m_response;
};

}  // namespace

struct MetricsServer::Impl {
  const Registry& registry;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::thread thread;

  explicit Impl(const Registry& r) : registry(r) {}

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) std::make_shared<Session>(std::move(socket), registry)->start();
      accept();
    });
  }
};

MetricsServer::MetricsServer(const Registry& registry, const std::string& address, uint16_t port)
    : m_impl(std::make_unique<Impl>(registry)) {
  beast::error_code ec;
  auto ip = asio::ip::make_address(address, ec);
  if (ec) throw std::runtime_error("prometheus: bad listen address '" + address + "': " + ec.message());
  tcp::endpoint endpoint(ip, port);
  auto& acceptor = m_impl->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) throw std::runtime_error("prometheus: " + ec.message());
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec) {
    throw std::runtime_error("prometheus: cannot bind " + address + ":" + std::to_string(port) + ": " + ec.message());
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    throw std::runtime_error("prometheus: " + ec.message());
  }
  m_impl->accept();
  m_impl->thread = std::thread([impl = m_impl.get()] { impl->io.run(); });
}

MetricsServer::~MetricsServer() {
  asio::post(m_impl->io, [impl = m_impl.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->io.stop();
  });
  if (m_impl->thread.joinable()) m_impl->thread.join();
}

uint16_t MetricsServer::port() const { return m_impl->acceptor.local_endpoint().port(); }

}  // namespace bazaar::node::metrics
