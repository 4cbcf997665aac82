#include "node/trie/proof.hpp"

#include <algorithm>
#include <unordered_map>

namespace bazaar::node::trie {

Result<std::optional<Bytes>> verify_proof(const H256& root, const std::vector<Bytes>& proof, ByteSpan key) {
  if (root == empty_root()) return std::optional<Bytes>{};
  std::unordered_map<H256, const Bytes*> by_hash;
  for (const auto& encoded : proof) by_hash.emplace(hash_node(encoded), &encoded);

  auto fetch = [&](const H256& hash) -> Result<Node> {
    auto it = by_hash.find(hash);
    if (it == by_hash.end()) return TrieError::IncompleteProof;
    return decode_node(*it->second);
  };

  Nibbles nibbles = to_nibbles(key);
  BAZAAR_TRY(Node node, fetch(root));
  std::size_t pos = 0;
  for (;;) {
    const Nibbles& p = node.partial;
    if (nibbles.size() - pos < p.size() ||
        !std::equal(p.begin(), p.end(), nibbles.begin() + static_cast<std::ptrdiff_t>(pos)))
      return std::optional<Bytes>{};
    pos += p.size();
    if (pos == nibbles.size()) return std::move(node.value);
    std::optional<ChildRef> child = node.children[nibbles[pos++]];
    if (!child) return std::optional<Bytes>{};
    if (child->is_hash()) {
      BAZAAR_TRY(node, fetch(child->hash()));
    } else {
      BAZAAR_TRY(node, decode_node(child->data()));
    }
  }
}

}  // namespace bazaar::node::trie
