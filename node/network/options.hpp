#pragma once
// Options of the network (filled by the CLI: --listen-addr, --port,
// --public-addr, --bootnodes, --reserved-nodes, --reserved-only, --in-peers,
// --out-peers; tests shorten the timings).

#include "node/network/multiaddr.hpp"
#include "node/network/messages.hpp"
#include "node/network/reputation.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <vector>

namespace bazaar::node::network {

using namespace std::chrono_literals;

/// A per-peer, per-protocol message rate: `burst` at once, `per_second` sustained.
struct RateLimit {
  double burst = 0;
  double per_second = 0;
};

struct NetworkOptions {
  Role role = Role::Full;
  /// Where to listen; port 0 picks a free port (see Network::listen_addrs).
  std::vector<Multiaddr> listen_addrs;
  /// What to advertise to peers instead of the listen addresses (behind NAT).
  std::vector<Multiaddr> public_addrs;
  /// Dialed at start and whenever disconnected (with backoff); they need /p2p/ID.
  std::vector<Multiaddr> bootnodes;
  /// Always kept connected, outside the in/out limits; they need /p2p/ID.
  std::vector<Multiaddr> reserved_nodes;
  /// Accept and dial only reserved nodes.
  bool reserved_only = false;
  std::size_t in_peers = 25;
  std::size_t out_peers = 8;

  std::size_t max_frame_size = 16 * 1024 * 1024;
  /// A peer that does not read gets disconnected when this much waits to be sent to it.
  std::size_t max_send_queue_bytes = 64 * 1024 * 1024;
  std::size_t max_blocks_per_response = 128;
  std::size_t max_response_bytes = 8 * 1024 * 1024;
  /// Per-peer memory (LRU) of which transactions / finality messages / blocks it has.
  std::size_t known_per_peer = 4096;
  /// Finality messages the host took (Relay or Keep) or we sent, remembered
  /// (LRU) so that copies from other peers are not handed to the host again.
  std::size_t seen_finality_messages = 16384;
  /// Inbound messages waiting for the host before gossip is dropped.
  std::size_t host_queue_limit = 4096;

  std::chrono::milliseconds connect_timeout = 5s;
  std::chrono::milliseconds handshake_timeout = 5s;
  std::chrono::milliseconds request_timeout = 20s;
  /// Housekeeping: dialing, reputation decay, ban expiry.
  std::chrono::milliseconds tick_interval = 500ms;
  /// How often each peer gets our known addresses (and once on connect). Peers
  /// accept PeerExchange at rate_limits[PeerExchange] (default one per 2 s):
  /// sending more often is a flood.
  std::chrono::milliseconds peer_exchange_interval = 30s;
  std::chrono::milliseconds backoff_initial = 1s;
  std::chrono::milliseconds backoff_max = 60s;
  std::chrono::seconds ban_duration = 600s;
  /// Failed pre-handshake connections from one IP before the IP is banned.
  uint32_t ip_ban_strikes = 10;

  /// Messages accepted per peer and protocol (indexed by Protocol); the excess
  /// is dropped and costs rep::kFlood. Transactions count messages, each
  /// carrying a batch of up to Network::kMaxTxBatch transactions.
  std::array<RateLimit, kProtocolCount> rate_limits = {{
      {4, 1},        // Hello: only once, part of the handshake
      {4, 1},        // HandshakeProof
      {256, 50},     // BlockAnnounce
      {64, 16},      // BlockRequest
      {64, 16},      // BlockResponse
      {1024, 256},   // Transactions
      {2048, 512},   // Finality
      {8, 0.5},      // PeerExchange
  }};

  /// Time for bans, backoff and rate limits (empty = steady_clock).
  Clock clock;
};

}  // namespace bazaar::node::network
