#include "node/state/value_cache.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "node/db/memory_store.hpp"
#include "tests/node/state/state_support.hpp"

using namespace bazaar::node;
using namespace bazaar::node::state;
using bazaar::runtime::to_bytes;
using bazaar::runtime::storage::ChangeSet;

namespace {

using test::commit;

H256 filled_hash(uint8_t b) { return H256::from_span(Bytes(32, b)); }

/// Keys shaped like storage map keys: a shared 32-byte prefix (two modules'
/// items), then a few distinguishing bytes of varying length.
std::vector<Bytes> key_universe(std::size_t count) {
  std::vector<Bytes> keys;
  for (std::size_t i = 0; i < count; ++i) {
    Bytes k(32, static_cast<uint8_t>(i % 2 == 0 ? 0x26 : 0xc2));
    k.push_back(static_cast<uint8_t>(i % 7));
    for (std::size_t j = 0; j < 1 + i % 3; ++j) k.push_back(static_cast<uint8_t>((i * 131 + j * 17) % 256));
    k.push_back(static_cast<uint8_t>(i));
    keys.push_back(std::move(k));
  }
  return keys;
}

}  // namespace

SCENARIO("a ValueCache holds the values of one state root") {
  GIVEN("a cache of the state at root A") {
    ValueCache cache;
    const H256 a = filled_hash(1), b = filled_hash(2), c = filled_hash(3);
    cache.reset(a);
    cache.insert(to_bytes("k1"), to_bytes("v1"));
    cache.insert(to_bytes("gone"), std::nullopt);
    THEN("it answers what was inserted, including absence, and nothing else") {
      REQUIRE(cache.root() == a);
      REQUIRE(cache.find(to_bytes("k1")) != nullptr);
      CHECK(*cache.find(to_bytes("k1")) == to_bytes("v1"));
      REQUIRE(cache.find(to_bytes("gone")) != nullptr);
      CHECK_FALSE(cache.find(to_bytes("gone"))->has_value());
      CHECK(cache.find(to_bytes("other")) == nullptr);
      CHECK(cache.size() == 2);
      CHECK(cache.hits() == 4);
      CHECK(cache.misses() == 1);
    }
    WHEN("a block on top of A with writes and deletions is committed as B") {
      ChangeSet changes{{to_bytes("k1"), std::nullopt}, {to_bytes("k2"), to_bytes("v2")}, {to_bytes("gone"), Bytes{}}};
      REQUIRE(cache.advance(a, changes, b));
      THEN("the cache is B's: the block's writes replaced the old values") {
        CHECK(cache.root() == b);
        CHECK_FALSE(cache.find(to_bytes("k1"))->has_value());
        CHECK(*cache.find(to_bytes("k2")) == to_bytes("v2"));
        CHECK(*cache.find(to_bytes("gone")) == Bytes{});
        CHECK(cache.used_bytes() == ValueCache::cost(2, std::nullopt) + ValueCache::cost(2, to_bytes("v2")) +
                                        ValueCache::cost(4, Bytes{}));
      }
    }
    WHEN("a block on another parent is committed") {
      THEN("the cache stays A's") {
        CHECK_FALSE(cache.advance(c, ChangeSet{{to_bytes("k1"), to_bytes("x")}}, b));
        CHECK(cache.root() == a);
        CHECK(*cache.find(to_bytes("k1")) == to_bytes("v1"));
      }
    }
    WHEN("it is reset to another root, or cleared") {
      cache.reset(c);
      THEN("it is empty at the new root") {
        CHECK(cache.root() == c);
        CHECK(cache.size() == 0);
        CHECK(cache.used_bytes() == 0);
        CHECK(cache.find(to_bytes("k1")) == nullptr);
      }
      cache.clear();
      THEN("without a root it takes no values") {
        CHECK_FALSE(cache.root().has_value());
        cache.insert(to_bytes("k1"), to_bytes("v1"));
        CHECK(cache.size() == 0);
      }
    }
  }
  GIVEN("a cache bounded to three small entries") {
    ValueCache cache(3 * ValueCache::cost(2, to_bytes("v")));
    cache.reset(filled_hash(1));
    for (const char* k : {"k1", "k2", "k3"}) cache.insert(to_bytes(k), to_bytes("v"));
    WHEN("k1 is read and a fourth entry is inserted") {
      REQUIRE(cache.find(to_bytes("k1")) != nullptr);
      cache.insert(to_bytes("k4"), to_bytes("v"));
      THEN("the least recently used entry (k2) is evicted and the bound holds") {
        CHECK(cache.size() == 3);
        CHECK(cache.find(to_bytes("k2")) == nullptr);
        CHECK(cache.find(to_bytes("k1")) != nullptr);
        CHECK(cache.find(to_bytes("k4")) != nullptr);
        CHECK(cache.used_bytes() <= 3 * ValueCache::cost(2, to_bytes("v")));
      }
    }
  }
  GIVEN("a cache bounded to 0 bytes") {
    ValueCache cache(0);
    cache.reset(filled_hash(1));
    THEN("it is disabled: it never holds a root") {
      CHECK_FALSE(cache.root().has_value());
      CHECK_FALSE(cache.advance(filled_hash(1), {}, filled_hash(2)));
    }
  }
}

