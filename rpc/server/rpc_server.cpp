#include "rpc/server/rpc_server.hpp"

#include "rpc/server/http_session.hpp"
#include "rpc/server/log.hpp"
#include "rpc/server/ws_session.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace bazaar::rpc {

namespace net = boost::asio;
using tcp = net::ip::tcp;

std::vector<std::string> default_cors_origins() {
  return {"http://localhost:*", "http://127.0.0.1:*", "https://localhost:*", "https://127.0.0.1:*",
          "https://polkadot.js.org"};
}

bool origin_allowed(const std::vector<std::string>& allowed, std::string_view origin) {
  return std::any_of(allowed.begin(), allowed.end(), [&](std::string_view o) {
    if (o == "*" || o == "all" || o == origin) return true;
    if (o.size() < 2 || o.substr(o.size() - 2) != ":*") return false;
    // "scheme://host:*": the same scheme and host with any port, or none.
    auto base = o.substr(0, o.size() - 2);
    if (origin == base) return true;
    if (origin.size() <= base.size() + 1 || origin.substr(0, base.size()) != base || origin[base.size()] != ':')
      return false;
    auto port = origin.substr(base.size() + 1);
    return port.size() <= 5 && std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  });
}

namespace detail {

ServerShared::ServerShared(RpcServerOptions opts, const MethodRegistry& registry)
    : options(std::move(opts)),
      dispatcher(registry, DispatchOptions{options.max_batch, options.max_response_bytes,
                                           options.max_subscriptions_per_connection, options.methods}) {}

void ServerShared::track(const std::shared_ptr<WsSession>& session) {
  std::lock_guard lock(sessions_mutex);
  std::erase_if(ws_sessions, [](const auto& w) { return w.expired(); });
  ws_sessions.push_back(session);
}

bool ServerShared::origin_allowed(std::string_view origin) const {
  return rpc::origin_allowed(options.cors_origins, origin);
}

bool is_loopback(const net::ip::address& address) {
  if (address.is_loopback()) return true;
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).is_loopback();
  return false;
}

}  // namespace detail

struct RpcServer::Impl {
  Impl(RpcServerOptions opts, MethodRegistry& registry)
      : shared(std::make_shared<detail::ServerShared>(std::move(opts), registry)) {}

  void accept();
  void on_accept(tcp::socket socket);

  std::shared_ptr<detail::ServerShared> shared;
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<net::steady_timer> retry_timer;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool started = false;
  bool stopped = false;
};

void RpcServer::Impl::accept() {
  acceptor->async_accept(net::make_strand(*ioc), [this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) {
      on_accept(std::move(socket));
      return accept();
    }
    // Out of descriptors or similar: back off instead of spinning.
    rpc_log()->warn("accepting an RPC connection failed: {}", ec.message());
    retry_timer->expires_after(std::chrono::milliseconds(100));
    retry_timer->async_wait([this](boost::system::error_code tec) {
      if (!tec) accept();
    });
  });
}

void RpcServer::Impl::on_accept(tcp::socket socket) {
  auto& s = *shared;
  if (s.connections.fetch_add(1) < s.options.max_connections) {
    std::make_shared<detail::HttpSession>(shared, std::move(socket), detail::ConnectionSlot(&s.connections), false)
        ->run();
    return;
  }
  s.connections.fetch_sub(1);
  rpc_log()->debug("refusing an RPC connection: {} open", s.options.max_connections);
  if (s.rejecting.fetch_add(1) >= s.options.max_connections) {  // do not spend more on refusals than on service
    s.rejecting.fetch_sub(1);
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  std::make_shared<detail::HttpSession>(shared, std::move(socket), detail::ConnectionSlot(&s.rejecting), true)->run();
}

RpcServer::RpcServer(RpcServerOptions options, MethodRegistry& registry)
    : m_impl(std::make_unique<Impl>(std::move(options), registry)) {}

RpcServer::~RpcServer() { stop(); }

Result<void> RpcServer::start() {
  auto& m = *m_impl;
  if (m.started) return RpcServerError::AlreadyStarted;
  const auto& opts = m.shared->options;
  boost::system::error_code ec;
  auto address = net::ip::make_address(opts.listen_address, ec);
  if (ec) return RpcServerError::InvalidAddress;
  tcp::endpoint endpoint(address, opts.port);

  m.ioc = std::make_unique<net::io_context>(static_cast<int>(std::max<std::size_t>(opts.threads, 1)));
  m.acceptor = std::make_unique<tcp::acceptor>(net::make_strand(*m.ioc));
  m.retry_timer = std::make_unique<net::steady_timer>(m.acceptor->get_executor());
  auto fail = [&](RpcServerError e) -> Result<void> {
    rpc_log()->error("RPC server cannot listen on {}:{}: {}", opts.listen_address, opts.port, ec.message());
    m.retry_timer.reset();
    m.acceptor.reset();
    m.ioc.reset();
    return e;
  };
  m.acceptor->open(endpoint.protocol(), ec);
  if (ec) return fail(RpcServerError::BindFailed);
  m.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return fail(RpcServerError::BindFailed);
  m.acceptor->bind(endpoint, ec);
  if (ec == net::error::address_in_use) return fail(RpcServerError::AddressInUse);
  if (ec) return fail(RpcServerError::BindFailed);
  m.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail(RpcServerError::BindFailed);
  m.port = m.acceptor->local_endpoint().port();
  m.started = true;

  m.accept();
  for (std::size_t i = 0; i < std::max<std::size_t>(opts.threads, 1); ++i)
    m.threads.emplace_back([ioc = m.ioc.get()] { ioc->run(); });
  rpc_log()->info("RPC server listening on {}:{} (HTTP and WebSocket)", opts.listen_address, m.port);
  return outcome::success();
}

void RpcServer::stop() {
  auto& m = *m_impl;
  if (!m.started || m.stopped) return;
  m.stopped = true;
  m.ioc->stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
  boost::system::error_code ignored;
  m.acceptor->close(ignored);
  std::vector<std::shared_ptr<detail::WsSession>> sessions;
  {
    std::lock_guard lock(m.shared->sessions_mutex);
    for (auto& w : m.shared->ws_sessions)
      if (auto s = w.lock()) sessions.push_back(std::move(s));
    m.shared->ws_sessions.clear();
  }
  for (auto& s : sessions) s->shutdown();  // no more posts to the io_context from other threads
  sessions.clear();
  m.retry_timer.reset();
  m.acceptor.reset();
  m.ioc.reset();  // destroys the sessions still waiting on I/O
  rpc_log()->info("RPC server stopped");
}

uint16_t RpcServer::port() const { return m_impl->port; }

std::size_t RpcServer::connection_count() const { return m_impl->shared->connections.load(); }

std::size_t RpcServer::subscription_count() const { return m_impl->shared->live_subscriptions->load(); }

void register_server_stats(MethodRegistry& registry, const RpcServer& server) {
  registry.add("bazaar_rpcStats", "This RPC server's open connections and live subscriptions", {}, [&server] {
    return nlohmann::json{{"connections", server.connection_count()}, {"subscriptions", server.subscription_count()}};
  });
}

}  // namespace bazaar::rpc
