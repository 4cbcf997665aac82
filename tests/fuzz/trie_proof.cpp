// Fuzz target: read-proof verification (node/trie/proof.hpp) on hostile
// proofs, cross-checked against the database-backed trie (node/trie/trie_db.hpp)
// holding exactly the proof's nodes: two independent walks of the same nodes
// must agree (a value, an absence, IncompleteProof <-> MissingNode, or
// CorruptNode). The proof's order and extra junk nodes must not change the
// answer. Then the key is set (or removed) in the proof-backed trie with
// TrieDb::apply; when that succeeds, the new state must read back the write.
//
// Input: SCALE (root: H256, key: Vec<u8>, proof: Vec<Vec<u8>>, op: u8), as
// the corpus generator writes it. Anything else is taken as one node: the
// proof is the whole input, the root its hash and the key its first bytes.

#include "node/db/memory_store.hpp"
#include "node/log/log.hpp"
#include "node/trie/proof.hpp"
#include "node/trie/trie_db.hpp"
#include "runtime/codec/scale.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/targets.hpp"

#include <algorithm>

namespace bazaar::fuzz {
namespace {

using namespace node::trie;
using runtime::Bytes;

using ProofInput = std::tuple<H256, Bytes, std::vector<Bytes>, uint8_t>;

ProofInput parse(const uint8_t* data, std::size_t size) {
  if (auto decoded = runtime::codec::decode<ProofInput>({data, size})) return decoded.value();
  Bytes whole(data, data + size);
  Bytes key(data, data + std::min<std::size_t>(size, 6));
  return {hash_node(whole), key, {whole}, static_cast<uint8_t>(size)};
}

bool same_outcome(const Result<std::optional<Bytes>>& a, const Result<std::optional<Bytes>>& b) {
  if (a.has_value() != b.has_value()) return false;
  return a ? a.value() == b.value() : a.error() == b.error();
}

}  // namespace

void fuzz_trie_proof(const uint8_t* data, std::size_t size) {
  // Rejected nodes are logged by TrieDb; keep the fuzz output readable.
  static const bool kQuiet = static_cast<bool>(node::log::apply_levels("trie=off"));
  (void)kQuiet;

  auto [root, key, proof, op] = parse(data, size);
  auto verified = verify_proof(root, proof, key);
  if (verified) note_accepted();
  else FUZZ_CHECK(verified.error() == TrieError::IncompleteProof || verified.error() == TrieError::CorruptNode);

  // Order and junk do not matter.
  std::vector<Bytes> shuffled(proof.rbegin(), proof.rend());
  shuffled.push_back(Bytes{0x00});
  shuffled.push_back(Bytes(data, data + size));
  FUZZ_CHECK(same_outcome(verified, verify_proof(root, shuffled, key)));

  // The database-backed trie over the same nodes agrees.
  node::db::MemoryStore store;
  node::db::WriteBatch batch;
  for (const auto& n : proof) batch.put(node::db::Column::TrieNodes, hash_node(n).span(), n);
  FUZZ_CHECK(store.write(std::move(batch)).has_value());
  TrieDb trie(store, TrieDbOptions{.cache_bytes = 0});
  auto got = trie.get(root, key);
  if (verified) {
    FUZZ_CHECK(got && got.value() == verified.value());
  } else if (verified.error() == TrieError::IncompleteProof) {
    FUZZ_CHECK(!got && got.error() == TrieError::MissingNode);
  } else {
    FUZZ_CHECK(!got && got.error() == TrieError::CorruptNode);
  }
  (void)trie.next_key(root, key);

  // Writing through the proof-backed trie: what was written reads back.
  runtime::storage::ChangeSet changes;
  bool remove = op % 3 == 0;
  Bytes value(key.rbegin(), key.rend());
  value.push_back(op);
  changes[key] = remove ? std::nullopt : std::optional<Bytes>(value);
  auto commit = trie.apply(root, changes);
  if (!commit) return;
  node::db::WriteBatch writes;
  stage(writes, commit.value());
  FUZZ_CHECK(store.write(std::move(writes)).has_value());
  auto after = trie.get(commit.value().new_root, key);
  FUZZ_CHECK(after.has_value());
  FUZZ_CHECK(after.value() == (remove ? std::nullopt : std::optional<Bytes>(value)));
}

}  // namespace bazaar::fuzz
