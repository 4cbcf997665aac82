#include "node/state/trie_state.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>

#include "node/db/leveldb_store.hpp"
#include "node/db/memory_store.hpp"
#include "tests/node/state/state_support.hpp"
#include "node/trie/journal.hpp"

using namespace bazaar::node;
using namespace bazaar::node::state;
using bazaar::runtime::to_bytes;
using bazaar::runtime::storage::ChangeSet;
namespace fs = std::filesystem;

namespace {

using test::commit;

std::vector<Bytes> strings(std::initializer_list<const char*> list) {
  std::vector<Bytes> out;
  for (const char* s : list) out.push_back(to_bytes(s));
  return out;
}

}  // namespace

SCENARIO("a TrieState is the runtime's reader of one state root") {
  GIVEN("two states, one after the other") {
    db::MemoryStore store;
    trie::TrieDb trie(store);
    H256 first =
        commit(store, trie, trie::empty_root(), {{to_bytes("a"), to_bytes("1")}, {to_bytes("c"), to_bytes("3")}});
    H256 second = commit(store, trie, first, {{to_bytes("a"), std::nullopt}, {to_bytes("b"), to_bytes("2")}});
    TrieState at_first(trie, first), at_second(trie, second);
    THEN("each reads its own values and key order") {
      const bazaar::runtime::storage::StorageReader& r1 = at_first;
      CHECK(r1.get(to_bytes("a")) == to_bytes("1"));
      CHECK_FALSE(r1.get(to_bytes("b")).has_value());
      CHECK(r1.next_key(to_bytes("a")) == to_bytes("c"));
      CHECK_FALSE(at_second.get(to_bytes("a")).has_value());
      CHECK(at_second.next_key(Bytes{}) == to_bytes("b"));
      CHECK_FALSE(at_second.next_key(to_bytes("c")).has_value());
      CHECK_FALSE(at_first.failure().has_value());
    }
  }
  GIVEN("a state whose nodes are missing") {
    db::MemoryStore store;
    trie::TrieDb trie(store);
    TrieState state(trie, H256::from_span(Bytes(32, 1)));
    WHEN("the runtime reads from it") {
      auto v = state.get(to_bytes("a"));
      THEN("the read is empty and the failure is recorded for the executor to check") {
        CHECK_FALSE(v.has_value());
        REQUIRE(state.failure().has_value());
        CHECK(*state.failure() == make_error_code(trie::TrieError::MissingNode));
      }
    }
  }
}

SCENARIO("keys_paged lists keys under a prefix page by page") {
  GIVEN("a state with keys inside and around the prefix 'pre'") {
    db::MemoryStore store;
    trie::TrieDb trie(store);
    ChangeSet changes;
    for (const char* k : {"pra", "pre", "pre0", "pre1", "pre10", "pre2", "pre3", "prf", "a", "z"})
      changes[to_bytes(k)] = to_bytes("v");
    H256 root = commit(store, trie, trie::empty_root(), changes);
    THEN("without a start key the prefix itself is included") {
      CHECK(keys_paged(trie, root, to_bytes("pre"), 100).value() ==
            strings({"pre", "pre0", "pre1", "pre10", "pre2", "pre3"}));
    }
    THEN("a start key is exclusive, as polkadot.js expects when it passes the prefix") {
      CHECK(keys_paged(trie, root, to_bytes("pre"), 100, to_bytes("pre")).value() ==
            strings({"pre0", "pre1", "pre10", "pre2", "pre3"}));
    }
    THEN("pages of two continue from the last key of the previous page") {
      std::vector<Bytes> all;
      std::optional<Bytes> start;
      for (;;) {
        auto page = keys_paged(trie, root, to_bytes("pre"), 2, start ? std::optional<ByteSpan>(*start) : std::nullopt);
        REQUIRE(page.has_value());
        all.insert(all.end(), page.value().begin(), page.value().end());
        if (page.value().size() < 2) break;
        start = page.value().back();
      }
      CHECK(all == strings({"pre", "pre0", "pre1", "pre10", "pre2", "pre3"}));
    }
    THEN("a start key before the prefix starts at the prefix, and an empty prefix lists everything") {
      CHECK(keys_paged(trie, root, to_bytes("pre"), 1, to_bytes("a")).value() == strings({"pre"}));
      CHECK(keys_paged(trie, root, {}, 100).value().size() == changes.size());
      CHECK(keys_paged(trie, root, to_bytes("q"), 100).value().empty());
      CHECK(keys_paged(trie, root, to_bytes("pre"), 0).value().empty());
    }
  }
}

SCENARIO("pruned state on LevelDB survives a restart") {
  GIVEN("a LevelDB database with a few pruned blocks") {
    fs::path dir = fs::temp_directory_path() / ("bazaar-state-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    std::mt19937 rng(2);
    std::map<Bytes, Bytes> model;
    H256 root = trie::empty_root();
    {
      auto store = db::LevelDbStore::open(dir);
      REQUIRE(store.has_value());
      trie::TrieDb trie(*store.value());
      auto journal = trie::TrieJournal::open(*store.value(), trie::PruningMode::Pruned).value();
      for (int n = 0; n < 10; ++n) {
        ChangeSet changes;
        for (int i = 0; i < 20; ++i) {
          Bytes k{static_cast<uint8_t>(rng() % 64), static_cast<uint8_t>(rng() % 4)};
          Bytes v(rng() % 40, static_cast<uint8_t>(n));
          changes[k] = v;
          model[k] = v;
        }
        auto c = trie.apply(root, changes).value();
        db::WriteBatch batch;
        Bytes block(32, static_cast<uint8_t>(n));
        REQUIRE(journal.stage_commit(batch, trie::JournalBlock{static_cast<uint32_t>(n), H256::from_span(block)}, c)
                    .has_value());
        if (n >= 2)
          REQUIRE(journal
                      .stage_prune(batch, trie::JournalBlock{static_cast<uint32_t>(n - 1),
                                                             H256::from_span(Bytes(32, static_cast<uint8_t>(n - 1)))})
                      .has_value());
        batch.put(db::Column::Meta, to_bytes("best_root"), c.new_root.span());
        REQUIRE(store.value()->write(std::move(batch), db::WriteOptions{.sync = true}).has_value());
        root = c.new_root;
      }
    }
    WHEN("the database is reopened") {
      auto store = db::LevelDbStore::open(dir);
      REQUIRE(store.has_value());
      trie::TrieDb trie(*store.value());
      auto best = store.value()->get(db::Column::Meta, to_bytes("best_root")).value();
      REQUIRE(best.has_value());
      TrieState state(trie, H256::from_span(*best));
      THEN("the latest state reads exactly as written") {
        CHECK(state.root() == root);
        for (const auto& [k, v] : model) CHECK(state.get(k) == v);
        CHECK(keys_paged(trie, root, {}, 10000).value().size() == model.size());
        CHECK_FALSE(state.failure().has_value());
      }
    }
    fs::remove_all(dir);
  }
}
