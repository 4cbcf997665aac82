#pragma once
// Content-addressed values (trie nodes, keyed by their 32-byte hash) in
// append-only segment files with an in-memory hash index: the Bitcask design
// (Sheehy and Smith, "Bitcask: a log-structured hash table for fast key/value
// data", Basho 2010), the approach parity-db takes for Substrate's state.
// LevelDbStore keeps a pruned node's trie nodes here instead of in LevelDB,
// where every node was a random-keyed memtable insert and was rewritten by
// compaction again and again (tools/bench/README.md, twelfth round).
//
// The log does not commit on its own: the owner appends a batch's records,
// stores the returned NodeLogHead in its own atomic batch, and the head that
// batch committed is what open() recovers to. Records past it (a batch whose
// commit never happened) are cut off at open; a log shorter than it is
// corruption. A key's value never changes (the key is the value's hash): a put
// of a key already stored appends nothing.
//
// Crashes: records reach the file (write()) before the owner commits, so a
// crash of the process loses nothing committed. For a machine crash the owner
// calls sync() before a commit it makes durable, and a full segment is synced
// before the next one starts; between such points a machine crash can leave
// the current segment shorter than the committed head, which open() reports
// as corruption (as LevelDB's own replay of a torn log is, with paranoid checks).
//
// Space of deleted values is reclaimed by merging: the oldest segment's live
// records are copied to the end of the log and the segment is removed once the
// owner has committed the head that no longer includes it. Oldest first, so a
// delete record can be dropped with its segment: every older record of its key
// is gone already.
//
// Memory: the index holds every stored key (a 44-byte slot in a hash table
// kept 44-88 % full: 50-100 bytes each), which is why
// only pruned databases, whose stored nodes are the state plus the unpruned
// window, use it.

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include "node/db/kv_store.hpp"

namespace bazaar::node::db {

/// Where a node log stands: the segments in use and the end of the committed
/// records. Stored by the owner in its atomic batch (encode(): 12 bytes, three
/// u32 LE: first_segment, segment, end).
struct NodeLogHead {
  uint32_t first_segment = 0;  ///< the oldest segment in use (older ones were merged away)
  uint32_t segment = 0;        ///< the segment being appended to
  uint32_t end = 0;            ///< bytes of `segment` that are committed
  bool operator==(const NodeLogHead&) const = default;

  Bytes encode() const;
  /// nullopt unless `bytes` is 12 bytes with first_segment <= segment.
  static std::optional<NodeLogHead> decode(ByteSpan bytes);
};

struct NodeLogOptions {
  /// A new segment file starts when a batch would take the current one past
  /// this many bytes (a single larger batch still goes into one segment).
  /// Merging works segment by segment, so this is also its unit of work.
  uint32_t segment_bytes = 64u << 20;
};

/// The log. Reads (get, keys) are thread-safe against each other and against
/// the writer; the write calls (append, sync, publish, abort, the merge calls)
/// must come from one thread at a time, which the owner guarantees.
class NodeLog {
 public:
  static constexpr std::size_t kKeySize = 32;
  using Key = std::array<uint8_t, kKeySize>;

  /// One operation of a batch: a put of `value` under `key`, or (value ==
  /// nullptr) a delete. `key` must be kKeySize bytes.
  struct Op {
    ByteSpan key;
    const Bytes* value = nullptr;
  };

  /// Opens the log in `dir` (created if missing) at the head its owner
  /// committed: removes segments merged away or never committed, cuts the
  /// current one to `committed.end`, and rebuilds the index by reading every
  /// record. Errors: Corruption when a committed segment is missing or short,
  /// or a record fails its checksum or is malformed; IoError / OpenFailed
  /// when the file system fails. `detail` gets the reason.
  static Result<std::unique_ptr<NodeLog>> open(const std::filesystem::path& dir, const NodeLogHead& committed,
                                               const NodeLogOptions& options = {}, std::string* detail = nullptr);
  ~NodeLog();
  NodeLog(const NodeLog&) = delete;
  NodeLog& operator=(const NodeLog&) = delete;

  /// The value stored under `key` (nullopt if none), its checksum verified.
  /// Errors: Corruption (checksum, a record that does not hold `key`), IoError.
  Result<std::optional<Bytes>> get(ByteSpan key) const;

