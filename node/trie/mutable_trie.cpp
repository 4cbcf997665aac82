#include "node/trie/mutable_trie.hpp"

#include <algorithm>
#include <cassert>
#include <unordered_map>

namespace bazaar::node::trie {

struct MutableTrie::MutNode {
  Nibbles partial;
  std::optional<Bytes> value;
  std::array<Slot, 16> children;
};

namespace {

std::size_t common_prefix(const Nibbles& partial, const Nibbles& key, std::size_t pos) {
  std::size_t n = std::min(partial.size(), key.size() - pos);
  std::size_t i = 0;
  while (i < n && partial[i] == key[pos + i]) ++i;
  return i;
}

}  // namespace

MutableTrie::MutableTrie(const H256& root, NodeLoader loader)
    : m_loader(std::move(loader)), m_root(std::make_unique<Slot>()) {
  if (root != empty_root()) *m_root = ChildRef(root);
}

MutableTrie::~MutableTrie() = default;
MutableTrie::MutableTrie(MutableTrie&&) noexcept = default;
MutableTrie& MutableTrie::operator=(MutableTrie&&) noexcept = default;

Result<MutableTrie::MutNode*> MutableTrie::resolve(Slot& slot) {
  if (std::holds_alternative<std::monostate>(slot)) return nullptr;
  if (auto* p = std::get_if<std::unique_ptr<MutNode>>(&slot)) return p->get();
  const ChildRef& ref = std::get<ChildRef>(slot);
  std::shared_ptr<const Node> node;
  if (ref.is_hash()) {
    H256 hash = ref.hash();
    BAZAAR_TRY(node, m_loader(hash));
    m_loaded.push_back(hash);
  } else {
    BAZAAR_TRY(auto decoded, decode_node(ref.data()));
    node = std::make_shared<const Node>(std::move(decoded));
  }
  auto m = std::make_unique<MutNode>();
  m->partial = node->partial;
  m->value = node->value;
  for (std::size_t i = 0; i < 16; ++i)
    if (node->children[i]) m->children[i] = *node->children[i];
  MutNode* raw = m.get();
  slot = std::move(m);
  return raw;
}

Result<void> MutableTrie::set(ByteSpan key, ByteSpan value) { return insert(*m_root, to_nibbles(key), 0, value); }

Result<void> MutableTrie::remove(ByteSpan key) { return erase(*m_root, to_nibbles(key), 0); }

Result<void> MutableTrie::insert(Slot& slot, const Nibbles& key, std::size_t pos, ByteSpan value) {
  BAZAAR_TRY(MutNode * n, resolve(slot));
  if (n == nullptr) {
    auto leaf = std::make_unique<MutNode>();
    leaf->partial.assign(key.begin() + static_cast<std::ptrdiff_t>(pos), key.end());
    leaf->value = Bytes(value.begin(), value.end());
    slot = std::move(leaf);
    return success();
  }
  std::size_t common = common_prefix(n->partial, key, pos);
  if (common == n->partial.size()) {
    std::size_t next = pos + common;
    if (next == key.size()) {
      n->value = Bytes(value.begin(), value.end());
      return success();
    }
    return insert(n->children[key[next]], key, next + 1, value);
  }
  // The key leaves this node's partial key part-way: split it under a new branch.
  auto branch = std::make_unique<MutNode>();
  branch->partial.assign(n->partial.begin(), n->partial.begin() + static_cast<std::ptrdiff_t>(common));
  uint8_t old_index = n->partial[common];
  auto old = std::move(std::get<std::unique_ptr<MutNode>>(slot));
  old->partial.erase(old->partial.begin(), old->partial.begin() + static_cast<std::ptrdiff_t>(common + 1));
  branch->children[old_index] = std::move(old);
  std::size_t next = pos + common;
  if (next == key.size()) {
    branch->value = Bytes(value.begin(), value.end());
  } else {
    auto leaf = std::make_unique<MutNode>();
    leaf->partial.assign(key.begin() + static_cast<std::ptrdiff_t>(next + 1), key.end());
    leaf->value = Bytes(value.begin(), value.end());
    branch->children[key[next]] = std::move(leaf);
  }
  slot = std::move(branch);
  return success();
}

Result<void> MutableTrie::erase(Slot& slot, const Nibbles& key, std::size_t pos) {
  if (std::holds_alternative<std::monostate>(slot)) return success();
  BAZAAR_TRY(MutNode * n, resolve(slot));
  std::size_t common = common_prefix(n->partial, key, pos);
  if (common != n->partial.size()) return success();  // key not in this subtree
  std::size_t next = pos + common;
  if (next == key.size()) {
    if (!n->value) return success();
    n->value.reset();
  } else {
    Slot& child = n->children[key[next]];
    if (std::holds_alternative<std::monostate>(child)) return success();
    BAZAAR_TRY(erase(child, key, next + 1));
  }
  return normalize(slot);
}

Result<void> MutableTrie::normalize(Slot& slot) {
  MutNode* n = std::get<std::unique_ptr<MutNode>>(slot).get();
  if (n->value) return success();
  std::size_t count = 0;
  std::size_t only = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    if (!std::holds_alternative<std::monostate>(n->children[i])) {
      ++count;
      only = i;
    }
  }
  if (count == 0) {
    slot = std::monostate{};
  } else if (count == 1) {
    // A valueless branch with one child merges into that child.
    BAZAAR_TRY(MutNode * child, resolve(n->children[only]));
    Nibbles merged = n->partial;
    merged.push_back(static_cast<uint8_t>(only));
    merged.insert(merged.end(), child->partial.begin(), child->partial.end());
    child->partial = std::move(merged);
    auto owned = std::move(std::get<std::unique_ptr<MutNode>>(n->children[only]));
    slot = std::move(owned);
  }
  return success();
}

