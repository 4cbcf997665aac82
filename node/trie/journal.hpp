#pragma once
// Pruning of old state: reference counts plus a per-block journal.
//
// Design. Trie nodes are content-addressed and shared: one node can be used
// by many states, and even twice in one state (identical subtrees under
// different keys). A pruned database therefore keeps, next to each node, a
// reference count (column TrieRefCounts, hash -> u32 LE) and, per block, a
// journal entry (column TrieJournal, block hash -> SCALE(inserted: Vec<H256>,
// removed: Vec<H256>)) listing the hashed node occurrences that block's state
// commit added and replaced (CommitResult, with multiplicity).
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
// descends from, and never stage into a batch while an earlier staged batch
// is still unwritten (counts are read through the batch, then the store).
//
// Archive mode keeps everything: stage_commit only writes the inserted nodes
// (no counts, no journal) and prune / discard do nothing. The mode is recorded
// in the Meta column when first opened; reopening in the other mode fails,
// since an archive database has no counts to prune with.

#include "node/db/kv_store.hpp"
#include "node/trie/trie_db.hpp"

namespace bazaar::node::trie {

enum class PruningMode : uint8_t {
  Archive = 0,  ///< keep every state forever
  Pruned = 1,   ///< count references; the node decides how deep it retains
};

class TrieJournal {
 public:
  /// Binds to `store` in `mode`. Errors: PruningModeMismatch, DbError.
  static Result<TrieJournal> open(db::KeyValueStore& store, PruningMode mode);

  PruningMode mode() const { return m_mode; }

  /// Stages the state commit of `block` (see above). Staging a block that is
  /// already journaled changes nothing (re-import of the same block).
  Result<void> stage_commit(db::WriteBatch& batch, const H256& block, const CommitResult& commit) const;
  /// Stages the pruning of canonical `block`. Error: UnknownJournalEntry.
  Result<void> stage_prune(db::WriteBatch& batch, const H256& block) const;
  /// Stages the discarding of non-canonical `block`. Error: UnknownJournalEntry.
  Result<void> stage_discard(db::WriteBatch& batch, const H256& block) const;

  /// Whether `block` has a journal entry (committed and neither pruned nor discarded).
  Result<bool> has_entry(const H256& block) const;
  /// The reference count of a node as stored (0 if none).
  Result<uint32_t> ref_count(const H256& node) const;

 private:
  TrieJournal(db::KeyValueStore& store, PruningMode mode) : m_store(&store), m_mode(mode) {}

  Result<void> release(db::WriteBatch& batch, const H256& block, bool inserted_side) const;

  db::KeyValueStore* m_store;
  PruningMode m_mode;
};

}  // namespace bazaar::node::trie
