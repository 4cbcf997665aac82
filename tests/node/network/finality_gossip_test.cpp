// Finality gossip dedupe (network.hpp "Gossip rules"): per-peer, bounded
// known sets; messages the gadget discarded are handed over again; a
// re-broadcast reaches only the peers that did not get the message.
#include "tests/node/network/net_fixture.hpp"

#include <algorithm>

using namespace bazaar::test::net;
using bazaar::runtime::crypto::Keypair;

namespace {

void connect_pair(TestNode& a, TestNode& b) {
  b.network->add_known_address(a.addr());
  REQUIRE(poll_until([&] { return a.has_peer(b.id()) && b.has_peer(a.id()); }));
}

std::size_t finality_count(TestNode& n) {
  return n.host.with_lock([&] { return n.host.finality.size(); });
}

/// How many times `n`'s gadget was handed `data`.
std::size_t copies_of(TestNode& n, const Bytes& data) {
  return n.host.with_lock([&] {
    return static_cast<std::size_t>(std::count_if(n.host.finality.begin(), n.host.finality.end(),
                                                  [&](const auto& m) { return m.second == data; }));
  });
}

void set_verdict(TestNode& n, GossipVerdict v) {
  n.host.with_lock([&] { n.host.finality_verdict = v; });
}

uint64_t finality_sent(TestNode& n) {
  return n.network->metrics().messages_out[static_cast<std::size_t>(Protocol::Finality)].load();
}

/// A raw peer that completed the handshake with `node` using `key`.
std::unique_ptr<RawPeer> handshaken_raw_peer(TestNode& node, const Keypair& key) {
  auto raw = std::make_unique<RawPeer>(node.port());
  REQUIRE(raw->connected());
  REQUIRE(raw->handshake(key, node.host.genesis_hash()));
  REQUIRE(poll_until([&] { return node.has_peer(PeerId::from_public(key.public_key())); }));
  return raw;
}

}  // namespace

SCENARIO("a finality message the gadget discarded is handed over again when it comes again") {
  GIVEN("a node whose gadget discards everything, and a peer speaking the protocol") {
    TestNode node;
    set_verdict(node, GossipVerdict::Discard);
    const auto key = Keypair::generate();
    const auto raw_id = PeerId::from_public(key.public_key());
    auto raw = handshaken_raw_peer(node, key);
    auto topic = hash_of_text("round 7");
    const Bytes vote{0, 7, 7, 7};
    WHEN("the peer sends the same vote twice") {
      REQUIRE(raw->send(Protocol::Finality, FinalityMessage{topic, vote}));
      REQUIRE(poll_until([&] { return copies_of(node, vote) == 1; }));
      REQUIRE(raw->send(Protocol::Finality, FinalityMessage{topic, vote}));
      THEN("the gadget sees it both times, and the peer is not punished") {
        REQUIRE(poll_until([&] { return copies_of(node, vote) == 2; }));
        CHECK(node.network->reputation(raw_id) == 0);
      }
    }
    WHEN("the gadget keeps the vote the second time") {
      REQUIRE(raw->send(Protocol::Finality, FinalityMessage{topic, vote}));
      REQUIRE(poll_until([&] { return copies_of(node, vote) == 1; }));
      set_verdict(node, GossipVerdict::Keep);
      REQUIRE(raw->send(Protocol::Finality, FinalityMessage{topic, vote}));
      REQUIRE(poll_until([&] { return copies_of(node, vote) == 2; }));
      // The network notes "taken" before it credits the peer for the message.
      REQUIRE(poll_until([&] { return node.network->reputation(raw_id) > 0; }));
      AND_WHEN("the vote comes a third time, followed by another one") {
        const Bytes other{0, 8, 8, 8};
        REQUIRE(raw->send(Protocol::Finality, FinalityMessage{topic, vote}));
        REQUIRE(raw->send(Protocol::Finality, FinalityMessage{topic, other}));
        THEN("the gadget, having taken it, is not handed it again") {
          REQUIRE(poll_until([&] { return copies_of(node, other) == 1; }));
          CHECK(copies_of(node, vote) == 2);
        }
      }
    }
  }
}

