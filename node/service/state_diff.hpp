#pragma once
// The storage changes between two states of the trie, found by walking both
// tries together and skipping every subtree the two share (same child hash at
// the same path): the cost follows the size of the change, not of the state.
// Serves state_subscribeStorage without keys (every change of each block).

#include "node/trie/trie_db.hpp"

#include <optional>
#include <utility>
#include <vector>

namespace bazaar::node::service {

/// A changed key and its value in the newer state (nullopt = removed).
using StateChange = std::pair<runtime::Bytes, std::optional<runtime::Bytes>>;

/// Every key whose value differs between the states with roots `from` and
/// `to`, in byte order, with its value in `to`. Errors: those of TrieDb::load
/// (MissingNode for a pruned state, CorruptNode, DbError).
Result<std::vector<StateChange>> state_changes(const trie::TrieDb& db, const runtime::H256& from,
                                               const runtime::H256& to);

}  // namespace bazaar::node::service
