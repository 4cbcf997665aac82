// Network: the protocols spoken on open connections (announce, block
// requests, transaction and finality gossip, peer exchange) and reputation.
#include "node/network/error.hpp"
#include "node/network/network.hpp"
#include "runtime/crypto/hash.hpp"

#include <boost/asio/post.hpp>

namespace bazaar::node::network {

namespace asio = boost::asio;

void Network::send(Peer& peer, Protocol p, Bytes frame) {
  ++m_metrics.messages_out[static_cast<std::size_t>(p)];
  peer.conn->send(std::move(frame));
}

void Network::on_message(Peer& peer, Frame frame) {
  if (frame.protocol >= kProtocolCount || frame.version != kProtocolVersion) {
    apply_report(peer.id, rep::kUnsupportedProtocol);
    return;
  }
  if (!peer.buckets[frame.protocol].take(m_options.clock())) {
    ++m_metrics.dropped_messages;
    apply_report(peer.id, rep::kFlood);
    return;
  }
  switch (static_cast<Protocol>(frame.protocol)) {
    case Protocol::Hello:
    case Protocol::HandshakeProof: apply_report(peer.id, rep::kUndecodable); return;
    case Protocol::BlockAnnounce: return on_announce(peer, frame);
    case Protocol::BlockRequest: return on_block_request(peer, frame);
    case Protocol::BlockResponse: return on_block_response(peer, frame);
    case Protocol::Transactions: return on_transactions(peer, frame);
    case Protocol::Finality: return on_finality(peer, frame);
    case Protocol::PeerExchange: return on_peer_exchange(peer, frame);
  }
}

void Network::apply_report(const PeerId& peer, ReputationChange change) {
  bool banned;
  int32_t value;
  {
    std::lock_guard lock(m_rep_mutex);
    banned = m_reputations.report(peer, change);
    value = m_reputations.reputation(peer);
  }
  if (change.value < 0) m_log->debug("peer {}: {} ({:+}, now {})", peer.to_string(), change.reason, change.value, value);
  if (!banned) return;
  ++m_metrics.bans;
  m_log->info("banned peer {} for {}s: {} (reputation {})", peer.to_string(), m_options.ban_duration.count(),
              change.reason, value);
  if (auto it = m_open.find(peer); it != m_open.end()) close_peer(it->second, NetworkError::Banned);
}

// ---- block announcements --------------------------------------------------------

void Network::announce_block(const Header& header, bool is_best) {
  asio::post(m_io, [this, header, is_best] {
    auto hash = runtime::header_hash(header);
    auto frame = encode_message(Protocol::BlockAnnounce, BlockAnnounce{header, is_best});
    for (const auto& [pid, cid] : m_open) {
      auto& peer = *m_conns.at(cid);
      if (peer.known_blocks.insert(hash)) send(peer, Protocol::BlockAnnounce, frame);
    }
  });
}

void Network::on_announce(Peer& peer, const Frame& frame) {
  auto msg = decode_message<BlockAnnounce>(frame.payload);
  if (!msg) return apply_report(peer.id, rep::kUndecodable);
  auto hash = runtime::header_hash(msg.value().header);
  peer.known_blocks.insert(hash);
  BlockNumber number = msg.value().header.number.value;
  if (msg.value().is_best && number >= peer.info.best.number) {
    peer.info.best = {hash, number};
    update_snapshot();
  }
  bool queued = m_host_queue.post(
      [this, from = peer.id, announce = std::move(msg).value(), hash] {
        if (m_host.on_block_announce(from, announce) != AnnounceAction::Fetch) return;
        BlockRequest req;
        req.from = hash;
        req.direction = Direction::Descending;
        req.max_blocks = 1;
        req.fields = kAllFields;
        request_blocks(from, req, [this, from](Result<std::vector<BlockData>> r) {
          if (r && !r.value().empty()) m_host.import_blocks(from, std::move(r).value());
        });
      },
      true);
  if (!queued) ++m_metrics.dropped_messages;
}

// ---- block requests -------------------------------------------------------------

void Network::do_request(const PeerId& peer_id, BlockRequest request, BlocksCallback callback) {
  Peer* peer = m_stopped ? nullptr : open_peer(peer_id);
  if (!peer) {
    const auto error = m_stopped ? NetworkError::Stopped : NetworkError::NotConnected;
    m_host_queue.post([cb = std::move(callback), error] { cb(error); }, false);
    return;
  }
  request.id = m_next_request++;
  auto timer = std::make_shared<asio::steady_timer>(m_io, m_options.request_timeout);
  timer->async_wait([this, peer_id, id = request.id](boost::system::error_code ec) {
    if (!ec) finish_request(peer_id, id, NetworkError::RequestTimeout);
  });
  peer->requests.emplace(request.id, PendingRequest{request, std::move(callback), timer});
  send(*peer, Protocol::BlockRequest, encode_message(Protocol::BlockRequest, request));
}

void Network::finish_request(const PeerId& peer_id, uint64_t id, Result<std::vector<BlockData>> result) {
  Peer* peer = open_peer(peer_id);
  if (!peer) return;
  auto it = peer->requests.find(id);
  if (it == peer->requests.end()) return;
  auto pending = std::move(it->second);
  peer->requests.erase(it);
  pending.timer->cancel();
  if (!result && result.error() == make_error_code(NetworkError::RequestTimeout))
    m_log->debug("block request {} to {} timed out", id, peer_id.to_string());
  m_host_queue.post([cb = std::move(pending.callback), r = std::move(result)]() mutable { cb(std::move(r)); }, false);
}

void Network::on_block_request(Peer& peer, const Frame& frame) {
  auto msg = decode_message<BlockRequest>(frame.payload);
  if (!msg) return apply_report(peer.id, rep::kUndecodable);
  bool queued = m_serve_queue.post(
      [this, from = peer.id, request = std::move(msg).value()] {
        BlockResponse response{request.id, serve_blocks(request)};
        auto bytes = encode_message(Protocol::BlockResponse, response);
        asio::post(m_io, [this, from, bytes = std::move(bytes)]() mutable {
          if (auto* p = open_peer(from)) send(*p, Protocol::BlockResponse, std::move(bytes));
        });
      },
      true);
  if (!queued) ++m_metrics.dropped_messages;
}

std::vector<BlockData> Network::serve_blocks(const BlockRequest& request) const {
  std::vector<BlockData> out;
  const std::size_t limit = std::min<std::size_t>(request.max_blocks, m_options.max_blocks_per_response);
  std::optional<runtime::H256> next;
  if (const auto* hash = std::get_if<runtime::H256>(&request.from)) next = *hash;
  else next = m_host.block_hash(std::get<BlockNumber>(request.from));
  std::size_t bytes = 0;
  while (next && out.size() < limit) {
    auto header = m_host.block_header(*next);
    if (!header) break;
    BlockData data{*next, std::nullopt, std::nullopt, std::nullopt};
    if (request.fields & kFieldHeader) data.header = *header;
    if (request.fields & kFieldBody) data.body = m_host.block_body(*next);
    if (request.fields & kFieldJustification) data.justification = m_host.block_justification(*next);
    std::size_t size = runtime::codec::encode(data).size();
    if (!out.empty() && bytes + size > m_options.max_response_bytes) break;
    bytes += size;
    out.push_back(std::move(data));
    const BlockNumber number = header->number.value;
    if (request.direction == Direction::Descending) {
      if (number == 0) break;
      next = header->parent_hash;
    } else {
      next = m_host.block_hash(number + 1);
    }
  }
  return out;
}

void Network::on_block_response(Peer& peer, const Frame& frame) {
  auto msg = decode_message<BlockResponse>(frame.payload);
  if (!msg) return apply_report(peer.id, rep::kUndecodable);
  auto& response = msg.value();
  auto it = peer.requests.find(response.id);
  if (it == peer.requests.end()) return apply_report(peer.id, rep::kUnexpectedResponse);
  const auto& req = it->second.request;
  bool valid = response.blocks.size() <= req.max_blocks;
  if (valid && !response.blocks.empty())
    if (const auto* hash = std::get_if<runtime::H256>(&req.from)) valid = response.blocks.front().hash == *hash;
  for (std::size_t i = 0; valid && i < response.blocks.size(); ++i) {
    const auto& b = response.blocks[i];
    if (b.header && runtime::header_hash(*b.header) != b.hash) valid = false;
  }
  if (!valid) {
    const PeerId id = peer.id;  // a ban below closes the peer (and fails its requests with Disconnected)
    apply_report(id, rep::kBadResponse);
    return finish_request(id, response.id, NetworkError::BadResponse);
  }
  finish_request(peer.id, response.id, std::move(response.blocks));
}

// ---- transactions ---------------------------------------------------------------

void Network::broadcast_transaction(runtime::Bytes extrinsic) {
  asio::post(m_io, [this, ext = std::move(extrinsic)] {
    auto hash = runtime::crypto::blake2b_256(ext);
    m_seen_txs.insert(hash);
    relay_transaction(hash, ext, m_self);
  });
}

void Network::relay_transaction(const runtime::H256& hash, const runtime::Bytes& extrinsic, const PeerId& except) {
  for (const auto& [pid, cid] : m_open) {
    if (pid == except) continue;
    auto& peer = *m_conns.at(cid);
    if (!peer.known_txs.insert(hash)) continue;
    peer.outgoing_txs.push_back(OpaqueExtrinsic{extrinsic});
    peer.outgoing_tx_bytes += extrinsic.size();
    if (peer.outgoing_txs.size() >= kMaxTxBatch || peer.outgoing_tx_bytes >= kMaxTxBatchBytes) {
      send(peer, Protocol::Transactions, encode_message(Protocol::Transactions, Transactions{std::move(peer.outgoing_txs)}));
      peer.outgoing_txs.clear();
      peer.outgoing_tx_bytes = 0;
    }
  }
  if (!m_flush_scheduled) {
    m_flush_scheduled = true;
    asio::post(m_io, [this] { flush_transactions(); });
  }
}

void Network::flush_transactions() {
  m_flush_scheduled = false;
  for (const auto& [pid, cid] : m_open) {
    auto& peer = *m_conns.at(cid);
    if (peer.outgoing_txs.empty()) continue;
    send(peer, Protocol::Transactions, encode_message(Protocol::Transactions, Transactions{std::move(peer.outgoing_txs)}));
    peer.outgoing_txs.clear();
    peer.outgoing_tx_bytes = 0;
  }
}

void Network::on_transactions(Peer& peer, const Frame& frame) {
  auto msg = decode_message<Transactions>(frame.payload);
  if (!msg) return apply_report(peer.id, rep::kUndecodable);
  std::vector<std::pair<runtime::H256, Bytes>> fresh;
  for (auto& ext : msg.value().extrinsics) {
    auto hash = runtime::crypto::blake2b_256(ext.encoded);
    peer.known_txs.insert(hash);
    if (m_seen_txs.insert(hash)) fresh.emplace_back(hash, std::move(ext.encoded));
  }
  if (fresh.empty()) return;
  std::vector<runtime::H256> hashes;
  hashes.reserve(fresh.size());
  for (const auto& entry : fresh) hashes.push_back(entry.first);
  bool queued = m_host_queue.post(
      [this, from = peer.id, txs = std::move(fresh)] {
        for (const auto& [hash, ext] : txs) {
          switch (m_host.on_transaction(from, ext)) {
            case TxVerdict::Accepted:
              report_peer(from, rep::kGoodTransaction);
              asio::post(m_io, [this, hash, ext, from] { relay_transaction(hash, ext, from); });
              break;
            case TxVerdict::Invalid: report_peer(from, rep::kBadTransaction); break;
            case TxVerdict::Known: break;
            case TxVerdict::Rejected:
              // Not admitted for a passing reason (pool full, a nonce too far
              // ahead): the pool hears of it again if a peer sends it again.
              asio::post(m_io, [this, hash] { m_seen_txs.erase(hash); });
              break;
          }
        }
      },
      true);
  if (!queued) {
    ++m_metrics.dropped_messages;
    for (const auto& hash : hashes) m_seen_txs.erase(hash);  // dropped unseen by the pool
  }
}

// ---- finality gossip --------------------------------------------------------------

void Network::gossip_finality_message(const runtime::H256& topic, runtime::Bytes data) {
  asio::post(m_io, [this, msg = FinalityMessage{topic, std::move(data)}] {
    auto hash = finality_message_hash(msg.topic, msg.data);
    m_taken_finality.insert(hash);  // ours: an echo from a peer is not handed back to our gadget
    relay_finality(hash, msg, m_self);
  });
}

void Network::send_finality_message(const PeerId& peer_id, const runtime::H256& topic, runtime::Bytes data) {
  asio::post(m_io, [this, peer_id, msg = FinalityMessage{topic, std::move(data)}] {
    Peer* peer = open_peer(peer_id);
    if (!peer) return;
    peer->known_finality.insert(finality_message_hash(msg.topic, msg.data));
    send(*peer, Protocol::Finality, encode_message(Protocol::Finality, msg));
  });
}

void Network::relay_finality(const runtime::H256& hash, const FinalityMessage& msg, const PeerId& except) {
  Bytes frame;
  for (const auto& [pid, cid] : m_open) {
    if (pid == except) continue;
    auto& peer = *m_conns.at(cid);
    if (!peer.known_finality.insert(hash)) continue;
    if (frame.empty()) frame = encode_message(Protocol::Finality, msg);
    send(peer, Protocol::Finality, frame);
  }
}

void Network::on_finality(Peer& peer, const Frame& frame) {
  auto msg = decode_message<FinalityMessage>(frame.payload);
  if (!msg) return apply_report(peer.id, rep::kUndecodable);
  auto hash = finality_message_hash(msg.value().topic, msg.value().data);
  peer.known_finality.insert(hash);  // it has it: never sent back to it
  // Only what the gadget took (Relay, Keep) is suppressed: a message it
  // discarded for a passing reason (a round not reached yet) or one dropped
  // by a full host queue is handed over again when a peer sends it again.
  if (m_taken_finality.contains(hash)) return;
  bool queued = m_host_queue.post(
      [this, from = peer.id, hash, m = std::move(msg).value()]() mutable {
        switch (m_host.on_finality_message(from, m.topic, m.data)) {
          case GossipVerdict::Relay:
            asio::post(m_io, [this, hash, m = std::move(m), from] {
              m_taken_finality.insert(hash);
              relay_finality(hash, m, from);
            });
            report_peer(from, rep::kGoodFinalityMessage);
            break;
          case GossipVerdict::Keep:
            asio::post(m_io, [this, hash] { m_taken_finality.insert(hash); });
            report_peer(from, rep::kGoodFinalityMessage);
            break;
          case GossipVerdict::Invalid: report_peer(from, rep::kBadFinalityMessage); break;
          case GossipVerdict::Discard: break;
        }
      },
      true);
  if (!queued) ++m_metrics.dropped_messages;
}

// ---- peer exchange ----------------------------------------------------------------

void Network::send_peer_exchange(Peer& peer) {
  PeerExchange msg;
  std::set<std::string> seen;
  auto push = [&](const Multiaddr& a) {
    if (msg.addrs.items.size() >= kMaxExchangedAddrs || *a.peer == peer.id) return;
    auto text = a.to_string();
    if (seen.insert(text).second) msg.addrs.items.push_back(std::move(text));
  };
  for (const auto& [pid, cid] : m_open)
    for (const auto& a : m_conns.at(cid)->advertised) push(a);
  for (const auto& a : m_book.verified(kMaxExchangedAddrs)) push(a);
  if (!msg.addrs.items.empty()) send(peer, Protocol::PeerExchange, encode_message(Protocol::PeerExchange, msg));
}

void Network::on_peer_exchange(Peer& peer, const Frame& frame) {
  auto msg = decode_message<PeerExchange>(frame.payload);
  if (!msg) return apply_report(peer.id, rep::kUndecodable);
  bool bad = false;
  for (const auto& text : msg.value().addrs.items) {
    auto addr = Multiaddr::parse(text);
    if (!addr || !addr.value().peer || addr.value().port == 0 || addr.value().is_unspecified()) {
      bad = true;
      continue;
    }
    if (*addr.value().peer == m_self) continue;
    if (m_options.reserved_only && !m_reserved.contains(*addr.value().peer)) continue;
    m_book.add(addr.value(), AddressBook::Source::Learnt, m_self);
  }
  if (bad) apply_report(peer.id, rep::kBadPeerExchange);
}

}  // namespace bazaar::node::network
