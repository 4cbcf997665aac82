#pragma once
// Checking read proofs: a proof is a set of encoded trie nodes (as produced
// by TrieDb::read_proof, or by Substrate's state_getReadProof). A node is
// trusted only when reached from the root through hashes, so extra nodes are
// ignored and a tampered node is simply not found.

#include <optional>
#include <vector>

#include "node/trie/node_codec.hpp"

namespace bazaar::node::trie {

/// The value of `key` in the state with this root according to `proof`
/// (nullopt = the proof shows the key is absent).
/// Errors: IncompleteProof when a node on the key's path is missing from the
/// proof (including any tampered node), CorruptNode when a node reached by
/// hash does not decode.
Result<std::optional<Bytes>> verify_proof(const H256& root, const std::vector<Bytes>& proof, ByteSpan key);

}  // namespace bazaar::node::trie
