#pragma once
// The runtime's view of one state: a StorageReader over the trie at a state
// root (what blocks execute on), plus paged key listing for RPC.

#include <mutex>
#include <optional>
#include <vector>

#include "node/trie/trie_db.hpp"
#include "runtime/storage/storage.hpp"

namespace bazaar::node::state {

using runtime::Bytes;
using runtime::ByteSpan;
using runtime::H256;

/// Reads the state with root `root` from `db`.
///
/// StorageReader cannot report errors, so a backend failure (a missing node
/// of a pruned state, a corrupt node, an I/O error) makes the read return
/// nullopt and is remembered: whoever executes on this state must check
/// failure() afterwards and reject the result if it is set. The first failure
/// is also logged.
class TrieState final : public runtime::storage::StorageReader {
 public:
  TrieState(const trie::TrieDb& db, const H256& root) : m_db(db), m_root(root) {}

  std::optional<Bytes> get(ByteSpan key) const override;
  std::optional<Bytes> next_key(ByteSpan key) const override;
  /// As get(), but a backend failure is returned (and remembered as failure())
  /// instead of reading as absent.
  Result<std::optional<Bytes>> try_get(ByteSpan key) const;

  const H256& root() const { return m_root; }
  /// The first backend error met by get / next_key, if any.
  std::optional<boost::system::error_code> failure() const;

 private:
  template <class T>
  std::optional<Bytes> unwrap(Result<T> r) const;

  const trie::TrieDb& m_db;
  H256 m_root;
  mutable std::mutex m_mutex;
  mutable std::optional<boost::system::error_code> m_failure;
};

/// Up to `count` keys of the state at `root` that start with `prefix`, in
/// ascending order, strictly after `start_key` when given (Substrate's
/// state_getKeysPaged: polkadot.js pages with start_key = the last key of the
/// previous page, and initially the prefix itself).
Result<std::vector<Bytes>> keys_paged(const trie::TrieDb& db, const H256& root, ByteSpan prefix, std::size_t count,
                                      std::optional<ByteSpan> start_key = std::nullopt);

}  // namespace bazaar::node::state
