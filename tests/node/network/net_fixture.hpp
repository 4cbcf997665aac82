#pragma once
// Test support for the network tests: a fake host with an in-memory chain,
// a node (fake host + Network on 127.0.0.1, port 0, short timings), polling
// with a deadline, and a raw TCP peer that can speak (or break) the protocol.

#include "node/network/frame.hpp"
#include "node/network/handshake.hpp"
#include "node/network/network.hpp"
#include "runtime/crypto/hash.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace bazaar::test::net {

using namespace bazaar::node::network;
using namespace std::chrono_literals;
using runtime::Block;
using runtime::Bytes;
using runtime::H256;
using runtime::Header;

/// Polls `pred` every 10 ms until it holds or `timeout` passes.
inline bool poll_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 20s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

inline H256 hash_of_text(std::string_view s) { return runtime::crypto::blake2b_256(runtime::crypto::as_bytes(s)); }

/// A chain of `length` blocks after a genesis made from `seed` (parent links,
/// numbers, one extrinsic per block; nothing else matters to the network).
inline std::vector<Block> make_chain(std::size_t length, std::string_view seed = "bazaar") {
  std::vector<Block> blocks;
  Block genesis;
  genesis.header.state_root = hash_of_text(seed);
  blocks.push_back(genesis);
  for (std::size_t i = 1; i <= length; ++i) {
    Block b;
    b.header.parent_hash = runtime::header_hash(blocks.back().header);
    b.header.number.value = static_cast<uint32_t>(i);
    b.header.state_root = hash_of_text(std::string(seed) + std::to_string(i));
    b.extrinsics.push_back({Bytes{0x0c, 0x01, 0x02, static_cast<uint8_t>(i)}});  // compact(3) ++ 3 bytes
    blocks.push_back(b);
  }
  return blocks;
}

/// A NetworkHost over an in-memory chain that records everything it is told.
class FakeHost : public NetworkHost {
 public:
  explicit FakeHost(std::vector<Block> chain) { set_chain(std::move(chain)); }

  void set_chain(std::vector<Block> chain) {
    std::lock_guard lock(m_mutex);
    m_chain = std::move(chain);
    m_by_hash.clear();
    for (std::size_t i = 0; i < m_chain.size(); ++i) m_by_hash[runtime::header_hash(m_chain[i].header)] = i;
  }
  void add_block(const Block& b) {
    std::lock_guard lock(m_mutex);
    m_chain.push_back(b);
    m_by_hash[runtime::header_hash(b.header)] = m_chain.size() - 1;
  }

  H256 genesis_hash() const override {
    std::lock_guard lock(m_mutex);
    return runtime::header_hash(m_chain.front().header);
  }
  BlockInfo best_block() const override {
    std::lock_guard lock(m_mutex);
    return {runtime::header_hash(m_chain.back().header), m_chain.back().header.number.value};
  }
  BlockInfo finalized_block() const override {
    std::lock_guard lock(m_mutex);
    return {runtime::header_hash(m_chain.front().header), 0};
  }
  std::optional<H256> block_hash(BlockNumber n) const override {
    std::lock_guard lock(m_mutex);
    if (n >= m_chain.size()) return std::nullopt;
    return runtime::header_hash(m_chain[n].header);
  }
  std::optional<Header> block_header(const H256& h) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_by_hash.find(h);
    if (it == m_by_hash.end()) return std::nullopt;
    return m_chain[it->second].header;
  }
  std::optional<std::vector<OpaqueExtrinsic>> block_body(const H256& h) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_by_hash.find(h);
    if (it == m_by_hash.end()) return std::nullopt;
    return m_chain[it->second].extrinsics;
  }
  std::optional<Bytes> block_justification(const H256& h) const override {
    std::lock_guard lock(m_mutex);
    if (!m_by_hash.contains(h)) return std::nullopt;
    return Bytes{0x4a, 0x55};
  }

  AnnounceAction on_block_announce(const PeerId& from, const BlockAnnounce& a) override {
    std::lock_guard lock(m_mutex);
    announces.push_back(a);
    return m_by_hash.contains(runtime::header_hash(a.header)) ? AnnounceAction::Ignore : AnnounceAction::Fetch;
  }
  void import_blocks(const PeerId& from, std::vector<BlockData> blocks) override {
    for (const auto& d : blocks) {
      if (!d.header || !d.body) continue;
      add_block(Block{*d.header, *d.body});
      std::lock_guard lock(m_mutex);
      imported.push_back(d);
    }
  }
  TxVerdict on_transaction(const PeerId& from, runtime::ByteSpan ext) override {
    std::lock_guard lock(m_mutex);
    Bytes b(ext.begin(), ext.end());
    ++tx_counts[b];
    return tx_verdict;
  }
  GossipVerdict on_finality_message(const PeerId& from, const H256& topic, runtime::ByteSpan data) override {
    std::lock_guard lock(m_mutex);
    finality.emplace_back(topic, Bytes(data.begin(), data.end()));
    return finality_verdict;
  }
  void on_peer_connected(const PeerInfo& p) override {
    std::lock_guard lock(m_mutex);
    ++connects;
  }
  void on_peer_disconnected(const PeerId&) override {
    std::lock_guard lock(m_mutex);
    ++disconnects;
  }

  template <class F>
  auto with_lock(F f) {
    std::lock_guard lock(m_mutex);
    return f();
  }

  // Recorded (read under with_lock).
  std::vector<BlockAnnounce> announces;
  std::vector<BlockData> imported;
  std::map<Bytes, int> tx_counts;
  std::vector<std::pair<H256, Bytes>> finality;
  int connects = 0;
  int disconnects = 0;
  TxVerdict tx_verdict = TxVerdict::Accepted;
  GossipVerdict finality_verdict = GossipVerdict::Relay;

 private:
  mutable std::mutex m_mutex;
  std::vector<Block> m_chain;
  std::map<H256, std::size_t> m_by_hash;
};

