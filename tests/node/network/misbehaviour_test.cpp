// Misbehaving peers are scored, disconnected and banned; honest peers carry on.
#include "tests/node/network/net_fixture.hpp"

using namespace bazaar::test::net;
using bazaar::runtime::crypto::Keypair;

namespace {

std::size_t announces(TestNode& n) {
  return n.host.with_lock([&] { return n.host.announces.size(); });
}

/// Two honest nodes, connected; `check_alive` shows they still exchange messages.
struct HonestPair {
  explicit HonestPair(NetworkOptions oa = test_options()) : a(oa), b(with_bootnodes(test_options(), {a.addr()})) {
    REQUIRE(poll_until([&] { return a.has_peer(b.id()) && b.has_peer(a.id()); }));
  }
  bool check_alive() {
    auto before = announces(a);
    auto block = make_chain(1, "alive" + std::to_string(++m_round)).back();
    b.network->announce_block(block.header, false);
    return poll_until([&] { return announces(a) > before; });
  }
  TestNode a;
  TestNode b;

 private:
  int m_round = 0;
};

}  // namespace

SCENARIO("a raw TCP client sending garbage is dropped, then its IP is banned") {
  auto options = test_options();
  options.ip_ban_strikes = 3;
  HonestPair nodes(options);
  WHEN("a client sends a frame announcing 4 GiB") {
    RawPeer raw(nodes.a.port());
    raw.send_raw(Bytes{0xff, 0xff, 0xff, 0xff, 0x00, 0x01});
    THEN("the connection is closed at once") { CHECK(raw.closed_within()); }
  }
  WHEN("clients keep sending undecodable hellos") {
    for (int i = 0; i < 3; ++i) {
      RawPeer raw(nodes.a.port());
      raw.send_raw(encode_frame({static_cast<uint8_t>(Protocol::Hello), kProtocolVersion, Bytes{1, 2, 3}}));
      REQUIRE(raw.closed_within());
    }
    THEN("the IP is banned: the next connection is closed before any hello is sent") {
      REQUIRE(poll_until([&] { return nodes.a.network->metrics().bans >= 1; }));
      RawPeer late(nodes.a.port());
      CHECK_FALSE(late.read_frame(1s));
      CHECK(late.closed_within());
      AND_THEN("the peers that were connected keep working") {
        CHECK(nodes.a.has_peer(nodes.b.id()));
        CHECK(nodes.check_alive());
      }
    }
  }
}

