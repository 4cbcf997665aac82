#include "node/trie/journal.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <random>
#include <unordered_set>

#include "node/db/memory_store.hpp"
#include "node/trie/root.hpp"
#include "tests/node/trie/journal_support.hpp"

using namespace bazaar::node;
using namespace bazaar::node::trie;
using bazaar::runtime::to_bytes;
using bazaar::runtime::storage::ChangeSet;
using bazaar::node::trie::test::apply_to_model;
using bazaar::node::trie::test::journal_block;
using bazaar::node::trie::test::Model;

namespace {

struct Block {
  JournalBlock block;
  H256 root;
  Model state;
};

/// Changes over a wider key space than journal_support.hpp's (keys of 1-4
/// bytes from a small alphabet, values up to 40 bytes): deeper tries.
ChangeSet random_changes(std::mt19937& rng, Model& model) {
  static const uint8_t kAlphabet[] = {0x00, 0x0f, 0x10, 0xf0, 0xff};
  ChangeSet changes;
  int n = 1 + static_cast<int>(rng() % 12);
  for (int i = 0; i < n; ++i) {
    Bytes k(1 + rng() % 4);
    for (auto& b : k) b = kAlphabet[rng() % sizeof(kAlphabet)];
    if (rng() % 4 == 0) {
      changes[k] = std::nullopt;
    } else {
      Bytes v(rng() % 40, static_cast<uint8_t>(rng() % 3));  // few distinct values: shared subtrees
      changes[k] = v;
    }
  }
  apply_to_model(changes, model);
  return changes;
}

/// Hashes of every stored node reachable from `root`, read without a cache.
void collect_reachable(const TrieDb& trie, const ChildRef& ref, std::unordered_set<H256>& out) {
  if (ref.is_hash() && !out.insert(ref.hash()).second) return;
  auto node = trie.resolve(ref);
  REQUIRE(node.has_value());
  for (std::size_t i = 0; i < 16; ++i)
    if (const auto& child = node.value()->children[i]) collect_reachable(trie, *child, out);
}

void collect_root(db::KeyValueStore& store, const H256& root, std::unordered_set<H256>& out) {
  if (root == empty_root()) return;
  TrieDb fresh(store, TrieDbOptions{.cache_bytes = 0});
  collect_reachable(fresh, ChildRef(root), out);
}

/// The state at `root` equals `model`, read through a cache-less TrieDb.
void check_state(db::KeyValueStore& store, const H256& root, const Model& model) {
  TrieDb fresh(store, TrieDbOptions{.cache_bytes = 0});
  REQUIRE(root == compute_root(model));
  for (const auto& [k, v] : model) REQUIRE(fresh.get(root, k).value() == v);
  std::vector<Bytes> keys;
  Bytes cursor;
  if (fresh.get(root, cursor).value()) keys.push_back(cursor);
  for (;;) {
    auto next = fresh.next_key(root, cursor);
    REQUIRE(next.has_value());
    if (!next.value()) break;
    cursor = *next.value();
    keys.push_back(cursor);
  }
  REQUIRE(keys.size() == model.size());
}

}  // namespace

SCENARIO("pruning keeps exactly the nodes of the retained states") {
  GIVEN("a pruning journal and a window of 8 states") {
    db::MemoryStore store;
    TrieDb trie(store);
    auto journal = TrieJournal::open(store, PruningMode::Pruned);
    REQUIRE(journal.has_value());
    constexpr int kWindow = 8;
    std::mt19937 rng(11);
    std::deque<Block> retained;
    Model model;
    H256 root = empty_root();

    WHEN("120 blocks are imported, each pruning the block that leaves the window in the same batch") {
      for (int n = 0; n < 120; ++n) {
        ChangeSet changes = random_changes(rng, model);
        auto commit = trie.apply(root, changes);
        REQUIRE(commit.has_value());
        db::WriteBatch batch;
        REQUIRE(journal.value().stage_commit(batch, journal_block(n), commit.value()).has_value());
        root = commit.value().new_root;
        retained.push_back(Block{journal_block(n), root, model});
        if (retained.size() > kWindow) retained.pop_front();
        if (n + 1 >= kWindow) REQUIRE(journal.value().stage_prune(batch, retained.front().block).has_value());
        REQUIRE(store.write(std::move(batch)).has_value());

        std::unordered_set<H256> reachable;
        for (const auto& b : retained) collect_root(store, b.root, reachable);
        REQUIRE(store.count(db::Column::TrieNodes) == reachable.size());
        // Counts of 1 are implied by the node: entries only for shared nodes.
        REQUIRE(store.count(db::Column::TrieRefCounts) < reachable.size() / 4);
      }
      THEN("every retained state still reads fully") {
        for (const auto& b : retained) check_state(store, b.root, b.state);
      }
      THEN("only the unpruned blocks keep journal entries") {
        CHECK(store.count(db::Column::TrieJournal) == kWindow - 1);
        CHECK_FALSE(journal.value().has_entry(retained.front().block).value());
        CHECK(journal.value().has_entry(retained.back().block).value());
      }
      THEN("pruning a block twice is refused") {
        db::WriteBatch batch;
        CHECK(journal.value().stage_prune(batch, retained.front().block).error() ==
              make_error_code(TrieError::UnknownJournalEntry));
      }
    }
  }
}

