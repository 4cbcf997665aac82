#include "node/trie/mutable_trie.hpp"

#include <algorithm>
#include <cassert>
#include <unordered_map>

namespace bazaar::node::trie {

struct MutableTrie::MutNode {
  Nibbles partial;
  std::optional<Bytes> value;
  std::array<Slot, 16> children;
  /// The reference the base trie has for this node (it was loaded, or
  /// committed by commit_and_rebase) while neither it nor anything below it
  /// has changed since; empty once touched.
  std::optional<ChildRef> committed;
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
  const ChildRef ref = std::get<ChildRef>(slot);
  auto m = new_node();
  if (ref.is_hash()) {
    BAZAAR_TRY(std::shared_ptr<const Node> node, m_loader(ref.hash()));
    m->partial = node->partial;
    m->value = node->value;
    for (std::size_t i = 0; i < 16; ++i)
      if (node->children[i]) m->children[i] = *node->children[i];
  } else {
    BAZAAR_TRY(Node node, decode_node(ref.data()));
    m->partial = std::move(node.partial);
    m->value = std::move(node.value);
    for (std::size_t i = 0; i < 16; ++i)
      if (node.children[i]) m->children[i] = *node.children[i];
  }
  m->committed = ref;
  MutNode* raw = m.get();
  slot = std::move(m);
  return raw;
}

void MutableTrie::touch(MutNode& n) {
  if (!n.committed) return;
  if (n.committed->is_hash()) m_loaded.push_back(n.committed->hash());
  n.committed.reset();
}

std::unique_ptr<MutableTrie::MutNode> MutableTrie::new_node() {
  ++m_resident;
  return std::make_unique<MutNode>();
}

Result<void> MutableTrie::set(ByteSpan key, ByteSpan value) { return insert(*m_root, to_nibbles(key), 0, value); }

Result<void> MutableTrie::remove(ByteSpan key) { return erase(*m_root, to_nibbles(key), 0); }

Result<void> MutableTrie::insert(Slot& slot, const Nibbles& key, std::size_t pos, ByteSpan value) {
  BAZAAR_TRY(MutNode * n, resolve(slot));
  if (n == nullptr) {
    auto leaf = new_node();
    leaf->partial.assign(key.begin() + static_cast<std::ptrdiff_t>(pos), key.end());
    leaf->value = Bytes(value.begin(), value.end());
    slot = std::move(leaf);
    return success();
  }
  touch(*n);
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
  auto branch = new_node();
  branch->partial.assign(n->partial.begin(), n->partial.begin() + static_cast<std::ptrdiff_t>(common));
  uint8_t old_index = n->partial[common];
  auto old = std::move(std::get<std::unique_ptr<MutNode>>(slot));
  old->partial.erase(old->partial.begin(), old->partial.begin() + static_cast<std::ptrdiff_t>(common + 1));
  branch->children[old_index] = std::move(old);
  std::size_t next = pos + common;
  if (next == key.size()) {
    branch->value = Bytes(value.begin(), value.end());
  } else {
    auto leaf = new_node();
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
    touch(*n);
    n->value.reset();
  } else {
    Slot& child = n->children[key[next]];
    if (std::holds_alternative<std::monostate>(child)) return success();
    touch(*n);  // re-encoded unchanged if the key is not there after all
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
    touch(*child);
    Nibbles merged = n->partial;
    merged.push_back(static_cast<uint8_t>(only));
    merged.insert(merged.end(), child->partial.begin(), child->partial.end());
    child->partial = std::move(merged);
    auto owned = std::move(std::get<std::unique_ptr<MutNode>>(n->children[only]));
    slot = std::move(owned);
  }
  return success();
}

ChildRef MutableTrie::encode_slot(const Slot& slot, bool is_root, std::vector<std::pair<H256, Bytes>>& inserted,
                                  std::vector<std::pair<MutNode*, ChildRef>>* encoded) const {
  if (const auto* ref = std::get_if<ChildRef>(&slot)) return *ref;
  MutNode* changed = std::get<std::unique_ptr<MutNode>>(slot).get();
  const MutNode& m = *changed;
  // Unchanged since loaded or last committed: so is everything below it. (A
  // node moves between the root and a child position only when touched.)
  if (m.committed && (!is_root || m.committed->is_hash())) return *m.committed;
  std::array<std::optional<ChildRef>, 16> refs;
  std::array<const ChildRef*, 16> children{};
  for (std::size_t i = 0; i < 16; ++i) {
    if (std::holds_alternative<std::monostate>(m.children[i])) continue;
    refs[i] = encode_slot(m.children[i], false, inserted, encoded);
    children[i] = &*refs[i];
  }
  Bytes bytes = encode_node(m.partial, m.value ? &*m.value : nullptr, children);
  std::optional<ChildRef> ref;
  if (is_root || bytes.size() >= kHashLength) {
    H256 h = hash_node(bytes);
    inserted.emplace_back(h, std::move(bytes));
    ref.emplace(h);
  } else {
    ref.emplace(bytes);
  }
  if (encoded) encoded->emplace_back(changed, *ref);
  return *ref;
}

TrieDiff MutableTrie::commit() const { return diff_commit(nullptr); }

TrieDiff MutableTrie::commit_and_rebase() {
  std::vector<std::pair<MutNode*, ChildRef>> encoded;
  TrieDiff diff = diff_commit(&encoded);
  for (auto& [node, ref] : encoded) node->committed = ref;
  m_loaded.clear();
  return diff;
}

TrieDiff MutableTrie::diff_commit(std::vector<std::pair<MutNode*, ChildRef>>* encoded) const {
  TrieDiff diff;
  if (std::holds_alternative<std::monostate>(*m_root)) {
    diff.root = empty_root();
  } else {
    diff.root = encode_slot(*m_root, true, diff.inserted, encoded).hash();
  }
  // A node of the base both touched and re-encoded unchanged is neither
  // inserted nor removed.
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