SCENARIO("a discarded vote relayed later by another peer reaches the gadget") {
  GIVEN("B between A and C (which never dial, so they do not meet), B's gadget discarding at first") {
    auto edge = test_options();
    edge.out_peers = 0;
    TestNode a(edge), b, c(edge);
    connect_pair(a, b);
    connect_pair(c, b);
    set_verdict(b, GossipVerdict::Discard);
    auto topic = hash_of_text("round 3");
    const Bytes vote{0, 3, 3, 3};
    WHEN("A gossips a vote that B discards, and C later gossips the same vote") {
      a.network->gossip_finality_message(topic, vote);
      REQUIRE(poll_until([&] { return copies_of(b, vote) == 1; }));
      set_verdict(b, GossipVerdict::Relay);
      c.network->gossip_finality_message(topic, vote);
      THEN("B's gadget gets it the second time and B relays it to nobody who has it") {
        REQUIRE(poll_until([&] { return copies_of(b, vote) == 2; }));
        // A and C sent it to B themselves: B's relay skips both.
        CHECK_FALSE(poll_until([&] { return finality_sent(b) > 0; }, 300ms));
        CHECK(finality_count(a) == 0);
        CHECK(finality_count(c) == 0);
      }
    }
  }
}

SCENARIO("a re-broadcast reaches only the peers that did not get the message") {
  GIVEN("A connected to B, whose gadget discards (so a second copy would show)") {
    TestNode a, b;
    connect_pair(a, b);
    set_verdict(b, GossipVerdict::Discard);
    auto topic = hash_of_text("round 1");
    const Bytes vote{0, 1, 1, 1};
    a.network->gossip_finality_message(topic, vote);
    REQUIRE(poll_until([&] { return copies_of(b, vote) == 1; }));
    REQUIRE(finality_sent(a) == 1);
    WHEN("C connects to A and A re-broadcasts the vote") {
      TestNode c;
      set_verdict(c, GossipVerdict::Discard);
      connect_pair(a, c);
      a.network->gossip_finality_message(topic, vote);
      THEN("C gets it, B does not get it a second time") {
        REQUIRE(poll_until([&] { return copies_of(c, vote) == 1; }));
        CHECK(finality_sent(a) == 2);
        CHECK_FALSE(poll_until([&] { return copies_of(b, vote) > 1; }, 300ms));
      }
    }
    WHEN("A re-broadcasts it with no new peer") {
      a.network->gossip_finality_message(topic, vote);
      THEN("nothing is sent") {
        CHECK_FALSE(poll_until([&] { return finality_sent(a) > 1; }, 300ms));
        CHECK(copies_of(b, vote) == 1);
      }
    }
  }
}

SCENARIO("the memory of finality messages is bounded and forgets the least recently used") {
  GIVEN("A and B remembering 4 messages per peer and 4 taken ones, B's gadget keeping (not relaying)") {
    auto options = test_options();
    options.known_per_peer = 4;
    options.seen_finality_messages = 4;
    TestNode a(options), b(options);
    connect_pair(a, b);
    set_verdict(b, GossipVerdict::Keep);
    auto topic = hash_of_text("round 9");
    auto vote = [](uint8_t i) { return Bytes{0, 9, i}; };
    WHEN("A gossips 10 different votes, then the first one again") {
      for (uint8_t i = 0; i < 10; ++i) a.network->gossip_finality_message(topic, vote(i));
      REQUIRE(poll_until([&] { return finality_count(b) == 10; }));
      a.network->gossip_finality_message(topic, vote(0));
      THEN("both sides have forgotten it: it is sent and taken again") {
        REQUIRE(poll_until([&] { return copies_of(b, vote(0)) == 2; }));
        CHECK(finality_sent(a) == 11);
      }
    }
    WHEN("A gossips 10 different votes, then the last one again") {
      for (uint8_t i = 0; i < 10; ++i) a.network->gossip_finality_message(topic, vote(i));
      REQUIRE(poll_until([&] { return finality_count(b) == 10; }));
      a.network->gossip_finality_message(topic, vote(9));
      THEN("it is still known: nothing is sent") {
        CHECK_FALSE(poll_until([&] { return finality_sent(a) > 10; }, 300ms));
        CHECK(copies_of(b, vote(9)) == 1);
      }
    }
  }
}
