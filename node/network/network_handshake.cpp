// Network: the handshake of each connection and admission of the peer.
#include "node/network/error.hpp"
#include "node/network/network.hpp"

#include <boost/asio/post.hpp>

namespace bazaar::node::network {

namespace {

/// Handshake failures that mark the remote end as broken or hostile (a strike
/// against its IP), as opposed to an honest peer we cannot use.
bool is_strike(const boost::system::error_code& ec) {
  static const NetworkError kStrikes[] = {NetworkError::FrameTooLarge,  NetworkError::Undecodable,
                                          NetworkError::HandshakeFailed, NetworkError::BadSignature,
                                          NetworkError::HandshakeTimeout, NetworkError::UnsupportedProtocol};
  for (auto e : kStrikes)
    if (ec == make_error_code(e)) return true;
  return false;
}

}  // namespace

void Network::start_handshake(Peer& peer) {
  auto hello = make_hello(m_options.role, m_genesis, m_host.best_block(), m_host.finalized_block(),
                          m_key.public_key(), advertised_addrs());
  peer.our_hello = runtime::codec::encode(hello);
  peer.conn->send(encode_frame({static_cast<uint8_t>(Protocol::Hello), kProtocolVersion, peer.our_hello}));
  ++m_metrics.messages_out[static_cast<std::size_t>(Protocol::Hello)];
  auto& timer = peer.conn->timer();
  timer.expires_after(m_options.handshake_timeout);
  timer.async_wait([this, id = peer.conn->id()](boost::system::error_code ec) {
    if (ec) return;
    auto it = m_conns.find(id);
    if (it != m_conns.end() && it->second->stage != Stage::Open)
      fail_handshake(*it->second, NetworkError::HandshakeTimeout);
  });
}

void Network::fail_handshake(Peer& peer, boost::system::error_code ec) {
  ++m_metrics.refused;
  std::string who = peer.conn->remote();
  if (peer.stage != Stage::Hello) who += " (" + peer.id.to_string() + ")";
  else if (peer.dialed) who = peer.dialed->to_string();
  const bool quiet = ec == make_error_code(NetworkError::AlreadyConnected) ||
                     ec == make_error_code(NetworkError::TooManyPeers) || ec == boost::asio::error::eof ||
                     ec == boost::asio::error::connection_reset;
  if (quiet) m_log->debug("handshake with {} ended: {}", who, ec.message());
  else m_log->info("refused peer {}: {}", who, ec.message());
  if (peer.conn->inbound() && is_strike(ec)) {
    bool banned;
    {
      std::lock_guard lock(m_rep_mutex);
      banned = m_reputations.strike_ip(peer.conn->remote_ip());
    }
    if (banned) {
      ++m_metrics.bans;
      m_log->info("banned IP {} for {}s: repeated failed handshakes", peer.conn->remote_ip(),
                  m_options.ban_duration.count());
    }
  }
  close_peer(peer.conn->id(), ec);
}

void Network::on_connection_error(uint64_t conn_id, boost::system::error_code ec) {
  auto it = m_conns.find(conn_id);
  if (it == m_conns.end()) return;
  Peer& peer = *it->second;
  if (peer.stage != Stage::Open) return fail_handshake(peer, ec);
  if (ec == make_error_code(NetworkError::FrameTooLarge) || ec == make_error_code(NetworkError::Undecodable)) {
    // The stream cannot be resynchronised: the connection is gone in any case.
    apply_report(peer.id, rep::kBadFrame);
    close_peer(conn_id, ec);
    return;
  }
  close_peer(conn_id, ec);
}

void Network::on_frame(uint64_t conn_id, Frame frame) {
  auto it = m_conns.find(conn_id);
  if (it == m_conns.end()) return;
  Peer& peer = *it->second;
  if (frame.protocol < kProtocolCount) ++m_metrics.messages_in[frame.protocol];
  if (peer.stage == Stage::Open) return on_message(peer, std::move(frame));

  const auto expected = peer.stage == Stage::Hello ? Protocol::Hello : Protocol::HandshakeProof;
  if (frame.protocol != static_cast<uint8_t>(expected)) return fail_handshake(peer, NetworkError::HandshakeFailed);
  if (frame.version != kProtocolVersion) return fail_handshake(peer, NetworkError::UnsupportedProtocol);
  if (peer.stage == Stage::Hello) on_hello(peer, frame);
  else on_proof(peer, frame);
}

void Network::on_hello(Peer& peer, const Frame& frame) {
  auto hello = decode_message<Hello>(frame.payload);
  if (!hello) return fail_handshake(peer, hello.error());
  std::optional<PeerId> expected;
  if (peer.dialed) expected = peer.dialed->peer;
  auto id = check_hello(hello.value(), m_genesis, m_self, expected);
  if (!id) {
    if (id.error() == make_error_code(NetworkError::GenesisMismatch))
      m_log->info("peer {} is on another chain: genesis {} (ours {})", peer.conn->remote(),
                  runtime::to_hex(hello.value().genesis_hash), runtime::to_hex(m_genesis));
    return fail_handshake(peer, id.error());
  }
  peer.id = id.value();
  peer.hello = std::move(hello).value();
  peer.their_hello = frame.payload;
  peer.stage = Stage::Proof;
  if (is_banned(peer.id)) return fail_handshake(peer, NetworkError::Banned);

  const bool initiator = peer.side == Side::Initiator;
  const Bytes& init = initiator ? peer.our_hello : peer.their_hello;
  const Bytes& resp = initiator ? peer.their_hello : peer.our_hello;
  send(peer, Protocol::HandshakeProof, encode_message(Protocol::HandshakeProof, sign_handshake(m_key, peer.side, init, resp)));
}

void Network::on_proof(Peer& peer, const Frame& frame) {
  auto proof = decode_message<HandshakeProof>(frame.payload);
  if (!proof) return fail_handshake(peer, proof.error());
  const bool initiator = peer.side == Side::Initiator;
  const Bytes& init = initiator ? peer.our_hello : peer.their_hello;
  const Bytes& resp = initiator ? peer.their_hello : peer.our_hello;
  const Side their_side = initiator ? Side::Responder : Side::Initiator;
  auto ok = verify_handshake(proof.value(), peer.hello.public_key, their_side, init, resp);
  if (!ok) return fail_handshake(peer, ok.error());
  auto admitted = admit(peer);
  if (!admitted) return fail_handshake(peer, admitted.error());
  on_opened(peer);
}

Result<void> Network::admit(Peer& peer) {
  if (is_banned(peer.id)) return NetworkError::Banned;
  peer.reserved = m_reserved.contains(peer.id);
  if (m_options.reserved_only && !peer.reserved) return NetworkError::NotReserved;
  if (auto* existing = open_peer(peer.id)) {
    // Both ends keep the connection whose initiator has the smaller peer id,
    // so a simultaneous dial leaves exactly one connection on both sides.
    auto initiator_of = [this](const Peer& p) { return p.side == Side::Initiator ? m_self : p.id; };
    if (!(initiator_of(peer) < initiator_of(*existing))) return NetworkError::AlreadyConnected;
    m_log->debug("peer {}: replacing the connection with the one initiated by the smaller id",
                 peer.id.to_string());
    close_peer(existing->conn->id(), NetworkError::AlreadyConnected);
  }
  if (!peer.reserved) {
    const bool inbound = peer.conn->inbound();
    if (count_open(inbound) >= (inbound ? m_options.in_peers : m_options.out_peers))
      return NetworkError::TooManyPeers;
  }
  return success();
}

void Network::on_opened(Peer& peer) {
  peer.stage = Stage::Open;
  peer.conn->timer().cancel();
  m_open[peer.id] = peer.conn->id();
  ++m_metrics.peers;
  ++(peer.conn->inbound() ? m_metrics.inbound_peers : m_metrics.outbound_peers);

  auto now = m_options.clock();
  peer.opened_at = now;
  for (const auto& limit : m_options.rate_limits) peer.buckets.emplace_back(limit.burst, limit.per_second, now);
  peer.info = PeerInfo{peer.id, peer.hello.role, peer.conn->inbound(), peer.conn->remote(), peer.hello.best,
                       peer.hello.finalized, 0};

  m_book.on_connected(peer.id, peer.dialed);
  for (const auto& text : peer.hello.listen_addrs.items) {
    auto addr = Multiaddr::parse(text);
    if (!addr || addr.value().is_dns() || (addr.value().peer && *addr.value().peer != peer.id)) continue;
    auto a = addr.value().with_peer(peer.id);
    if (a.is_unspecified()) {
      boost::system::error_code ec;
      auto remote = boost::asio::ip::make_address(peer.conn->remote_ip(), ec);
      if (ec || remote.is_v4() != (a.kind == Multiaddr::Kind::Ip4)) continue;
      a.host = remote.to_string();
    }
    m_book.add(a, AddressBook::Source::Learnt, m_self);
    peer.advertised.push_back(a);
  }

  m_log->info("connected to peer {} ({}, {}, {}, best #{} {})", peer.id.to_string(), peer.conn->remote(),
              peer.conn->inbound() ? "inbound" : "outbound", to_string(peer.hello.role), peer.hello.best.number,
              runtime::to_hex(peer.hello.best.hash));
  m_host_queue.post([this, info = peer.info] { m_host.on_peer_connected(info); }, false);
  send_peer_exchange(peer);
  update_snapshot();
}

}  // namespace bazaar::node::network
