#pragma once
// Trie nodes in Substrate's format: sp-trie's NodeCodec for LayoutV0 with
// blake2b-256 (substrate/primitives/trie/src/node_codec.rs, node_header.rs).
//
// A radix-16 Patricia trie without extension nodes: every node carries a
// partial key (nibbles). Encoding of a node:
//   header   first byte: kind in the two high bits (01 leaf, 10 branch without
//            value, 11 branch with value; 0x00 alone is the empty trie), the
//            partial key's nibble count in the low six bits; a count >= 63
//            sets them to 63 and continues in following bytes (each byte adds
//            its value, a byte of 255 says "more follows").
//   partial  the nibbles packed two per byte, high nibble first; an odd count
//            puts the first nibble alone in the low half of the first byte.
//   bitmap   branches only: u16 little-endian, bit i set when child i exists.
//   value    SCALE Vec<u8> (compact length ++ bytes): leaves, and branches
//            with value. LayoutV0 never stores values by hash.
//   children branches only, in index order: SCALE Vec<u8> of the child's
//            encoding when it is shorter than 32 bytes ("inline"), else of its
//            blake2b-256 hash.
// A node's hash is blake2b-256 of its encoding; the root is always referred to
// by hash, and the empty trie's root is blake2b-256([0x00]).

#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "node/trie/trie_error.hpp"
#include "runtime/codec/bytes.hpp"
#include "runtime/result.hpp"

namespace bazaar::node::trie {

using runtime::Bytes;
using runtime::ByteSpan;
using runtime::H256;

inline constexpr std::size_t kHashLength = 32;

/// Half-bytes (each 0..15), the trie's key alphabet; a byte key k becomes
/// k[0] >> 4, k[0] & 15, k[1] >> 4, ...
using Nibbles = std::vector<uint8_t>;
Nibbles to_nibbles(ByteSpan bytes);
/// Packs an even number of nibbles back into bytes.
Bytes nibbles_to_bytes(const Nibbles& nibbles);

/// How a branch refers to a child: the child's hash (32 bytes) when its
/// encoding is 32 bytes or longer, otherwise the child's encoding itself.
/// Held in place (no allocation).
class ChildRef {
 public:
  /// A reference by hash.
  explicit ChildRef(const H256& hash);
  /// A 32-byte hash or an inline encoding of 1..31 bytes (asserted).
  explicit ChildRef(ByteSpan bytes);

  ByteSpan data() const { return {m_bytes.data(), m_size}; }
  bool is_hash() const { return m_size == kHashLength; }
  H256 hash() const { return H256::from_span(data()); }
  friend bool operator==(const ChildRef& a, const ChildRef& b);

 private:
  std::array<uint8_t, kHashLength> m_bytes{};
  uint8_t m_size = 0;
};

/// The 16 child slots of a node, allocated only for branches so that leaves
/// (most nodes) stay small in the node cache.
class Children {
 public:
  Children() = default;
  Children(const Children& other);
  Children& operator=(const Children& other);
  Children(Children&&) noexcept = default;
  Children& operator=(Children&&) noexcept = default;

  /// The child at index i (0..15), or an empty optional.
  const std::optional<ChildRef>& operator[](std::size_t i) const;
  void set(std::size_t i, std::optional<ChildRef> ref);
  std::size_t count() const;
  friend bool operator==(const Children& a, const Children& b);

 private:
  std::unique_ptr<std::array<std::optional<ChildRef>, 16>> m_slots;
};

/// A decoded node. A leaf has a value and no children; a branch has at least
/// one child and maybe a value.
struct Node {
  Nibbles partial;
  std::optional<Bytes> value;
  Children children;

  bool is_leaf() const;
  std::size_t child_count() const;
  /// Approximate heap + object footprint, bytes (for the node cache's bound).
  std::size_t memory_size() const;
  friend bool operator==(const Node&, const Node&) = default;
};

/// The encoding of the empty trie (a lone 0x00).
inline const Bytes& empty_node_encoding() {
  static const Bytes kEmpty{0x00};
  return kEmpty;
}
/// blake2b-256([0x00]) = 0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314.
const H256& empty_root();

/// The node's encoding. Requires a well-formed node (a leaf has a value).
Bytes encode_node(const Node& node);
/// The same for a node given by its parts, without building a Node:
/// `children[i]` points to child i's reference, or is null.
Bytes encode_node(const Nibbles& partial, const Bytes* value, const std::array<const ChildRef*, 16>& children);

/// Decodes one node, rejecting anything our encoder would not produce:
/// truncated or trailing bytes, non-zero padding, a branch without children,
/// hashed-value (LayoutV1) headers, the empty-node byte, an inline child of 32
/// or more bytes. Error: TrieError::CorruptNode. Never reads out of bounds.
Result<Node> decode_node(ByteSpan encoded);

/// blake2b-256 of an encoding.
H256 hash_node(ByteSpan encoded);

/// The reference a parent stores for a child with this encoding.
ChildRef child_ref_for(const Bytes& encoded);

}  // namespace bazaar::node::trie