ChildRef MutableTrie::encode_slot(const Slot& slot, bool is_root, std::vector<std::pair<H256, Bytes>>& inserted) const {
  if (const auto* ref = std::get_if<ChildRef>(&slot)) return *ref;
  const MutNode& m = *std::get<std::unique_ptr<MutNode>>(slot);
  Node node;
  node.partial = m.partial;
  node.value = m.value;
  for (std::size_t i = 0; i < 16; ++i)
    if (!std::holds_alternative<std::monostate>(m.children[i]))
      node.children.set(i, encode_slot(m.children[i], false, inserted));
  Bytes encoded = encode_node(node);
  if (is_root || encoded.size() >= kHashLength) {
    H256 h = hash_node(encoded);
    inserted.emplace_back(h, std::move(encoded));
    return ChildRef(h);
  }
  return ChildRef(encoded);
}

TrieDiff MutableTrie::commit() const {
  TrieDiff diff;
  if (std::holds_alternative<std::monostate>(*m_root)) {
    diff.root = empty_root();
  } else {
    diff.root = encode_slot(*m_root, true, diff.inserted).hash();
  }
  // A node both loaded and re-encoded unchanged is neither inserted nor removed.
  std::unordered_map<H256, std::size_t> loaded;
  for (const auto& h : m_loaded) ++loaded[h];
  std::vector<std::pair<H256, Bytes>> kept;
  kept.reserve(diff.inserted.size());
  for (auto& entry : diff.inserted) {
    auto it = loaded.find(entry.first);
    if (it != loaded.end() && it->second > 0) {
      --it->second;
      continue;
    }
    kept.push_back(std::move(entry));
  }
  diff.inserted = std::move(kept);
  for (const auto& h : m_loaded) {
    auto it = loaded.find(h);
    if (it->second > 0) {
      --it->second;
      diff.removed.push_back(h);
    }
  }
  return diff;
}

}  // namespace bazaar::node::trie
