#include "node/network/address_book.hpp"
#include "node/network/known_set.hpp"
#include "node/network/reputation.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::node::network;
using namespace std::chrono_literals;
using bazaar::runtime::crypto::Keypair;

namespace {
struct ManualClock {
  TimePoint now = std::chrono::steady_clock::now();
  Clock clock() {
    return [this] { return now; };
  }
};
PeerId random_peer() { return PeerId::from_public(Keypair::generate().public_key()); }
}  // namespace

SCENARIO("reputation falls with misbehaviour, bans below the threshold, and recovers") {
  ManualClock t;
  Reputations reps(t.clock(), 60s, 3);
  auto peer = random_peer();
  WHEN("a peer sends two undecodable messages") {
    CHECK_FALSE(reps.report(peer, rep::kUndecodable));
    CHECK_FALSE(reps.report(peer, rep::kUndecodable));
    THEN("it is below zero but not banned") {
      CHECK(reps.reputation(peer) == 2 * rep::kUndecodable.value);
      CHECK_FALSE(reps.is_banned(peer));
    }
    AND_WHEN("a third one comes") {
      CHECK(reps.report(peer, rep::kUndecodable));
      THEN("it is banned until the ban expires, then starts again from zero") {
        CHECK(reps.is_banned(peer));
        t.now += 59s;
        reps.tick();
        CHECK(reps.is_banned(peer));
        t.now += 2s;
        reps.tick();
        CHECK_FALSE(reps.is_banned(peer));
        CHECK(reps.reputation(peer) == 0);
      }
    }
  }
  WHEN("time passes after a penalty") {
    reps.report(peer, rep::kUndecodable);
    t.now += 10s;
    reps.tick();
    THEN("the penalty decays toward zero") {
      CHECK(reps.reputation(peer) > rep::kUndecodable.value);
      CHECK(reps.reputation(peer) < 0);
    }
  }
  WHEN("the host reports an invalid block") {
    THEN("one report bans") { CHECK(reps.report(peer, rep::kBadBlock)); }
  }
  WHEN("an IP fails handshakes repeatedly") {
    CHECK_FALSE(reps.strike_ip("10.0.0.1"));
    CHECK_FALSE(reps.strike_ip("10.0.0.1"));
    CHECK(reps.strike_ip("10.0.0.1"));
    THEN("that IP is banned, others are not") {
      CHECK(reps.is_ip_banned("10.0.0.1"));
      CHECK_FALSE(reps.is_ip_banned("10.0.0.2"));
      t.now += 61s;
      reps.tick();
      CHECK_FALSE(reps.is_ip_banned("10.0.0.1"));
    }
  }
}

SCENARIO("a token bucket allows a burst, then its rate") {
  ManualClock t;
  TokenBucket bucket(3, 2, t.now);
  CHECK(bucket.take(t.now));
  CHECK(bucket.take(t.now));
  CHECK(bucket.take(t.now));
  CHECK_FALSE(bucket.take(t.now));
  t.now += 500ms;
  CHECK(bucket.take(t.now));
  CHECK_FALSE(bucket.take(t.now));
  t.now += 10s;
  for (int i = 0; i < 3; ++i) CHECK(bucket.take(t.now));
  CHECK_FALSE(bucket.take(t.now));
}

SCENARIO("a known set remembers a bounded number of hashes") {
  KnownSet set(2);
  bazaar::runtime::H256 a, b, c;
  a.bytes[0] = 1;
  b.bytes[0] = 2;
  c.bytes[0] = 3;
  CHECK(set.insert(a));
  CHECK_FALSE(set.insert(a));
  CHECK(set.insert(b));
  CHECK(set.insert(c));
  CHECK_FALSE(set.contains(a));
  CHECK(set.contains(c));
  CHECK(set.size() == 2);
  WHEN("a hash is inserted again before a new one arrives") {
    CHECK_FALSE(set.insert(b));
    CHECK(set.insert(a));
    THEN("the least recently used one is forgotten, not the oldest") {
      CHECK(set.contains(b));
      CHECK_FALSE(set.contains(c));
      CHECK(set.size() == 2);
    }
  }
  WHEN("a hash is erased") {
    CHECK(set.erase(c));
    CHECK_FALSE(set.erase(c));
    THEN("it is gone and its room is free") {
      CHECK_FALSE(set.contains(c));
      CHECK(set.insert(a));
      CHECK(set.contains(b));
      CHECK(set.size() == 2);
    }
  }
}

SCENARIO("the address book backs off failed dials exponentially") {
  ManualClock t;
  AddressBook book(t.clock(), 100ms, 1s);
  auto self = random_peer();
  auto peer = random_peer();
  auto addr = Multiaddr::parse("/ip4/127.0.0.1/tcp/4000").value().with_peer(peer);
  auto none = [](const PeerId&) { return false; };
  REQUIRE(book.add(addr, AddressBook::Source::Bootnode, self));
  THEN("addresses without id, of ourselves or unspecified are ignored") {
    CHECK_FALSE(book.add(addr.with_peer(std::nullopt), AddressBook::Source::Learnt, self));
    CHECK_FALSE(book.add(addr.with_peer(self), AddressBook::Source::Learnt, self));
    CHECK_FALSE(book.add(Multiaddr::parse("/ip4/0.0.0.0/tcp/1").value().with_peer(peer),
                         AddressBook::Source::Learnt, self));
  }
  WHEN("dials keep failing") {
    std::vector<std::chrono::milliseconds> waits;
    for (int i = 0; i < 5; ++i) {
      REQUIRE(book.due(10, none).size() == 1);
      book.on_dial(addr);
      book.on_dial_failed(addr);
      std::chrono::milliseconds waited{0};
      while (book.due(10, none).empty()) {
        t.now += 10ms;
        waited += 10ms;
      }
      waits.push_back(waited);
    }
    THEN("each wait doubles up to the cap") {
      CHECK(waits[0] == 200ms);
      CHECK(waits[1] == 400ms);
      CHECK(waits[2] == 800ms);
      CHECK(waits[3] == 1000ms);
      CHECK(waits[4] == 1000ms);
    }
    AND_WHEN("a connection lasts and then ends") {
      book.on_connected(peer, addr);
      book.on_disconnected(peer, true);
      THEN("the next attempt waits only the initial backoff and the address is verified") {
        CHECK(book.due(10, none).empty());
        t.now += 100ms;
        CHECK(book.due(10, none).size() == 1);
        CHECK(book.verified(10).size() == 1);
      }
    }
  }
  WHEN("a learnt address keeps failing") {
    auto other = Multiaddr::parse("/ip4/127.0.0.2/tcp/4000").value().with_peer(random_peer());
    REQUIRE(book.add(other, AddressBook::Source::Learnt, self));
    for (uint32_t i = 0; i < AddressBook::kMaxFailures; ++i) book.on_dial_failed(other);
    THEN("it is forgotten, the bootnode is kept") {
      CHECK(book.size() == 1);
      CHECK(book.addresses_of(peer).size() == 1);
    }
  }
}
