#include "node/network/network.hpp"

#include "node/log/log.hpp"
#include "node/network/error.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>

#include <future>

namespace bazaar::node::network {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

NetworkOptions normalised(NetworkOptions o) {
  if (!o.clock) o.clock = [] { return std::chrono::steady_clock::now(); };
  return o;
}

}  // namespace

Network::Network(NetworkOptions options, runtime::crypto::Keypair node_key, NetworkHost& host)
    : m_options(normalised(std::move(options))),
      m_key(std::move(node_key)),
      m_self(PeerId::from_public(m_key.public_key())),
      m_host(host),
      m_log(log::logger("net")),
      m_host_queue(m_options.host_queue_limit),
      m_serve_queue(m_options.host_queue_limit),
      m_book(m_options.clock, m_options.backoff_initial, m_options.backoff_max),
      m_seen_txs(m_options.known_per_peer * 4),
      m_taken_finality(m_options.seen_finality_messages),
      m_reputations(m_options.clock, m_options.ban_duration, m_options.ip_ban_strikes) {}

Network::~Network() { stop(); }

Result<void> Network::start() {
  if (m_started || m_stopped) return success();
  m_genesis = m_host.genesis_hash();
  for (const auto& list : {m_options.bootnodes, m_options.reserved_nodes})
    for (const auto& a : list)
      if (!a.peer) return NetworkError::InvalidAddress;
  for (const auto& a : m_options.reserved_nodes) m_reserved.insert(*a.peer);
  for (const auto& a : m_options.bootnodes) m_book.add(a, AddressBook::Source::Bootnode, m_self);
  for (const auto& a : m_options.reserved_nodes) m_book.add(a, AddressBook::Source::Reserved, m_self);

  std::vector<Multiaddr> bound;
  for (const auto& la : m_options.listen_addrs) {
    if (la.is_dns()) return NetworkError::InvalidAddress;
    boost::system::error_code ec;
    auto ip = asio::ip::make_address(la.host, ec);
    if (ec) return NetworkError::InvalidAddress;
    auto acceptor = std::make_unique<tcp::acceptor>(m_io);
    tcp::endpoint ep(ip, la.port);
    acceptor->open(ep.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && ip.is_v6()) acceptor->set_option(asio::ip::v6_only(true), ec);
    if (!ec) acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      m_log->error("cannot listen on {}: {}", la.to_string(), ec.message());
      return ec;
    }
    Multiaddr actual = la.with_peer(m_self);
    actual.port = acceptor->local_endpoint().port();
    bound.push_back(actual);
    m_acceptors.push_back(std::move(acceptor));
  }
  {
    std::lock_guard lock(m_snapshot_mutex);
    m_bound = bound;
  }
  for (const auto& b : bound) m_log->info("listening on {}", b.to_string());
  m_log->info("local peer id {}", m_self.to_string());

  m_host_queue.start();
  m_serve_queue.start();
  m_work.emplace(m_io.get_executor());
  m_tick_timer = std::make_unique<asio::steady_timer>(m_io);
  for (std::size_t i = 0; i < m_acceptors.size(); ++i) do_accept(i);
  asio::post(m_io, [this] { tick(); });
  m_thread = std::thread([this] { m_io.run(); });
  std::lock_guard lock(m_lifecycle_mutex);
  m_started = true;
  return success();
}

void Network::stop() {
  {
    // Under the lock, so a request_blocks() either posts before the shutdown
    // below (and gets its callback from it) or sees m_stopped.
    std::lock_guard lock(m_lifecycle_mutex);
    if (!m_started || m_stopped) return;
    m_stopped = true;
  }
  std::promise<void> done;
  asio::post(m_io, [this, &done] {
    shutdown();
    done.set_value();
  });
  done.get_future().wait();
  m_work.reset();
  m_io.stop();
  if (m_thread.joinable()) m_thread.join();
  m_host_queue.stop();
  m_serve_queue.stop();
}

