#pragma once
// The state trie over the node's key-value store: Substrate's base-16
// Merkle-Patricia trie (node_codec.hpp) whose nodes live in column TrieNodes
// keyed by their blake2b-256 hash. Any state whose root's nodes are stored can
// be read by that root; many roots share the nodes they have in common.
//
// Writes are split from persistence: apply() computes a new root and the node
// diff without touching the database, and the caller stages the diff into the
// block's single WriteBatch (stage() for archive nodes, TrieJournal for pruned
// ones) so a block's state lands atomically with the rest of the block.
//
// Thread-safe: all members are const and may run concurrently (the node cache
// locks internally).

#include <memory>
#include <utility>
#include <vector>

#include "node/db/kv_store.hpp"
#include "node/trie/mutable_trie.hpp"
#include "node/trie/node_cache.hpp"
#include "node/trie/node_codec.hpp"
#include "runtime/storage/storage.hpp"

namespace bazaar::node::trie {

struct TrieDbOptions {
  /// Bound of the decoded-node LRU cache, bytes (0 disables it).
  std::size_t cache_bytes = 64 << 20;
};

/// The outcome of applying a ChangeSet: the new root and the node diff (see
/// TrieDiff in mutable_trie.hpp: hashed node occurrences, with multiplicity).
struct CommitResult {
  H256 new_root;
  std::vector<std::pair<H256, Bytes>> inserted_nodes;
  std::vector<H256> removed_nodes;
};

class TrieDb {
 public:
  explicit TrieDb(db::KeyValueStore& store, TrieDbOptions options = {});

  /// The value at `key` in the state with this root, nullopt if absent.
  /// Errors: MissingNode (state pruned or unknown), CorruptNode, DbError.
  Result<std::optional<Bytes>> get(const H256& root, ByteSpan key) const;

  /// The smallest key strictly greater than `key` (lexicographic byte order).
  Result<std::optional<Bytes>> next_key(const H256& root, ByteSpan key) const;

  /// Applies writes and deletions to the state at `root` and returns the new
  /// root with the nodes to insert and the nodes the new state no longer uses.
  /// Reads only the nodes on the changed keys' paths; writes nothing.
  Result<CommitResult> apply(const H256& root, const runtime::storage::ChangeSet& changes) const;

  /// The state at `root` as a MutableTrie whose nodes load from this TrieDb
  /// on demand, for apply_in_place. It refers to this TrieDb: it must not
  /// outlive it.
  MutableTrie open(const H256& root) const;

  /// As apply(), on a trie from open() that is then rebased on the result
  /// (MutableTrie::commit_and_rebase): it holds the new state, and the nodes
  /// it has decoded stay in memory, so applying the next block's changes to it
  /// loads none of them again. On an error the trie is half-edited: discard it.
  Result<CommitResult> apply_in_place(MutableTrie& trie, const runtime::storage::ChangeSet& changes) const;

  /// The encoded nodes on the paths to `keys` (present or absent): enough for
  /// verify_proof (proof.hpp) to prove each key's value or absence. Each node
  /// appears once; the order is the order of first visit.
  Result<std::vector<Bytes>> read_proof(const H256& root, const std::vector<Bytes>& keys) const;

  /// Whether the root node of this state is stored (always true for the empty root).
  Result<bool> has_state(const H256& root) const;

  /// A stored node by hash: from the cache, else read from the store, checked
  /// against its hash (CorruptNode on mismatch), decoded and cached.
  Result<std::shared_ptr<const Node>> load(const H256& hash) const;

  /// The node a child reference points to (loaded by hash, or decoded inline).
  Result<std::shared_ptr<const Node>> resolve(const ChildRef& ref) const;

  NodeCache& cache() const { return m_cache; }
  db::KeyValueStore& store() const { return m_store; }

 private:
  db::KeyValueStore& m_store;
  mutable NodeCache m_cache;
};

/// Stages every inserted node of `commit` into `batch` (column TrieNodes).
/// This is the whole persistence step of an archive node; a pruning node uses
/// TrieJournal::stage_commit instead, which also counts references.
void stage(db::WriteBatch& batch, const CommitResult& commit);

}  // namespace bazaar::node::trie