SCENARIO("discarding a fork frees its nodes and keeps the other branch") {
  GIVEN("a parent state with two children on competing forks") {
    db::MemoryStore store;
    TrieDb trie(store);
    auto journal = TrieJournal::open(store, PruningMode::Pruned).value();
    std::mt19937 rng(99);
    Model parent_state;
    ChangeSet genesis;
    for (int i = 0; i < 50; ++i) genesis[Bytes{static_cast<uint8_t>(i), 0xaa}] = Bytes(33, static_cast<uint8_t>(i));
    for (const auto& [k, v] : genesis) parent_state[k] = *v;
    auto c0 = trie.apply(empty_root(), genesis).value();
    db::WriteBatch b0;
    REQUIRE(journal.stage_commit(b0, journal_block(0), c0).has_value());
    REQUIRE(store.write(std::move(b0)).has_value());

    Model a_state = parent_state, b_state = parent_state;
    ChangeSet a_changes = random_changes(rng, a_state);
    ChangeSet b_changes = random_changes(rng, b_state);
    auto ca = trie.apply(c0.new_root, a_changes).value();
    auto cb = trie.apply(c0.new_root, b_changes).value();
    db::WriteBatch b1;
    REQUIRE(journal.stage_commit(b1, journal_block(1, 1), ca).has_value());
    REQUIRE(journal.stage_commit(b1, journal_block(1, 2), cb).has_value());
    REQUIRE(store.write(std::move(b1)).has_value());

    WHEN("fork B is discarded and A becomes final, pruning the parent") {
      db::WriteBatch batch;
      REQUIRE(journal.stage_discard(batch, journal_block(1, 2)).has_value());
      REQUIRE(journal.stage_prune(batch, journal_block(1, 1)).has_value());
      REQUIRE(store.write(std::move(batch)).has_value());
      THEN("A reads fully and only A's nodes remain") {
        check_state(store, ca.new_root, a_state);
        std::unordered_set<H256> reachable;
        collect_root(store, ca.new_root, reachable);
        CHECK(store.count(db::Column::TrieNodes) == reachable.size());
        CHECK(store.count(db::Column::TrieJournal) == 1);  // genesis, never pruned here
      }
    }
    WHEN("fork B is discarded while the parent is kept") {
      db::WriteBatch batch;
      REQUIRE(journal.stage_discard(batch, journal_block(1, 2)).has_value());
      REQUIRE(store.write(std::move(batch)).has_value());
      THEN("the parent and A read fully and B's own nodes are gone") {
        check_state(store, c0.new_root, parent_state);
        check_state(store, ca.new_root, a_state);
        std::unordered_set<H256> reachable;
        collect_root(store, c0.new_root, reachable);
        collect_root(store, ca.new_root, reachable);
        CHECK(store.count(db::Column::TrieNodes) == reachable.size());
      }
    }
  }
}

