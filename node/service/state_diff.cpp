#include "node/service/state_diff.hpp"

#include <algorithm>
#include <map>

namespace bazaar::node::service {

namespace {

using trie::ChildRef;
using trie::Nibbles;
using trie::Node;
using NodePtr = std::shared_ptr<const Node>;

/// One side of the walk: a subtree whose root node's partial key starts after `path`.
struct Side {
  std::optional<ChildRef> ref;  ///< how the parent refers to it (none for a state root or an already loaded node)
  NodePtr node;                 ///< loaded lazily
  Nibbles path;                 ///< absolute nibbles before the node's partial key
};

class Differ {
 public:
  explicit Differ(const trie::TrieDb& db) : m_db(db) {}

  Result<void> diff(std::optional<Side> a, std::optional<Side> b) {
    if (!a && !b) return success();
    if (a && b && a->ref && b->ref && *a->ref == *b->ref && a->path == b->path) return success();  // shared subtree
    if (a) {
      BAZAAR_TRY(load(*a));
    }
    if (b) {
      BAZAAR_TRY(load(*b));
    }
    if (!a) return collect(*b, true);
    if (!b) return collect(*a, false);

    Nibbles fa = full_key(*a);
    Nibbles fb = full_key(*b);
    if (fa == fb) {
      compare(fa, a->node->value, b->node->value);
      for (std::size_t i = 0; i < 16; ++i) {
        BAZAAR_TRY(diff(child(*a, fa, i), child(*b, fb, i)));
      }
      return success();
    }
    if (is_prefix(fa, fb)) return descend(*a, fa, *b, false);
    if (is_prefix(fb, fa)) return descend(*b, fb, *a, true);
    BAZAAR_TRY(collect(*a, false));  // disjoint subtrees: all of a removed, all of b added
    return collect(*b, true);
  }

 private:
  Result<void> load(Side& s) {
    if (s.node) return success();
    auto node = m_db.resolve(*s.ref);
    if (!node) return node.error();
    s.node = std::move(node).value();
    return success();
  }

  static Nibbles full_key(const Side& s) {
    Nibbles k = s.path;
    k.insert(k.end(), s.node->partial.begin(), s.node->partial.end());
    return k;
  }

  static bool is_prefix(const Nibbles& p, const Nibbles& of) {
    return p.size() < of.size() && std::equal(p.begin(), p.end(), of.begin());
  }

  static std::optional<Side> child(const Side& s, const Nibbles& full, std::size_t i) {
    const auto& ref = s.node->children[i];
    if (!ref) return std::nullopt;
    Nibbles path = full;
    path.push_back(static_cast<uint8_t>(i));
    return Side{*ref, nullptr, std::move(path)};
  }

  /// `outer`'s key `fo` is a proper prefix of `inner`'s: inner lies under one child of outer.
  Result<void> descend(const Side& outer, const Nibbles& fo, const Side& inner, bool outer_is_new) {
    const auto& old_value = outer_is_new ? std::optional<runtime::Bytes>{} : outer.node->value;
    const auto& new_value = outer_is_new ? outer.node->value : std::optional<runtime::Bytes>{};
    compare(fo, old_value, new_value);
    std::size_t slot = full_key(inner)[fo.size()];
    for (std::size_t i = 0; i < 16; ++i) {
      auto c = child(outer, fo, i);
      if (i == slot) {
        std::optional<Side> in = inner;
        BAZAAR_TRY(outer_is_new ? diff(in, std::move(c)) : diff(std::move(c), in));
      } else if (c) {
        BAZAAR_TRY(collect(*c, outer_is_new));
      }
    }
    return success();
  }

  /// Every value of the subtree: added (`added`) or removed.
  Result<void> collect(Side s, bool added) {
    BAZAAR_TRY(load(s));
    Nibbles full = full_key(s);
    if (s.node->value) {
      if (added) compare(full, std::nullopt, s.node->value);
      else compare(full, s.node->value, std::nullopt);
    }
    for (std::size_t i = 0; i < 16; ++i) {
      if (auto c = child(s, full, i)) {
        BAZAAR_TRY(collect(std::move(*c), added));
      }
    }
    return success();
  }

  /// Records the key if its value differs. A key removed on one side of the walk
  /// and added on the other (moved between subtrees) ends with its new value.
  void compare(const Nibbles& key, const std::optional<runtime::Bytes>& before,
               const std::optional<runtime::Bytes>& after) {
    if (key.size() % 2 != 0 || before == after) return;  // values only sit at whole bytes
    auto bytes = trie::nibbles_to_bytes(key);
    auto it = m_changes.find(bytes);
    if (it == m_changes.end()) {
      m_changes.emplace(std::move(bytes), Entry{before, after});
      return;
    }
    if (before) it->second.before = before;
    if (after) it->second.after = after;
  }

  struct Entry {
    std::optional<runtime::Bytes> before;
    std::optional<runtime::Bytes> after;
  };

  const trie::TrieDb& m_db;
  std::map<runtime::Bytes, Entry> m_changes;

 public:
  std::vector<StateChange> result() const {
    std::vector<StateChange> out;
    for (const auto& [key, e] : m_changes)
      if (e.before != e.after) out.emplace_back(key, e.after);
    return out;
  }
};

std::optional<Side> root_side(const runtime::H256& root) {
  if (root == trie::empty_root()) return std::nullopt;
  return Side{ChildRef(root), nullptr, {}};
}

}  // namespace

Result<std::vector<StateChange>> state_changes(const trie::TrieDb& db, const runtime::H256& from,
                                               const runtime::H256& to) {
  Differ differ(db);
  BAZAAR_TRY(differ.diff(root_side(from), root_side(to)));
  return differ.result();
}

}  // namespace bazaar::node::service
