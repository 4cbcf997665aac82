#include "node/trie/journal.hpp"

#include <boost/describe/class.hpp>
#include <map>

#include "runtime/codec/scale.hpp"

namespace bazaar::node::trie {

namespace {

struct JournalEntry {
  std::vector<H256> inserted;
  std::vector<H256> removed;
};
BOOST_DESCRIBE_STRUCT(JournalEntry, (), (inserted, removed))

const Bytes kModeKey = runtime::to_bytes("trie_pruning_mode");

Result<uint32_t> read_count(const db::KeyValueStore& store, const db::WriteBatch& batch, const H256& hash) {
  BAZAAR_TRY(auto bytes, db::read_through(store, batch, db::Column::TrieRefCounts, hash.span()));
  if (!bytes) return 0u;
  auto count = runtime::codec::decode<uint32_t>(*bytes);
  if (!count) return TrieError::CorruptJournal;
  return count.value();
}

void write_count(db::WriteBatch& batch, const H256& hash, uint32_t count) {
  if (count == 0)
    batch.del(db::Column::TrieRefCounts, hash.span());
  else
    batch.put(db::Column::TrieRefCounts, hash.span(), runtime::codec::encode(count));
}

Result<std::optional<JournalEntry>> read_entry(const db::KeyValueStore& store, const db::WriteBatch& batch,
                                               const H256& block) {
  BAZAAR_TRY(auto bytes, db::read_through(store, batch, db::Column::TrieJournal, block.span()));
  if (!bytes) return std::optional<JournalEntry>{};
  auto entry = runtime::codec::decode<JournalEntry>(*bytes);
  if (!entry) return TrieError::CorruptJournal;
  return std::optional<JournalEntry>{std::move(entry).value()};
}

}  // namespace

Result<TrieJournal> TrieJournal::open(db::KeyValueStore& store, PruningMode mode) {
  BAZAAR_TRY(auto stored, store.get(db::Column::Meta, kModeKey));
  if (stored) {
    if (stored->size() != 1 || (*stored)[0] != static_cast<uint8_t>(mode)) return TrieError::PruningModeMismatch;
  } else {
    db::WriteBatch batch;
    batch.put(db::Column::Meta, kModeKey, Bytes{static_cast<uint8_t>(mode)});
    BAZAAR_TRY(store.write(std::move(batch), db::WriteOptions{.sync = true}));
  }
  return TrieJournal(store, mode);
}

Result<void> TrieJournal::stage_commit(db::WriteBatch& batch, const H256& block, const CommitResult& commit) const {
  if (m_mode == PruningMode::Archive) {
    stage(batch, commit);
    return success();
  }
  BAZAAR_TRY(auto existing, read_entry(*m_store, batch, block));
  if (existing) return success();

  std::map<H256, std::pair<uint32_t, const Bytes*>> added;
  for (const auto& [hash, bytes] : commit.inserted_nodes) {
    auto& slot = added[hash];
    ++slot.first;
    slot.second = &bytes;
  }
  for (const auto& [hash, entry] : added) {
    BAZAAR_TRY(uint32_t count, read_count(*m_store, batch, hash));
    if (count == 0) batch.put(db::Column::TrieNodes, hash.span(), *entry.second);
    write_count(batch, hash, count + entry.first);
  }

  JournalEntry journal;
  journal.inserted.reserve(commit.inserted_nodes.size());
  for (const auto& item : commit.inserted_nodes) journal.inserted.push_back(item.first);
  journal.removed = commit.removed_nodes;
  batch.put(db::Column::TrieJournal, block.span(), runtime::codec::encode(journal));
  return success();
}

Result<void> TrieJournal::release(db::WriteBatch& batch, const H256& block, bool inserted_side) const {
  if (m_mode == PruningMode::Archive) return success();
  BAZAAR_TRY(auto entry, read_entry(*m_store, batch, block));
  if (!entry) return TrieError::UnknownJournalEntry;
  std::map<H256, uint32_t> dropped;
  for (const auto& hash : inserted_side ? entry->inserted : entry->removed) ++dropped[hash];
  for (const auto& [hash, n] : dropped) {
    BAZAAR_TRY(uint32_t count, read_count(*m_store, batch, hash));
    if (count < n) return TrieError::CorruptJournal;
    if (count == n) batch.del(db::Column::TrieNodes, hash.span());
    write_count(batch, hash, count - n);
  }
  batch.del(db::Column::TrieJournal, block.span());
  return success();
}

Result<void> TrieJournal::stage_prune(db::WriteBatch& batch, const H256& block) const {
  return release(batch, block, false);
}

Result<void> TrieJournal::stage_discard(db::WriteBatch& batch, const H256& block) const {
  return release(batch, block, true);
}

Result<bool> TrieJournal::has_entry(const H256& block) const {
  BAZAAR_TRY(auto bytes, m_store->get(db::Column::TrieJournal, block.span()));
  return bytes.has_value();
}

Result<uint32_t> TrieJournal::ref_count(const H256& node) const {
  db::WriteBatch none;
  return read_count(*m_store, none, node);
}

}  // namespace bazaar::node::trie
