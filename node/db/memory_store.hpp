#pragma once
// An in-memory KeyValueStore (std::map) with the same semantics as the
// LevelDB one: ordered keys, atomic batches. For tests and tools.

#include <map>
#include <shared_mutex>

#include "node/db/kv_store.hpp"

namespace bazaar::node::db {

class MemoryStore final : public KeyValueStore {
 public:
  Result<std::optional<Bytes>> get(Column column, ByteSpan key) const override;

  /// Number of entries in `column` (tests use it to watch pruning).
  std::size_t count(Column column) const;

  /// Overwrites (column, key) directly, bypassing batches: tests use it to
  /// plant corrupt data.
  void poke(Column column, ByteSpan key, ByteSpan value);

 protected:
  Result<void> do_write(WriteBatch&& batch, WriteOptions options) override;
  Result<void> do_iterate(Column column, ByteSpan prefix, ByteSpan start, const Visitor& visit) const override;

 private:
  /// Plain memcmp order (the same as LevelDB's bytewise comparator).
  struct BytewiseLess {
    bool operator()(const Bytes& a, const Bytes& b) const;
  };

  mutable std::shared_mutex m_mutex;
  std::map<Bytes, Bytes, BytewiseLess> m_data;  // column byte ++ key -> value
};

}  // namespace bazaar::node::db
