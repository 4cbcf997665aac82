#pragma once
// In-memory knowledge of the stored trie-node reference counts, so that
// TrieJournal (journal.hpp) can stage a commit without one store read per
// node. Everything it answers equals what the store will hold once the batch
// being staged is written; whatever it cannot prove it does not answer, and
// the journal then reads the store.
//
// Three parts:
//   - staged: the counts this journal staged into the current batch (the
//     value the batch will write). Consulted first; it replaces reading the
//     batch back.
//   - known: counts proven to be stored (0 = absent), bounded, in two
//     generations (the older one is dropped when the newer one fills).
//   - filter: a Bloom filter holding every hash whose stored or staged count
//     is non-zero (filled by a scan of the stored nodes at open, since a
//     stored node has a count of at least 1, and on every staged increment);
//     "not in the filter" proves a count of 0. When it fills, it is rebuilt
//     from the store (larger) once no batch is pending.
//
// Knowing what happened to a batch. The staging calls that go into one batch
// form a "group". The first call of a group that stages anything also stages
// a batch number (Meta key "trie_journal_batch", u64 LE): one more than the
// stored one. A call whose batch holds that key continues the group;
// otherwise the group's batch was written or dropped, and one read of the
// stored number tells which: written (the staged counts become known) or not
// (they are dropped; the known counts were never touched). Reading the store,
// not trusting the caller, also covers a write that reported failure but
// landed. Anything else (a number nobody staged) makes it forget the group's
// hashes.
//
// This relies on the journal's rules: one TrieJournal stages into a store,
// and each staged batch is written or dropped before the next is staged. A
// staging call that fails leaves the batch unusable; if the caller stages
// into it anyway, abandon() has switched to reading every count through the
// batch until a new batch begins, as the journal did before this cache.

#include <cstdint>
#include <optional>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "node/db/kv_store.hpp"
#include "node/trie/hash_key.hpp"
#include "runtime/codec/bytes.hpp"

namespace bazaar::node::trie {

using runtime::H256;

/// A blocked Bloom filter over 32-byte uniform hashes (blake2b outputs): 4
/// probes in one 512-bit block, taken from the hash's own bytes. No false
/// negatives; about 1% false positives at capacity.
class HashBloom {
 public:
  /// A filter sized for `capacity` hashes (12 bits each, rounded up to a power of two blocks).
  explicit HashBloom(std::size_t capacity = 0);
  void insert(const H256& hash);
  bool may_contain(const H256& hash) const;
  /// Insertions so far (with repeats).
  std::size_t inserted() const { return m_inserted; }
  std::size_t capacity() const { return m_capacity; }

 private:
  std::vector<uint64_t> m_bits;
  std::size_t m_block_mask = 0;
  std::size_t m_capacity = 0;
  std::size_t m_inserted = 0;
};

struct RefCountCacheOptions {
  /// Most known counts kept (two generations; about 70 bytes each).
  std::size_t max_known = 1 << 20;
  /// Smallest filter capacity, hashes (12 bits each). A rebuild sizes the
  /// filter to 4x the stored nodes, at least this.
  std::size_t min_filter_capacity = 1 << 22;
};

class RefCountCache {
 public:
  explicit RefCountCache(RefCountCacheOptions options = {});

  /// Forgets everything and fills the filter from the stored nodes (one
  /// scan of column TrieNodes). Error: DbError.
  Result<void> load(const db::KeyValueStore& store);

  /// Starts a staging call into `batch`: continues the current group if the
  /// batch holds its batch number, else settles the group (one store read).
  /// Error: DbError (the cache then forgets what it cannot prove).
  Result<void> begin_call(const db::KeyValueStore& store, const db::WriteBatch& batch);
  /// The current call is about to stage counts into `batch`: stages the
  /// group's batch number (first, so a batch with any count of this group
  /// holds it).
  void stage_batch_number(db::WriteBatch& batch);

  /// The count `hash` will have once the batch is written, if provable
  /// without reading the store or the batch.
  std::optional<uint32_t> lookup(const H256& hash) const;
  /// Whether lookups are off because a failed call left unknown writes in the
  /// batch: the journal must then read through the batch.
  bool reading_through() const { return m_read_through; }

  /// The current call staged `count` for `hash`; `increment`: it grew.
  void staged(const H256& hash, uint32_t count, bool increment);
  /// The current call failed: drop everything unproven and read through the
  /// batch until a new batch begins.
  void abandon();

  /// Known counts held (tests, metrics).
  std::size_t known_size() const { return m_known.size() + m_older.size(); }
  std::size_t filter_capacity() const { return m_filter.capacity(); }
  /// Filter rebuilds since construction (tests).
  std::size_t rebuilds() const { return m_rebuilds; }

 private:
  Result<void> settle(const db::KeyValueStore& store);
  Result<uint64_t> read_batch_number(const db::KeyValueStore& store) const;
  Result<void> rebuild_filter(const db::KeyValueStore& store);
  void remember_staged();
  void forget(const H256& hash);

  // Open-addressing tables: one insert per node a block commits, so node
  // allocation and rehashing showed in the sync profile (std::unordered_map).
  using CountMap = boost::unordered_flat_map<H256, uint32_t, SeededNodeHash>;

  RefCountCacheOptions m_options;
  CountMap m_staged;
  uint64_t m_stored_batch = 0;              // the batch number as last read from the store
  uint64_t m_last_batch = 0;                // the highest number staged or read
  std::optional<uint64_t> m_group_batch;    // the current group's number, once it staged something
  CountMap m_known;  // newer generation, looked up first
  CountMap m_older;
  HashBloom m_filter;
  bool m_filter_usable = false;  // false: not loaded, or a stored node key is not a hash
  std::size_t m_last_scan = 0;   // nodes found by the last scan of the store
  bool m_read_through = false;
  std::size_t m_rebuilds = 0;
};

}  // namespace bazaar::node::trie
