#pragma once
// The peer-to-peer network (DESIGN.md "Network"): TCP connections with an
// authenticated handshake (handshake.hpp), block announcements, block
// requests, transaction and finality gossip, peer exchange, misbehaviour
// scoring with bans (reputation.hpp), dialing with backoff (address_book.hpp).
//
// Threads: one io thread owns every socket and all peer state; the public
// methods are thread-safe and only post work to it. Inbound work for the host
// (NetworkHost's on_* methods, import_blocks, request callbacks) runs on a
// separate host thread, and serving block requests on a third, so neither a
// slow import nor a misbehaving peer ever blocks the sockets.
//
// Gossip rules: a block, transaction or finality message is sent to each peer
// at most once (per-peer KnownSets: LRU, bounded by known_per_peer), and never
// back to the peer it came from; transactions queued for a peer in one pass
// of the io loop go out together in one message (up to kMaxTxBatch
// transactions or kMaxTxBatchBytes); transactions are relayed only when the
// host's pool accepted them, finality messages only when the host says Relay.
// A transaction the pool rejected for a passing reason (TxVerdict::Rejected)
// or that a full host queue dropped is handed to the pool again if a peer
// sends it again; one it found Known or Invalid is not.
// Finality messages (identified by finality_message_hash) work as Substrate's
// gossip engine: one the host took (Relay or Keep) or that we sent is not
// handed to the host again (an LRU of seen_finality_messages hashes); one it
// discarded, or that a full host queue dropped, is handed over again if a
// peer sends it again; a re-broadcast (gossip_finality_message of the same
// message) goes to every peer not known to have it, e.g. one connected since.

#include "node/network/address_book.hpp"
#include "node/network/connection.hpp"
#include "node/network/handshake.hpp"
#include "node/network/host.hpp"
#include "node/network/host_queue.hpp"
#include "node/network/known_set.hpp"
#include "node/network/metrics.hpp"
#include "node/network/options.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <spdlog/logger.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

namespace bazaar::node::network {

/// Receives the blocks of a request, or NotConnected, RequestTimeout,
/// Disconnected, BadResponse, Stopped. Runs on the host thread (see
/// Network::request_blocks for the exception after stop()).
using BlocksCallback = std::function<void(Result<std::vector<BlockData>>)>;

class Network {
 public:
  static constexpr std::size_t kMaxTxBatch = 256;
  static constexpr std::size_t kMaxTxBatchBytes = 1024 * 1024;

  /// `host` must outlive the network. Nothing happens before start().
  Network(NetworkOptions options, runtime::crypto::Keypair node_key, NetworkHost& host);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  /// Binds the listen addresses and starts the threads; dials bootnodes and
  /// reserved nodes. Errors: InvalidAddress (a listen address that is not an
  /// IP, a bootnode or reserved node without /p2p/ID), NodeKeyIo-free bind
  /// failures as boost::system errors (address in use, …).
  Result<void> start();
  /// Closes every connection, fails pending requests with Stopped, joins the
  /// threads. Idempotent; the destructor calls it.
  void stop();

  const PeerId& local_peer_id() const { return m_self; }
  /// The bound listen addresses with their real ports and /p2p/<local id>.
  std::vector<Multiaddr> listen_addrs() const;

  /// Announces a block (ours, or one we imported) to the peers that lack it.
  void announce_block(const Header& header, bool is_best);
  /// Sends a transaction (its full encoding) to the peers that lack it.
  void broadcast_transaction(runtime::Bytes extrinsic);
  /// Sends a finality message to the connected peers not known to have it
  /// (calling it again for the same message is a re-broadcast: it reaches
  /// only peers that did not get it yet).
  void gossip_finality_message(const runtime::H256& topic, runtime::Bytes data);
  /// Sends a finality message to one peer only (catch-up requests and
  /// answers), whether or not it has seen it; dropped if not connected.
  void send_finality_message(const PeerId& peer, const runtime::H256& topic, runtime::Bytes data);
  /// Asks `peer` for blocks; `request.id` is assigned by the network. The
  /// callback runs exactly once, on the host thread; only when the network
  /// never started or its stop() has drained the host thread, it runs at once
  /// on the calling thread (with Stopped).
  void request_blocks(const PeerId& peer, BlockRequest request, BlocksCallback callback);
  /// Adjusts a peer's reputation (e.g. kBadBlock after a failed import); a
  /// peer falling below the threshold is disconnected and banned.
  void report_peer(const PeerId& peer, ReputationChange change);
  /// Remembers an address to dial (with /p2p/ID) like a learnt one.
  void add_known_address(const Multiaddr& addr);

  /// The connected peers (handshake completed).
  std::vector<PeerInfo> peers() const;
  int32_t reputation(const PeerId& peer) const;
  bool is_banned(const PeerId& peer) const;
  const NetworkMetrics& metrics() const { return m_metrics; }

