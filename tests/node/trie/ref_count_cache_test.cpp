#include "node/trie/ref_count_cache.hpp"

#include <catch2/catch.hpp>
#include <random>

#include "node/trie/journal.hpp"
#include "node/trie/root.hpp"
#include "tests/node/trie/journal_support.hpp"

using namespace bazaar::node;
using namespace bazaar::node::trie;
using namespace bazaar::node::trie::test;
using bazaar::runtime::storage::ChangeSet;

namespace {

/// A state of `n` keys with distinct 40-byte values (every leaf hashed).
ChangeSet base_state(int n, uint8_t tag) {
  ChangeSet changes;
  for (int i = 0; i < n; ++i) changes[Bytes{static_cast<uint8_t>(i), tag}] = Bytes(40, static_cast<uint8_t>(i));
  return changes;
}

void write(FaultyStore& store, const TrieJournal& journal, const JournalBlock& block, const CommitResult& commit) {
  db::WriteBatch batch;
  REQUIRE(journal.stage_commit(batch, block, commit).has_value());
  REQUIRE(store.write(std::move(batch)).has_value());
}

std::size_t count_reads(const FaultyStore& store) { return store.reads_of(db::Column::TrieRefCounts); }

}  // namespace

SCENARIO("staging reads no stored count it can prove") {
  GIVEN("a pruning journal with a stored parent state") {
    FaultyStore store;
    TrieDb trie(store);
    auto journal = TrieJournal::open(store, PruningMode::Pruned).value();
    auto c0 = trie.apply(empty_root(), base_state(60, 1)).value();
    write(store, journal, journal_block(0), c0);

    WHEN("two competing children with the same changes are committed, each in its own batch") {
      auto c1 = trie.apply(c0.new_root, {{Bytes{7, 1}, Bytes(40, 200)}}).value();
      const std::size_t before = count_reads(store);
      write(store, journal, journal_block(1, 1), c1);
      write(store, journal, journal_block(1, 2), c1);
      THEN("no count was read from the store, and the shared nodes count twice") {
        CHECK(count_reads(store) == before);
        for (const auto& [h, bytes] : c1.inserted_nodes) CHECK(journal.ref_count(h).value() == 2);
      }
      AND_WHEN("one is discarded and the other pruned (dropping the parent's state) in one batch") {
        const std::size_t at = count_reads(store);
        db::WriteBatch batch;
        REQUIRE(journal.stage_discard(batch, journal_block(1, 2)).has_value());
        REQUIRE(journal.stage_prune(batch, journal_block(1, 1)).has_value());
        REQUIRE(store.write(std::move(batch)).has_value());
        THEN("the counts came from memory and only the surviving state's nodes remain") {
          CHECK(count_reads(store) == at);
          for (const auto& [h, bytes] : c1.inserted_nodes) CHECK(journal.ref_count(h).value() == 1);
          for (const auto& h : c1.removed_nodes) CHECK(journal.ref_count(h).value() == 0);
          CHECK(store.count(db::Column::TrieNodes) == c0.inserted_nodes.size());
          TrieDb fresh(store, TrieDbOptions{.cache_bytes = 0});
          CHECK(fresh.get(c1.new_root, Bytes{7, 1}).value() == Bytes(40, 200));
          CHECK(fresh.get(c1.new_root, Bytes{8, 1}).value() == Bytes(40, 8));
        }
      }
    }
    WHEN("the journal is reopened (a restart) and commits both new and already stored nodes") {
      auto reopened = TrieJournal::open(store, PruningMode::Pruned).value();
      auto c1 = trie.apply(c0.new_root, {{Bytes{9, 1}, Bytes(40, 201)}}).value();
      const std::size_t before = count_reads(store);
      write(store, reopened, journal_block(1), c1);
      const std::size_t new_node_reads = count_reads(store) - before;
      write(store, reopened, journal_block(2), c0);  // re-inserts every stored node of the parent
      THEN("new nodes need no read (the filter was filled by the scan) and stored ones count on") {
        CHECK(new_node_reads == 0);
        for (const auto& [h, bytes] : c0.inserted_nodes) CHECK(reopened.ref_count(h).value() == 2);
        CHECK(reopened.cache_stats().filter_rebuilds == 1);
      }
    }
  }
}

