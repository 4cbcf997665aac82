#pragma once
// Helpers shared by the node/state tests.

#include <catch2/catch.hpp>

#include "node/db/kv_store.hpp"
#include "node/trie/trie_db.hpp"
#include "runtime/storage/storage.hpp"

namespace bazaar::node::state::test {

/// Applies `changes` to the state at `root`, writes the new nodes to `store`
/// and returns the new root (REQUIREs that both succeed).
inline H256 commit(db::KeyValueStore& store, const trie::TrieDb& trie, const H256& root,
                   const runtime::storage::ChangeSet& changes) {
  auto result = trie.apply(root, changes);
  REQUIRE(result.has_value());
  db::WriteBatch batch;
  trie::stage(batch, result.value());
  REQUIRE(store.write(std::move(batch)).has_value());
  return result.value().new_root;
}

}  // namespace bazaar::node::state::test
