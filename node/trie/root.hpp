#pragma once
// Trie roots of whole key/value sets, computed in memory (no database):
// Substrate's LayoutV0::trie_root and ordered_trie_root (sp-trie), used for
// the extrinsics root of a block header and for genesis checks.

#include <map>
#include <vector>

#include "node/trie/node_codec.hpp"

namespace bazaar::node::trie {

/// Root of the trie holding exactly `kvs` (empty_root() for an empty map).
H256 compute_root(const std::map<Bytes, Bytes>& kvs);

/// Root of the trie mapping SCALE(Compact<u32>(i)) -> values[i]: the
/// extrinsics root of a block whose extrinsics are `values` (each the full
/// encoded extrinsic).
H256 ordered_trie_root(const std::vector<Bytes>& values);

}  // namespace bazaar::node::trie