SCENARIO("a batch that is not written leaves no trace in memory") {
  GIVEN("a stored block and a child staged in a batch") {
    FaultyStore store;
    TrieDb trie(store);
    auto journal = TrieJournal::open(store, PruningMode::Pruned).value();
    auto c0 = trie.apply(empty_root(), base_state(30, 2)).value();
    write(store, journal, journal_block(0), c0);
    auto c1 = trie.apply(c0.new_root, {{Bytes{3, 2}, Bytes(40, 99)}}).value();
    db::WriteBatch first;
    REQUIRE(journal.stage_commit(first, journal_block(1), c1).has_value());

    WHEN("the write fails, and the block is staged again and written") {
      store.write_fault = FaultyStore::WriteFault::Fail;
      REQUIRE_FALSE(store.write(std::move(first)).has_value());
      write(store, journal, journal_block(1), c1);
      THEN("its nodes count once") {
        for (const auto& [h, bytes] : c1.inserted_nodes) CHECK(journal.ref_count(h).value() == 1);
      }
      AND_WHEN("it is discarded") {
        db::WriteBatch discard;
        REQUIRE(journal.stage_discard(discard, journal_block(1)).has_value());
        REQUIRE(store.write(std::move(discard)).has_value());
        THEN("only the parent's nodes remain") {
          for (const auto& [h, bytes] : c0.inserted_nodes) CHECK(journal.ref_count(h).value() == 1);
          CHECK(store.count(db::Column::TrieNodes) == c0.inserted_nodes.size());
          CHECK(store.count(db::Column::TrieRefCounts) == 0);  // counts of 1 are implied by the node
        }
      }
    }
    WHEN("the write reports a failure but landed, and the block is discarded next") {
      store.write_fault = FaultyStore::WriteFault::LandThenFail;
      REQUIRE_FALSE(store.write(std::move(first)).has_value());
      db::WriteBatch discard;
      REQUIRE(journal.stage_discard(discard, journal_block(1)).has_value());
      REQUIRE(store.write(std::move(discard)).has_value());
      THEN("the discard saw the landed counts") {
        for (const auto& [h, bytes] : c1.inserted_nodes) CHECK(journal.ref_count(h).value() == 0);
        CHECK(store.count(db::Column::TrieNodes) == c0.inserted_nodes.size());
      }
    }
    WHEN("block 1 lands, the next staging call fails on a read error, and its batch is dropped") {
      REQUIRE(store.write(std::move(first)).has_value());
      db::WriteBatch doomed;
      store.fail_get_in = 0;  // the read of block 1's journal key that settles its batch
      CHECK_FALSE(journal.stage_commit(doomed, journal_block(2), c1).has_value());
      write(store, journal, journal_block(2), c1);
      THEN("the counts are the written ones") {
        for (const auto& [h, bytes] : c1.inserted_nodes) CHECK(journal.ref_count(h).value() == 2);
      }
    }
  }
}

SCENARIO("the count filter grows instead of filling up") {
  GIVEN("a journal whose filter starts with room for 16 hashes") {
    FaultyStore store;
    TrieDb trie(store);
    auto journal = TrieJournal::open(store, PruningMode::Pruned, {.max_known = 64, .min_filter_capacity = 16}).value();
    WHEN("40 blocks of 30 new keys are committed") {
      H256 root = empty_root();
      for (int n = 0; n < 40; ++n) {
        auto c = trie.apply(root, base_state(30, static_cast<uint8_t>(n + 10))).value();
        write(store, journal, journal_block(n), c);
        root = c.new_root;
      }
      THEN("it was rebuilt from the store and sized to the stored counts") {
        const auto stats = journal.cache_stats();
        CHECK(stats.filter_rebuilds > 2);
        CHECK(stats.filter_capacity >= 160);
        CHECK(store.count(db::Column::TrieNodes) > 1000);
        CHECK(stats.known_counts <= 64);
      }
    }
  }
}

SCENARIO("a stored node key that is not a hash turns the filter off") {
  GIVEN("a store with a malformed node key") {
    FaultyStore store;
    REQUIRE(TrieJournal::open(store, PruningMode::Pruned).has_value());
    store.poke(db::Column::TrieNodes, Bytes{1, 2, 3}, Bytes{1, 0, 0, 0});
    WHEN("the journal is reopened and commits new nodes") {
      auto journal = TrieJournal::open(store, PruningMode::Pruned).value();
      TrieDb trie(store);
      auto c = trie.apply(empty_root(), base_state(10, 3)).value();
      const std::size_t before = count_reads(store);
      write(store, journal, journal_block(0), c);
      THEN("every count was read from the store and is right") {
        CHECK(count_reads(store) - before == c.inserted_nodes.size());
        for (const auto& [h, bytes] : c.inserted_nodes) CHECK(journal.ref_count(h).value() == 1);
      }
    }
  }
}

SCENARIO("the hash filter never forgets a hash") {
  GIVEN("a filter sized for 100 hashes") {
    HashBloom filter(100);
    std::mt19937 rng(3);
    std::vector<H256> hashes(2000);
    for (auto& h : hashes)
      for (auto& b : h.bytes) b = static_cast<uint8_t>(rng());
    WHEN("twenty times as many are inserted") {
      for (const auto& h : hashes) filter.insert(h);
      THEN("each is still reported") {
        for (const auto& h : hashes) REQUIRE(filter.may_contain(h));
        CHECK(filter.inserted() == 2000);
      }
    }
    WHEN("as many as it is sized for are inserted") {
      for (int i = 0; i < 100; ++i) filter.insert(hashes[i]);
      THEN("about 1% of the others are false positives") {
        int positives = 0;
        for (int i = 100; i < 2000; ++i) positives += filter.may_contain(hashes[i]) ? 1 : 0;
        CHECK(positives < 60);
      }
    }
  }
}