void Network::shutdown() {
  boost::system::error_code ignored;
  for (auto& a : m_acceptors) a->close(ignored);
  if (m_tick_timer) m_tick_timer->cancel();
  std::vector<uint64_t> ids;
  for (const auto& [id, peer] : m_conns) ids.push_back(id);
  for (auto id : ids) close_peer(id, NetworkError::Stopped);
}

std::vector<Multiaddr> Network::listen_addrs() const {
  std::lock_guard lock(m_snapshot_mutex);
  return m_bound;
}

// ---- accepting ----------------------------------------------------------------

void Network::do_accept(std::size_t listener) {
  m_acceptors[listener]->async_accept([this, listener](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || m_stopped) return;
    if (!ec) on_accepted(std::move(socket));
    do_accept(listener);
  });
}

void Network::on_accepted(tcp::socket socket) {
  boost::system::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec) return;
  auto ip = remote.address().to_string();
  bool banned = false;
  {
    std::lock_guard lock(m_rep_mutex);
    banned = m_reputations.is_ip_banned(ip);
  }
  if (banned) {
    ++m_metrics.refused;
    m_log->debug("refused connection from {}: IP banned", ip);
    socket.close(ec);
    return;
  }
  std::size_t pending = 0;
  for (const auto& [id, p] : m_conns)
    if (p->stage != Stage::Open && p->conn->inbound()) ++pending;
  if (pending >= m_options.in_peers + 16) {
    ++m_metrics.refused;
    m_log->debug("refused connection from {}: too many pending handshakes", ip);
    socket.close(ec);
    return;
  }
  if (auto* peer = add_connection(std::move(socket), true, std::nullopt)) start_handshake(*peer);
}

// ---- dialing ------------------------------------------------------------------

void Network::dial(const Multiaddr& addr) {
  auto key = addr.to_string();
  if (!m_dialing.emplace(key, addr).second) return;
  m_book.on_dial(addr);
  ++m_metrics.dials;
  m_log->debug("dialing {}", key);

  auto socket = std::make_shared<tcp::socket>(m_io);
  auto timer = std::make_shared<asio::steady_timer>(m_io, m_options.connect_timeout);
  auto fail = [this, addr, key](const std::string& why) {
    m_dialing.erase(key);
    m_book.on_dial_failed(addr);
    m_log->debug("dial {} failed: {}", key, why);
  };
  timer->async_wait([socket](boost::system::error_code ec) {
    if (!ec) {
      boost::system::error_code ignored;
      socket->close(ignored);
    }
  });
  auto connect = [this, socket, timer, addr, fail](const std::vector<tcp::endpoint>& endpoints) {
    asio::async_connect(*socket, endpoints,
                        [this, socket, timer, addr, fail](boost::system::error_code ec, const tcp::endpoint&) {
                          timer->cancel();
                          if (m_stopped) return;
                          if (ec) return fail(ec.message());
                          m_dialing.erase(addr.to_string());
                          on_dialed(addr, std::move(*socket));
                        });
  };
  if (!addr.is_dns()) {
    boost::system::error_code ec;
    auto ip = asio::ip::make_address(addr.host, ec);
    if (ec) return fail("bad IP address");
    connect({tcp::endpoint(ip, addr.port)});
    return;
  }
  auto resolver = std::make_shared<tcp::resolver>(m_io);
  auto family = addr.kind == Multiaddr::Kind::Dns4 ? tcp::v4() : tcp::v6();
  auto on_resolved = [resolver, connect, fail, addr](boost::system::error_code ec,
                                                     tcp::resolver::results_type results) {
    if (ec) return fail("cannot resolve: " + ec.message());
    std::vector<tcp::endpoint> eps;
    for (const auto& r : results) {
      auto ep = r.endpoint();
      if (addr.kind == Multiaddr::Kind::Dns4 && !ep.address().is_v4()) continue;
      if (addr.kind == Multiaddr::Kind::Dns6 && !ep.address().is_v6()) continue;
      eps.push_back(ep);
    }
    if (eps.empty()) return fail("no address of the right family");
    connect(eps);
  };
  if (addr.kind == Multiaddr::Kind::Dns)
    resolver->async_resolve(addr.host, std::to_string(addr.port), on_resolved);
  else
    resolver->async_resolve(family, addr.host, std::to_string(addr.port), on_resolved);
}

