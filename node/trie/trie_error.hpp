#pragma once
// Errors of the state trie (node codec, lookups, commits, proofs, pruning journal).

#include "runtime/result.hpp"

namespace bazaar::node::trie {

enum class TrieError {
  CorruptNode = 1,      ///< node bytes that do not decode, or whose hash is not the one they are stored under
  MissingNode,          ///< a node referenced by the trie is not in the database (pruned or never written)
  IncompleteProof,      ///< a proof lacks a node on the path to the key
  UnknownJournalEntry,  ///< prune/discard of a block whose commit was never journaled (or already pruned)
  CorruptJournal,       ///< a journal entry or reference count that does not decode or would go negative
  PruningModeMismatch,  ///< the database was created with the other pruning mode
};
const char* to_string(TrieError e);

}  // namespace bazaar::node::trie

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::trie, TrieError)
