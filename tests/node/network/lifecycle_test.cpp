// Start/stop of the network against concurrent callers: every block request
// gets exactly one answer, however it races stop().
#include "tests/node/network/net_fixture.hpp"

#include <atomic>

using namespace bazaar::test::net;

namespace {

BlockRequest one_block() {
  BlockRequest req;
  req.from = BlockNumber{1};
  req.direction = Direction::Ascending;
  req.max_blocks = 1;
  req.fields = kFieldHeader;
  return req;
}

}  // namespace

SCENARIO("a request_blocks call racing stop() still gets its callback") {
  GIVEN("two connected nodes, and two threads asking B for blocks through A until A refuses") {
    struct Tally {
      int calls = 0;
      int answers = 0;
      int stopped = 0;
      int answered_twice = 0;
    };
    auto race = [] {
      TestNode a;
      auto b_options = test_options();
      b_options.rate_limits[static_cast<std::size_t>(Protocol::BlockRequest)] = {1e6, 1e6};  // no flood bans
      TestNode b(with_bootnodes(b_options, {a.addr()}));
      REQUIRE(poll_until([&] { return a.has_peer(b.id()); }));
      std::atomic<int> calls{0}, answers{0}, stopped{0}, answered_twice{0};
      std::atomic<bool> stop_returned{false};
      auto ask = [&] {
        for (;;) {
          const bool last = stop_returned.load();  // one more call after stop() returned, then done
          auto answered = std::make_shared<std::atomic<bool>>(false);
          ++calls;
          a.network->request_blocks(b.id(), one_block(), [&, answered](auto result) {
            if (answered->exchange(true)) ++answered_twice;
            if (!result && result.error() == make_error_code(NetworkError::Stopped)) ++stopped;
            ++answers;
          });
          if (last) return;
          // At most a few requests outstanding: an unbounded flood only queues
          // work on A's io thread (slow builds, e.g. ASan, never caught up).
          while (calls.load() - answers.load() > 8 && !stop_returned.load()) std::this_thread::yield();
        }
      };
      std::thread t1(ask), t2(ask);
      const bool flowing = poll_until([&] { return answers.load() >= 20; });
      a.network->stop();
      stop_returned = true;
      t1.join();
      t2.join();
      REQUIRE(flowing);  // after the joins: a failed REQUIRE must not leave joinable threads behind
      return Tally{calls.load(), answers.load(), stopped.load(), answered_twice.load()};
    };
    WHEN("A stops while the requests are flowing, eight times over") {
      std::vector<Tally> tallies;
      for (int round = 0; round < 8; ++round) tallies.push_back(race());
      THEN("every call was answered exactly once by the time stop() returned, the last ones with Stopped") {
        for (const auto& t : tallies) {
          CHECK(t.answers == t.calls);
          CHECK(t.answered_twice == 0);
          CHECK(t.stopped >= 2);
        }
      }
    }
  }
}

SCENARIO("a stopped network answers requests with Stopped at once and stops only once") {
  TestNode a;
  a.network->stop();
  a.network->stop();
  std::optional<bazaar::Result<std::vector<BlockData>>> result;
  a.network->request_blocks(PeerId::from_public(bazaar::runtime::crypto::Keypair::generate().public_key()),
                            one_block(), [&](auto r) { result = std::move(r); });
  REQUIRE(result.has_value());
  CHECK(result->error() == make_error_code(NetworkError::Stopped));
  CHECK(a.network->start());  // a stopped network does not restart; start() is a no-op
  CHECK(a.peer_count() == 0);
}

SCENARIO("a request made from a callback while the network stops is answered after that callback") {
  GIVEN("A waiting on a block request to a peer that never answers") {
    TestNode a;
    const auto key = bazaar::runtime::crypto::Keypair::generate();
    RawPeer silent(a.port());
    REQUIRE(silent.handshake(key, a.host.genesis_hash()));
    const auto silent_id = PeerId::from_public(key.public_key());
    REQUIRE(poll_until([&] { return a.has_peer(silent_id); }));
    std::atomic<bool> inside{false};
    std::atomic<bool> reentered{false};
    std::atomic<int> inner_answers{0};
    std::atomic<bool> outer_stopped{false};
    std::mutex m;
    a.network->request_blocks(silent_id, one_block(), [&](auto result) {
      // Like the sync engine: answer handling under a lock, asking again from inside.
      std::lock_guard lock(m);
      outer_stopped = !result && result.error() == make_error_code(NetworkError::Stopped);
      inside = true;
      a.network->request_blocks(silent_id, one_block(), [&](auto inner) {
        if (inside.load()) reentered = true;
        if (!inner && inner.error() == make_error_code(NetworkError::Stopped)) ++inner_answers;
      });
      inside = false;
    });
    // The request is on the wire: only stop() can end it now.
    bool requested = false;
    while (!requested) {
      auto frame = silent.read_frame();
      REQUIRE(frame);
      requested = frame->protocol == static_cast<uint8_t>(Protocol::BlockRequest);
    }
    WHEN("A stops") {
      a.network->stop();
      THEN("the pending request failed with Stopped, and the one asked from its callback got Stopped afterwards, not inside it") {
        CHECK(outer_stopped.load());
        CHECK(inner_answers.load() == 1);
        CHECK_FALSE(reentered.load());
      }
    }
  }
}
