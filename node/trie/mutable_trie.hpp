#pragma once
// The write path of the trie: a partially loaded, in-memory copy of the
// nodes on the paths of changed keys, edited in place and re-encoded on
// commit. Used by TrieDb::apply (nodes loaded from the database on demand)
// and by compute_root (no database at all).
//
// Cost: each set/remove loads only the nodes on its key's path (and, when a
// removal collapses a branch, that branch's last child), so a commit reads
// O(changes x depth) nodes; subtrees it never touches stay as references.
//
// A trie can also be kept across commits (commit_and_rebase): the committed
// trie becomes the base of the next diff and every node it has decoded stays
// in memory, unchanged nodes with the reference they were committed as, so
// the next round of edits neither loads them again nor re-encodes them.

#include <functional>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "node/trie/node_codec.hpp"

namespace bazaar::node::trie {

/// Fetches a stored node by hash (MissingNode / CorruptNode on failure).
using NodeLoader = std::function<Result<std::shared_ptr<const Node>>(const H256&)>;

/// New root plus the node-level diff against the starting trie.
struct TrieDiff {
  H256 root;
  /// Every node occurrence the new trie stores by hash (the root, and children
  /// whose encoding is 32 bytes or longer) that the old trie did not have, with
  /// multiplicity: identical subtrees at two places appear twice.
  std::vector<std::pair<H256, Bytes>> inserted;
  /// Every hashed node occurrence of the old trie that the new trie no longer
  /// has, with multiplicity.
  std::vector<H256> removed;
};

class MutableTrie {
 public:
  /// Starts from the trie at `root` (empty_root() for the empty trie).
  MutableTrie(const H256& root, NodeLoader loader);
  ~MutableTrie();
  MutableTrie(MutableTrie&&) noexcept;
  MutableTrie& operator=(MutableTrie&&) noexcept;

  /// Sets key to value (an empty value is a value).
  Result<void> set(ByteSpan key, ByteSpan value);
  /// Removes key; removing an absent key changes nothing.
  Result<void> remove(ByteSpan key);

  /// Encodes the edited nodes and returns the new root with the diff. The
  /// trie stays usable and further edits diff against the original root.
  TrieDiff commit() const;

  /// As commit(), and then makes the committed trie the base: later edits
  /// diff against the returned root, and the nodes in memory stay there
  /// (marked unchanged) instead of being loaded again.
  TrieDiff commit_and_rebase();

  /// Nodes decoded or created since construction: an upper bound of the
  /// nodes held in memory (a holder of a rebased trie bounds its memory by it).
  std::size_t resident_nodes() const { return m_resident; }

 private:
  struct MutNode;
  using Slot = std::variant<std::monostate, ChildRef, std::unique_ptr<MutNode>>;

  Result<MutNode*> resolve(Slot& slot);
  /// Records that `n` is about to change: its committed reference, if hashed,
  /// becomes an occurrence the next commit removes (unless re-encoded equal).
  void touch(MutNode& n);
  std::unique_ptr<MutNode> new_node();
  Result<void> insert(Slot& slot, const Nibbles& key, std::size_t pos, ByteSpan value);
  Result<void> erase(Slot& slot, const Nibbles& key, std::size_t pos);
  Result<void> normalize(Slot& slot);
  /// Encodes the changed nodes under `slot`; when `encoded` is given, each
  /// changed node is listed there with its new reference (for rebasing).
  ChildRef encode_slot(const Slot& slot, bool is_root, std::vector<std::pair<H256, Bytes>>& inserted,
                       std::vector<std::pair<MutNode*, ChildRef>>* encoded) const;
  TrieDiff diff_commit(std::vector<std::pair<MutNode*, ChildRef>>* encoded) const;

  NodeLoader m_loader;
  std::unique_ptr<Slot> m_root;
  std::vector<H256> m_loaded;  // hashed occurrences of the base that edits touched
  std::size_t m_resident = 0;
};

}  // namespace bazaar::node::trie
