#include "node/db/leveldb_store.hpp"

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/env.h>
#include <leveldb/filter_policy.h>
#include <leveldb/iterator.h>
#include <leveldb/write_batch.h>

#include <pthread.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <system_error>
#include <vector>

#include "node/log/log.hpp"

namespace bazaar::node::db {

namespace {

spdlog::logger& db_log() {
  static const auto kLogger = log::logger("db");
  return *kLogger;
}

/// Meta key of the trie-node log's committed head (NodeLogHead::encode).
const Bytes kNodeLogHeadKey = runtime::to_bytes("db:node_log_head");

leveldb::Slice slice(ByteSpan s) { return {reinterpret_cast<const char*>(s.data()), s.size()}; }
ByteSpan span(const leveldb::Slice& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

/// Maps a failed LevelDB status to our error (LevelDB has no error codes, only
/// classes and text; a held lock is an IOError whose text starts with "lock ").
DbError classify(const leveldb::Status& status, bool opening) {
  if (status.IsCorruption()) return DbError::Corruption;
  if (status.IsNotSupportedError()) return DbError::NotSupported;
  if (status.IsIOError()) {
    if (opening && status.ToString().find("lock ") != std::string::npos) return DbError::Locked;
    return opening ? DbError::OpenFailed : DbError::IoError;
  }
  return opening ? DbError::OpenFailed : DbError::IoError;
}

/// Names LevelDB's background thread (memtable flushes and compaction).
/// Env::Default() runs one such thread for every database in the process,
/// started by its first Schedule() call; a new thread takes its creator's
/// name, so it used to show in ps, top and perf under the name of whichever
/// thread first filled a write buffer (during sync, bz-sync-import).
void name_background_thread() {
  static std::once_flag once;
  std::call_once(once, [] {
    leveldb::Env::Default()->Schedule([](void*) { ::pthread_setname_np(::pthread_self(), kBackgroundThreadName); },
                                      nullptr);
  });
}

/// A table file that reaches the OS only in whole buffers. LevelDB's
/// TableBuilder calls Flush() after every data block (4 KiB by default), and
/// the POSIX file then issues one write() per block, each ending inside a page
/// the kernel must partly zero and track. A table is read only after Sync()
/// and Close() (LevelDB verifies each new table by opening it after both), so
/// until then its bytes can wait in the base file's 64 KiB buffer. A write
/// error (a full disk) now surfaces at the Append that fills the buffer or at
/// Sync or Close instead of at a block's Flush; LevelDB checks each of them and
/// fails the flush or compaction as before.
class TableFile final : public leveldb::WritableFile {
 public:
  explicit TableFile(leveldb::WritableFile* base) : m_base(base) {}
  leveldb::Status Append(const leveldb::Slice& data) override { return m_base->Append(data); }
  leveldb::Status Flush() override { return leveldb::Status::OK(); }
  leveldb::Status Sync() override { return m_base->Sync(); }
  leveldb::Status Close() override { return m_base->Close(); }

 private:
  std::unique_ptr<leveldb::WritableFile> m_base;
};

/// Env::Default() with table files written through TableFile. The write-ahead
/// log and the manifest keep LevelDB's own files: their Flush() after every
/// record is what makes a finished write survive a crash of the process.
class StoreEnv final : public leveldb::EnvWrapper {
 public:
  StoreEnv() : leveldb::EnvWrapper(leveldb::Env::Default()) {}
  leveldb::Status NewWritableFile(const std::string& name, leveldb::WritableFile** result) override {
    leveldb::Status status = target()->NewWritableFile(name, result);
    if (status.ok() && is_table_file(name)) *result = new TableFile(*result);
    return status;
  }

  /// Table files are "NNNNNN.ldb" (".sst" before LevelDB 1.14).
  static bool is_table_file(const std::string& name) {
    return name.ends_with(".ldb") || name.ends_with(".sst");
  }
};

}  // namespace

// Never destroyed, like Env::Default(): a database may still be closing when
// static destructors run.
leveldb::Env* store_env() {
  static auto* const kEnv = new StoreEnv();
  return kEnv;
}

Result<std::unique_ptr<LevelDbStore>> LevelDbStore::open(const std::filesystem::path& dir,
                                                         const LevelDbOptions& options, std::string* error_detail) {
  auto fail = [&](boost::system::error_code e, const std::string& text) -> Result<std::unique_ptr<LevelDbStore>> {
    db_log().error("cannot open {}: {}", dir.string(), text);
    if (error_detail) *error_detail = text;
    return e;
  };
  std::error_code exists_error;
  const bool fresh = !std::filesystem::exists(dir / "CURRENT", exists_error);  // an unreadable dir fails below
  if (options.create_if_missing) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(DbError::OpenFailed, "create directory: " + ec.message());
  }

