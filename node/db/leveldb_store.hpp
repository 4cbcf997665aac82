#pragma once
// The KeyValueStore on LevelDB: one database directory, columns as one-byte
// key prefixes, each WriteBatch applied as one leveldb::WriteBatch (atomic
// across a crash). The write-ahead log is replayed with LevelDB's paranoid
// checks and every read verifies block checksums, so on-disk corruption
// surfaces as DbError::Corruption; compaction does not re-verify what it
// reads (see open()). A database created with LevelDbOptions::trie_node_log
// keeps column TrieNodes in a NodeLog instead, committed by the same batch.

#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "node/db/kv_store.hpp"
#include "node/db/node_log.hpp"

namespace leveldb {
class DB;
class WriteBatch;
class Cache;
class Env;
class FilterPolicy;
}  // namespace leveldb

namespace bazaar::node::db {

/// The name LevelDB's background thread (flushes and compaction, shared by
/// every database in the process) takes once a store has been opened.
inline constexpr const char* kBackgroundThreadName = "bz-leveldb";

struct LevelDbOptions {
  bool create_if_missing = true;
  /// LevelDB block cache (decompressed blocks), bytes.
  std::size_t block_cache_bytes = 64 << 20;
  /// In-memory write buffer before a level-0 table is written, bytes (LevelDB
  /// holds up to two: the one filling and the one being flushed, so up to
  /// twice this in memory while blocks import fast). Trie nodes (in a
  /// database without a node log) are keyed by hash, so every table overlaps every other and each level-0 compaction
  /// rewrites all of level 1 and, through it, level 2; a larger buffer moves
  /// more data per rewrite. In bazaar-bench-sync, 64 MiB instead of 16 halved
  /// the bytes compaction read and wrote (200 blocks: 0.6 / 0.85 GB instead of
  /// 1.1-1.8 / 1.4-2.0 GB); 128 MiB instead of 64 cut the compaction thread's
  /// CPU in the 2,000-block sync from ~35 to ~25 us per transfer, and 256 MiB
  /// instead of 128 the CPU of the threads besides import and signatures from
  /// 0.36 to 0.24-0.26 of the signature thread's (the node's CPU by ~5 %), with
  /// the syncing node's peak RSS 1.83-1.86 GB instead of 1.77. The buffer
  /// fills as data arrives: a store that writes little (channel store, task
  /// journal) uses little of it.
  std::size_t write_buffer_size = 256 << 20;
  int max_open_files = 512;
  /// Bloom filter bits per key (0 = no filter); speeds up lookups of absent keys.
  int bloom_bits_per_key = 10;
  /// Target size of one table file, bytes (LevelDB's default is 2 MiB). Larger
  /// files mean fewer files to open and fewer, larger compactions; Bitcoin
  /// Core's dbwrapper uses 32 MiB for the same reason.
  std::size_t max_file_size = 32 << 20;
  /// Snappy compression of table blocks. Off by default, as in Bitcoin Core:
  /// the bulk of the database is trie nodes made of 32-byte hashes and encoded
  /// balances, which do not compress, and trying cost about a quarter of the
  /// compaction thread's CPU during sync (tools/bench/README.md).
  bool compression = false;
  /// The trie-node log's options (used with trie_node_log).
  NodeLogOptions node_log;
  /// Keep trie nodes (column TrieNodes, 32-byte keys) in a NodeLog under
  /// `dir/nodes` instead of in LevelDB. Takes effect only when the database is
  /// created; a database created with it always opens with it, and one
  /// created without it never does. The service sets it for pruned nodes (the
  /// log's index holds every stored node in memory). Each batch that touches
  /// trie nodes appends them to the log first and commits the log's new head
  /// (Meta "db:node_log_head") in its own LevelDB batch, so the two stay one
  /// atomic write. In bazaar-bench-sync it cut the syncing node's CPU by about
  /// a sixth (tools/bench/README.md, twelfth round).
  bool trie_node_log = false;
};

/// The leveldb::Env every LevelDbStore opens with: Env::Default(), except that
/// table files (".ldb", ".sst") reach the OS only in whole 64 KiB buffers, at
/// Sync() and Close(), instead of one write() per 4 KiB table block at every
/// Flush() (in bazaar-bench-sync that cut the kernel time of LevelDB's
/// background thread by a third). The write-ahead log and the manifest are
/// LevelDB's own files, flushed after every record. Exposed for tests.
leveldb::Env* store_env();

class LevelDbStore final : public KeyValueStore {
 public:
  /// Opens (and by default creates, with parent directories) the database at
  /// `dir`. Errors: Locked when another process (or another open in this
  /// process) holds the directory, Corruption when LevelDB's checks fail,
  /// OpenFailed / IoError otherwise. LevelDB's status text is logged and, if
  /// `error_detail` is given, stored there for the caller's message.
  static Result<std::unique_ptr<LevelDbStore>> open(const std::filesystem::path& dir,
                                                    const LevelDbOptions& options = {},
                                                    std::string* error_detail = nullptr);

  ~LevelDbStore() override;
  LevelDbStore(const LevelDbStore&) = delete;
  LevelDbStore& operator=(const LevelDbStore&) = delete;

  Result<std::optional<Bytes>> get(Column column, ByteSpan key) const override;

  const std::filesystem::path& path() const { return m_path; }
  /// The trie-node log, or nullptr when trie nodes live in LevelDB.
  const NodeLog* node_log() const { return m_nodes.get(); }

 protected:
  Result<void> do_write(WriteBatch&& batch, WriteOptions options) override;
  Result<void> do_iterate(Column column, ByteSpan prefix, ByteSpan start, const Visitor& visit) const override;
  /// With a node log, column TrieNodes' keys come from the log's index
  /// without reading the values, then the column's other keys from LevelDB.
  Result<void> do_for_each_key(Column column, const KeyVisitor& visit) const override;

 private:
  LevelDbStore() = default;
  Result<void> write_with_nodes(leveldb::WriteBatch& wb, std::span<const NodeLog::Op> node_ops, WriteOptions options);
  void merge_node_log();
  Result<void> iterate_with_nodes(ByteSpan prefix, ByteSpan start, const Visitor& visit) const;
  Result<void> iterate_leveldb(Column column, ByteSpan prefix, ByteSpan start, const Visitor& visit) const;

  std::filesystem::path m_path;
  std::unique_ptr<leveldb::Cache> m_cache;
  std::unique_ptr<const leveldb::FilterPolicy> m_filter;
  std::unique_ptr<leveldb::DB> m_db;
  std::unique_ptr<NodeLog> m_nodes;
  std::mutex m_node_write_mutex;  // one write at a time appends to m_nodes and commits its head
};

}  // namespace bazaar::node::db