SCENARIO("a peer sending undecodable messages after the handshake is banned") {
  HonestPair nodes;
  auto key = Keypair::generate();
  auto id = PeerId::from_public(key.public_key());
  RawPeer raw(nodes.a.port());
  REQUIRE(raw.handshake(key, nodes.a.host.genesis_hash()));
  REQUIRE(poll_until([&] { return nodes.a.has_peer(id); }));
  WHEN("it sends messages that do not decode") {
    for (int i = 0; i < 3; ++i)
      raw.send_raw(encode_frame({static_cast<uint8_t>(Protocol::BlockAnnounce), kProtocolVersion, Bytes{9, 9, 9}}));
    THEN("it is disconnected and banned, and cannot come back with its key") {
      CHECK(raw.closed_within());
      REQUIRE(poll_until([&] { return nodes.a.network->is_banned(id); }));
      CHECK(poll_until([&] { return !nodes.a.has_peer(id); }));
      RawPeer again(nodes.a.port());
      CHECK_FALSE(again.handshake(key, nodes.a.host.genesis_hash()));
      CHECK(again.closed_within());
      AND_THEN("the honest peers are not disturbed") { CHECK(nodes.check_alive()); }
    }
  }
  WHEN("it sends a response nobody asked for") {
    raw.send(Protocol::BlockResponse, BlockResponse{77, {}});
    THEN("its reputation drops but it stays connected") {
      REQUIRE(poll_until([&] { return nodes.a.network->reputation(id) < 0; }));
      CHECK(nodes.a.network->reputation(id) == rep::kUnexpectedResponse.value);
      CHECK(nodes.a.has_peer(id));
    }
  }
  WHEN("A asks it for blocks and it keeps answering with blocks that do not match their hashes") {
    std::mutex m;
    std::vector<boost::system::error_code> errors;
    for (int i = 0; i < 4; ++i)
      nodes.a.network->request_blocks(id, BlockRequest{0, BlockNumber{1}, Direction::Ascending, 1, kFieldHeader},
                                      [&](bazaar::Result<std::vector<BlockData>> r) {
                                        std::lock_guard lock(m);
                                        errors.push_back(r ? boost::system::error_code{} : r.error());
                                      });
    int answered = 0;
    while (answered < 4) {
      auto f = raw.read_frame();
      if (!f) break;  // closed: banned
      if (f->protocol != static_cast<uint8_t>(Protocol::BlockRequest)) continue;
      auto req = decode_message<BlockRequest>(f->payload);
      REQUIRE(req);
      auto block = make_chain(1, "forged").back();
      raw.send(Protocol::BlockResponse, BlockResponse{req.value().id, {BlockData{hash_of_text("not it"), block.header, {}, {}}}});
      ++answered;
    }
    THEN("it is banned, and every request fails (BadResponse, or Disconnected once banned)") {
      REQUIRE(poll_until([&] { return nodes.a.network->is_banned(id); }));
      CHECK(raw.closed_within());
      REQUIRE(poll_until([&] {
        std::lock_guard lock(m);
        return errors.size() == 4;
      }));
      std::lock_guard lock(m);
      for (const auto& e : errors)
        CHECK((e == make_error_code(NetworkError::BadResponse) || e == make_error_code(NetworkError::Disconnected)));
      AND_THEN("the honest peers are not disturbed") { CHECK(nodes.check_alive()); }
    }
  }
  WHEN("the host reports an invalid block from it") {
    nodes.a.network->report_peer(id, rep::kBadBlock);
    THEN("it is banned at once") {
      CHECK(raw.closed_within());
      CHECK(nodes.a.network->is_banned(id));
    }
  }
}

SCENARIO("a peer flooding a protocol beyond its rate is banned") {
  auto options = test_options();
  options.rate_limits[static_cast<std::size_t>(Protocol::Transactions)] = {20, 5};
  HonestPair nodes(options);
  auto key = Keypair::generate();
  auto id = PeerId::from_public(key.public_key());
  RawPeer raw(nodes.a.port());
  REQUIRE(raw.handshake(key, nodes.a.host.genesis_hash()));
  REQUIRE(poll_until([&] { return nodes.a.has_peer(id); }));
  WHEN("it sends 200 transaction messages at once") {
    for (uint8_t i = 0; i < 200; ++i) raw.send(Protocol::Transactions, Transactions{{{Bytes{0x0c, 0x84, i, 1}}}});
    THEN("the excess is dropped, the peer banned, and the others keep working") {
      CHECK(raw.closed_within());
      REQUIRE(poll_until([&] { return nodes.a.network->is_banned(id); }));
      CHECK(nodes.a.network->metrics().dropped_messages >= 7);
      CHECK(nodes.a.network->metrics().bans == 1);
      CHECK(nodes.a.host.with_lock([&] { return nodes.a.host.tx_counts.size(); }) <= 25);
      CHECK(nodes.check_alive());
    }
  }
}

SCENARIO("bans end after their duration on the injected clock") {
  auto now = std::make_shared<std::atomic<int64_t>>(0);
  auto options = test_options();
  auto base = std::chrono::steady_clock::now();
  options.clock = [now, base] { return base + std::chrono::milliseconds(now->load()); };
  options.ban_duration = 60s;
  TestNode a(options);
  auto key = Keypair::generate();
  auto id = PeerId::from_public(key.public_key());
  a.network->report_peer(id, rep::kBadBlock);
  REQUIRE(poll_until([&] { return a.network->is_banned(id); }));
  {
    RawPeer raw(a.port());
    CHECK_FALSE(raw.handshake(key, a.host.genesis_hash()));
  }
  WHEN("a minute passes") {
    *now += 61'000;
    THEN("the peer may connect again") {
      REQUIRE(poll_until([&] { return !a.network->is_banned(id); }));
      RawPeer raw(a.port());
      CHECK(raw.handshake(key, a.host.genesis_hash()));
      CHECK(poll_until([&] { return a.has_peer(id); }));
    }
  }
}