void Network::on_dialed(const Multiaddr& addr, tcp::socket socket) {
  if (auto* peer = add_connection(std::move(socket), false, addr)) start_handshake(*peer);
}

Network::Peer* Network::add_connection(tcp::socket socket, bool inbound, std::optional<Multiaddr> dialed) {
  const uint64_t id = m_next_conn++;
  auto peer = std::make_unique<Peer>(m_options.known_per_peer);
  peer->conn = std::make_shared<Connection>(std::move(socket), id, inbound, m_options.max_frame_size,
                                            m_options.max_send_queue_bytes, m_metrics);
  peer->side = inbound ? Side::Responder : Side::Initiator;
  peer->dialed = std::move(dialed);
  auto* raw = peer.get();
  m_conns.emplace(id, std::move(peer));
  raw->conn->start([this](uint64_t cid, Frame f) { on_frame(cid, std::move(f)); },
                   [this](uint64_t cid, boost::system::error_code ec) { on_connection_error(cid, ec); });
  return raw;
}

// ---- housekeeping ----------------------------------------------------------------

void Network::schedule_tick() {
  m_tick_timer->expires_after(m_options.tick_interval);
  m_tick_timer->async_wait([this](boost::system::error_code ec) {
    if (!ec && !m_stopped) tick();
  });
}

void Network::tick() {
  {
    std::lock_guard lock(m_rep_mutex);
    m_reputations.tick();
  }
  // Dial: reserved nodes always; others while outbound slots are free.
  std::size_t out = 0;
  std::set<PeerId> busy;  // peers with a dial or a handshake under way
  for (const auto& [id, p] : m_conns) {
    if (p->conn->inbound()) continue;
    if (!p->reserved && !(p->dialed && m_reserved.contains(*p->dialed->peer))) ++out;
    if (p->dialed) busy.insert(*p->dialed->peer);
  }
  for (const auto& [key, addr] : m_dialing) {
    busy.insert(*addr.peer);
    if (!m_reserved.contains(*addr.peer)) ++out;
  }
  auto skip = [this, &busy](const PeerId& id) {
    if (m_open.contains(id) || busy.contains(id)) return true;
    std::lock_guard lock(m_rep_mutex);
    return m_reputations.is_banned(id);
  };
  for (const auto& addr : m_book.due(64, skip)) {
    bool reserved = m_reserved.contains(*addr.peer);
    if (!reserved && (m_options.reserved_only || out >= m_options.out_peers)) continue;
    if (!reserved) ++out;
    dial(addr);
  }
  auto now = m_options.clock();
  if (now - m_last_exchange >= m_options.peer_exchange_interval) {
    m_last_exchange = now;
    for (const auto& [pid, cid] : m_open) send_peer_exchange(*m_conns.at(cid));
  }
  update_snapshot();
  schedule_tick();
}