  std::unique_ptr<LevelDbStore> store(new LevelDbStore());
  store->m_path = dir;
  leveldb::Options opts;
  opts.create_if_missing = options.create_if_missing;
  opts.paranoid_checks = true;
  opts.write_buffer_size = options.write_buffer_size;
  opts.max_open_files = options.max_open_files;
  opts.max_file_size = options.max_file_size;
  opts.env = store_env();
  opts.compression = options.compression ? leveldb::kSnappyCompression : leveldb::kNoCompression;
  if (options.block_cache_bytes > 0) {
    store->m_cache.reset(leveldb::NewLRUCache(options.block_cache_bytes));
    opts.block_cache = store->m_cache.get();
  }
  if (options.bloom_bits_per_key > 0) {
    store->m_filter.reset(leveldb::NewBloomFilterPolicy(options.bloom_bits_per_key));
    opts.filter_policy = store->m_filter.get();
  }
  // paranoid_checks does two things. On open it makes a write-ahead log
  // record that fails its checksum an error, where LevelDB would otherwise
  // drop the record and go on (losing a block's batch while keeping later
  // ones); and it verifies the CRC32C of every table block compaction reads.
  // We want the first, not the second: compaction reads as much as it writes
  // (14 GB in the 2,000-block sync bench), Debian's LevelDB computes CRC32C in
  // software, and every read the node makes still verifies checksums (get,
  // iterate) while trie nodes are checked against their hash on load. So the
  // database is opened once with the checks, which replays and retires the
  // log, then closed and opened again without them for the node's run.
  leveldb::DB* raw = nullptr;
  leveldb::Status status = leveldb::DB::Open(opts, dir.string(), &raw);
  if (!status.ok()) return fail(classify(status, true), status.ToString());
  delete raw;
  raw = nullptr;
  opts.paranoid_checks = false;
  status = leveldb::DB::Open(opts, dir.string(), &raw);
  if (!status.ok()) return fail(classify(status, true), status.ToString());
  store->m_db.reset(raw);
  name_background_thread();