/// Options for a test node: loopback, port 0, fast timings.
inline NetworkOptions test_options() {
  NetworkOptions o;
  o.listen_addrs = {Multiaddr::parse("/ip4/127.0.0.1/tcp/0").value()};
  o.tick_interval = 20ms;
  o.handshake_timeout = 2s;
  o.connect_timeout = 2s;
  o.request_timeout = 2s;
  o.backoff_initial = 50ms;
  o.backoff_max = 400ms;
  o.peer_exchange_interval = 200ms;
  o.rate_limits[static_cast<std::size_t>(Protocol::PeerExchange)] = {20, 10};
  return o;
}

/// A fake host and a network, started.
struct TestNode {
  explicit TestNode(NetworkOptions options = test_options(), std::vector<Block> chain = make_chain(3),
                    std::optional<runtime::crypto::Keypair> key = std::nullopt)
      : key(key ? *key : runtime::crypto::Keypair::generate()), host(std::move(chain)),
        network(std::make_unique<Network>(std::move(options), this->key, host)) {
    auto started = network->start();
    REQUIRE(started);
  }
  /// The first listen address with /p2p/<id>.
  Multiaddr addr() const { return network->listen_addrs().front(); }
  uint16_t port() const { return addr().port; }
  PeerId id() const { return network->local_peer_id(); }
  std::size_t peer_count() const { return network->peers().size(); }
  bool has_peer(const PeerId& p) const {
    for (const auto& info : network->peers())
      if (info.id == p) return true;
    return false;
  }

  runtime::crypto::Keypair key;
  FakeHost host;
  std::unique_ptr<Network> network;
};

inline NetworkOptions with_bootnodes(NetworkOptions o, std::vector<Multiaddr> boot) {
  o.bootnodes = std::move(boot);
  return o;
}

/// A hand-driven TCP peer on its own io_context: raw bytes, frames and the handshake.
class RawPeer {
 public:
  explicit RawPeer(uint16_t port) : m_socket(m_io) {
    boost::system::error_code ec;
    m_socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    m_connected = !ec;
  }
  bool connected() const { return m_connected; }

  bool send_raw(const Bytes& bytes) {
    boost::system::error_code ec;
    boost::asio::write(m_socket, boost::asio::buffer(bytes), ec);
    return !ec;
  }
  template <class M>
  bool send(Protocol p, const M& msg) {
    return send_raw(encode_message(p, msg));
  }

  /// The next frame; nullopt on timeout, a closed connection or a bad frame.
  std::optional<Frame> read_frame(std::chrono::milliseconds timeout = 3s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto f = m_reader.next();
      if (!f) return std::nullopt;
      if (f.value()) return std::move(*f.value());
      if (m_closed) return std::nullopt;
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= 0s) return std::nullopt;
      if (!read_some(std::chrono::duration_cast<std::chrono::milliseconds>(left))) return std::nullopt;
    }
  }

  /// Whether the other side closes the connection within `timeout` (frames are skipped).
  bool closed_within(std::chrono::milliseconds timeout = 3s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!m_closed) {
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= 0s) return false;
      read_some(std::chrono::duration_cast<std::chrono::milliseconds>(left));
    }
    return true;
  }

  /// Runs the handshake as initiator with `key` on chain `genesis`; with
  /// `corrupt_proof` the signature is of the wrong digest. Returns the
  /// responder's Hello if its proof verified.
  std::optional<Hello> handshake(const runtime::crypto::Keypair& key, const H256& genesis, bool corrupt_proof = false) {
    auto hello = make_hello(Role::Full, genesis, {genesis, 0}, {genesis, 0}, key.public_key(), {});
    auto ours = runtime::codec::encode(hello);
    send_raw(encode_frame({static_cast<uint8_t>(Protocol::Hello), kProtocolVersion, ours}));
    auto f = read_frame();
    if (!f || f->protocol != static_cast<uint8_t>(Protocol::Hello)) return std::nullopt;
    auto theirs = runtime::codec::decode<Hello>(f->payload);
    if (!theirs) return std::nullopt;
    auto proof = sign_handshake(key, Side::Initiator, ours, f->payload);
    if (corrupt_proof) proof = sign_handshake(key, Side::Responder, ours, f->payload);
    send(Protocol::HandshakeProof, proof);
    auto p = read_frame();
    if (!p || p->protocol != static_cast<uint8_t>(Protocol::HandshakeProof)) return std::nullopt;
    auto their_proof = runtime::codec::decode<HandshakeProof>(p->payload);
    if (!their_proof) return std::nullopt;
    if (!verify_handshake(their_proof.value(), theirs.value().public_key, Side::Responder, ours, f->payload))
      return std::nullopt;
    return theirs.value();
  }

 private:
  bool read_some(std::chrono::milliseconds timeout) {
    std::array<uint8_t, 4096> buf{};
    bool done = false;
    m_socket.async_read_some(boost::asio::buffer(buf), [&](boost::system::error_code ec, std::size_t n) {
      done = true;
      if (ec && ec != boost::asio::error::operation_aborted) m_closed = true;
      else m_reader.feed(runtime::ByteSpan(buf.data(), n));
    });
    m_io.restart();
    m_io.run_for(timeout);
    if (!done) {
      m_socket.cancel();
      m_io.restart();
      m_io.run();
    }
    return done && !m_closed;
  }

  boost::asio::io_context m_io;
  boost::asio::ip::tcp::socket m_socket;
  FrameReader m_reader{64 * 1024 * 1024};
  bool m_connected = false;
  bool m_closed = false;
};

}  // namespace bazaar::test::net