void Network::close_peer(uint64_t conn_id, boost::system::error_code reason) {
  auto it = m_conns.find(conn_id);
  if (it == m_conns.end()) return;
  std::unique_ptr<Peer> peer = std::move(it->second);
  m_conns.erase(it);
  peer->conn->close();
  if (peer->stage != Stage::Open) {
    if (peer->dialed && reason != make_error_code(NetworkError::Stopped)) m_book.on_dial_failed(*peer->dialed);
    return;
  }
  auto open = m_open.find(peer->id);
  if (open == m_open.end() || open->second != conn_id) return;  // replaced by a newer connection
  m_open.erase(open);
  --m_metrics.peers;
  --(peer->conn->inbound() ? m_metrics.inbound_peers : m_metrics.outbound_peers);
  m_book.on_disconnected(peer->id, m_options.clock() - peer->opened_at >= 10 * m_options.backoff_initial);
  m_log->debug("peer {} disconnected: {}", peer->id.to_string(), reason.message());
  for (auto& [rid, req] : peer->requests) {
    req.timer->cancel();
    auto cb = std::move(req.callback);
    m_host_queue.post([cb = std::move(cb), reason] { cb(reason == make_error_code(NetworkError::Stopped)
                                                            ? NetworkError::Stopped
                                                            : NetworkError::Disconnected); },
                      false);
  }
  m_host_queue.post([this, id = peer->id] { m_host.on_peer_disconnected(id); }, false);
  update_snapshot();
}

std::vector<std::string> Network::advertised_addrs() const {
  std::vector<std::string> out;
  const auto& list = m_options.public_addrs.empty() ? m_bound : m_options.public_addrs;
  for (const auto& a : list) out.push_back(a.with_peer(std::nullopt).to_string());
  return out;
}

Network::Peer* Network::open_peer(const PeerId& id) {
  auto it = m_open.find(id);
  if (it == m_open.end()) return nullptr;
  return m_conns.at(it->second).get();
}

std::size_t Network::count_open(bool inbound) const {
  std::size_t n = 0;
  for (const auto& [pid, cid] : m_open) {
    const auto& p = *m_conns.at(cid);
    if (p.conn->inbound() == inbound && !p.reserved) ++n;
  }
  return n;
}

void Network::update_snapshot() {
  std::vector<PeerInfo> infos;
  {
    std::lock_guard lock(m_rep_mutex);
    for (const auto& [pid, cid] : m_open) {
      auto info = m_conns.at(cid)->info;
      info.reputation = m_reputations.reputation(pid);
      infos.push_back(std::move(info));
    }
  }
  std::lock_guard lock(m_snapshot_mutex);
  m_snapshot = std::move(infos);
}

// ---- public API -----------------------------------------------------------------

std::vector<PeerInfo> Network::peers() const {
  std::lock_guard lock(m_snapshot_mutex);
  return m_snapshot;
}

int32_t Network::reputation(const PeerId& peer) const {
  std::lock_guard lock(m_rep_mutex);
  return m_reputations.reputation(peer);
}

bool Network::is_banned(const PeerId& peer) const {
  std::lock_guard lock(m_rep_mutex);
  return m_reputations.is_banned(peer);
}

void Network::report_peer(const PeerId& peer, ReputationChange change) {
  asio::post(m_io, [this, peer, change] { apply_report(peer, change); });
}

void Network::add_known_address(const Multiaddr& addr) {
  asio::post(m_io, [this, addr] { m_book.add(addr, AddressBook::Source::Learnt, m_self); });
}

void Network::request_blocks(const PeerId& peer, BlockRequest request, BlocksCallback callback) {
  {
    std::lock_guard lock(m_lifecycle_mutex);
    if (m_started && !m_stopped) {
      // Queued before stop()'s shutdown, which runs after it on the io thread:
      // do_request either sends it (and shutdown fails it with Stopped) or
      // answers at once, on the host thread, which stop() drains last.
      asio::post(m_io, [this, peer, request, cb = std::move(callback)]() mutable {
        do_request(peer, request, std::move(cb));
      });
      return;
    }
  }
  // Not running: answer on the host thread while it drains (never inside the
  // caller, which may hold a lock its callback takes); once it is gone, here.
  auto shared = std::make_shared<BlocksCallback>(std::move(callback));
  if (!m_host_queue.post([shared] { (*shared)(NetworkError::Stopped); }, false)) (*shared)(NetworkError::Stopped);
}

}  // namespace bazaar::node::network
