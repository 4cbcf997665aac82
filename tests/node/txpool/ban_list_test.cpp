#include "node/txpool/ban_list.hpp"

#include <catch2/catch.hpp>

using bazaar::node::txpool::BanList;
using bazaar::runtime::H256;
using namespace std::chrono_literals;

namespace {

H256 hash_of(uint32_t n) {
  H256 h;
  for (int i = 0; i < 4; ++i) h.data()[i] = static_cast<uint8_t>(n >> (8 * i));
  return h;
}

const BanList::TimePoint kStart{};

}  // namespace

SCENARIO("a ban lasts its duration, and a second ban extends it") {
  BanList bans(30s);
  bans.ban(hash_of(1), kStart);
  THEN("the hash is banned until the duration has passed") {
    CHECK(bans.is_banned(hash_of(1), kStart + 29s));
    CHECK_FALSE(bans.is_banned(hash_of(1), kStart + 30s));
    CHECK_FALSE(bans.is_banned(hash_of(2), kStart));
  }
  WHEN("another hash is banned at 5 s, the first again at 20 s, and expired bans are cleared at 40 s") {
    bans.ban(hash_of(2), kStart + 5s);
    bans.ban(hash_of(1), kStart + 20s);
    bans.clear_expired(kStart + 40s);
    THEN("the extended ban is kept and the expired one is gone") {
      CHECK(bans.is_banned(hash_of(1), kStart + 40s));
      CHECK_FALSE(bans.is_banned(hash_of(2), kStart + 40s));
      CHECK(bans.size() == 1);
    }
    AND_WHEN("the extended ban expires too") {
      bans.clear_expired(kStart + 50s);
      THEN("nothing is banned") { CHECK(bans.size() == 0); }
    }
  }
}

SCENARIO("the ban list forgets its oldest bans past kMaxEntries") {
  BanList bans(60s);
  const uint32_t n = static_cast<uint32_t>(BanList::kMaxEntries) + 100;
  for (uint32_t i = 0; i < n; ++i) bans.ban(hash_of(i), kStart + std::chrono::milliseconds(i));
  THEN("the size stays at the bound, the oldest are dropped and the newest are kept") {
    CHECK(bans.size() == BanList::kMaxEntries);
    CHECK_FALSE(bans.is_banned(hash_of(0), kStart + 1s));
    CHECK_FALSE(bans.is_banned(hash_of(99), kStart + 1s));
    CHECK(bans.is_banned(hash_of(100), kStart + 1s));
    CHECK(bans.is_banned(hash_of(n - 1), kStart + 1s));
  }
}

SCENARIO("re-banning the same hashes over and over keeps the list bounded and correct") {
  BanList bans(60s);  // longer than the loop, so superseded FIFO entries pile up and get compacted
  // Two hashes banned alternately for a long time, with the clock advancing and standing still.
  for (int round = 0; round < 5 * static_cast<int>(BanList::kMaxEntries); ++round) {
    auto now = kStart + std::chrono::milliseconds(round / 3);
    bans.ban(hash_of(round % 2), now);
    bans.clear_expired(now);
  }
  const auto last = kStart + std::chrono::milliseconds(5 * static_cast<int>(BanList::kMaxEntries) / 3);
  THEN("both stay banned and only they are listed") {
    CHECK(bans.size() == 2);
    CHECK(bans.is_banned(hash_of(0), last));
    CHECK(bans.is_banned(hash_of(1), last));
  }
  WHEN("the last ban expires") {
    bans.clear_expired(last + 60s);
    THEN("the list is empty") { CHECK(bans.size() == 0); }
  }
}
