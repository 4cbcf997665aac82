#pragma once
// Pruning of old state: reference counts plus a per-block journal.
//
// Design. Trie nodes are content-addressed and shared: one node can be used
// by many states, and even twice in one state (identical subtrees under
// different keys). A pruned database therefore keeps, per node, a reference
// count and, per block, a journal entry (column TrieJournal, block key
// (db::block_key: number ++ hash) -> SCALE(inserted: Vec<H256>,
// removed: Vec<H256>)) listing the hashed node
// occurrences that block's state commit added and replaced (CommitResult,
// with multiplicity).
//
// Stored counts. A node is stored (column TrieNodes) exactly while its count
// is at least 1, and a count of 1 is implied by the node alone: column
// TrieRefCounts (hash -> u32 LE) holds only counts of 2 or more, which are
// rare (identical subtrees), so most new nodes cost one entry, not two, and a
// node whose count falls from 1 to 0 costs one deletion. (Databases written
// before this rule, which held count entries of 1, have no schema version and
// BlockStore::open refuses them: ChainError::UnsupportedSchema.)
//
//   stage_commit(B)   count +1 for every inserted occurrence (writing the node
//                     when its count leaves 0) and journal B. Removals are
//                     deferred: the parent's state stays fully readable.
//   stage_prune(B)    B is canonical and leaves the retention window: count -1
//                     for every occurrence B's commit replaced, deleting nodes
//                     that reach 0; drop B's entry. Afterwards the state of
//                     B's parent is gone and B's own state is still complete.
//   stage_discard(B)  B is on an abandoned fork: count -1 for every occurrence
//                     B's commit inserted, deleting nodes that reach 0.
//
// Invariant: count(h) = occurrences of h in the oldest retained state plus
// those inserted by every retained later commit, which is at least the number
// of occurrences of h in any retained state; so a node reaches 0 only when no
// retained state uses it. Callers must prune canonical blocks in chain order
// (each after its parent), only discard blocks that no retained block
// descends from, and write or drop each staged batch before staging into the
// next (counts are read as the current batch leaves them, else as stored).
//
// Pruned mode keeps what it can prove about the counts in memory
// (ref_count_cache.hpp: the counts staged into the current batch, counts known
// to be stored, a filter of the counted hashes), so staging reads the store
// only for counts it cannot prove; it checks whether each batch was written by
// reading back a batch number staged with it (Meta "trie_journal_batch"), so a
// batch that is dropped or fails leaves no trace. This needs one more rule: one TrieJournal stages into a store (its
// memory is only exact if nobody else writes the counts). A staging call that
// fails leaves the batch unusable: drop it.
//
// Thread safety: has_entry and ref_count may run on any thread. Staging calls
// must come one at a time in the order their batches are written (the chain's
// import lock); they lock internally so that a mistake cannot race.
//
// Archive mode keeps everything: stage_commit only writes the inserted nodes
// (no counts, no journal) and prune / discard do nothing. The mode is recorded
// in the Meta column when first opened; reopening in the other mode fails,
// since an archive database has no counts to prune with.

#include <memory>
#include <mutex>

#include "node/db/kv_store.hpp"
#include "node/trie/ref_count_cache.hpp"
#include "node/trie/trie_db.hpp"

namespace bazaar::node::trie {

enum class PruningMode : uint8_t {
  Archive = 0,  ///< keep every state forever
  Pruned = 1,   ///< count references; the node decides how deep it retains
};

/// A block as the journal names it; its entry's key is db::block_key(number, hash).
struct JournalBlock {
  uint32_t number = 0;
  H256 hash;
  friend bool operator==(const JournalBlock&, const JournalBlock&) = default;
};

class TrieJournal {
 public:
  /// Binds to `store` in `mode`; Pruned also scans the stored nodes once to
  /// fill the count filter (`cache` sizes it). Errors: PruningModeMismatch, DbError.
  static Result<TrieJournal> open(db::KeyValueStore& store, PruningMode mode, RefCountCacheOptions cache = {});

  PruningMode mode() const { return m_mode; }

  /// Stages the state commit of `block` (see above). Staging a block that is
  /// already journaled changes nothing (re-import of the same block).
  /// Errors: CorruptJournal (a stored count that does not decode), DbError.
  Result<void> stage_commit(db::WriteBatch& batch, const JournalBlock& block, const CommitResult& commit) const;
  /// Stages the pruning of canonical `block`. Errors: UnknownJournalEntry,
  /// CorruptJournal (an entry or count that does not decode, or a count that
  /// would go below 0), DbError.
  Result<void> stage_prune(db::WriteBatch& batch, const JournalBlock& block) const;
  /// Stages the discarding of non-canonical `block`. Errors: as stage_prune.
  Result<void> stage_discard(db::WriteBatch& batch, const JournalBlock& block) const;

  /// Whether `block` has a journal entry (committed and neither pruned nor discarded).
  Result<bool> has_entry(const JournalBlock& block) const;
  /// The reference count of a node as stored (0 if none), read from the store
  /// (its count entry, else 1 if the node is stored).
  Result<uint32_t> ref_count(const H256& node) const;

  /// What the in-memory count cache holds (Pruned; zeros in Archive mode).
  struct CacheStats {
    std::size_t known_counts = 0;     ///< counts proven stored
    std::size_t filter_capacity = 0;  ///< hashes the count filter is sized for
    std::size_t filter_rebuilds = 0;  ///< scans of the stored nodes, the one at open included
  };
  CacheStats cache_stats() const;

 private:
  struct Cache {
    std::mutex mutex;
    RefCountCache counts;
  };

  TrieJournal(db::KeyValueStore& store, PruningMode mode, std::unique_ptr<Cache> cache)
      : m_store(&store), m_mode(mode), m_cache(std::move(cache)) {}

  Result<void> commit_locked(db::WriteBatch& batch, const Bytes& key, const CommitResult& commit) const;
  Result<void> release(db::WriteBatch& batch, const JournalBlock& block, bool inserted_side) const;
  Result<void> release_locked(db::WriteBatch& batch, const Bytes& key, bool inserted_side) const;
  Result<uint32_t> read_count(const db::WriteBatch& batch, const H256& hash) const;

  db::KeyValueStore* m_store;
  PruningMode m_mode;
  std::unique_ptr<Cache> m_cache;  // Pruned only
};

}  // namespace bazaar::node::trie
