#include "node/state/trie_state.hpp"

#include <algorithm>

#include "node/log/log.hpp"

namespace bazaar::node::state {

template <class T>
std::optional<Bytes> TrieState::unwrap(Result<T> r) const {
  if (r) return std::move(r).value();
  std::lock_guard lock(m_mutex);
  if (!m_failure) {
    m_failure = r.error();
    log::logger("state")->error("read of state {} failed: {}", runtime::to_hex(m_root), r.error().message());
  }
  return std::nullopt;
}

std::optional<Bytes> TrieState::get(ByteSpan key) const { return unwrap(m_db.get(m_root, key)); }

Result<std::optional<Bytes>> TrieState::try_get(ByteSpan key) const {
  auto r = m_db.get(m_root, key);
  if (!r) unwrap(Result<std::optional<Bytes>>(r.error()));
  return r;
}

std::optional<Bytes> TrieState::next_key(ByteSpan key) const { return unwrap(m_db.next_key(m_root, key)); }

std::optional<boost::system::error_code> TrieState::failure() const {
  std::lock_guard lock(m_mutex);
  return m_failure;
}

Result<std::vector<Bytes>> keys_paged(const trie::TrieDb& db, const H256& root, ByteSpan prefix, std::size_t count,
                                      std::optional<ByteSpan> start_key) {
  std::vector<Bytes> keys;
  if (count == 0) return keys;
  auto has_prefix = [&](const Bytes& k) {
    return k.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), k.begin());
  };
  std::optional<Bytes> cursor;
  bool start_after_given =
      start_key && !std::lexicographical_compare(start_key->begin(), start_key->end(), prefix.begin(), prefix.end());
  if (start_after_given) {
    BAZAAR_TRY(cursor, db.next_key(root, *start_key));
  } else {
    // From the prefix itself, inclusive.
    BAZAAR_TRY(auto at_prefix, db.get(root, prefix));
    if (at_prefix) {
      cursor = Bytes(prefix.begin(), prefix.end());
    } else {
      BAZAAR_TRY(cursor, db.next_key(root, prefix));
    }
  }
  while (cursor && has_prefix(*cursor) && keys.size() < count) {
    keys.push_back(*cursor);
    BAZAAR_TRY(cursor, db.next_key(root, keys.back()));
  }
  return keys;
}

}  // namespace bazaar::node::state
