// Peer exchange and reconnection.
#include "tests/node/network/net_fixture.hpp"

using namespace bazaar::test::net;
using bazaar::runtime::crypto::Keypair;

SCENARIO("a node that knows one bootnode finds the other peers") {
  GIVEN("a bootnode A, and B and C that only know A") {
    TestNode a;
    TestNode b(with_bootnodes(test_options(), {a.addr()}));
    REQUIRE(poll_until([&] { return a.has_peer(b.id()); }));
    TestNode c(with_bootnodes(test_options(), {a.addr()}));
    THEN("B and C learn each other's address through A and connect") {
      REQUIRE(poll_until([&] { return b.has_peer(c.id()) && c.has_peer(b.id()); }));
      CHECK(b.peer_count() == 2);
      CHECK(c.peer_count() == 2);
    }
  }
  GIVEN("nodes listening on 0.0.0.0") {
    auto any = test_options();
    any.listen_addrs = {Multiaddr::parse("/ip4/0.0.0.0/tcp/0").value()};
    TestNode a(any);
    auto boot = a.addr();
    boot.host = "127.0.0.1";
    TestNode b(with_bootnodes(any, {boot}));
    REQUIRE(poll_until([&] { return a.has_peer(b.id()); }));
    TestNode c(with_bootnodes(any, {boot}));
    THEN("the unspecified address is replaced by the one the peer is seen from, so discovery still works") {
      REQUIRE(poll_until([&] { return b.has_peer(c.id()) && c.has_peer(b.id()); }));
    }
  }
}

SCENARIO("invalid exchanged addresses cost reputation and are not dialed") {
  TestNode a;
  RawPeer raw(a.port());
  auto key = Keypair::generate();
  REQUIRE(raw.handshake(key, a.host.genesis_hash()));
  auto id = PeerId::from_public(key.public_key());
  REQUIRE(poll_until([&] { return a.has_peer(id); }));
  PeerExchange pex;
  pex.addrs.items = {"/ip4/127.0.0.1/tcp/1", "garbage", "/ip4/0.0.0.0/tcp/5/p2p/" + id.to_string()};
  raw.send(Protocol::PeerExchange, pex);
  THEN("the sender loses reputation once for the message") {
    REQUIRE(poll_until([&] { return a.network->reputation(id) < 0; }));
    CHECK(a.network->reputation(id) == rep::kBadPeerExchange.value);
    CHECK(a.network->metrics().dials == 0);
  }
}

SCENARIO("a node reconnects with backoff after its peer restarts") {
  GIVEN("B dialing A, A then stopped") {
    auto key_a = Keypair::generate();
    auto a = std::make_unique<TestNode>(test_options(), make_chain(3), key_a);
    const uint16_t port = a->port();
    TestNode b(with_bootnodes(test_options(), {a->addr()}));
    REQUIRE(poll_until([&] { return b.has_peer(a->id()); }));
    const auto a_id = a->id();
    a.reset();
    REQUIRE(poll_until([&] { return b.peer_count() == 0; }));
    const auto dials_while_down = b.network->metrics().dials.load();
    WHEN("A comes back on the same port with the same key") {
      // B keeps dialing with growing backoff while A is away.
      REQUIRE(poll_until([&] { return b.network->metrics().dials >= dials_while_down + 2; }));
      auto options = test_options();
      options.listen_addrs = {Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(port)).value()};
      TestNode again(options, make_chain(3), key_a);
      THEN("B reconnects on its own") {
        REQUIRE(poll_until([&] { return b.has_peer(a_id) && again.has_peer(b.id()); }));
        // The host hears of connections on its own thread, after the network has them.
        CHECK(poll_until([&] { return b.host.with_lock([&] { return b.host.connects; }) == 2; }));
        CHECK(b.host.with_lock([&] { return b.host.disconnects; }) == 1);
      }
    }
  }
}
