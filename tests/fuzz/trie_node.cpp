// Fuzz target: trie node decoding (node/trie/node_codec.hpp), which reads
// nodes from proofs and, if the database is damaged, from disk. Checks: only
// TrieError::CorruptNode on rejection; the canonical round trip
// (encode_node(decode_node(x)) == x, so a node's hash identifies it); and the
// invariants of a decoded node (nibbles, leaf/branch shape, child refs).

#include "node/trie/node_codec.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

#include <algorithm>

namespace bazaar::fuzz {

void fuzz_trie_node(const uint8_t* data, std::size_t size) {
  using namespace node::trie;
  runtime::ByteSpan in(data, size);
  auto node = decode_node(in);
  if (!node) {
    FUZZ_CHECK(node.error() == TrieError::CorruptNode);
    check_error_message(node.error());
    return;
  }
  note_accepted();
  const Node& n = node.value();
  FUZZ_CHECK(std::ranges::all_of(n.partial, [](uint8_t nibble) { return nibble < 16; }));
  FUZZ_CHECK(!n.is_leaf() || n.value.has_value());
  FUZZ_CHECK(n.child_count() <= 16);
  for (std::size_t i = 0; i < 16; ++i) {
    if (const auto& child = n.children[i]) {
      FUZZ_CHECK(!child->data().empty() && child->data().size() <= kHashLength);
      FUZZ_CHECK(child->is_hash() == (child->data().size() == kHashLength));
    }
  }
  FUZZ_CHECK(n.memory_size() >= sizeof(Node) + n.partial.size());
  FUZZ_CHECK(std::ranges::equal(encode_node(n), in));
  FUZZ_CHECK(hash_node(in) == hash_node(encode_node(n)));
}

}  // namespace bazaar::fuzz
