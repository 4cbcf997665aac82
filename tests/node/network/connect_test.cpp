// Handshake and admission on real sockets (127.0.0.1, port 0).
#include "tests/node/network/net_fixture.hpp"

using namespace bazaar::test::net;
using bazaar::runtime::crypto::Keypair;

SCENARIO("two nodes on the same chain connect and exchange their heads") {
  GIVEN("node A and a node B that has A as bootnode") {
    TestNode a(test_options(), make_chain(5));
    TestNode b(with_bootnodes(test_options(), {a.addr()}), make_chain(2));
    THEN("both see each other after the handshake, with the other's best block and role") {
      REQUIRE(poll_until([&] { return a.has_peer(b.id()) && b.has_peer(a.id()); }));
      auto peers = b.network->peers();
      REQUIRE(peers.size() == 1);
      CHECK(peers[0].best.number == 5);
      CHECK(peers[0].best.hash == a.host.best_block().hash);
      CHECK_FALSE(peers[0].inbound);
      CHECK(a.network->peers()[0].inbound);
      CHECK(a.network->metrics().peers == 1);
      CHECK(poll_until([&] { return a.host.with_lock([&] { return a.host.connects; }) == 1; }));
    }
  }
}

SCENARIO("a peer on another chain is refused") {
  GIVEN("A on one chain and B on another, B dialing A") {
    TestNode a(test_options(), make_chain(2, "one"));
    TestNode b(with_bootnodes(test_options(), {a.addr()}), make_chain(2, "two"));
    THEN("both refuse the handshake and neither has a peer") {
      REQUIRE(poll_until([&] { return a.network->metrics().refused >= 1 && b.network->metrics().refused >= 1; }));
      CHECK(a.peer_count() == 0);
      CHECK(b.peer_count() == 0);
    }
  }
}

SCENARIO("an address whose peer id is not the peer's is refused") {
  GIVEN("A, and B dialing A's address with C's id") {
    TestNode a;
    auto wrong = a.addr().with_peer(PeerId::from_public(Keypair::generate().public_key()));
    TestNode b(with_bootnodes(test_options(), {wrong}));
    THEN("B drops the connection after reading A's hello") {
      REQUIRE(poll_until([&] { return b.network->metrics().refused >= 1; }));
      CHECK(b.peer_count() == 0);
      CHECK_FALSE(b.has_peer(a.id()));
    }
  }
}

SCENARIO("a peer whose handshake signature does not verify is refused") {
  TestNode a;
  RawPeer raw(a.port());
  REQUIRE(raw.connected());
  WHEN("the raw peer signs the wrong digest") {
    auto hello = raw.handshake(Keypair::generate(), a.host.genesis_hash(), /*corrupt_proof=*/true);
    THEN("A closes the connection and never lists it") {
      CHECK(raw.closed_within());
      CHECK(a.peer_count() == 0);
      CHECK(a.network->metrics().refused >= 1);
    }
  }
  WHEN("it signs correctly") {
    auto key = Keypair::generate();
    auto hello = raw.handshake(key, a.host.genesis_hash());
    THEN("A accepts it") {
      REQUIRE(hello);
      CHECK(PeerId::from_public(hello->public_key) == a.id());
      CHECK(poll_until([&] { return a.has_peer(PeerId::from_public(key.public_key())); }));
    }
  }
}

SCENARIO("a node that dials itself (under another id) drops the connection") {
  auto key = Keypair::generate();
  auto options = test_options();
  // Listen on a fixed port found by a first, throw-away node.
  uint16_t port;
  {
    TestNode probe;
    port = probe.port();
  }
  options.listen_addrs = {Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(port)).value()};
  // Our own address under our own id is never dialed; under another id the
  // handshake finds out (both ends of the connection see themselves).
  options.bootnodes = {Multiaddr::parse("/ip4/127.0.0.1/tcp/" + std::to_string(port)).value().with_peer(
      PeerId::from_public(Keypair::generate().public_key()))};
  TestNode self(options, make_chain(1), key);
  THEN("the handshake is refused as a self connection") {
    REQUIRE(poll_until([&] { return self.network->metrics().refused >= 2; }));
    CHECK(self.peer_count() == 0);
  }
}

SCENARIO("in-peers and out-peers bound the connections") {
  GIVEN("A accepting one inbound peer, and B and C dialing it") {
    auto oa = test_options();
    oa.in_peers = 1;
    TestNode a(oa);
    TestNode b(with_bootnodes(test_options(), {a.addr()}));
    REQUIRE(poll_until([&] { return a.has_peer(b.id()); }));
    TestNode c(with_bootnodes(test_options(), {a.addr()}));
    THEN("C is refused for lack of slots, B stays") {
      REQUIRE(poll_until([&] { return a.network->metrics().refused >= 1 && c.network->metrics().dials >= 2; }));
      CHECK(a.peer_count() == 1);
      CHECK(a.has_peer(b.id()));
      CHECK_FALSE(a.has_peer(c.id()));
    }
  }
  GIVEN("D with one outbound slot and two bootnodes") {
    TestNode a;
    TestNode b;
    auto od = with_bootnodes(test_options(), {a.addr(), b.addr()});
    od.out_peers = 1;
    TestNode d(od);
    THEN("D connects to only one of them") {
      REQUIRE(poll_until([&] { return d.peer_count() == 1; }));
      // Over many ticks no second outbound connection (or dial) appears.
      CHECK_FALSE(poll_until([&] { return d.peer_count() > 1 || d.network->metrics().dials > 1; }, 400ms));
      CHECK(d.network->metrics().outbound_peers == 1);
    }
  }
}

SCENARIO("reserved-only nodes talk only to reserved peers") {
  TestNode a;
  auto ob = test_options();
  ob.reserved_only = true;
  ob.reserved_nodes = {a.addr()};
  TestNode b(ob);
  REQUIRE(poll_until([&] { return b.has_peer(a.id()); }));
  WHEN("a stranger dials the reserved-only node") {
    TestNode c(with_bootnodes(test_options(), {b.addr()}));
    THEN("it is refused") {
      REQUIRE(poll_until([&] { return b.network->metrics().refused >= 1; }));
      CHECK_FALSE(b.has_peer(c.id()));
      CHECK(b.peer_count() == 1);
    }
  }
}
