// A misbehaving peer: a test client that links node/network and speaks the
// protocol to honest validators (three, genesis/local.json), each time under a
// fresh identity: it sends undecodable finality messages, announces a block
// with a bad seal, announces a block sealed by the rightful authority (the
// test holds //Alice) whose execution does not give its state root, and floods
// block announcements. Every time the honest node
// bans it (drops it and refuses it again), and the honest nodes keep authoring
// and finalizing throughout.

#include "node/chain/aura_digest.hpp"
#include "node/network/network.hpp"
#include "runtime/crypto/derive.hpp"
#include "tests/integration/network/net_env.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <mutex>

using namespace bazaar;
using bazaar::test::eventually;
using bazaar::test::NetEnv;
using nlohmann::json;
using namespace std::chrono_literals;
namespace net = bazaar::node::network;

namespace {

/// The client's side of the protocol: at genesis, serving only the blocks the test puts in.
class EvilHost final : public net::NetworkHost {
 public:
  explicit EvilHost(runtime::H256 genesis) : m_genesis(genesis) {}
  runtime::H256 genesis_hash() const override { return m_genesis; }
  net::BlockInfo best_block() const override { return {m_genesis, 0}; }
  net::BlockInfo finalized_block() const override { return {m_genesis, 0}; }
  std::optional<runtime::H256> block_hash(runtime::BlockNumber) const override { return std::nullopt; }
  std::optional<runtime::Header> block_header(const runtime::H256& hash) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_blocks.find(hash);
    if (it == m_blocks.end()) return std::nullopt;
    return it->second.header;
  }
  std::optional<std::vector<runtime::OpaqueExtrinsic>> block_body(const runtime::H256& hash) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_blocks.find(hash);
    if (it == m_blocks.end()) return std::nullopt;
    return it->second.extrinsics;
  }
  std::optional<runtime::Bytes> block_justification(const runtime::H256&) const override { return std::nullopt; }
  net::AnnounceAction on_block_announce(const net::PeerId&, const net::BlockAnnounce&) override {
    return net::AnnounceAction::Ignore;
  }
  void import_blocks(const net::PeerId&, std::vector<net::BlockData>) override {}
  net::TxVerdict on_transaction(const net::PeerId&, runtime::ByteSpan) override { return net::TxVerdict::Known; }
  net::GossipVerdict on_finality_message(const net::PeerId&, const runtime::H256&, runtime::ByteSpan) override {
    return net::GossipVerdict::Discard;
  }

  void add(const runtime::Block& block) {
    std::lock_guard lock(m_mutex);
    m_blocks[runtime::header_hash(block.header)] = block;
  }

 private:
  runtime::H256 m_genesis;
  mutable std::mutex m_mutex;
  std::map<runtime::H256, runtime::Block> m_blocks;
};

/// One misbehaving client under a fresh node key, connected to node `target`.
struct Evil {
  EvilHost host;
  runtime::crypto::Keypair key = runtime::crypto::Keypair::generate();
  std::unique_ptr<net::Network> network;

  Evil(NetEnv& env, std::size_t target, runtime::H256 genesis) : host(genesis) {
    net::NetworkOptions o;
    o.listen_addrs = {net::Multiaddr::parse("/ip4/127.0.0.1/tcp/0").value()};
    // Only the target: no other honest node learnt through peer exchange.
    o.reserved_nodes = {net::Multiaddr::parse(env.address(target)).value()};
    o.reserved_only = true;
    o.backoff_initial = 200ms;
    network = std::make_unique<net::Network>(o, key, host);
    REQUIRE(network->start());
    REQUIRE(eventually([&] { return network->peers().size() == 1; }, 20s));
  }
  std::string id() const { return network->local_peer_id().to_string(); }
};

bool lists_peer(NetEnv& env, std::size_t i, const std::string& id) {
  auto peers = env.rpc(i, "system_peers");
  for (const auto& p : peers)
    if (p["peerId"] == id) return true;
  return false;
}

/// The honest node drops the client and does not take it back.
void check_banned(NetEnv& env, std::size_t target, Evil& evil) {
  const bool dropped =
      eventually([&] { return evil.network->peers().empty() && !lists_peer(env, target, evil.id()); }, 20s);
  if (!dropped) WARN(env.tail_logs(15));
  CHECK(dropped);
  // It keeps dialing (backoff from 200 ms), and is refused each time.
  const uint64_t dials = evil.network->metrics().dials.load();
  CHECK(eventually([&] { return evil.network->metrics().dials.load() >= dials + 2; }, 20s));
  CHECK_FALSE(lists_peer(env, target, evil.id()));
  CHECK(evil.network->peers().empty());
}

