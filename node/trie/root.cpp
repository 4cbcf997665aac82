#include "node/trie/root.hpp"

#include <cassert>

#include "node/trie/mutable_trie.hpp"
#include "runtime/codec/scale.hpp"

namespace bazaar::node::trie {

namespace {

MutableTrie detached_trie() {
  // Built from the empty trie, so no node is ever loaded.
  return MutableTrie(empty_root(),
                     [](const H256&) -> Result<std::shared_ptr<const Node>> { return TrieError::MissingNode; });
}

void must(const Result<void>& r) {
  assert(r.has_value());  // inserting into a detached trie cannot fail
  (void)r;
}

}  // namespace

H256 compute_root(const std::map<Bytes, Bytes>& kvs) {
  MutableTrie trie = detached_trie();
  for (const auto& [key, value] : kvs) must(trie.set(key, value));
  return trie.commit().root;
}

H256 ordered_trie_root(const std::vector<Bytes>& values) {
  MutableTrie trie = detached_trie();
  for (std::size_t i = 0; i < values.size(); ++i)
    must(trie.set(runtime::codec::encode(runtime::codec::Compact<uint32_t>{static_cast<uint32_t>(i)}), values[i]));
  return trie.commit().root;
}

}  // namespace bazaar::node::trie
