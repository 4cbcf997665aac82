#include "node/trie/trie_db.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "node/db/memory_store.hpp"
#include "node/trie/root.hpp"

using namespace bazaar::node;
using namespace bazaar::node::trie;
using bazaar::Result;
using bazaar::runtime::to_bytes;
using bazaar::runtime::storage::ChangeSet;

namespace {

using Model = std::map<Bytes, Bytes>;

/// Keys over a tiny alphabet so that they share prefixes, split nibbles and
/// sometimes are prefixes of each other (including the empty key).
Bytes random_key(std::mt19937& rng) {
  static const uint8_t kAlphabet[] = {0x00, 0x01, 0x10, 0x11, 0x1f, 0xf0, 0xff};
  Bytes k(rng() % 6);
  for (auto& b : k) b = kAlphabet[rng() % sizeof(kAlphabet)];
  return k;
}

/// Values of 0..40 bytes: children shorter than 32 bytes are inlined, longer hashed.
Bytes random_value(std::mt19937& rng) {
  Bytes v(rng() % 41);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

/// Applies `changes` to the trie at `root`, stores the new nodes, returns the new root.
H256 commit(db::KeyValueStore& store, const TrieDb& trie, const H256& root, const ChangeSet& changes) {
  auto result = trie.apply(root, changes);
  REQUIRE(result.has_value());
  db::WriteBatch batch;
  stage(batch, result.value());
  REQUIRE(store.write(std::move(batch)).has_value());
  return result.value().new_root;
}

void check_matches(const TrieDb& trie, const H256& root, const Model& model, std::mt19937& rng) {
  REQUIRE(root == compute_root(model));
  for (const auto& [k, v] : model) {
    auto got = trie.get(root, k);
    REQUIRE(got.has_value());
    REQUIRE(got.value() == v);
  }
  for (int i = 0; i < 50; ++i) {
    Bytes probe = random_key(rng);
    auto got = trie.get(root, probe);
    REQUIRE(got.has_value());
    auto it = model.find(probe);
    REQUIRE(got.value() == (it == model.end() ? std::nullopt : std::optional<Bytes>(it->second)));
    auto next = trie.next_key(root, probe);
    REQUIRE(next.has_value());
    auto up = model.upper_bound(probe);
    REQUIRE(next.value() == (up == model.end() ? std::nullopt : std::optional<Bytes>(up->first)));
  }
}

/// A store that counts reads, to check how much of the trie a commit touches.
class CountingStore final : public db::KeyValueStore {
 public:
  explicit CountingStore(db::KeyValueStore& inner) : m_inner(inner) {}
  Result<std::optional<Bytes>> get(db::Column c, ByteSpan k) const override {
    ++reads;
    return m_inner.get(c, k);
  }
  mutable std::atomic<int> reads{0};

 protected:
  Result<void> do_write(db::WriteBatch&& b, db::WriteOptions o) override { return m_inner.write(std::move(b), o); }
  Result<void> do_iterate(db::Column c, ByteSpan p, ByteSpan s, const Visitor& v) const override {
    return m_inner.iterate(c, p, s, v);
  }

 private:
  db::KeyValueStore& m_inner;
};

/// The diff's node lists as sorted multisets (their order is an encoding detail).
std::pair<std::vector<std::pair<H256, Bytes>>, std::vector<H256>> sorted_diff(const CommitResult& c) {
  auto inserted = c.inserted_nodes;
  auto removed = c.removed_nodes;
  std::sort(inserted.begin(), inserted.end());
  std::sort(removed.begin(), removed.end());
  return {std::move(inserted), std::move(removed)};
}

/// What `changes` does to a state, done to the model.
void apply_to_model(Model& model, const ChangeSet& changes) {
  for (const auto& [k, v] : changes) {
    if (v)
      model[k] = *v;
    else
      model.erase(k);
  }
}

/// `n` random 32-byte keys (as hashed storage keys are) with 8-byte values.
ChangeSet random_accounts(std::mt19937& rng, int n) {
  ChangeSet changes;
  for (int i = 0; i < n; ++i) {
    Bytes k(32);
    for (auto& b : k) b = static_cast<uint8_t>(rng());
    changes[k] = Bytes(8, static_cast<uint8_t>(i));
  }
  return changes;
}

}  // namespace

SCENARIO("the trie agrees with a std::map over thousands of random operations") {
  GIVEN("an empty trie and an empty model") {
    db::MemoryStore store;
    TrieDb trie(store);
    std::mt19937 rng(42);
    Model model;
    H256 root = empty_root();
    std::vector<std::pair<H256, Model>> history;
    MutableTrie live = trie.open(root);  // kept across the blocks (apply_in_place)
    WHEN("200 blocks of random inserts, updates (some to the same value) and deletes (some of absent keys) are applied") {
      for (int block = 0; block < 200; ++block) {
        ChangeSet changes;
        int n = 1 + static_cast<int>(rng() % 30);
        for (int i = 0; i < n; ++i) {
          Bytes k = random_key(rng);
          auto it = model.find(k);
          switch (rng() % 4) {
            case 0: changes[k] = std::nullopt; break;
            case 1: changes[k] = it == model.end() ? random_value(rng) : it->second; break;
            default: changes[k] = random_value(rng);
          }
        }
        apply_to_model(model, changes);
        // The live trie gives the root and node diff (as multisets) of a fresh one.
        auto fresh = trie.apply(root, changes);
        REQUIRE(fresh.has_value());
        auto kept = trie.apply_in_place(live, changes);
        REQUIRE(kept.has_value());
        REQUIRE(sorted_diff(kept.value()) == sorted_diff(fresh.value()));
        REQUIRE(kept.value().new_root == fresh.value().new_root);
        root = commit(store, trie, root, changes);
        history.emplace_back(root, model);
        check_matches(trie, root, model, rng);
      }
      THEN("every earlier root still reads its own state") {
        for (const auto& [old_root, old_model] : history) check_matches(trie, old_root, old_model, rng);
      }
      THEN("deleting every key gives back the empty root") {
        ChangeSet wipe;
        for (const auto& [k, v] : model) wipe[k] = std::nullopt;
        auto result = trie.apply(root, wipe);
        REQUIRE(result.has_value());
        CHECK(result.value().new_root == empty_root());
        CHECK(result.value().inserted_nodes.empty());
      }
    }
  }
}

SCENARIO("next_key walks the keys in byte order") {
  GIVEN("keys that are prefixes of one another and differ in the low nibble") {
    db::MemoryStore store;
    TrieDb trie(store);
    Model model;
    for (const char* k : {"", "a", "ab", "abc", "abd", "b", "ba", "\x10", "\x01", "\xff\xff"})
      model[to_bytes(k)] = to_bytes("v");
    ChangeSet changes;
    for (const auto& [k, v] : model) changes[k] = v;
    H256 root = commit(store, trie, empty_root(), changes);
    THEN("starting before the first key and stepping reaches every key once, in order") {
      std::vector<Bytes> walked;
      auto first = trie.get(root, Bytes{});
      REQUIRE(first.value().has_value());
      Bytes cursor;
      walked.push_back(cursor);
      for (;;) {
        auto next = trie.next_key(root, cursor);
        REQUIRE(next.has_value());
        if (!next.value()) break;
        cursor = *next.value();
        walked.push_back(cursor);
      }
      std::vector<Bytes> expected;
      for (const auto& [k, v] : model) expected.push_back(k);
      CHECK(walked == expected);
    }
    THEN("keys that are not in the trie find their successor") {
      CHECK(trie.next_key(root, to_bytes("aa")).value() == to_bytes("ab"));
      CHECK(trie.next_key(root, to_bytes("abcz")).value() == to_bytes("abd"));
      CHECK(trie.next_key(root, to_bytes("c")).value() == to_bytes("\xff\xff"));
      CHECK_FALSE(trie.next_key(root, to_bytes("\xff\xff")).value().has_value());
      CHECK_FALSE(trie.next_key(empty_root(), to_bytes("a")).value().has_value());
    }
  }
}

SCENARIO("apply reads only the paths of the changed keys") {
  GIVEN("a trie of 5000 keys and no node cache") {
    db::MemoryStore inner;
    CountingStore store(inner);
    TrieDb trie(store, TrieDbOptions{.cache_bytes = 0});
    std::mt19937 rng(5);
    const ChangeSet genesis = random_accounts(rng, 5000);
    H256 root = commit(store, trie, empty_root(), genesis);
    WHEN("three keys change") {
      store.reads = 0;
      ChangeSet changes;
      auto it = genesis.begin();
      changes[it->first] = to_bytes("new");
      std::advance(it, 2500);
      changes[it->first] = std::nullopt;
      Bytes fresh(32, 0x5a);
      changes[fresh] = to_bytes("fresh");
      auto result = trie.apply(root, changes);
      REQUIRE(result.has_value());
      THEN("a handful of nodes is read, inserted and removed, not the whole trie") {
        CHECK(store.reads < 3 * 8);
        CHECK(result.value().inserted_nodes.size() < 3 * 8);
        CHECK(result.value().removed_nodes.size() == static_cast<std::size_t>(store.reads.load()));
      }
    }
    WHEN("a live trie applies a block, and then one that changes the same keys again") {
      MutableTrie live = trie.open(root);
      ChangeSet first;
      auto it = genesis.begin();
      first[it->first] = to_bytes("one");
      std::advance(it, 1000);
      first[it->first] = to_bytes("two");
      auto applied = trie.apply_in_place(live, first);
      REQUIRE(applied.has_value());
      db::WriteBatch batch;
      stage(batch, applied.value());
      REQUIRE(store.write(std::move(batch)).has_value());
      AND_WHEN("the next block changes the same keys again") {
        store.reads = 0;
        ChangeSet second;
        for (const auto& [k, v] : first) second[k] = to_bytes("again");
        auto result = trie.apply_in_place(live, second);
        REQUIRE(result.has_value());
        THEN("no node is read, and the nodes the first block wrote are the ones removed") {
          CHECK(store.reads == 0);
          auto expected = trie.apply(applied.value().new_root, second);
          REQUIRE(expected.has_value());
          CHECK(sorted_diff(result.value()) == sorted_diff(expected.value()));
          std::vector<H256> written;
          for (const auto& [h, b] : applied.value().inserted_nodes) written.push_back(h);
          std::sort(written.begin(), written.end());
          CHECK(sorted_diff(result.value()).second == written);
        }
      }
    }
  }
}

SCENARIO("corrupt and missing nodes are errors, not crashes") {
  GIVEN("a stored trie") {
    db::MemoryStore store;
    TrieDb trie(store, TrieDbOptions{.cache_bytes = 0});
    ChangeSet changes;
    for (int i = 0; i < 64; ++i) changes[Bytes{static_cast<uint8_t>(i * 4), 1, 2}] = Bytes(40, static_cast<uint8_t>(i));
    auto result = trie.apply(empty_root(), changes);
    REQUIRE(result.has_value());
    H256 root = result.value().new_root;
    db::WriteBatch batch;
    stage(batch, result.value());
    REQUIRE(store.write(std::move(batch)).has_value());
    Bytes key{0, 1, 2};

    WHEN("the root node's bytes are replaced by garbage") {
      store.poke(db::Column::TrieNodes, root.span(), Bytes{0x42, 0xaa, 0x04});
      THEN("reads, commits and proofs fail with CorruptNode") {
        CHECK(trie.get(root, key).error() == make_error_code(TrieError::CorruptNode));
        CHECK(trie.next_key(root, key).error() == make_error_code(TrieError::CorruptNode));
        CHECK(trie.apply(root, changes).error() == make_error_code(TrieError::CorruptNode));
        CHECK(trie.read_proof(root, {key}).error() == make_error_code(TrieError::CorruptNode));
      }
    }
    WHEN("a node is replaced by another valid node") {
      store.poke(db::Column::TrieNodes, root.span(), Bytes{0x42, 0xaa, 0x04, 0xbb});
      THEN("the hash check catches it") {
        CHECK(trie.get(root, key).error() == make_error_code(TrieError::CorruptNode));
      }
    }
    WHEN("a child node is deleted") {
      db::WriteBatch del;
      for (const auto& [hash, bytes] : result.value().inserted_nodes)
        if (hash != root) del.del(db::Column::TrieNodes, hash.span());
      REQUIRE(store.write(std::move(del)).has_value());
      THEN("reads below the root fail with MissingNode") {
        CHECK(trie.get(root, key).error() == make_error_code(TrieError::MissingNode));
        CHECK(trie.has_state(root).value());
      }
    }
    THEN("an unknown root is MissingNode") {
      H256 unknown = H256::from_span(Bytes(32, 0x77));
      CHECK(trie.get(unknown, key).error() == make_error_code(TrieError::MissingNode));
      CHECK_FALSE(trie.has_state(unknown).value());
    }
  }
}

SCENARIO("identical subtrees are counted once per occurrence") {
  GIVEN("two keys whose leaves are identical and hashed") {
    Bytes value(40, 1);
    ChangeSet changes{{Bytes{0x10, 0xaa}, value}, {Bytes{0x20, 0xaa}, value}};
    db::MemoryStore store;
    TrieDb trie(store);
    auto result = trie.apply(empty_root(), changes);
    REQUIRE(result.has_value());
    THEN("the leaf appears twice among the inserted nodes") {
      std::map<H256, int> seen;
      for (const auto& [h, b] : result.value().inserted_nodes) ++seen[h];
      CHECK(seen.size() == 2);  // the root and the shared leaf
      int max = 0;
      for (const auto& [h, n] : seen) max = std::max(max, n);
      CHECK(max == 2);
    }
  }
}

SCENARIO("the node cache serves repeated reads") {
  GIVEN("a trie read twice") {
    db::MemoryStore inner;
    CountingStore store(inner);
    TrieDb trie(store);
    ChangeSet changes;
    for (int i = 0; i < 100; ++i) changes[Bytes{static_cast<uint8_t>(i), 9}] = Bytes(40, 3);
    H256 root = commit(store, trie, empty_root(), changes);
    REQUIRE(trie.get(root, Bytes{5, 9}).value().has_value());
    int after_first = store.reads;
    REQUIRE(trie.get(root, Bytes{5, 9}).value().has_value());
    THEN("the second read does not touch the store") {
      CHECK(store.reads == after_first);
      CHECK(trie.cache().hits() > 0);
    }
  }
}

SCENARIO("long keys use the multi-byte partial-key header") {
  GIVEN("300 keys of 70 to 140 bytes sharing a 60-byte prefix") {
    db::MemoryStore store;
    TrieDb trie(store);
    std::mt19937 rng(77);
    Model model;
    ChangeSet changes;
    Bytes prefix(60, 0xab);
    for (int i = 0; i < 300; ++i) {
      Bytes k = prefix;
      k.resize(70 + rng() % 71);
      for (std::size_t j = 60; j < k.size(); ++j) k[j] = static_cast<uint8_t>(rng() % 3);
      Bytes v = random_value(rng);
      changes[k] = v;
      model[k] = v;
    }
    H256 root = commit(store, trie, empty_root(), changes);
    THEN("the trie reads back every key in order and matches the in-memory root") {
      check_matches(trie, root, model, rng);
      Bytes cursor;
      std::size_t walked = 0;
      while (auto next = trie.next_key(root, cursor).value()) {
        cursor = *next;
        ++walked;
      }
      CHECK(walked == model.size());
    }
    WHEN("every other key is deleted") {
      ChangeSet deletes;
      bool odd = false;
      for (auto it = model.begin(); it != model.end();) {
        if ((odd = !odd)) {
          deletes[it->first] = std::nullopt;
          it = model.erase(it);
        } else {
          ++it;
        }
      }
      H256 after = commit(store, trie, root, deletes);
      THEN("the result equals building the remaining keys from scratch") { check_matches(trie, after, model, rng); }
    }
  }
}
