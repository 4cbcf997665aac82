#pragma once
// The node's key-value store seam: one ordered byte store split into columns
// by a one-byte key prefix (DESIGN.md "State and storage": blocks, headers, the
// number->hash index, justifications, trie nodes and metadata share one
// LevelDB; a pruned node's trie nodes go to a NodeLog committed with the same
// batch, leveldb_store.hpp). All of a block's writes go through one
// WriteBatch, applied atomically by KeyValueStore::write.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/codec/bytes.hpp"
#include "runtime/result.hpp"

namespace bazaar::node::db {

using runtime::Bytes;
using runtime::ByteSpan;

/// Errors of the key-value store. The backend's own status text goes to the
/// log (target "db") and, for open(), to the caller's error_detail string.
enum class DbError {
  OpenFailed = 1,  ///< the database could not be opened or created
  Locked,          ///< the directory is locked by another process (or another open in this one)
  Corruption,      ///< a checksum or format check failed: the database is corrupt
  IoError,         ///< a read or write failed at the file-system level
  NotSupported,    ///< the backend refused the operation
};
const char* to_string(DbError e);

}  // namespace bazaar::node::db

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::db, DbError)

namespace bazaar::node::db {

/// A column is a one-byte key prefix; its value is that byte on disk, so the
/// numbers are part of the database format and must never be reordered.
enum class Column : uint8_t {
  Meta = 0,            ///< node metadata: best / finalized block, genesis hash, schema version, pruning mode
  Headers = 1,         ///< block key (u32 BE number ++ hash) -> SCALE header
  Bodies = 2,          ///< block key -> SCALE extrinsics
  Justifications = 3,  ///< block key -> finality justification
  NumberToHash = 4,    ///< big-endian u32 block number -> block hash (canonical chain)
  TrieNodes = 5,       ///< blake2b-256 of a trie node -> its encoding
  TrieJournal = 6,     ///< block key -> nodes inserted / replaced by that block's state commit
  TrieRefCounts = 7,   ///< trie node hash -> u32 LE reference count (pruned mode only)
  Offchain = 8,        ///< offchain-worker local storage
  Aux = 9,             ///< auxiliary data of other components (consensus, finality state)
  HashToNumber = 10,   ///< block hash -> u32 BE block number, for every stored block
};
inline constexpr std::size_t kColumnCount = 11;
const char* to_string(Column c);

/// Options of one write.
struct WriteOptions {
  /// fsync before returning: the batch survives a machine crash, not just a process crash.
  bool sync = false;
};

/// Puts and deletes applied together by KeyValueStore::write, in order (the
/// last operation on a key wins). The batch also answers "what did I stage for
/// this key?" (find) so that several components can read their own pending
/// writes while filling the same block batch.
class WriteBatch {
 public:
  struct Op {
    Column column;
    Bytes key;
    std::optional<Bytes> value;  ///< nullopt = delete
  };

  WriteBatch() = default;
  WriteBatch(const WriteBatch&) = default;
  WriteBatch& operator=(const WriteBatch&) = default;
  /// A moved-from batch is empty.
  WriteBatch(WriteBatch&& other) noexcept;
  WriteBatch& operator=(WriteBatch&& other) noexcept;

  void put(Column column, ByteSpan key, ByteSpan value);
  void put(Column column, Bytes key, Bytes value);
  void del(Column column, ByteSpan key);
  /// Appends all operations of `other` after this batch's.
  void append(WriteBatch&& other);

  /// The last staged operation on (column, key): nullptr if none, else a
  /// pointer to the value (nullopt if the last operation is a delete). Valid
  /// until the batch is next modified. The index behind it is built on the
  /// first call and extended by later ones, so a batch nobody searches costs
  /// no index (most block batches). Not thread-safe (nor is any other member).
  const std::optional<Bytes>* find(Column column, ByteSpan key) const;

  const std::vector<Op>& ops() const { return m_ops; }
  std::size_t size() const { return m_ops.size(); }
  bool empty() const { return m_ops.empty(); }
  void clear();

 private:
  void record(Column column, Bytes key, std::optional<Bytes> value);

  std::vector<Op> m_ops;
  // column byte ++ key -> index in m_ops of the last operation, for m_ops[0, m_indexed)
  mutable std::unordered_map<std::string, std::size_t> m_last;
  mutable std::size_t m_indexed = 0;
};

/// Ordered byte store with columns. Implementations are thread-safe: reads and
/// writes may come from several threads; each write is atomic.
class KeyValueStore {
 public:
  /// Called for each entry with the key (column prefix removed) and value;
  /// return false to stop.
  using Visitor = std::function<bool(ByteSpan key, ByteSpan value)>;

  virtual ~KeyValueStore() = default;

  /// The value at (column, key), nullopt if absent.
  virtual Result<std::optional<Bytes>> get(Column column, ByteSpan key) const = 0;

  /// Applies all operations of the batch atomically: after a crash either all
  /// or none of them are visible.
  Result<void> write(WriteBatch&& batch, WriteOptions options = {}) { return do_write(std::move(batch), options); }

  /// Visits, in ascending key order, the entries of `column` whose key starts
  /// with `prefix` and is >= `start` (an empty start means from the prefix).
  Result<void> iterate(Column column, ByteSpan prefix, ByteSpan start, const Visitor& visit) const {
    return do_iterate(column, prefix, start, visit);
  }

  /// Convenience: visit everything under `prefix`.
  Result<void> iterate(Column column, ByteSpan prefix, const Visitor& visit) const {
    return iterate(column, prefix, {}, visit);
  }

  /// Called for each key (column prefix removed); return false to stop.
  using KeyVisitor = std::function<bool(ByteSpan key)>;
  /// Visits every key of `column` once, in no particular order, without
  /// reading the values where the backend can (a scan that only needs the
  /// keys: the trie's reference-count filter). The visitor must not write to
  /// the store. Error: DbError.
  Result<void> for_each_key(Column column, const KeyVisitor& visit) const { return do_for_each_key(column, visit); }

 protected:
  virtual Result<void> do_write(WriteBatch&& batch, WriteOptions options) = 0;
  virtual Result<void> do_iterate(Column column, ByteSpan prefix, ByteSpan start, const Visitor& visit) const = 0;
  /// By default iterate() over the column, ignoring values.
  virtual Result<void> do_for_each_key(Column column, const KeyVisitor& visit) const;
};

/// Reads (column, key) as the store will see it once `batch` is written.
Result<std::optional<Bytes>> read_through(const KeyValueStore& store, const WriteBatch& batch, Column column,
                                          ByteSpan key);

/// The on-disk key of (column, key): the column byte followed by the key.
Bytes column_key(Column column, ByteSpan key);

/// A block number as a key or value: u32 big-endian, so keys sort by number
/// (column NumberToHash's key, column HashToNumber's value).
Bytes number_key(uint32_t number);
/// The number in a number_key; nullopt if `bytes` is not 4 bytes long.
std::optional<uint32_t> decode_number_key(ByteSpan bytes);

/// The key of a block's entries in Headers, Bodies, Justifications and
/// TrieJournal: its number as u32 big-endian followed by its 32-byte hash
/// (Substrate's number_and_hash_to_lookup_key). Numbers first keep each
/// column in chain order: new blocks append to it. (In bazaar-bench-sync this
/// saved compaction only ~2 % against hash keys: tools/bench/README.md.)
Bytes block_key(uint32_t number, ByteSpan hash);

}  // namespace bazaar::node::db
