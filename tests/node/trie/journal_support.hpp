#pragma once
// Test helpers for the pruning journal: a store that injects faults and
// counts reads, block hashes, random change sets, and checks of the stored
// counts against a model.

#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "node/db/memory_store.hpp"
#include "node/trie/journal.hpp"

namespace bazaar::node::trie::test {

/// A MemoryStore that counts reads per column and can fail reads or writes.
class FaultyStore final : public db::KeyValueStore {
 public:
  enum class WriteFault {
    None,
    Fail,          ///< refuse the write: nothing lands
    LandThenFail,  ///< apply the batch, then report an error anyway
  };

  Result<std::optional<Bytes>> get(db::Column column, ByteSpan key) const override {
    ++reads[static_cast<std::size_t>(column)];
    if (fail_get_in && (*fail_get_in)-- == 0) {
      fail_get_in.reset();
      return db::DbError::IoError;
    }
    return m_inner.get(column, key);
  }
  std::size_t count(db::Column column) const { return m_inner.count(column); }
  std::size_t reads_of(db::Column column) const { return reads[static_cast<std::size_t>(column)]; }
  void poke(db::Column column, ByteSpan key, ByteSpan value) { m_inner.poke(column, key, value); }

  mutable std::size_t reads[db::kColumnCount] = {};
  /// Fail the get after this many more gets (0: the next one), once.
  mutable std::optional<int> fail_get_in;
  WriteFault write_fault = WriteFault::None;

 private:
  Result<void> do_write(db::WriteBatch&& batch, db::WriteOptions options) override {
    const WriteFault fault = std::exchange(write_fault, WriteFault::None);
    if (fault == WriteFault::Fail) return db::DbError::IoError;
    BAZAAR_TRY(m_inner.write(std::move(batch), options));
    if (fault == WriteFault::LandThenFail) return db::DbError::IoError;
    return success();
  }
  Result<void> do_iterate(db::Column column, ByteSpan prefix, ByteSpan start, const Visitor& visit) const override {
    return m_inner.iterate(column, prefix, start, visit);
  }
  db::MemoryStore m_inner;
};

/// Block `n` of fork `fork` (0 = the canonical chain), as the journal names it.
inline JournalBlock journal_block(int n, int fork = 0) {
  Bytes b(32, 0);
  b[0] = static_cast<uint8_t>(n);
  b[1] = static_cast<uint8_t>(n >> 8);
  b[2] = static_cast<uint8_t>(fork);
  b[3] = 0xb1;
  return JournalBlock{static_cast<uint32_t>(n), H256::from_span(b)};
}

/// Model of the stored state: key -> value.
using Model = std::map<Bytes, Bytes>;

/// Applies `changes` (nullopt = delete) to `model`.
inline void apply_to_model(const runtime::storage::ChangeSet& changes, Model& model) {
  for (const auto& [k, v] : changes) {
    if (v)
      model[k] = *v;
    else
      model.erase(k);
  }
}

/// A few writes and deletions over a small key space with few distinct
/// values, so that states share nodes, nodes repeat inside one state, and a
/// node can leave the state and come back. Applies them to `model`.
inline runtime::storage::ChangeSet random_changes(std::mt19937& rng, Model& model) {
  runtime::storage::ChangeSet changes;
  const int n = 1 + static_cast<int>(rng() % 10);
  for (int i = 0; i < n; ++i) {
    Bytes k{static_cast<uint8_t>(rng() % 6), static_cast<uint8_t>(rng() % 24)};
    if (rng() % 5 == 0)
      changes[k] = std::nullopt;
    else
      changes[k] = Bytes(33 + rng() % 3, static_cast<uint8_t>(rng() % 3));
  }
  apply_to_model(changes, model);
  return changes;
}

/// Expected reference counts: hash -> count (zeros allowed, meaning absent).
using Counts = std::map<H256, uint32_t>;

/// The stored counts equal `model` exactly (no extra, none missing, zero =
/// absent): the stored nodes are exactly the counted ones and count entries
/// exist exactly for counts of 2 or more (journal.hpp "Stored counts").
inline void check_counts(const FaultyStore& store, const Counts& model) {
  std::map<H256, uint32_t> stored;
  REQUIRE(store
              .iterate(db::Column::TrieRefCounts, {},
                       [&](ByteSpan key, ByteSpan value) {
                         REQUIRE(key.size() == 32);
                         REQUIRE(value.size() == 4);
                         stored[H256::from_span(key)] = static_cast<uint32_t>(value[0]) | value[1] << 8 |
                                                        value[2] << 16 | static_cast<uint32_t>(value[3]) << 24;
                         return true;
                       })
              .has_value());
  std::size_t nonzero = 0;
  std::size_t shared = 0;
  for (const auto& [hash, count] : model) {
    if (count == 0) continue;
    ++nonzero;
    REQUIRE(store.get(db::Column::TrieNodes, hash.span()).value().has_value());
    if (count == 1) {
      REQUIRE(stored.count(hash) == 0);
      continue;
    }
    ++shared;
    auto it = stored.find(hash);
    REQUIRE(it != stored.end());
    REQUIRE(it->second == count);
  }
  REQUIRE(stored.size() == shared);
  REQUIRE(store.count(db::Column::TrieNodes) == nonzero);
}

}  // namespace bazaar::node::trie::test