 private:
  struct PendingRequest {
    BlockRequest request;
    BlocksCallback callback;
    std::shared_ptr<boost::asio::steady_timer> timer;
  };
  enum class Stage { Hello, Proof, Open };
  struct Peer {
    std::shared_ptr<Connection> conn;
    Stage stage = Stage::Hello;
    Side side = Side::Initiator;
    std::optional<Multiaddr> dialed;
    Bytes our_hello;
    Bytes their_hello;
    Hello hello;
    PeerId id;
    bool proof_received = false;
    bool reserved = false;
    TimePoint opened_at{};
    PeerInfo info;
    std::vector<Multiaddr> advertised;
    KnownSet known_blocks;
    KnownSet known_txs;
    KnownSet known_finality;
    std::vector<TokenBucket> buckets;
    /// Transactions waiting to go out in one batched message (flush_transactions).
    std::vector<OpaqueExtrinsic> outgoing_txs;
    std::size_t outgoing_tx_bytes = 0;
    std::map<uint64_t, PendingRequest> requests;
    explicit Peer(std::size_t known) : known_blocks(known), known_txs(known), known_finality(known) {}
  };

  // network.cpp: lifecycle, accept, dial, housekeeping
  void do_accept(std::size_t listener);
  void on_accepted(boost::asio::ip::tcp::socket socket);
  void dial(const Multiaddr& addr);
  void on_dialed(const Multiaddr& addr, boost::asio::ip::tcp::socket socket);
  void tick();
  void schedule_tick();
  void shutdown();
  Peer* add_connection(boost::asio::ip::tcp::socket socket, bool inbound, std::optional<Multiaddr> dialed);
  void close_peer(uint64_t conn_id, boost::system::error_code reason);
  std::vector<std::string> advertised_addrs() const;
  void update_snapshot();
  Peer* open_peer(const PeerId& id);
  std::size_t count_open(bool inbound) const;

  // network_handshake.cpp
  void start_handshake(Peer& peer);
  void on_frame(uint64_t conn_id, Frame frame);
  void on_connection_error(uint64_t conn_id, boost::system::error_code ec);
  void fail_handshake(Peer& peer, boost::system::error_code ec);
  void on_hello(Peer& peer, const Frame& frame);
  void on_proof(Peer& peer, const Frame& frame);
  Result<void> admit(Peer& peer);
  void on_opened(Peer& peer);

  // network_protocols.cpp
  void on_message(Peer& peer, Frame frame);
  void on_announce(Peer& peer, const Frame& frame);
  void on_block_request(Peer& peer, const Frame& frame);
  void on_block_response(Peer& peer, const Frame& frame);
  void on_transactions(Peer& peer, const Frame& frame);
  void on_finality(Peer& peer, const Frame& frame);
  void on_peer_exchange(Peer& peer, const Frame& frame);
  void send_peer_exchange(Peer& peer);
  std::vector<BlockData> serve_blocks(const BlockRequest& request) const;
  void send(Peer& peer, Protocol p, Bytes frame);
  void relay_transaction(const runtime::H256& hash, const runtime::Bytes& extrinsic, const PeerId& except);
  /// Sends every peer's batched transactions (posted once per batch).
  void flush_transactions();
  void relay_finality(const runtime::H256& hash, const FinalityMessage& msg, const PeerId& except);
  void do_request(const PeerId& peer, BlockRequest request, BlocksCallback callback);
  void finish_request(const PeerId& peer, uint64_t id, Result<std::vector<BlockData>> result);
  /// Applies a reputation change on the io thread; bans and disconnects below the threshold.
  void apply_report(const PeerId& peer, ReputationChange change);

  NetworkOptions m_options;
  runtime::crypto::Keypair m_key;
  PeerId m_self;
  NetworkHost& m_host;
  runtime::H256 m_genesis;
  std::shared_ptr<spdlog::logger> m_log;
  NetworkMetrics m_metrics;

  boost::asio::io_context m_io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> m_work;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> m_acceptors;
  std::unique_ptr<boost::asio::steady_timer> m_tick_timer;
  std::thread m_thread;
  HostQueue m_host_queue;
  HostQueue m_serve_queue;
  std::mutex m_lifecycle_mutex;  // orders request_blocks' posts before stop()'s shutdown
  std::atomic<bool> m_started{false};
  std::atomic<bool> m_stopped{false};

  // io thread only
  uint64_t m_next_conn = 1;
  uint64_t m_next_request = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Peer>> m_conns;
  std::unordered_map<PeerId, uint64_t> m_open;  // peer id -> connection id
  std::map<std::string, Multiaddr> m_dialing;   // addresses in the TCP connect phase
  std::set<PeerId> m_reserved;
  AddressBook m_book;
  KnownSet m_seen_txs;
  KnownSet m_taken_finality;  // finality messages the host took (Relay/Keep) or we sent
  TimePoint m_last_exchange{};
  bool m_flush_scheduled = false;

  // guarded
  mutable std::mutex m_rep_mutex;
  Reputations m_reputations;
  mutable std::mutex m_snapshot_mutex;
  std::vector<PeerInfo> m_snapshot;
  std::vector<Multiaddr> m_bound;
};

}  // namespace bazaar::node::network
