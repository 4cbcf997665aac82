#include "node/trie/trie_db.hpp"

#include <unordered_set>

#include "node/log/log.hpp"

namespace bazaar::node::trie {

namespace {

spdlog::logger& trie_log() {
  static const auto kLogger = log::logger("trie");
  return *kLogger;
}

using NodePtr = std::shared_ptr<const Node>;

/// Whether node.partial matches key[pos..]; on success advances pos past it.
bool consume_partial(const Node& node, const Nibbles& key, std::size_t& pos) {
  const Nibbles& p = node.partial;
  if (key.size() - pos < p.size()) return false;
  if (!std::equal(p.begin(), p.end(), key.begin() + static_cast<std::ptrdiff_t>(pos))) return false;
  pos += p.size();
  return true;
}

class Seeker {
 public:
  explicit Seeker(const TrieDb& db) : m_db(db) {}

  /// Smallest key in the subtree of `node` greater than key, as nibbles in m_path.
  Result<bool> after(const Node& node, const Nibbles& key, std::size_t pos) {
    const Nibbles& p = node.partial;
    std::size_t rem = key.size() - pos;
    std::size_t n = std::min(p.size(), rem);
    for (std::size_t i = 0; i < n; ++i) {
      if (p[i] != key[pos + i]) {
        if (p[i] > key[pos + i]) return first(node);  // whole subtree sorts after key
        return false;                                 // whole subtree sorts before key
      }
    }
    if (rem < p.size()) return first(node);  // key is a proper prefix of every key here
    std::size_t base = m_path.size();
    m_path.insert(m_path.end(), p.begin(), p.end());
    std::size_t next = pos + p.size();
    std::size_t from = 0;
    if (next < key.size()) {
      uint8_t idx = key[next];
      if (const auto& child = node.children[idx]) {
        BAZAAR_TRY(auto c, m_db.resolve(*child));
        m_path.push_back(idx);
        BAZAAR_TRY(bool found, after(*c, key, next + 1));
        if (found) return true;
        m_path.pop_back();
      }
      from = idx + 1u;
    }
    // Here the node's own key is <= key; any later child holds greater keys.
    for (std::size_t j = from; j < 16; ++j) {
      if (!node.children[j]) continue;
      BAZAAR_TRY(auto c, m_db.resolve(*node.children[j]));
      m_path.push_back(static_cast<uint8_t>(j));
      return first(*c);
    }
    m_path.resize(base);
    return false;
  }

  /// Smallest key in the subtree of `node`.
  Result<bool> first(const Node& node) {
    m_path.insert(m_path.end(), node.partial.begin(), node.partial.end());
    if (node.value) return true;
    for (std::size_t j = 0; j < 16; ++j) {
      if (!node.children[j]) continue;
      BAZAAR_TRY(auto c, m_db.resolve(*node.children[j]));
      m_path.push_back(static_cast<uint8_t>(j));
      return first(*c);
    }
    return TrieError::CorruptNode;  // a node with neither value nor children
  }

  const Nibbles& path() const { return m_path; }

