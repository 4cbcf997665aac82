#include "node/trie/journal.hpp"

#include <limits>

#include "runtime/codec/scale.hpp"

namespace bazaar::node::trie {

namespace {

const Bytes kModeKey = runtime::to_bytes("trie_pruning_mode");

Bytes key_of(const H256& hash) { return Bytes(hash.begin(), hash.end()); }

Result<uint32_t> decode_count(ByteSpan bytes) {
  auto count = runtime::codec::decode<uint32_t>(bytes);
  if (!count) return TrieError::CorruptJournal;
  return count.value();
}

/// Stages the change of a node's count from `old_count` to `count` (journal.hpp
/// "Stored counts": 0 = no node, 1 = the node alone, >= 2 = the node and a
/// count entry, SCALE u32 = 4 bytes LE). `bytes` is the node's encoding,
/// needed when the count leaves 0.
void stage_count(db::WriteBatch& batch, const H256& hash, uint32_t old_count, uint32_t count, ByteSpan bytes = {}) {
  if (old_count == 0) batch.put(db::Column::TrieNodes, hash.span(), bytes);
  if (count >= 2) {
    batch.put(db::Column::TrieRefCounts, key_of(hash),
              Bytes{static_cast<uint8_t>(count), static_cast<uint8_t>(count >> 8), static_cast<uint8_t>(count >> 16),
                    static_cast<uint8_t>(count >> 24)});
  } else if (old_count >= 2) {
    batch.del(db::Column::TrieRefCounts, hash.span());  // 2 -> 1: the node alone implies 1
  }
  if (count == 0) batch.del(db::Column::TrieNodes, hash.span());
}

/// SCALE(JournalEntry { inserted: Vec<H256>, removed: Vec<H256> }), written
/// straight from the commit.
Bytes encode_entry(const CommitResult& commit) {
  runtime::codec::Encoder prefix;
  runtime::codec::encode_compact(prefix, commit.inserted_nodes.size());
  Bytes out = prefix.take();
  out.reserve(out.size() + 10 + H256::kSize * (commit.inserted_nodes.size() + commit.removed_nodes.size()));
  for (const auto& item : commit.inserted_nodes) out.insert(out.end(), item.first.begin(), item.first.end());
  runtime::codec::Encoder middle;
  runtime::codec::encode_compact(middle, commit.removed_nodes.size());
  out.insert(out.end(), middle.bytes().begin(), middle.bytes().end());
  for (const auto& hash : commit.removed_nodes) out.insert(out.end(), hash.begin(), hash.end());
  return out;
}

/// One side of a stored journal entry, as the concatenated 32-byte hashes.
Result<ByteSpan> entry_side(ByteSpan entry, bool inserted_side) {
  runtime::codec::Decoder d(entry);
  ByteSpan sides[2];
  for (auto& side : sides) {
    auto n = runtime::codec::decode_length(d);
    if (!n || n.value() > d.remaining() / H256::kSize) return TrieError::CorruptJournal;
    side = d.read(n.value() * H256::kSize).value();
  }
  if (!d.at_end()) return TrieError::CorruptJournal;
  return inserted_side ? sides[0] : sides[1];
}

}  // namespace

Result<TrieJournal> TrieJournal::open(db::KeyValueStore& store, PruningMode mode, RefCountCacheOptions cache_options) {
  BAZAAR_TRY(auto stored, store.get(db::Column::Meta, kModeKey));
  if (stored) {
    if (stored->size() != 1 || (*stored)[0] != static_cast<uint8_t>(mode)) return TrieError::PruningModeMismatch;
  } else {
    db::WriteBatch batch;
    batch.put(db::Column::Meta, kModeKey, Bytes{static_cast<uint8_t>(mode)});
    BAZAAR_TRY(store.write(std::move(batch), db::WriteOptions{.sync = true}));
  }
  std::unique_ptr<Cache> cache;
  if (mode == PruningMode::Pruned) {
    cache = std::make_unique<Cache>();
    cache->counts = RefCountCache(cache_options);
    BAZAAR_TRY(cache->counts.load(store));
  }
  return TrieJournal(store, mode, std::move(cache));
}

Result<uint32_t> TrieJournal::read_count(const db::WriteBatch& batch, const H256& hash) const {
  const RefCountCache& cache = m_cache->counts;
  const bool through = cache.reading_through();
  if (!through) {
    if (auto known = cache.lookup(hash)) return *known;
  }
  auto read = [&](db::Column column) {
    return through ? db::read_through(*m_store, batch, column, hash.span()) : m_store->get(column, hash.span());
  };
  BAZAAR_TRY(auto bytes, read(db::Column::TrieRefCounts));
  if (bytes) return decode_count(*bytes);
  BAZAAR_TRY(auto node, read(db::Column::TrieNodes));
  return node ? 1u : 0u;
}

Result<void> TrieJournal::stage_commit(db::WriteBatch& batch, const JournalBlock& block,
                                       const CommitResult& commit) const {
  if (m_mode == PruningMode::Archive) {
    stage(batch, commit);
    return success();
  }
  std::lock_guard lock(m_cache->mutex);
  auto staged = commit_locked(batch, db::block_key(block.number, block.hash.span()), commit);
  if (!staged) m_cache->counts.abandon();
  return staged;
}

Result<void> TrieJournal::commit_locked(db::WriteBatch& batch, const Bytes& key, const CommitResult& commit) const {
  RefCountCache& cache = m_cache->counts;
  BAZAAR_TRY(cache.begin_call(*m_store, batch));
  if (const auto* staged_entry = batch.find(db::Column::TrieJournal, key)) {
    if (staged_entry->has_value()) return success();  // committed earlier in this batch
  } else {
    BAZAAR_TRY(auto stored, m_store->get(db::Column::TrieJournal, key));
    if (stored) return success();  // already journaled
  }

  cache.stage_batch_number(batch);
  // Occurrences one at a time: a repeated hash reads the count its first
  // occurrence staged, so the node is written once and counted each time.
  for (const auto& [hash, bytes] : commit.inserted_nodes) {
    BAZAAR_TRY(uint32_t count, read_count(batch, hash));
    if (count == std::numeric_limits<uint32_t>::max()) return TrieError::CorruptJournal;
    stage_count(batch, hash, count, count + 1, bytes);
    cache.staged(hash, count + 1, /*increment=*/true);
  }
  batch.put(db::Column::TrieJournal, key, encode_entry(commit));
  return success();
}

Result<void> TrieJournal::release(db::WriteBatch& batch, const JournalBlock& block, bool inserted_side) const {
  if (m_mode == PruningMode::Archive) return success();
  std::lock_guard lock(m_cache->mutex);
  auto released = release_locked(batch, db::block_key(block.number, block.hash.span()), inserted_side);
  if (!released) m_cache->counts.abandon();
  return released;
}

Result<void> TrieJournal::release_locked(db::WriteBatch& batch, const Bytes& key, bool inserted_side) const {
  RefCountCache& cache = m_cache->counts;
  BAZAAR_TRY(cache.begin_call(*m_store, batch));
  const auto* staged_entry = batch.find(db::Column::TrieJournal, key);
  std::optional<Bytes> entry;
  if (staged_entry) {
    entry = *staged_entry;  // a copy: the batch grows below
  } else {
    BAZAAR_TRY(entry, m_store->get(db::Column::TrieJournal, key));
  }
  if (!entry) return TrieError::UnknownJournalEntry;
  BAZAAR_TRY(ByteSpan hashes, entry_side(*entry, inserted_side));
  cache.stage_batch_number(batch);

  for (std::size_t at = 0; at < hashes.size(); at += H256::kSize) {
    const H256 hash = H256::from_span(hashes.subspan(at, H256::kSize));
    BAZAAR_TRY(uint32_t count, read_count(batch, hash));
    if (count == 0) return TrieError::CorruptJournal;
    stage_count(batch, hash, count, count - 1);
    cache.staged(hash, count - 1, /*increment=*/false);
  }
  batch.del(db::Column::TrieJournal, key);
  return success();
}

Result<void> TrieJournal::stage_prune(db::WriteBatch& batch, const JournalBlock& block) const {
  return release(batch, block, false);
}

Result<void> TrieJournal::stage_discard(db::WriteBatch& batch, const JournalBlock& block) const {
  return release(batch, block, true);
}

Result<bool> TrieJournal::has_entry(const JournalBlock& block) const {
  BAZAAR_TRY(auto bytes, m_store->get(db::Column::TrieJournal, db::block_key(block.number, block.hash.span())));
  return bytes.has_value();
}

Result<uint32_t> TrieJournal::ref_count(const H256& node) const {
  BAZAAR_TRY(auto bytes, m_store->get(db::Column::TrieRefCounts, node.span()));
  if (bytes) return decode_count(*bytes);
  BAZAAR_TRY(auto stored, m_store->get(db::Column::TrieNodes, node.span()));
  return stored ? 1u : 0u;
}

TrieJournal::CacheStats TrieJournal::cache_stats() const {
  if (!m_cache) return {};
  std::lock_guard lock(m_cache->mutex);
  const RefCountCache& c = m_cache->counts;
  return CacheStats{c.known_size(), c.filter_capacity(), c.rebuilds()};
}

}  // namespace bazaar::node::trie
