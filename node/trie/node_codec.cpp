#include "node/trie/node_codec.hpp"

#include <algorithm>
#include <cassert>

#include "runtime/codec/scale.hpp"
#include "runtime/crypto/hash.hpp"

namespace bazaar::node::trie {

namespace {

constexpr uint8_t kLeafPrefix = 0b01 << 6;
constexpr uint8_t kBranchNoValuePrefix = 0b10 << 6;
constexpr uint8_t kBranchWithValuePrefix = 0b11 << 6;
constexpr std::size_t kSizeMask = 0b0011'1111;  // low six bits: 63 = "continues"

void encode_header(Bytes& out, uint8_t prefix, std::size_t nibble_count) {
  // node_header.rs size_and_prefix_iterator with a 2-bit prefix.
  if (nibble_count < kSizeMask) {
    out.push_back(static_cast<uint8_t>(prefix | nibble_count));
    return;
  }
  out.push_back(static_cast<uint8_t>(prefix | kSizeMask));
  std::size_t rem = nibble_count - (kSizeMask - 1);
  while (rem >= 256) {
    out.push_back(255);
    rem -= 255;
  }
  out.push_back(static_cast<uint8_t>(rem - 1));
}

void encode_partial(Bytes& out, const Nibbles& nibbles) {
  std::size_t i = 0;
  if (nibbles.size() % 2 == 1) out.push_back(nibbles[i++]);
  for (; i < nibbles.size(); i += 2) out.push_back(static_cast<uint8_t>((nibbles[i] << 4) | nibbles[i + 1]));
}

void encode_bytes(Bytes& out, ByteSpan data) {
  runtime::codec::Encoder e;
  runtime::codec::encode_compact(e, data.size());
  out.insert(out.end(), e.bytes().begin(), e.bytes().end());
  out.insert(out.end(), data.begin(), data.end());
}

Result<ByteSpan> decode_bytes(runtime::codec::Decoder& d) {
  auto len = runtime::codec::decode_length(d);
  if (!len) return TrieError::CorruptNode;
  auto s = d.read(len.value());
  if (!s) return TrieError::CorruptNode;
  return s.value();
}

}  // namespace

Nibbles to_nibbles(ByteSpan bytes) {
  Nibbles out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(b >> 4);
    out.push_back(b & 0x0f);
  }
  return out;
}

Bytes nibbles_to_bytes(const Nibbles& nibbles) {
  assert(nibbles.size() % 2 == 0);
  Bytes out;
  out.reserve(nibbles.size() / 2);
  for (std::size_t i = 0; i + 1 < nibbles.size(); i += 2)
    out.push_back(static_cast<uint8_t>((nibbles[i] << 4) | nibbles[i + 1]));
  return out;
}

ChildRef::ChildRef(const H256& hash) : m_size(kHashLength) { std::copy(hash.begin(), hash.end(), m_bytes.begin()); }

ChildRef::ChildRef(ByteSpan bytes) : m_size(static_cast<uint8_t>(bytes.size())) {
  assert(!bytes.empty() && bytes.size() <= kHashLength);
  std::copy(bytes.begin(), bytes.end(), m_bytes.begin());
}

bool operator==(const ChildRef& a, const ChildRef& b) { return std::ranges::equal(a.data(), b.data()); }

Children::Children(const Children& other)
    : m_slots(other.m_slots ? std::make_unique<std::array<std::optional<ChildRef>, 16>>(*other.m_slots) : nullptr) {}

Children& Children::operator=(const Children& other) {
  if (this != &other) *this = Children(other);
  return *this;
}

const std::optional<ChildRef>& Children::operator[](std::size_t i) const {
  static const std::optional<ChildRef> kNone;
  return m_slots ? (*m_slots)[i] : kNone;
}

void Children::set(std::size_t i, std::optional<ChildRef> ref) {
  if (!m_slots) {
    if (!ref) return;
    m_slots = std::make_unique<std::array<std::optional<ChildRef>, 16>>();
  }
  (*m_slots)[i] = ref;
}

std::size_t Children::count() const {
  std::size_t n = 0;
  if (m_slots)
    for (const auto& c : *m_slots) n += c.has_value();
  return n;
}