 private:
  const TrieDb& m_db;
  Nibbles m_path;
};

}  // namespace

TrieDb::TrieDb(db::KeyValueStore& store, TrieDbOptions options) : m_store(store), m_cache(options.cache_bytes) {}

Result<std::shared_ptr<const Node>> TrieDb::load(const H256& hash) const {
  if (auto cached = m_cache.get(hash)) return cached;
  BAZAAR_TRY(auto bytes, m_store.get(db::Column::TrieNodes, hash.span()));
  if (!bytes) return TrieError::MissingNode;
  if (hash_node(*bytes) != hash) {
    trie_log().error("node {} does not match its hash", runtime::to_hex(hash));
    return TrieError::CorruptNode;
  }
  auto decoded = decode_node(*bytes);
  if (!decoded) {
    trie_log().error("node {} does not decode", runtime::to_hex(hash));
    return decoded.error();
  }
  auto node = std::make_shared<const Node>(std::move(decoded).value());
  m_cache.put(hash, node);
  return node;
}

Result<std::shared_ptr<const Node>> TrieDb::resolve(const ChildRef& ref) const {
  if (ref.is_hash()) return load(ref.hash());
  BAZAAR_TRY(auto node, decode_node(ref.data()));
  return std::make_shared<const Node>(std::move(node));
}

Result<bool> TrieDb::has_state(const H256& root) const {
  if (root == empty_root()) return true;
  // The store, not the cache: a pruned state's root may still be cached.
  BAZAAR_TRY(auto bytes, m_store.get(db::Column::TrieNodes, root.span()));
  return bytes.has_value();
}

Result<std::optional<Bytes>> TrieDb::get(const H256& root, ByteSpan key) const {
  if (root == empty_root()) return std::optional<Bytes>{};
  Nibbles nibbles = to_nibbles(key);
  BAZAAR_TRY(NodePtr node, load(root));
  std::size_t pos = 0;
  for (;;) {
    if (!consume_partial(*node, nibbles, pos)) return std::optional<Bytes>{};
    if (pos == nibbles.size()) return node->value;
    const auto& child = node->children[nibbles[pos++]];
    if (!child) return std::optional<Bytes>{};
    BAZAAR_TRY(node, resolve(*child));
  }
}

Result<std::optional<Bytes>> TrieDb::next_key(const H256& root, ByteSpan key) const {
  if (root == empty_root()) return std::optional<Bytes>{};
  BAZAAR_TRY(NodePtr node, load(root));
  Seeker seeker(*this);
  BAZAAR_TRY(bool found, seeker.after(*node, to_nibbles(key), 0));
  if (!found) return std::optional<Bytes>{};
  if (seeker.path().size() % 2 != 0) return TrieError::CorruptNode;  // a value at a half-byte key
  return std::optional<Bytes>{nibbles_to_bytes(seeker.path())};
}

namespace {

Result<void> edit(MutableTrie& trie, const runtime::storage::ChangeSet& changes) {
  for (const auto& [key, value] : changes) {
    if (value) {
      BAZAAR_TRY(trie.set(key, *value));
    } else {
      BAZAAR_TRY(trie.remove(key));
    }
  }
  return success();
}

CommitResult to_commit(TrieDiff diff) {
  return CommitResult{diff.root, std::move(diff.inserted), std::move(diff.removed)};
}

}  // namespace

MutableTrie TrieDb::open(const H256& root) const {
  return MutableTrie(root, [this](const H256& h) { return load(h); });
}

Result<CommitResult> TrieDb::apply(const H256& root, const runtime::storage::ChangeSet& changes) const {
  MutableTrie trie = open(root);
  BAZAAR_TRY(edit(trie, changes));
  return to_commit(trie.commit());
}

Result<CommitResult> TrieDb::apply_in_place(MutableTrie& trie, const runtime::storage::ChangeSet& changes) const {
  BAZAAR_TRY(edit(trie, changes));
  return to_commit(trie.commit_and_rebase());
}

Result<std::vector<Bytes>> TrieDb::read_proof(const H256& root, const std::vector<Bytes>& keys) const {
  std::vector<Bytes> proof;
  if (root == empty_root()) return proof;
  std::unordered_set<H256> seen;
  auto visit = [&](const H256& hash) -> Result<NodePtr> {
    BAZAAR_TRY(NodePtr node, load(hash));
    // Stored nodes passed the hash check and decoding is canonical, so
    // re-encoding gives back exactly the stored bytes.
    if (seen.insert(hash).second) proof.push_back(encode_node(*node));
    return node;
  };
  for (const auto& key : keys) {
    Nibbles nibbles = to_nibbles(key);
    BAZAAR_TRY(NodePtr node, visit(root));
    std::size_t pos = 0;
    while (consume_partial(*node, nibbles, pos) && pos < nibbles.size()) {
      const auto& child = node->children[nibbles[pos++]];
      if (!child) break;
      if (child->is_hash()) {
        BAZAAR_TRY(node, visit(child->hash()));
      } else {
        BAZAAR_TRY(node, resolve(*child));
      }
    }
  }
  return proof;
}

void stage(db::WriteBatch& batch, const CommitResult& commit) {
  for (const auto& [hash, bytes] : commit.inserted_nodes) batch.put(db::Column::TrieNodes, hash.span(), bytes);
}

}  // namespace bazaar::node::trie
