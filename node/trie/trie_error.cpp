#include "node/trie/trie_error.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::trie, TrieError, "trie", to_string)

namespace bazaar::node::trie {

const char* to_string(TrieError e) {
  switch (e) {
    case TrieError::CorruptNode:
      return "trie node is corrupt";
    case TrieError::MissingNode:
      return "trie node is missing from the database";
    case TrieError::IncompleteProof:
      return "proof lacks a node on the path to the key";
    case TrieError::UnknownJournalEntry:
      return "no trie journal entry for the block";
    case TrieError::CorruptJournal:
      return "trie journal or reference count is corrupt";
    case TrieError::PruningModeMismatch:
      return "database was created with a different pruning mode";
  }
  return "unknown trie error";
}

}  // namespace bazaar::node::trie
