#include "node/db/kv_store.hpp"

#include <catch2/catch.hpp>

#include "node/db/memory_store.hpp"

using namespace bazaar::node::db;
using bazaar::runtime::to_bytes;

namespace {

std::vector<std::pair<Bytes, Bytes>> collect(const KeyValueStore& store, Column column, ByteSpan prefix,
                                             ByteSpan start = {}) {
  std::vector<std::pair<Bytes, Bytes>> out;
  auto r = store.iterate(column, prefix, start, [&](ByteSpan k, ByteSpan v) {
    out.emplace_back(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
    return true;
  });
  REQUIRE(r.has_value());
  return out;
}

}  // namespace

SCENARIO("a write batch remembers the last operation on each key") {
  GIVEN("a batch with puts, an overwrite and a delete") {
    WriteBatch batch;
    batch.put(Column::Headers, to_bytes("a"), to_bytes("1"));
    batch.put(Column::Headers, to_bytes("b"), to_bytes("2"));
    batch.put(Column::Headers, to_bytes("a"), to_bytes("3"));
    batch.del(Column::Headers, to_bytes("b"));
    batch.put(Column::Bodies, to_bytes("a"), to_bytes("body"));
    THEN("find answers with the latest operation per column and key") {
      REQUIRE(batch.find(Column::Headers, to_bytes("a")) != nullptr);
      CHECK(*batch.find(Column::Headers, to_bytes("a")) == to_bytes("3"));
      REQUIRE(batch.find(Column::Headers, to_bytes("b")) != nullptr);
      CHECK_FALSE(batch.find(Column::Headers, to_bytes("b"))->has_value());
      CHECK(*batch.find(Column::Bodies, to_bytes("a")) == to_bytes("body"));
      CHECK(batch.find(Column::Meta, to_bytes("a")) == nullptr);
      CHECK(batch.size() == 5);
    }
    WHEN("another batch is appended") {
      WriteBatch more;
      more.put(Column::Headers, to_bytes("b"), to_bytes("4"));
      batch.append(std::move(more));
      THEN("its operations come last") {
        CHECK(*batch.find(Column::Headers, to_bytes("b")) == to_bytes("4"));
        CHECK(batch.size() == 6);
        CHECK(more.empty());
      }
    }
    WHEN("it is written to a store") {
      MemoryStore store;
      REQUIRE(store.write(std::move(batch)).has_value());
      THEN("the store holds the final state of every key") {
        CHECK(store.get(Column::Headers, to_bytes("a")).value() == to_bytes("3"));
        CHECK_FALSE(store.get(Column::Headers, to_bytes("b")).value().has_value());
        CHECK(store.get(Column::Bodies, to_bytes("a")).value() == to_bytes("body"));
        CHECK_FALSE(store.get(Column::Meta, to_bytes("a")).value().has_value());
      }
    }
  }
}

SCENARIO("a write batch searched between writes still finds the last operation") {
  GIVEN("a batch searched once, then written to again") {
    WriteBatch batch;
    batch.put(Column::Meta, to_bytes("a"), to_bytes("1"));
    REQUIRE(batch.find(Column::Meta, to_bytes("a")) != nullptr);
    CHECK(batch.find(Column::Meta, to_bytes("b")) == nullptr);
    batch.put(Column::Meta, to_bytes("b"), to_bytes("2"));
    batch.del(Column::Meta, to_bytes("a"));
    THEN("find sees the operations staged after the first search") {
      REQUIRE(batch.find(Column::Meta, to_bytes("b")) != nullptr);
      CHECK(*batch.find(Column::Meta, to_bytes("b")) == to_bytes("2"));
      REQUIRE(batch.find(Column::Meta, to_bytes("a")) != nullptr);
      CHECK_FALSE(batch.find(Column::Meta, to_bytes("a"))->has_value());
    }
    WHEN("the batch is moved and the moved-from batch is filled again") {
      WriteBatch moved(std::move(batch));
      batch.put(Column::Aux, to_bytes("x"), to_bytes("3"));
      batch.put(Column::Aux, to_bytes("y"), to_bytes("4"));
      THEN("each batch finds exactly its own operations") {
        CHECK(batch.size() == 2);
        REQUIRE(batch.find(Column::Aux, to_bytes("x")) != nullptr);
        CHECK(*batch.find(Column::Aux, to_bytes("x")) == to_bytes("3"));
        CHECK(batch.find(Column::Meta, to_bytes("b")) == nullptr);
        REQUIRE(moved.find(Column::Meta, to_bytes("b")) != nullptr);
        CHECK(moved.find(Column::Aux, to_bytes("x")) == nullptr);
      }
    }
    WHEN("the batch is cleared and refilled") {
      batch.clear();
      batch.put(Column::Meta, to_bytes("c"), to_bytes("5"));
      THEN("only the new operations are found") {
        CHECK(batch.find(Column::Meta, to_bytes("a")) == nullptr);
        REQUIRE(batch.find(Column::Meta, to_bytes("c")) != nullptr);
        CHECK(*batch.find(Column::Meta, to_bytes("c")) == to_bytes("5"));
      }
    }
  }
}

SCENARIO("read_through sees staged writes before the store") {
  GIVEN("a store with a value and a batch that changes it") {
    MemoryStore store;
    WriteBatch setup;
    setup.put(Column::Meta, to_bytes("k"), to_bytes("old"));
    setup.put(Column::Meta, to_bytes("gone"), to_bytes("x"));
    REQUIRE(store.write(std::move(setup)).has_value());
    WriteBatch batch;
    batch.put(Column::Meta, to_bytes("k"), to_bytes("new"));
    batch.del(Column::Meta, to_bytes("gone"));
    THEN("staged puts and deletes win, other keys come from the store") {
      CHECK(read_through(store, batch, Column::Meta, to_bytes("k")).value() == to_bytes("new"));
      CHECK_FALSE(read_through(store, batch, Column::Meta, to_bytes("gone")).value().has_value());
      CHECK(store.get(Column::Meta, to_bytes("gone")).value() == to_bytes("x"));
    }
  }
}

SCENARIO("the memory store iterates one column in key order") {
  GIVEN("keys in two columns") {
    MemoryStore store;
    WriteBatch batch;
    for (const char* k : {"ab", "aa", "b", "a", "abc", "ac"}) batch.put(Column::Aux, to_bytes(k), to_bytes(k));
    batch.put(Column::Offchain, to_bytes("aa"), to_bytes("other column"));
    REQUIRE(store.write(std::move(batch)).has_value());
    THEN("a prefix selects its keys in ascending order, not the other column's") {
      auto all = collect(store, Column::Aux, to_bytes("a"));
      std::vector<Bytes> keys;
      for (auto& [k, v] : all) keys.push_back(k);
      CHECK(keys == std::vector<Bytes>{to_bytes("a"), to_bytes("aa"), to_bytes("ab"), to_bytes("abc"), to_bytes("ac")});
      CHECK(store.count(Column::Aux) == 6);
      CHECK(store.count(Column::Offchain) == 1);
    }
    THEN("a start key skips smaller keys") {
      auto from = collect(store, Column::Aux, to_bytes("a"), to_bytes("ab"));
      REQUIRE(from.size() == 3);
      CHECK(from[0].first == to_bytes("ab"));
    }
    THEN("the visitor can stop early") {
      int seen = 0;
      REQUIRE(store.iterate(Column::Aux, {}, [&](ByteSpan, ByteSpan) { return ++seen < 2; }).has_value());
      CHECK(seen == 2);
    }
    THEN("for_each_key visits the column's keys and only those") {
      std::vector<Bytes> keys;
      REQUIRE(store
                  .for_each_key(Column::Offchain,
                                [&](ByteSpan k) {
                                  keys.emplace_back(k.begin(), k.end());
                                  return true;
                                })
                  .has_value());
      CHECK(keys == std::vector<Bytes>{to_bytes("aa")});
    }
  }
}

SCENARIO("database errors have readable messages") {
  boost::system::error_code bec = DbError::Locked;
  CHECK(bec.message() == "database directory is locked by another process");
  CHECK(std::string(bec.category().name()) == "db");
  CHECK(std::string(to_string(Column::TrieNodes)) == "trie_nodes");
}

SCENARIO("block keys are the number big-endian, then the hash, so they sort by number") {
  const Bytes hash_a(32, 0xff);
  const Bytes hash_b(32, 0x00);
  const Bytes key = block_key(0x01020304, hash_a);
  REQUIRE(key.size() == 36);
  CHECK(Bytes(key.begin(), key.begin() + 4) == Bytes{0x01, 0x02, 0x03, 0x04});
  CHECK(Bytes(key.begin() + 4, key.end()) == hash_a);
  // A higher number sorts later whatever the hashes, and within one number the hash decides.
  CHECK(block_key(255, hash_a) < block_key(256, hash_b));
  CHECK(block_key(7, hash_b) < block_key(7, hash_a));
  // The number alone reads back; anything but 4 bytes does not.
  CHECK(decode_number_key(number_key(0x01020304)) == 0x01020304u);
  CHECK(decode_number_key(Bytes(key.begin(), key.begin() + 4)) == 0x01020304u);
  CHECK_FALSE(decode_number_key(Bytes{1, 2, 3}).has_value());
  CHECK_FALSE(decode_number_key(key).has_value());
}