bool operator==(const Children& a, const Children& b) {
  for (std::size_t i = 0; i < 16; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

bool Node::is_leaf() const { return child_count() == 0; }

std::size_t Node::child_count() const { return children.count(); }

std::size_t Node::memory_size() const {
  std::size_t n = sizeof(Node) + partial.capacity() + (value ? value->capacity() : 0);
  if (child_count() > 0) n += sizeof(std::array<std::optional<ChildRef>, 16>);
  return n;
}

const H256& empty_root() {
  static const H256 kRoot = runtime::crypto::blake2b_256(empty_node_encoding());
  return kRoot;
}

Bytes encode_node(const Node& node) {
  std::array<const ChildRef*, 16> children{};
  for (std::size_t i = 0; i < 16; ++i)
    if (const auto& child = node.children[i]) children[i] = &*child;
  return encode_node(node.partial, node.value ? &*node.value : nullptr, children);
}

Bytes encode_node(const Nibbles& partial, const Bytes* value, const std::array<const ChildRef*, 16>& children) {
  uint16_t bitmap = 0;
  for (std::size_t i = 0; i < 16; ++i)
    if (children[i]) bitmap |= static_cast<uint16_t>(1u << i);
  const bool leaf = bitmap == 0;
  assert(!leaf || value);
  Bytes out;
  out.reserve(4 + partial.size() / 2 + (value ? value->size() + 5 : 0) + (leaf ? 0 : 2 + 33 * 16));
  uint8_t prefix = leaf ? kLeafPrefix : (value ? kBranchWithValuePrefix : kBranchNoValuePrefix);
  encode_header(out, prefix, partial.size());
  encode_partial(out, partial);
  if (!leaf) {
    out.push_back(static_cast<uint8_t>(bitmap & 0xff));
    out.push_back(static_cast<uint8_t>(bitmap >> 8));
  }
  if (value) encode_bytes(out, *value);
  for (std::size_t i = 0; i < 16; ++i)
    if (children[i]) encode_bytes(out, children[i]->data());
  return out;
}

Result<Node> decode_node(ByteSpan encoded) {
  runtime::codec::Decoder d(encoded);
  auto first = d.read_byte();
  if (!first) return TrieError::CorruptNode;
  uint8_t kind = first.value() & 0b1100'0000;
  // 0b00xx_xxxx: the empty node, or a LayoutV1 hashed-value header; neither is a stored V0 node.
  if (kind == 0) return TrieError::CorruptNode;

  std::size_t nibble_count = first.value() & kSizeMask;
  if (nibble_count == kSizeMask) {
    nibble_count -= 1;
    for (;;) {
      auto b = d.read_byte();
      if (!b) return TrieError::CorruptNode;
      if (b.value() < 255) {
        nibble_count += b.value() + 1;
        break;
      }
      nibble_count += 255;
    }
  }

  Node node;
  std::size_t partial_bytes = (nibble_count + 1) / 2;
  if (partial_bytes > d.remaining()) return TrieError::CorruptNode;
  ByteSpan partial = d.read(partial_bytes).value();
  node.partial.reserve(nibble_count);
  std::size_t i = 0;
  if (nibble_count % 2 == 1) {
    if (partial[0] & 0xf0) return TrieError::CorruptNode;  // padding must be zero
    node.partial.push_back(partial[0]);
    i = 1;
  }
  for (; i < partial.size(); ++i) {
    node.partial.push_back(partial[i] >> 4);
    node.partial.push_back(partial[i] & 0x0f);
  }

  if (kind == kLeafPrefix) {
    BAZAAR_TRY(auto value, decode_bytes(d));
    node.value = Bytes(value.begin(), value.end());
  } else {
    auto bitmap_bytes = d.read(2);
    if (!bitmap_bytes) return TrieError::CorruptNode;
    uint16_t bitmap = static_cast<uint16_t>(bitmap_bytes.value()[0] | (bitmap_bytes.value()[1] << 8));
    if (bitmap == 0) return TrieError::CorruptNode;
    if (kind == kBranchWithValuePrefix) {
      BAZAAR_TRY(auto value, decode_bytes(d));
      node.value = Bytes(value.begin(), value.end());
    }
    for (std::size_t c = 0; c < 16; ++c) {
      if (!(bitmap & (1u << c))) continue;
      BAZAAR_TRY(auto child, decode_bytes(d));
      if (child.empty() || child.size() > kHashLength) return TrieError::CorruptNode;
      node.children.set(c, ChildRef(child));
    }
  }
  if (!d.at_end()) return TrieError::CorruptNode;
  return node;
}

H256 hash_node(ByteSpan encoded) { return runtime::crypto::blake2b_256(encoded); }

ChildRef child_ref_for(const Bytes& encoded) {
  if (encoded.size() >= kHashLength) return ChildRef(hash_node(encoded));
  return ChildRef(encoded);
}

}  // namespace bazaar::node::trie