SCENARIO("a node removed and re-added before pruning survives") {
  GIVEN("blocks that set, delete and set again the same key and value") {
    db::MemoryStore store;
    TrieDb trie(store);
    auto journal = TrieJournal::open(store, PruningMode::Pruned).value();
    Bytes big(50, 7);
    std::vector<ChangeSet> steps = {
        {{to_bytes("alpha"), big}, {to_bytes("beta"), big}},
        {{to_bytes("alpha"), std::nullopt}},
        {{to_bytes("alpha"), big}},
    };
    H256 root = empty_root();
    for (std::size_t i = 0; i < steps.size(); ++i) {
      auto c = trie.apply(root, steps[i]).value();
      db::WriteBatch batch;
      REQUIRE(journal.stage_commit(batch, journal_block(static_cast<int>(i)), c).has_value());
      REQUIRE(store.write(std::move(batch)).has_value());
      root = c.new_root;
    }
    WHEN("the first two blocks are pruned") {
      db::WriteBatch batch;
      REQUIRE(journal.stage_prune(batch, journal_block(0)).has_value());
      REQUIRE(journal.stage_prune(batch, journal_block(1)).has_value());
      REQUIRE(journal.stage_prune(batch, journal_block(2)).has_value());
      REQUIRE(store.write(std::move(batch)).has_value());
      THEN("the latest state, which equals the first, is intact") {
        check_state(store, root, {{to_bytes("alpha"), big}, {to_bytes("beta"), big}});
        CHECK(store.count(db::Column::TrieJournal) == 0);
      }
    }
  }
}

SCENARIO("staging the same block twice counts it once") {
  GIVEN("a block committed twice, in two batches") {
    db::MemoryStore store;
    TrieDb trie(store);
    auto journal = TrieJournal::open(store, PruningMode::Pruned).value();
    auto c = trie.apply(empty_root(), {{to_bytes("k"), Bytes(40, 1)}, {to_bytes("l"), Bytes(40, 2)}}).value();
    for (int i = 0; i < 2; ++i) {
      db::WriteBatch batch;
      REQUIRE(journal.stage_commit(batch, journal_block(0), c).has_value());
      REQUIRE(store.write(std::move(batch)).has_value());
    }
    THEN("every node has one reference") {
      for (const auto& [hash, bytes] : c.inserted_nodes) CHECK(journal.ref_count(hash).value() == 1);
    }
    WHEN("its child replaces everything and the child is pruned") {
      auto c1 = trie.apply(c.new_root, {{to_bytes("k"), std::nullopt}, {to_bytes("l"), std::nullopt}}).value();
      db::WriteBatch batch;
      REQUIRE(journal.stage_commit(batch, journal_block(1), c1).has_value());
      REQUIRE(journal.stage_prune(batch, journal_block(1)).has_value());
      // Each node falls from 1 to 0: one deletion, of the node; no count entry is touched.
      const auto touches_counts = [](const db::WriteBatch::Op& op) { return op.column == db::Column::TrieRefCounts; };
      CHECK(std::none_of(batch.ops().begin(), batch.ops().end(), touches_counts));
      REQUIRE(store.write(std::move(batch)).has_value());
      THEN("no node is left") {
        CHECK(c1.new_root == empty_root());
        CHECK(store.count(db::Column::TrieNodes) == 0);
        CHECK(store.count(db::Column::TrieRefCounts) == 0);
      }
    }
  }
}

SCENARIO("archive mode keeps every state") {
  GIVEN("an archive journal and three blocks") {
    db::MemoryStore store;
    TrieDb trie(store);
    auto journal = TrieJournal::open(store, PruningMode::Archive).value();
    std::mt19937 rng(8);
    Model model;
    std::vector<Block> blocks;
    H256 root = empty_root();
    for (int n = 0; n < 3; ++n) {
      auto c = trie.apply(root, random_changes(rng, model)).value();
      db::WriteBatch batch;
      REQUIRE(journal.stage_commit(batch, journal_block(n), c).has_value());
      REQUIRE(journal.stage_prune(batch, journal_block(n)).has_value());
      REQUIRE(store.write(std::move(batch)).has_value());
      root = c.new_root;
      blocks.push_back(Block{journal_block(n), root, model});
    }
    THEN("pruning did nothing and no counts or journal were written") {
      for (const auto& b : blocks) check_state(store, b.root, b.state);
      CHECK(store.count(db::Column::TrieRefCounts) == 0);
      CHECK(store.count(db::Column::TrieJournal) == 0);
    }
    THEN("the database refuses to be reopened in pruned mode") {
      auto again = TrieJournal::open(store, PruningMode::Pruned);
      REQUIRE_FALSE(again.has_value());
      CHECK(again.error() == make_error_code(TrieError::PruningModeMismatch));
      CHECK(TrieJournal::open(store, PruningMode::Archive).has_value());
    }
  }
}
