// Block announcements, block requests and gossip between real nodes.
#include "tests/node/network/net_fixture.hpp"

#include <atomic>

using namespace bazaar::test::net;
using bazaar::runtime::crypto::Keypair;

namespace {

/// Runs a block request from `from` to `to` and waits for its result.
bazaar::Result<std::vector<BlockData>> request(TestNode& from, const PeerId& to, BlockRequest req) {
  std::mutex m;
  std::optional<bazaar::Result<std::vector<BlockData>>> result;
  from.network->request_blocks(to, req, [&](bazaar::Result<std::vector<BlockData>> r) {
    std::lock_guard lock(m);
    result = std::move(r);
  });
  REQUIRE(poll_until([&] {
    std::lock_guard lock(m);
    return result.has_value();
  }));
  std::lock_guard lock(m);
  return *result;
}

void connect_pair(TestNode& a, TestNode& b) {
  b.network->add_known_address(a.addr());
  REQUIRE(poll_until([&] { return a.has_peer(b.id()) && b.has_peer(a.id()); }));
}

}  // namespace

SCENARIO("an announced block is fetched from the announcer and imported") {
  auto chain = make_chain(6);
  GIVEN("A with six blocks and B with five of them, connected") {
    TestNode a(test_options(), chain);
    TestNode b(test_options(), std::vector<Block>(chain.begin(), chain.end() - 1));
    connect_pair(a, b);
    WHEN("A announces block 6 as its best") {
      a.network->announce_block(chain.back().header, true);
      THEN("B's host sees the announce, fetches the block and imports it with body and justification") {
        REQUIRE(poll_until([&] { return b.host.with_lock([&] { return b.host.imported.size(); }) == 1; }));
        auto got = b.host.with_lock([&] { return b.host.imported.front(); });
        CHECK(got.header == chain.back().header);
        CHECK(got.body == chain.back().extrinsics);
        CHECK(got.justification == Bytes{0x4a, 0x55});
        CHECK(b.host.best_block().number == 6);
        auto peers = b.network->peers();
        REQUIRE(peers.size() == 1);
        CHECK(peers[0].best.number == 6);
      }
      AND_THEN("announcing it again sends nothing more to B") {
        REQUIRE(poll_until([&] { return b.host.with_lock([&] { return b.host.announces.size(); }) == 1; }));
        auto sent = a.network->metrics().messages_out[static_cast<std::size_t>(Protocol::BlockAnnounce)].load();
        a.network->announce_block(chain.back().header, true);
        CHECK_FALSE(poll_until(
            [&] { return a.network->metrics().messages_out[static_cast<std::size_t>(Protocol::BlockAnnounce)] > sent; },
            200ms));
      }
    }
  }
}

SCENARIO("block requests by number and hash, up and down, are served within bounds") {
  auto chain = make_chain(10);
  auto oa = test_options();
  oa.max_blocks_per_response = 4;
  TestNode a(oa, chain);
  TestNode b(test_options(), make_chain(0));  // the same genesis, no other block
  connect_pair(a, b);

  WHEN("B asks for 3 blocks ascending from number 2, headers only") {
    auto r = request(b, a.id(), BlockRequest{0, BlockNumber{2}, Direction::Ascending, 3, kFieldHeader});
    THEN("it gets blocks 2, 3, 4 with headers and nothing else") {
      REQUIRE(r);
      REQUIRE(r.value().size() == 3);
      for (std::size_t i = 0; i < 3; ++i) {
        CHECK(r.value()[i].header == chain[2 + i].header);
        CHECK_FALSE(r.value()[i].body);
        CHECK_FALSE(r.value()[i].justification);
      }
    }
  }
  WHEN("B asks for 100 blocks descending from the best hash") {
    auto best = bazaar::runtime::header_hash(chain.back().header);
    auto r = request(b, a.id(), BlockRequest{0, best, Direction::Descending, 100, kAllFields});
    THEN("the response is capped at A's limit of 4, newest first") {
      REQUIRE(r);
      REQUIRE(r.value().size() == 4);
      CHECK(r.value()[0].hash == best);
      CHECK(r.value()[3].header->number.value == 7);
      CHECK(r.value()[1].body == chain[9].extrinsics);
    }
  }
  WHEN("B asks for a block A does not have") {
    auto r = request(b, a.id(), BlockRequest{0, hash_of_text("nothing"), Direction::Ascending, 1, kAllFields});
    THEN("the response is empty") {
      REQUIRE(r);
      CHECK(r.value().empty());
    }
  }
  WHEN("B asks a peer it is not connected to") {
    auto r = request(b, PeerId::from_public(Keypair::generate().public_key()), BlockRequest{});
    THEN("the request fails with NotConnected") { CHECK(r.error() == make_error_code(NetworkError::NotConnected)); }
  }
}