runtime::Header header_from_json(const json& j) {
  runtime::Header h;
  h.parent_hash = runtime::fixed_from_hex<runtime::H256>(j["parentHash"].get<std::string>()).value();
  h.number.value = static_cast<uint32_t>(std::stoul(j["number"].get<std::string>(), nullptr, 16));
  h.state_root = runtime::fixed_from_hex<runtime::H256>(j["stateRoot"].get<std::string>()).value();
  h.extrinsics_root = runtime::fixed_from_hex<runtime::H256>(j["extrinsicsRoot"].get<std::string>()).value();
  for (const auto& log : j["digest"]["logs"])
    h.digest.logs.push_back(
        runtime::codec::decode<runtime::DigestItem>(runtime::from_hex(log.get<std::string>()).value()).value());
  return h;
}

}  // namespace

SCENARIO("a misbehaving peer is banned while the honest validators keep authoring and finalizing") {
  GIVEN("Alice, Bob and Charlie finalizing on the local chain") {
    NetEnv env("local", {"alice", "bob", "charlie"});
    env.start_all();
    REQUIRE(eventually([&] { return env.finalized(0).value_or(0) >= 2; }, 60s));
    const auto genesis = runtime::fixed_from_hex<runtime::H256>(env.block_hash(0, 0).value()).value();
    const uint32_t best0 = env.best(0).value(), fin0 = env.finalized(0).value();

    WHEN("a client sends finality messages that do not decode") {
      Evil evil(env, 0, genesis);
      for (uint8_t i = 0; i < 8; ++i) evil.network->gossip_finality_message(runtime::H256{}, runtime::Bytes{0xff, i, 0x13});
      THEN("it is banned") { check_banned(env, 0, evil); }
    }
    WHEN("a client announces a block with a bad seal on top of the best block") {
      Evil evil(env, 1, genesis);
      const auto best_hash = env.block_hash(1, env.best(1).value()).value();
      const auto parent = header_from_json(env.rpc(1, "chain_getHeader", json::array({best_hash})));
      runtime::Header h;
      h.parent_hash = runtime::fixed_from_hex<runtime::H256>(best_hash).value();
      h.number.value = parent.number.value + 1;
      h.digest.logs.push_back(node::chain::aura_pre_digest(node::chain::aura_slot(parent).value() + 1));
      h = node::chain::seal_header(h, runtime::crypto::Keypair::generate());  // not an authority
      evil.host.add({h, {}});
      evil.network->announce_block(h, true);
      THEN("the honest node fetches it, rejects it, and bans the sender") { check_banned(env, 1, evil); }
    }
    WHEN("a client announces a block sealed by Alice in her slot whose contents do not give its state root") {
      Evil evil(env, 2, genesis);
      // In a slot of Charlie's, build on the best block for the next slot, Alice's.
      REQUIRE(eventually(
          [] {
            const auto t = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
            return (t / 1000) % 3 == 2 && t % 1000 < 500;
          },
          10s));
      const uint64_t next_slot =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 1;
      const auto best_hash = env.block_hash(2, env.best(2).value()).value();
      auto block = env.rpc(2, "chain_getBlock", json::array({best_hash}));
      const auto parent = header_from_json(block["block"]["header"]);
      runtime::Header pre;
      pre.parent_hash = runtime::fixed_from_hex<runtime::H256>(best_hash).value();
      pre.number.value = parent.number.value + 1;
      pre.extrinsics_root = parent.extrinsics_root;  // the body below is the parent's: the root matches
      pre.state_root = parent.state_root;
      pre.state_root.bytes[0] ^= 0xff;
      pre.digest.logs.push_back(node::chain::aura_pre_digest(next_slot));
      const auto forged = node::chain::seal_header(pre, runtime::crypto::keypair_from_suri("//Alice").value());
      std::vector<runtime::OpaqueExtrinsic> extrinsics;
      for (const auto& xt : block["block"]["extrinsics"])
        extrinsics.push_back({runtime::from_hex(xt.get<std::string>()).value()});
      evil.host.add({forged, extrinsics});
      evil.network->announce_block(forged, true);
      THEN("the honest node executes it, rejects it, and bans the sender") { check_banned(env, 2, evil); }
    }
    WHEN("a client floods block announcements") {
      Evil evil(env, 0, genesis);
      for (uint32_t i = 0; i < 2000; ++i) {
        runtime::Header h;
        h.number.value = 1;
        h.state_root.bytes[0] = static_cast<uint8_t>(i);
        h.state_root.bytes[1] = static_cast<uint8_t>(i >> 8);
        evil.network->announce_block(h, false);
      }
      THEN("it is banned for flooding") { check_banned(env, 0, evil); }
    }

    // After each case: the honest validators went on.
    const bool going_on = eventually(
        [&] {
          for (std::size_t i = 0; i < 3; ++i)
            if (env.best(i).value_or(0) < best0 + 3 || env.finalized(i).value_or(0) < fin0 + 2) return false;
          return true;
        },
        30s);
    CHECK(going_on);
  }
}
