// Fuzz target: whole blocks from sync peers (runtime/primitives/block.hpp).
// Checks: the canonical round trip; every opaque extrinsic is exactly its
// compact length prefix plus that many bytes; the extrinsic decoder and the
// extrinsics-root computation (node/trie/root.hpp) that import runs next
// cope with whatever the opaque bytes hold.

#include "node/trie/root.hpp"
#include "runtime/primitives/block.hpp"
#include "runtime/primitives/extrinsic.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

#include <algorithm>

namespace bazaar::fuzz {

void fuzz_block(const uint8_t* data, std::size_t size) {
  using namespace runtime;
  auto block = decode_canonical<Block>(data, size);
  if (!block) return;
  std::vector<Bytes> encoded;
  for (const auto& xt : block->extrinsics) {
    codec::Decoder d(xt.encoded);
    auto len = codec::decode_length(d);
    FUZZ_CHECK(len && len.value() == d.remaining());
    if (auto decoded = decode_extrinsic(xt.encoded)) FUZZ_CHECK(std::ranges::equal(encode_extrinsic(decoded.value()), xt.encoded));
    encoded.push_back(xt.encoded);
  }
  H256 root = node::trie::ordered_trie_root(encoded);
  FUZZ_CHECK(!encoded.empty() || root == node::trie::empty_root());
}

}  // namespace bazaar::fuzz