SCENARIO("a transaction is sent to each peer once and relayed only when the pool accepts it") {
  GIVEN("three nodes connected in a triangle") {
    TestNode a, b, c;
    connect_pair(a, b);
    connect_pair(b, c);
    connect_pair(a, c);
    Bytes tx{0x10, 0x84, 1, 2, 3};
    auto tx_out = [](TestNode& n) {
      return n.network->metrics().messages_out[static_cast<std::size_t>(Protocol::Transactions)].load();
    };
    auto received = [&](TestNode& n) {
      return n.host.with_lock([&] { return n.host.tx_counts.contains(tx) ? n.host.tx_counts.at(tx) : 0; });
    };
    WHEN("A broadcasts it and the pools accept it") {
      a.network->broadcast_transaction(tx);
      THEN("each host validates it exactly once and no node sends it twice to a peer") {
        REQUIRE(poll_until([&] { return received(b) == 1 && received(c) == 1; }));
        // B and C relay to the one peer that may lack it (each other) at most once each.
        REQUIRE(poll_until([&] { return tx_out(b) + tx_out(c) >= 1; }));
        CHECK(tx_out(a) == 2);
        CHECK(tx_out(b) <= 1);
        CHECK(tx_out(c) <= 1);
        CHECK(received(a) == 0);
        AND_WHEN("A broadcasts it again") {
          a.network->broadcast_transaction(tx);
          THEN("nothing more is sent") {
            CHECK_FALSE(poll_until([&] { return tx_out(a) > 2; }, 200ms));
            CHECK(received(b) == 1);
          }
        }
      }
    }
  }
  GIVEN("a chain A - B - C where B's pool rejects the transaction") {
    TestNode a, b, c;
    b.host.tx_verdict = TxVerdict::Rejected;
    connect_pair(a, b);
    connect_pair(b, c);
    Bytes tx{0x0c, 0x84, 9, 9};
    a.network->broadcast_transaction(tx);
    THEN("B does not relay it to C") {
      REQUIRE(poll_until([&] { return b.host.with_lock([&] { return b.host.tx_counts.size(); }) == 1; }));
      CHECK_FALSE(poll_until([&] { return c.host.with_lock([&] { return !c.host.tx_counts.empty(); }); }, 200ms));
    }
  }
}

SCENARIO("finality messages are relayed once and deduplicated by hash") {
  GIVEN("a chain A - B - C") {
    // A never dials and C dials only B: peer exchange cannot join A and C.
    auto a_options = test_options();
    a_options.out_peers = 0;
    auto c_options = test_options();
    c_options.out_peers = 1;
    TestNode a(a_options), b, c(c_options);
    connect_pair(a, b);
    connect_pair(b, c);
    auto topic = hash_of_text("round 1");
    WHEN("A gossips a vote twice") {
      a.network->gossip_finality_message(topic, Bytes{1, 2, 3});
      a.network->gossip_finality_message(topic, Bytes{1, 2, 3});
      THEN("B and C each hand it to their gadget once") {
        REQUIRE(poll_until([&] { return c.host.with_lock([&] { return c.host.finality.size(); }) == 1; }));
        CHECK(c.host.with_lock([&] { return c.host.finality.front(); }) == std::pair{topic, Bytes{1, 2, 3}});
        CHECK(b.host.with_lock([&] { return b.host.finality.size(); }) == 1);
        CHECK(a.host.with_lock([&] { return a.host.finality.size(); }) == 0);
        CHECK(a.network->metrics().messages_out[static_cast<std::size_t>(Protocol::Finality)] == 1);
      }
    }
  }
}

SCENARIO("transactions broadcast together travel in one batched message") {
  TestNode a, b;
  connect_pair(a, b);
  const auto before = a.network->metrics().messages_out[static_cast<std::size_t>(Protocol::Transactions)].load();
  WHEN("A broadcasts 300 transactions at once") {
    for (int i = 0; i < 300; ++i)
      a.network->broadcast_transaction(Bytes{0x0c, 0x84, static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8)});
    THEN("B's pool sees all of them, in far fewer messages than transactions") {
      REQUIRE(poll_until([&] { return b.host.with_lock([&] { return b.host.tx_counts.size(); }) == 300; }));
      auto sent = a.network->metrics().messages_out[static_cast<std::size_t>(Protocol::Transactions)] - before;
      CHECK(sent >= 2);  // at most kMaxTxBatch per message
      CHECK(sent < 300);
      CHECK(a.network->reputation(b.id()) == 0);
      CHECK(b.network->metrics().dropped_messages == 0);
    }
  }
}

SCENARIO("a transaction the pool rejected for a passing reason is handed to it again when it comes again") {
  GIVEN("a node whose pool rejects transactions (e.g. full), and a peer speaking the protocol") {
    TestNode node;
    node.host.with_lock([&] { node.host.tx_verdict = TxVerdict::Rejected; });
    const auto key = Keypair::generate();
    RawPeer raw(node.port());
    REQUIRE(raw.connected());
    REQUIRE(raw.handshake(key, node.host.genesis_hash()));
    REQUIRE(poll_until([&] { return node.has_peer(PeerId::from_public(key.public_key())); }));
    const Bytes tx{0x10, 0x84, 9, 9, 9};
    auto received = [&] {
      return node.host.with_lock([&] { return node.host.tx_counts.contains(tx) ? node.host.tx_counts.at(tx) : 0; });
    };
    WHEN("the peer sends it, the pool rejects it, and it comes again") {
      REQUIRE(raw.send(Protocol::Transactions, Transactions{{{tx}}}));
      REQUIRE(poll_until([&] { return received() == 1; }));
      node.host.with_lock([&] { node.host.tx_verdict = TxVerdict::Accepted; });
      REQUIRE(raw.send(Protocol::Transactions, Transactions{{{tx}}}));
      THEN("the pool sees it the second time") { REQUIRE(poll_until([&] { return received() == 2; })); }
      AND_WHEN("accepted, it comes a third time, followed by another one") {
        REQUIRE(poll_until([&] { return received() == 2; }));
        const Bytes other{0x10, 0x84, 8, 8, 8};
        REQUIRE(raw.send(Protocol::Transactions, Transactions{{{tx}}}));
        REQUIRE(raw.send(Protocol::Transactions, Transactions{{{other}}}));
        THEN("the pool, having it, is not handed it again") {
          REQUIRE(poll_until([&] {
            return node.host.with_lock([&] { return node.host.tx_counts.contains(other); });
          }));
          CHECK(received() == 2);
        }
      }
    }
  }
}
