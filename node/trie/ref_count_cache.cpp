#include "node/trie/ref_count_cache.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "node/trie/trie_error.hpp"

namespace bazaar::node::trie {

namespace {

constexpr std::size_t kBitsPerHash = 12;
constexpr int kProbes = 4;
constexpr std::size_t kBlockWords = 8;  // 512-bit blocks: one cache line per lookup

const runtime::Bytes kBatchKey = runtime::to_bytes("trie_journal_batch");

runtime::Bytes encode_u64(uint64_t v) {
  runtime::Bytes out(8);
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
  return out;
}

uint64_t word_of(const H256& hash, int i) {
  uint64_t word;
  std::memcpy(&word, hash.data() + 8 * i, sizeof word);
  return word;
}

std::size_t blocks_for(std::size_t capacity) {
  const std::size_t bits = std::max<std::size_t>(capacity * kBitsPerHash, 1);
  return std::bit_ceil((bits + 64 * kBlockWords - 1) / (64 * kBlockWords));
}

}  // namespace

// The block comes from the hash's first word, the probes from 9-bit slices of
// its second (3 bits pick the word, 6 the bit).
HashBloom::HashBloom(std::size_t capacity)
    : m_bits(blocks_for(capacity) * kBlockWords), m_block_mask(blocks_for(capacity) - 1), m_capacity(capacity) {}

void HashBloom::insert(const H256& hash) {
  uint64_t* block = m_bits.data() + (word_of(hash, 0) & m_block_mask) * kBlockWords;
  uint64_t probes = word_of(hash, 1);
  for (int i = 0; i < kProbes; ++i, probes >>= 9) block[(probes >> 6) & 7] |= uint64_t{1} << (probes & 63);
  ++m_inserted;
}

bool HashBloom::may_contain(const H256& hash) const {
  const uint64_t* block = m_bits.data() + (word_of(hash, 0) & m_block_mask) * kBlockWords;
  uint64_t probes = word_of(hash, 1);
  for (int i = 0; i < kProbes; ++i, probes >>= 9)
    if ((block[(probes >> 6) & 7] & (uint64_t{1} << (probes & 63))) == 0) return false;
  return true;
}

RefCountCache::RefCountCache(RefCountCacheOptions options) : m_options(options) {}

Result<void> RefCountCache::load(const db::KeyValueStore& store) {
  m_staged.clear();
  m_group_batch.reset();
  BAZAAR_TRY(auto stored_batch, read_batch_number(store));
  m_stored_batch = stored_batch;
  m_last_batch = stored_batch;
  m_known.clear();
  m_older.clear();
  m_read_through = false;
  m_filter = HashBloom();
  m_filter_usable = false;
  m_last_scan = 0;
  return rebuild_filter(store);
}

Result<void> RefCountCache::rebuild_filter(const db::KeyValueStore& store) {
  // Sized for 4x the nodes found by the last scan; a second scan when this
  // one finds the new filter more than half full. On a failed scan the old
  // filter stays: it holds every hash ever counted, so it is still exact.
  std::size_t capacity = std::max(m_options.min_filter_capacity, 4 * m_last_scan);
  for (int pass = 0; pass < 2; ++pass) {
    HashBloom filter(capacity);
    bool malformed = false;
    const db::KeyValueStore::KeyVisitor collect = [&](runtime::ByteSpan key) {
      if (key.size() != H256::kSize) {
        malformed = true;
        return false;
      }
      filter.insert(H256::from_span(key));
      return true;
    };
    // A stored node has a count of at least 1 (journal.hpp "Stored counts").
    BAZAAR_TRY(store.for_each_key(db::Column::TrieNodes, collect));
    if (malformed) {
      // Not a node this journal wrote: never answer "absent" again.
      m_filter = HashBloom();
      m_filter_usable = false;
      return success();
    }
    if (pass == 1 || 2 * filter.inserted() <= filter.capacity()) {
      m_last_scan = filter.inserted();
      m_filter = std::move(filter);
      m_filter_usable = true;
      ++m_rebuilds;
      return success();
    }
    capacity = 4 * filter.inserted();
  }
  return success();
}

Result<uint64_t> RefCountCache::read_batch_number(const db::KeyValueStore& store) const {
  BAZAAR_TRY(auto bytes, store.get(db::Column::Meta, kBatchKey));
  if (!bytes) return uint64_t{0};
  if (bytes->size() != 8) return TrieError::CorruptJournal;
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | (*bytes)[i];
  return v;
}

Result<void> RefCountCache::begin_call(const db::KeyValueStore& store, const db::WriteBatch& batch) {
  if (!m_group_batch) return success();  // the group has staged nothing yet (or read-through continues)
  if (batch.find(db::Column::Meta, kBatchKey) != nullptr) return success();  // the group's batch
  BAZAAR_TRY(settle(store));
  if (m_filter_usable && m_filter.inserted() > m_filter.capacity()) {
    BAZAAR_TRY(rebuild_filter(store));
  }
  return success();
}

void RefCountCache::stage_batch_number(db::WriteBatch& batch) {
  // Never a number used before, even one whose batch was dropped or whose
  // fate a failed read left unknown: only this group's batch can store it.
  if (!m_group_batch) m_group_batch = ++m_last_batch;
  batch.put(db::Column::Meta, kBatchKey, encode_u64(*m_group_batch));
}

Result<void> RefCountCache::settle(const db::KeyValueStore& store) {
  const uint64_t group = *m_group_batch;
  auto stored = read_batch_number(store);
  if (stored && stored.value() == group) {
    remember_staged();  // written
    m_stored_batch = group;
  } else if (!stored || stored.value() != m_stored_batch) {
    for (const auto& [hash, count] : m_staged) forget(hash);  // cannot tell
    if (stored) m_stored_batch = stored.value();
  }  // else: not written; the known counts were never touched by this group
  if (stored) m_last_batch = std::max(m_last_batch, stored.value());
  m_staged.clear();
  m_group_batch.reset();
  m_read_through = false;
  if (!stored) return stored.error();
  return success();
}

std::optional<uint32_t> RefCountCache::lookup(const H256& hash) const {
  if (m_read_through) return std::nullopt;
  // Not in the filter: never counted since the last scan, so 0 (also for
  // staged and known counts, which only exist for counted hashes).
  if (m_filter_usable && !m_filter.may_contain(hash)) return 0u;
  if (auto it = m_staged.find(hash); it != m_staged.end()) return it->second;
  if (auto it = m_known.find(hash); it != m_known.end()) return it->second;
  if (auto it = m_older.find(hash); it != m_older.end()) return it->second;
  return std::nullopt;
}

void RefCountCache::staged(const H256& hash, uint32_t count, bool increment) {
  m_staged[hash] = count;
  if (increment) m_filter.insert(hash);
}

void RefCountCache::abandon() {
  // The group (and its batch number, if staged) stays: the batch it names
  // may still be written, and the next call tells.
  m_staged.clear();
  m_known.clear();
  m_older.clear();
  m_read_through = true;
}

void RefCountCache::remember_staged() {
  const std::size_t generation = std::max<std::size_t>(1, m_options.max_known / 2);
  for (const auto& [hash, count] : m_staged) m_known.insert_or_assign(hash, count);
  if (m_known.size() >= generation) {
    m_older = std::move(m_known);
    m_known = CountMap();
  }
}

void RefCountCache::forget(const H256& hash) {
  m_known.erase(hash);
  m_older.erase(hash);
}

}  // namespace bazaar::node::trie