SCENARIO("a CachedTrieState reads through the cache only at the cache's root") {
  GIVEN("two states and a cache of the first") {
    db::MemoryStore store;
    trie::TrieDb trie(store);
    const H256 first = commit(store, trie, trie::empty_root(), {{to_bytes("a"), to_bytes("1")}});
    const H256 second = commit(store, trie, first, {{to_bytes("a"), to_bytes("2")}});
    ValueCache cache;
    cache.reset(first);
    WHEN("the first state is read twice through the cache") {
      TrieState state(trie, first);
      CachedTrieState reader(state, &cache);
      REQUIRE(reader.cached());
      CHECK(reader.get(to_bytes("a")) == to_bytes("1"));
      CHECK_FALSE(reader.get(to_bytes("b")).has_value());
      CHECK(reader.get(to_bytes("a")) == to_bytes("1"));
      THEN("the misses were filled in (the absent key too) and the repeat was a hit") {
        CHECK(cache.size() == 2);
        CHECK(cache.hits() == 1);
        CHECK(reader.next_key(to_bytes("")) == to_bytes("a"));
      }
    }
    WHEN("the second state is read with the first's cache") {
      TrieState state(trie, second);
      CachedTrieState reader(state, &cache);
      THEN("the cache is bypassed and untouched") {
        CHECK_FALSE(reader.cached());
        CHECK(reader.get(to_bytes("a")) == to_bytes("2"));
        CHECK(cache.size() == 0);
      }
    }
  }
  GIVEN("a cache of a state whose nodes are missing") {
    db::MemoryStore store;
    trie::TrieDb trie(store);
    const H256 missing = filled_hash(7);
    ValueCache cache;
    cache.reset(missing);
    TrieState state(trie, missing);
    CachedTrieState reader(state, &cache);
    WHEN("a read fails") {
      auto v = reader.get(to_bytes("a"));
      THEN("it reads as absent, the failure is recorded and nothing is cached") {
        CHECK_FALSE(v.has_value());
        REQUIRE(state.failure().has_value());
        CHECK(*state.failure() == make_error_code(trie::TrieError::MissingNode));
        CHECK(cache.size() == 0);
      }
    }
  }
}

SCENARIO("the value cache stays coherent with the trie over forks, re-orgs and failed imports") {
  // Blocks are random ChangeSets over a fixed key universe. Each step picks a
  // parent (mostly the tip the cache follows, sometimes an older state: a
  // fork), executes on it through the cache exactly as BlockImport does
  // (reset to the parent's root when the parent is the best state), and then
  // either commits the block (advance), or drops it (a failed import).
  // Every read through the cache is compared with a read of the trie at the
  // same root, and after each step every key of the universe is compared.
  const std::size_t bound = GENERATE(ValueCache::kDefaultBytes, std::size_t{4096});
  INFO("cache bound: " << bound << " bytes");
  GIVEN("a chain of random blocks and a value cache") {
    db::MemoryStore store;
    trie::TrieDb trie(store);
    std::mt19937 rng(static_cast<uint32_t>(bound));
    const auto keys = key_universe(300);
    auto random_key = [&] { return keys[rng() % keys.size()]; };
    auto random_changes = [&] {
      ChangeSet changes;
      const std::size_t n = 1 + rng() % 40;
      for (std::size_t i = 0; i < n; ++i) {
        const uint32_t kind = rng() % 10;
        if (kind < 3) {
          changes[random_key()] = std::nullopt;
        } else {
          Bytes v(kind == 3 ? 0 : rng() % 70, static_cast<uint8_t>(rng()));
          changes[random_key()] = std::move(v);
        }
      }
      return changes;
    };

    std::vector<H256> states{trie::empty_root()};
    H256 best = states.front();
    ValueCache cache(bound);
    std::size_t cached_reads = 0, mismatches = 0, advances = 0, forks = 0, failed = 0;

    auto check_reads = [&](const H256& root, std::size_t count) {
      TrieState plain(trie, root);
      TrieState through(trie, root);
      CachedTrieState reader(through, &cache);
      if (reader.cached()) cached_reads += count;
      for (std::size_t i = 0; i < count; ++i) {
        const Bytes& k = i < keys.size() ? keys[i] : keys[rng() % keys.size()];
        if (reader.get(k) != plain.get(k)) ++mismatches;
      }
      REQUIRE_FALSE(through.failure().has_value());
    };

    for (int step = 0; step < 400; ++step) {
      const uint32_t pick = rng() % 10;
      H256 parent = best;
      if (pick == 0) {
        parent = states[rng() % states.size()];  // a fork from any earlier state
        ++forks;
      }
      // Execution: reads of the parent state (the import resets the cache
      // when the parent is the best state and the cache is elsewhere).
      if (cache.root() != parent && parent == best) cache.reset(parent);
      check_reads(parent, 20 + rng() % 40);
      const ChangeSet changes = random_changes();
      if (pick == 1) {  // a failed import: executed, never committed
        ++failed;
        continue;
      }
      const H256 child = commit(store, trie, parent, changes);
      states.push_back(child);
      if (cache.advance(parent, changes, child)) ++advances;
      // Fork choice: a fork block becomes best now and then (a re-org).
      if (parent == best || rng() % 3 == 0) best = child;
      // Whatever root the cache is at now, it reads as that state.
      if (cache.root()) check_reads(*cache.root(), keys.size());
      if (bound < ValueCache::kDefaultBytes) REQUIRE(cache.used_bytes() <= bound);
    }
    THEN("no read through the cache differed from the trie, and the cache was used") {
      CHECK(mismatches == 0);
      CHECK(cached_reads > 10000);
      CHECK(advances > 200);
      CHECK(forks > 10);
      CHECK(failed > 10);
      CHECK(cache.hits() > 1000);
    }
  }
}