  // The trie-node log: opened at the head LevelDB committed, or started with
  // a database created to use one.
  std::string head_value;
  status = store->m_db->Get(leveldb::ReadOptions(), slice(column_key(Column::Meta, kNodeLogHeadKey)), &head_value);
  std::optional<NodeLogHead> head;
  if (status.ok()) {
    head = NodeLogHead::decode(span(leveldb::Slice(head_value)));
    if (!head) return fail(DbError::Corruption, "the node log's head in the database is malformed");
  } else if (!status.IsNotFound()) {
    return fail(classify(status, true), status.ToString());
  } else if (fresh && options.trie_node_log) {
    head = NodeLogHead{};
  }
  if (head) {
    std::string detail;
    auto nodes = NodeLog::open(dir / "nodes", *head, options.node_log, &detail);
    if (!nodes) return fail(nodes.error(), detail);
    store->m_nodes = std::move(nodes).value();
    if (status.IsNotFound()) {
      leveldb::WriteBatch wb;
      wb.Put(slice(column_key(Column::Meta, kNodeLogHeadKey)), slice(head->encode()));
      leveldb::WriteOptions wo;
      wo.sync = true;
      status = store->m_db->Write(wo, &wb);
      if (!status.ok()) return fail(classify(status, true), status.ToString());
    }
  }
  return store;
}

LevelDbStore::~LevelDbStore() {
  // The database must close before the cache and filter policy it uses.
  m_db.reset();
}

namespace {
bool in_node_log(const NodeLog* nodes, Column column, ByteSpan key) {
  return nodes && column == Column::TrieNodes && key.size() == NodeLog::kKeySize;
}
}  // namespace

Result<std::optional<Bytes>> LevelDbStore::get(Column column, ByteSpan key) const {
  if (in_node_log(m_nodes.get(), column, key)) return m_nodes->get(key);
  leveldb::ReadOptions ro;
  ro.verify_checksums = true;
  std::string value;
  Bytes k = column_key(column, key);
  leveldb::Status status = m_db->Get(ro, slice(k), &value);
  if (status.IsNotFound()) return std::optional<Bytes>{};
  if (!status.ok()) {
    db_log().error("read {} failed: {}", to_string(column), status.ToString());
    return classify(status, false);
  }
  return std::optional<Bytes>{Bytes(value.begin(), value.end())};
}

Result<void> LevelDbStore::do_write(WriteBatch&& batch, WriteOptions options) {
  leveldb::WriteBatch wb;
  std::string k;  // the on-disk key, built in one reused buffer (Put copies it)
  std::vector<NodeLog::Op> node_ops;
  for (const auto& op : batch.ops()) {
    if (in_node_log(m_nodes.get(), op.column, op.key)) {
      node_ops.push_back({op.key, op.value ? &*op.value : nullptr});
      continue;
    }
    k.assign(1, static_cast<char>(op.column));
    k.append(reinterpret_cast<const char*>(op.key.data()), op.key.size());
    if (op.value)
      wb.Put(k, slice(*op.value));
    else
      wb.Delete(k);
  }
  if (!node_ops.empty()) return write_with_nodes(wb, node_ops, options);
  std::unique_lock<std::mutex> nodes_lock;
  if (m_nodes && options.sync) {
    // This write makes earlier batches durable too, with the log heads they
    // committed: the log must be durable first.
    nodes_lock = std::unique_lock(m_node_write_mutex);
    BAZAAR_TRY(m_nodes->sync());
  }
  leveldb::WriteOptions wo;
  wo.sync = options.sync;
  leveldb::Status status = m_db->Write(wo, &wb);
  if (!status.ok()) {
    db_log().error("write of {} operations failed: {}", batch.size(), status.ToString());
    return classify(status, false);
  }
  return success();
}

Result<void> LevelDbStore::write_with_nodes(leveldb::WriteBatch& wb, std::span<const NodeLog::Op> node_ops,
                                            WriteOptions options) {
  std::lock_guard lock(m_node_write_mutex);
  auto head = m_nodes->append(node_ops);
  if (!head) {
    db_log().error("write of {} trie nodes to the node log failed: {}", node_ops.size(), head.error().message());
    return head.error();
  }
  wb.Put(slice(column_key(Column::Meta, kNodeLogHeadKey)), slice(head.value().encode()));
  if (options.sync) {
    if (auto synced = m_nodes->sync(); !synced) {
      m_nodes->abort();
      return synced.error();
    }
  }
  leveldb::WriteOptions wo;
  wo.sync = options.sync;
  leveldb::Status status = m_db->Write(wo, &wb);
  if (!status.ok()) {
    // LevelDB's record may have reached its log before the error (a failed
    // fsync): the batch may show up at the next open, so its nodes must stay.
    m_nodes->abandon();
    db_log().error("write of a batch with {} trie nodes failed: {}", node_ops.size(), status.ToString());
    return classify(status, false);
  }
  m_nodes->publish();
  merge_node_log();
  return success();
}

/// Reclaims the space of deleted trie nodes, one segment per write at most.
/// The head without the merged segment is committed with sync before its
/// file is removed: a machine crash must not leave a committed head naming a
/// segment that is gone. A failure only postpones the merge.
void LevelDbStore::merge_node_log() {
  if (!m_nodes->wants_merge()) return;
  auto head = m_nodes->merge_oldest();
  if (!head) {
    db_log().warn("merging the node log failed: {}", head.error().message());
    m_nodes->abort();
    return;
  }
  if (auto synced = m_nodes->sync(); !synced) {
    m_nodes->abort();
    return;
  }
  leveldb::WriteBatch wb;
  wb.Put(slice(column_key(Column::Meta, kNodeLogHeadKey)), slice(head.value().encode()));
  leveldb::WriteOptions wo;
  wo.sync = true;
  leveldb::Status status = m_db->Write(wo, &wb);
  if (!status.ok()) {
    db_log().warn("committing a merge of the node log failed: {}", status.ToString());
    m_nodes->abandon();  // as in write_with_nodes: the merge may have committed
    return;
  }
  m_nodes->publish();
}

Result<void> LevelDbStore::do_iterate(Column column, ByteSpan prefix, ByteSpan start, const Visitor& visit) const {
  if (m_nodes && column == Column::TrieNodes) return iterate_with_nodes(prefix, start, visit);
  return iterate_leveldb(column, prefix, start, visit);
}

Result<void> LevelDbStore::do_for_each_key(Column column, const KeyVisitor& visit) const {
  if (m_nodes && column == Column::TrieNodes && !m_nodes->for_each_key(visit)) return success();
  return iterate_leveldb(column, {}, {}, [&](ByteSpan key, ByteSpan) { return visit(key); });
}

/// The trie-node log's keys merged, in order, with the entries of other sizes
/// that column TrieNodes still holds in LevelDB.
Result<void> LevelDbStore::iterate_with_nodes(ByteSpan prefix, ByteSpan start, const Visitor& visit) const {
  const auto keys = m_nodes->keys();
  auto from_log = std::lower_bound(keys.begin(), keys.end(), start, [](const NodeLog::Key& k, ByteSpan s) {
    return std::lexicographical_compare(k.begin(), k.end(), s.begin(), s.end());
  });
  auto matches = [&](const NodeLog::Key& k) {
    return prefix.size() <= k.size() && std::equal(prefix.begin(), prefix.end(), k.begin());
  };
  bool stopped = false;
  Result<void> failed = success();
  // Visits log keys below `bound` (all when bound is empty); false to stop.
  auto drain_log = [&](std::optional<ByteSpan> bound) {
    for (; from_log != keys.end(); ++from_log) {
      const auto& k = *from_log;
      if (bound && !std::lexicographical_compare(k.begin(), k.end(), bound->begin(), bound->end())) break;
      if (!matches(k)) continue;
      auto value = m_nodes->get(ByteSpan(k.data(), k.size()));
      if (!value) {
        failed = value.error();
        return false;
      }
      if (!value.value()) continue;  // deleted since keys() was taken
      if (!visit(ByteSpan(k.data(), k.size()), *value.value())) return false;
    }
    return true;
  };
  BAZAAR_TRY(iterate_leveldb(Column::TrieNodes, prefix, start, [&](ByteSpan key, ByteSpan value) {
    stopped = !drain_log(key) || !visit(key, value);
    return !stopped;
  }));
  if (!stopped) drain_log(std::nullopt);
  return failed;
}

Result<void> LevelDbStore::iterate_leveldb(Column column, ByteSpan prefix, ByteSpan start, const Visitor& visit) const {
  Bytes full_prefix = column_key(column, prefix);
  Bytes from = column_key(column, start);
  if (from < full_prefix) from = full_prefix;
  leveldb::ReadOptions ro;
  ro.verify_checksums = true;
  std::unique_ptr<leveldb::Iterator> it(m_db->NewIterator(ro));
  for (it->Seek(slice(from)); it->Valid(); it->Next()) {
    ByteSpan k = span(it->key());
    if (k.size() < full_prefix.size() || !std::equal(full_prefix.begin(), full_prefix.end(), k.begin())) break;
    if (!visit(k.subspan(1), span(it->value()))) break;
  }
  leveldb::Status status = it->status();
  if (!status.ok()) {
    db_log().error("iteration of {} failed: {}", to_string(column), status.ToString());
    return classify(status, false);
  }
  return success();
}

}  // namespace bazaar::node::db