  /// Every stored key, in ascending order.
  std::vector<Key> keys() const;
  /// Visits every stored key, in no particular order, until `visit` returns
  /// false; returns whether it visited all. Holds the reader lock throughout,
  /// so `visit` must not call the write functions.
  bool for_each_key(const std::function<bool(ByteSpan key)>& visit) const;

  /// Appends `ops` (in order: the last operation on a key wins) as one write
  /// and returns the head to commit. Puts are readable at once (harmless: no
  /// committed data refers to them yet); deletes take effect at publish().
  /// On error nothing changed. Errors: IoError (also after abandon()),
  /// NotSupported (a batch of 4 GiB).
  Result<NodeLogHead> append(std::span<const Op> ops);
  /// Makes the appended records durable (fdatasync) before the owner commits
  /// with sync. Error: IoError (also after abandon()).
  Result<void> sync();
  /// The owner committed the head of the last append (or merge_oldest):
  /// applies its deletes, and after a merge removes the merged segment.
  void publish();
  /// The owner's commit did not happen: undoes the last append (or
  /// merge_oldest), cutting its records off the file.
  void abort();
  /// The owner's commit failed in a way that may still have committed (a
  /// LevelDB write whose log record may have reached the disk before the
  /// error): keeps the records, drops the pending deletes and the merged
  /// segment's removal, and refuses further writes (IoError) until the log is
  /// reopened, whose open() then cuts to whichever head the owner recovered.
  /// A failed truncation in abort() or after a failed write does the same.
  void abandon();

  /// Whether deleted records take more space than live ones and than one
  /// segment, so that merge_oldest() is due.
  bool wants_merge() const;
  /// Copies the oldest segment's live records to the end of the log and
  /// returns the head without that segment; publish() after the owner
  /// committed it removes the segment file, abort() undoes. Errors:
  /// Corruption, IoError, NotSupported (when there is only one segment).
  Result<NodeLogHead> merge_oldest();

  /// The head after the last append or merge (committed or not). Writer only.
  NodeLogHead head() const { return m_head; }
  /// The number of stored keys.
  std::size_t size() const;
  /// Bytes of the records of stored values, and bytes of all segment files
  /// (their difference is what merging can reclaim). Writer only.
  uint64_t live_bytes() const { return m_live_total; }
  uint64_t file_bytes() const { return m_file_total; }

 private:
  struct Location {
    uint32_t segment = 0;
    uint32_t offset = 0;  ///< of the record
    uint32_t size = 0;    ///< of the value
  };
  struct Segment {
    int fd = -1;
    uint64_t bytes = 0;  ///< file length
    uint64_t live = 0;   ///< record bytes of the values the index points to
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  /// What the last append or merge changed, to finish or undo it.
  struct Pending {
    std::vector<std::pair<Key, std::optional<Location>>> replaced;  ///< index entries before the change
    boost::unordered_flat_set<Key, KeyHash> deletes;
    NodeLogHead head_before;  ///< m_head before the change (for an append: after its own rotation)
    std::optional<uint32_t> merged_segment;   ///< set by merge_oldest
  };

  NodeLog(std::filesystem::path dir, NodeLogOptions options);
  Result<void> replay(uint32_t id, const Bytes& data, std::string* detail);
  Result<void> open_segment(uint32_t id, bool create);
  Result<void> refuse_if_failed() const;
  Result<void> write_at_head(const Bytes& records, NodeLogHead& head);
  /// Points `key` at `at` (keeping the live-byte counts); returns where it pointed before.
  std::optional<Location> set_location(const Key& key, const Location& at);
  void drop_location(const Key& key);
  std::filesystem::path segment_path(uint32_t id) const;

  std::filesystem::path m_dir;
  NodeLogOptions m_options;
  NodeLogHead m_head;
  mutable std::shared_mutex m_mutex;  // m_index, m_segments (readers: shared)
  boost::unordered_flat_map<Key, Location, KeyHash> m_index;
  std::map<uint32_t, Segment> m_segments;
  uint64_t m_live_total = 0;
  uint64_t m_file_total = 0;
  std::optional<Pending> m_pending;
  bool m_failed = false;  // abandon(): no more writes until reopened
};

}  // namespace bazaar::node::db
