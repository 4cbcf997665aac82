#include "node/db/node_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>

#include <fmt/format.h>

#include "node/log/log.hpp"

namespace bazaar::node::db {

// A record: u64 LE checksum (XXH3-64 of the rest of the record), u8 kind,
// the 32-byte key, and for a put u32 LE value length and the value.
namespace {

constexpr uint8_t kPut = 1;
constexpr uint8_t kDelete = 2;
constexpr std::size_t kChecksumSize = 8;
constexpr std::size_t kDeleteRecordSize = kChecksumSize + 1 + NodeLog::kKeySize;
constexpr std::size_t kPutHeaderSize = kDeleteRecordSize + 4;

spdlog::logger& db_log() {
  static const auto kLogger = log::logger("db");
  return *kLogger;
}

uint32_t get_le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
void put_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint64_t get_le64(const uint8_t* p) { return uint64_t{get_le32(p)} | uint64_t{get_le32(p + 4)} << 32; }
void put_le64(uint8_t* p, uint64_t v) {
  put_le32(p, static_cast<uint32_t>(v));
  put_le32(p + 4, static_cast<uint32_t>(v >> 32));
}

uint64_t checksum(const uint8_t* data, std::size_t n) { return XXH3_64bits(data, n); }

/// Appends one record to `out`; returns its offset in `out`.
std::size_t append_record(Bytes& out, uint8_t kind, ByteSpan key, const Bytes* value) {
  const std::size_t start = out.size();
  out.resize(start + (value ? kPutHeaderSize + value->size() : kDeleteRecordSize));
  uint8_t* p = out.data() + start;
  p[kChecksumSize] = kind;
  std::memcpy(p + kChecksumSize + 1, key.data(), NodeLog::kKeySize);
  if (value) {
    put_le32(p + kDeleteRecordSize, static_cast<uint32_t>(value->size()));
    if (!value->empty()) std::memcpy(p + kPutHeaderSize, value->data(), value->size());
  }
  put_le64(p, checksum(p + kChecksumSize, out.size() - start - kChecksumSize));
  return start;
}

uint64_t put_record_size(uint32_t value_size) { return kPutHeaderSize + uint64_t{value_size}; }

/// A record parsed from `data` at `offset`; nullopt with `why` set if it is
/// cut off, of an unknown kind or fails its checksum.
struct Record {
  uint8_t kind = 0;
  const uint8_t* key = nullptr;
  uint32_t value_size = 0;
  std::size_t size = 0;
};
std::optional<Record> parse_record(const uint8_t* data, std::size_t available, const char** why) {
  if (available < kDeleteRecordSize) {
    *why = "a record is cut off";
    return std::nullopt;
  }
  Record r;
  r.kind = data[kChecksumSize];
  r.key = data + kChecksumSize + 1;
  if (r.kind == kDelete) {
    r.size = kDeleteRecordSize;
  } else if (r.kind == kPut) {
    if (available < kPutHeaderSize) {
      *why = "a record is cut off";
      return std::nullopt;
    }
    r.value_size = get_le32(data + kDeleteRecordSize);
    r.size = kPutHeaderSize + std::size_t{r.value_size};
    if (available < r.size) {
      *why = "a record is cut off";
      return std::nullopt;
    }
  } else {
    *why = "a record has an unknown kind";
    return std::nullopt;
  }
  if (checksum(data + kChecksumSize, r.size - kChecksumSize) != get_le64(data)) {
    *why = "a record fails its checksum";
    return std::nullopt;
  }
  return r;
}

Result<void> write_all(int fd, const uint8_t* data, std::size_t n, uint64_t at) {
  while (n > 0) {
    const ssize_t done = ::pwrite(fd, data, n, static_cast<off_t>(at));
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) return DbError::IoError;
    data += done;
    n -= static_cast<std::size_t>(done);
    at += static_cast<uint64_t>(done);
  }
  return success();
}

/// Reads exactly n bytes at `at`: IoError on a failed read, Corruption when
/// the file ends first.
Result<void> read_all(int fd, uint8_t* data, std::size_t n, uint64_t at) {
  while (n > 0) {
    const ssize_t done = ::pread(fd, data, n, static_cast<off_t>(at));
    if (done < 0 && errno == EINTR) continue;
    if (done < 0) return DbError::IoError;
    if (done == 0) return DbError::Corruption;
    data += done;
    n -= static_cast<std::size_t>(done);
    at += static_cast<uint64_t>(done);
  }
  return success();
}

/// fsync of a directory, so that a file created or removed in it stays so
/// after a machine crash.
void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  if (::fsync(fd) != 0) db_log().warn("fsync of {} failed: {}", dir.string(), std::strerror(errno));
  ::close(fd);
}

/// The segment number in a file name "NNNNNNNNNN.seg", nullopt for other names.
std::optional<uint32_t> parse_segment_name(const std::string& name) {
  if (name.size() != 14 || !name.ends_with(".seg")) return std::nullopt;
  uint64_t id = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    id = id * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  if (id > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(id);
}

NodeLog::Key to_key(ByteSpan bytes) {
  NodeLog::Key k;
  std::memcpy(k.data(), bytes.data(), k.size());
  return k;
}

}  // namespace

Bytes NodeLogHead::encode() const {
  Bytes out(12);
  put_le32(out.data(), first_segment);
  put_le32(out.data() + 4, segment);
  put_le32(out.data() + 8, end);
  return out;
}

std::optional<NodeLogHead> NodeLogHead::decode(ByteSpan bytes) {
  if (bytes.size() != 12) return std::nullopt;
  NodeLogHead h{get_le32(bytes.data()), get_le32(bytes.data() + 4), get_le32(bytes.data() + 8)};
  if (h.first_segment > h.segment) return std::nullopt;
  return h;
}

std::size_t NodeLog::KeyHash::operator()(const Key& k) const {
  // Keys are hashes already; boost's flat map mixes the bits further.
  uint64_t v;
  std::memcpy(&v, k.data(), sizeof v);
  return static_cast<std::size_t>(v);
}

NodeLog::NodeLog(std::filesystem::path dir, NodeLogOptions options) : m_dir(std::move(dir)), m_options(options) {}

NodeLog::~NodeLog() {
  for (auto& [id, segment] : m_segments)
    if (segment.fd >= 0) ::close(segment.fd);
}

std::filesystem::path NodeLog::segment_path(uint32_t id) const { return m_dir / fmt::format("{:010}.seg", id); }

Result<void> NodeLog::open_segment(uint32_t id, bool create) {
  const auto path = segment_path(id);
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0), 0644);
  if (fd < 0) return create || errno != ENOENT ? DbError::IoError : DbError::Corruption;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return DbError::IoError;
  }
  {
    std::unique_lock lock(m_mutex);
    auto& segment = m_segments[id];
    if (segment.fd >= 0) ::close(segment.fd);
    m_file_total -= segment.bytes;
    segment.fd = fd;
    segment.bytes = static_cast<uint64_t>(st.st_size);
    m_file_total += segment.bytes;
  }
  if (create) sync_directory(m_dir);
  return success();
}

Result<std::unique_ptr<NodeLog>> NodeLog::open(const std::filesystem::path& dir, const NodeLogHead& committed,
                                               const NodeLogOptions& options, std::string* detail) {
  auto fail = [&](boost::system::error_code e, const std::string& why) -> Result<std::unique_ptr<NodeLog>> {
    if (detail) *detail = fmt::format("node log {}: {}", dir.string(), why);
    db_log().error("node log {}: {}", dir.string(), why);
    return e;
  };
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(DbError::OpenFailed, "create directory: " + ec.message());
  std::unique_ptr<NodeLog> log(new NodeLog(dir, options));

  // Segments merged away whose removal a crash interrupted, and segments
  // started by a batch that was never committed.
  // (Incremented with an error_code: the range-for's ++ would throw.)
  std::vector<std::filesystem::path> stale;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto id = parse_segment_name(it->path().filename().string());
    if (id && (*id < committed.first_segment || *id > committed.segment)) stale.push_back(it->path());
  }
  if (ec) return fail(DbError::OpenFailed, "list directory: " + ec.message());
  for (const auto& path : stale) {
    db_log().info("node log {}: removing {}, not part of the committed log", dir.string(), path.filename().string());
    std::filesystem::remove(path, ec);
    if (ec) return fail(DbError::IoError, "remove " + path.string() + ": " + ec.message());
  }

  log->m_head = committed;
  Bytes data;
  for (uint32_t id = committed.first_segment;; ++id) {
    const bool current = id == committed.segment;
    auto opened = log->open_segment(id, current && committed.end == 0);
    if (!opened) {
      if (opened.error() == DbError::Corruption)
        return fail(DbError::Corruption, fmt::format("segment {} is missing", id));
      return fail(opened.error(), fmt::format("open segment {}: {}", id, opened.error().message()));
    }
    auto& segment = log->m_segments[id];
    if (current && segment.bytes < committed.end)
      return fail(DbError::Corruption, fmt::format("segment {} holds {} bytes, {} were committed", id,
                                                   segment.bytes, committed.end));
    if (current && segment.bytes > committed.end) {
      db_log().info("node log {}: cutting {} uncommitted bytes off segment {}", dir.string(),
                    segment.bytes - committed.end, id);
      if (::ftruncate(segment.fd, committed.end) != 0)
        return fail(DbError::IoError, fmt::format("truncate segment {}: {}", id, std::strerror(errno)));
      log->m_file_total -= segment.bytes - committed.end;
      segment.bytes = committed.end;
    }
    data.resize(segment.bytes);
    if (auto read = read_all(segment.fd, data.data(), data.size(), 0); !read)
      return fail(read.error(), fmt::format("read segment {}", id));
    std::string why;
    if (auto replayed = log->replay(id, data, &why); !replayed) return fail(replayed.error(), why);
    if (current) break;
  }
  return log;
}

Result<void> NodeLog::replay(uint32_t id, const Bytes& data, std::string* detail) {
  std::size_t at = 0;
  while (at < data.size()) {
    const char* why = nullptr;
    auto record = parse_record(data.data() + at, data.size() - at, &why);
    if (!record) {
      *detail = fmt::format("segment {} at offset {}: {}", id, at, why);
      return DbError::Corruption;
    }
    const Key key = to_key(ByteSpan(record->key, kKeySize));
    if (record->kind == kPut)
      set_location(key, Location{id, static_cast<uint32_t>(at), record->value_size});
    else
      drop_location(key);
    at += record->size;
  }
  return success();
}

std::optional<NodeLog::Location> NodeLog::set_location(const Key& key, const Location& at) {
  std::optional<Location> previous;
  auto [it, fresh] = m_index.try_emplace(key, at);
  if (!fresh) {
    previous = it->second;
    const uint64_t old = put_record_size(previous->size);
    m_segments[previous->segment].live -= old;
    m_live_total -= old;
    it->second = at;
  }
  const uint64_t size = put_record_size(at.size);
  m_segments[at.segment].live += size;
  m_live_total += size;
  return previous;
}

void NodeLog::drop_location(const Key& key) {
  auto it = m_index.find(key);
  if (it == m_index.end()) return;
  const uint64_t size = put_record_size(it->second.size);
  m_segments[it->second.segment].live -= size;
  m_live_total -= size;
  m_index.erase(it);
}

Result<std::optional<Bytes>> NodeLog::get(ByteSpan key) const {
  if (key.size() != kKeySize) return std::optional<Bytes>{};
  const Key k = to_key(key);
  // Shared while reading the file too: publish() closes merged segments under
  // the exclusive lock.
  std::shared_lock lock(m_mutex);
  auto it = m_index.find(k);
  if (it == m_index.end()) return std::optional<Bytes>{};
  const Location at = it->second;
  Bytes record(put_record_size(at.size));
  if (auto read = read_all(m_segments.at(at.segment).fd, record.data(), record.size(), at.offset); !read) {
    db_log().error("node log {}: read of segment {} at {} failed", m_dir.string(), at.segment, at.offset);
    return read.error();
  }
  const char* why = nullptr;
  auto parsed = parse_record(record.data(), record.size(), &why);
  if (!parsed || parsed->kind != kPut || parsed->value_size != at.size ||
      std::memcmp(parsed->key, k.data(), kKeySize) != 0) {
    db_log().error("node log {}: the record in segment {} at {} is not the value of its key: {}", m_dir.string(),
                   at.segment, at.offset, why ? why : "another key or size");
    return DbError::Corruption;
  }
  record.erase(record.begin(), record.begin() + static_cast<std::ptrdiff_t>(kPutHeaderSize));
  return std::optional<Bytes>{std::move(record)};
}

std::vector<NodeLog::Key> NodeLog::keys() const {
  std::shared_lock lock(m_mutex);
  std::vector<Key> out;
  out.reserve(m_index.size());
  for (const auto& [key, at] : m_index) out.push_back(key);
  std::sort(out.begin(), out.end());
  return out;
}

bool NodeLog::for_each_key(const std::function<bool(ByteSpan key)>& visit) const {
  std::shared_lock lock(m_mutex);
  for (const auto& [key, at] : m_index)
    if (!visit(ByteSpan(key.data(), key.size()))) return false;
  return true;
}

std::size_t NodeLog::size() const {
  std::shared_lock lock(m_mutex);
  return m_index.size();
}

Result<void> NodeLog::refuse_if_failed() const {
  if (!m_failed) return success();
  db_log().error("node log {}: refusing a write after an earlier failure; reopen the database", m_dir.string());
  return DbError::IoError;
}

Result<void> NodeLog::write_at_head(const Bytes& records, NodeLogHead& head) {
  if (records.size() > UINT32_MAX - uint64_t{m_head.end}) return DbError::NotSupported;
  // A full segment is sealed (made durable, so that a machine crash can only
  // cut the current one) and the batch starts the next.
  if (m_head.end > 0 && uint64_t{m_head.end} + records.size() > m_options.segment_bytes) {
    if (::fdatasync(m_segments.at(m_head.segment).fd) != 0) return DbError::IoError;
    BAZAAR_TRY(open_segment(m_head.segment + 1, true));
    m_head.segment += 1;
    m_head.end = 0;
  }
  auto& segment = m_segments.at(m_head.segment);
  if (auto written = write_all(segment.fd, records.data(), records.size(), m_head.end); !written) {
    db_log().error("node log {}: write to segment {} failed: {}", m_dir.string(), m_head.segment,
                   std::strerror(errno));
    if (::ftruncate(segment.fd, m_head.end) != 0) {
      db_log().error("node log {}: cannot cut the failed write off segment {}; no more writes until reopened",
                     m_dir.string(), m_head.segment);
      m_failed = true;
    }
    return written.error();
  }
  head = m_head;
  head.end = static_cast<uint32_t>(m_head.end + records.size());
  return success();
}

Result<NodeLogHead> NodeLog::append(std::span<const Op> ops) {
  BAZAAR_TRY(refuse_if_failed());
  // The state of each key this batch touches (true: stored) and, for the
  // stored ones, where its last put record lands in `records`.
  boost::unordered_flat_map<Key, std::optional<Location>, KeyHash> touched;
  Bytes records;
  for (const auto& op : ops) {
    const Key key = to_key(op.key);
    auto seen = touched.find(key);
    const bool stored = seen != touched.end() ? seen->second.has_value() : m_index.contains(key);
    if (op.value) {
      if (stored) continue;
      if (op.value->size() > UINT32_MAX - kPutHeaderSize) return DbError::NotSupported;
      const auto offset = append_record(records, kPut, op.key, op.value);
      touched[key] = Location{0, static_cast<uint32_t>(offset), static_cast<uint32_t>(op.value->size())};
    } else {
      if (!stored) continue;
      append_record(records, kDelete, op.key, nullptr);
      touched[key] = std::nullopt;
    }
  }
  Pending pending;
  if (records.empty()) {
    pending.head_before = m_head;
    m_pending = std::move(pending);
    return m_head;
  }
  NodeLogHead head;
  BAZAAR_TRY(write_at_head(records, head));
  pending.head_before = m_head;  // after a rotation: abort() keeps the new, empty segment
  std::unique_lock lock(m_mutex);
  auto& segment = m_segments.at(head.segment);
  segment.bytes = head.end;
  m_file_total += records.size();
  for (const auto& [key, at] : touched) {
    if (!at) {
      pending.deletes.insert(key);
      continue;
    }
    pending.replaced.emplace_back(key, set_location(key, Location{head.segment, m_head.end + at->offset, at->size}));
  }
  m_head = head;
  m_pending = std::move(pending);
  return m_head;
}

Result<void> NodeLog::sync() {
  BAZAAR_TRY(refuse_if_failed());
  if (::fdatasync(m_segments.at(m_head.segment).fd) != 0) {
    db_log().error("node log {}: fdatasync of segment {} failed: {}", m_dir.string(), m_head.segment,
                   std::strerror(errno));
    return DbError::IoError;
  }
  return success();
}

void NodeLog::publish() {
  if (!m_pending) return;
  std::unique_lock lock(m_mutex);
  for (const auto& key : m_pending->deletes) drop_location(key);
  if (m_pending->merged_segment) {
    const uint32_t id = *m_pending->merged_segment;
    auto it = m_segments.find(id);
    ::close(it->second.fd);
    m_file_total -= it->second.bytes;
    m_live_total -= it->second.live;  // 0: every live record was copied
    m_segments.erase(it);
    std::error_code ec;
    std::filesystem::remove(segment_path(id), ec);
    if (ec) db_log().warn("node log {}: cannot remove merged segment {}: {}", m_dir.string(), id, ec.message());
    sync_directory(m_dir);
  }
  m_pending.reset();
}

void NodeLog::abort() {
  if (!m_pending) return;
  std::unique_lock lock(m_mutex);
  for (auto it = m_pending->replaced.rbegin(); it != m_pending->replaced.rend(); ++it) {
    if (it->second)
      set_location(it->first, *it->second);
    else
      drop_location(it->first);
  }
  // The failed batch's records are cut off. A segment it started stays, empty,
  // as the one to append to: the committed head still names the one before,
  // so a restart would remove it.
  auto& segment = m_segments.at(m_head.segment);
  const uint64_t keep = m_head.segment == m_pending->head_before.segment ? m_pending->head_before.end : 0;
  if (::ftruncate(segment.fd, static_cast<off_t>(keep)) != 0) {
    // The records stay in the file, where the next append would leave a tail
    // of them behind its own: refuse further writes.
    db_log().error("node log {}: cannot cut an uncommitted write off segment {}; no more writes until reopened",
                   m_dir.string(), m_head.segment);
    m_failed = true;
  }
  m_file_total -= segment.bytes - keep;
  segment.bytes = keep;
  m_head.first_segment = m_pending->head_before.first_segment;
  m_head.end = static_cast<uint32_t>(keep);
  m_pending.reset();
}

void NodeLog::abandon() {
  db_log().error("node log {}: a commit failed and may still have happened; no more writes until reopened",
                 m_dir.string());
  m_failed = true;
  m_pending.reset();
}

bool NodeLog::wants_merge() const {
  if (m_failed) return false;
  if (m_segments.size() < 2 || m_segments.begin()->first == m_head.segment) return false;
  const uint64_t garbage = m_file_total - m_live_total;
  return garbage > m_live_total && garbage > m_options.segment_bytes;
}

Result<NodeLogHead> NodeLog::merge_oldest() {
  BAZAAR_TRY(refuse_if_failed());
  if (m_segments.size() < 2 || m_segments.begin()->first == m_head.segment) return DbError::NotSupported;
  const uint32_t id = m_segments.begin()->first;
  const Segment& oldest = m_segments.begin()->second;
  Bytes data(oldest.bytes);
  BAZAAR_TRY(read_all(oldest.fd, data.data(), data.size(), 0));
  // The live records, copied as they are (the checksum does not cover the position).
  Bytes records;
  std::vector<std::pair<Key, Location>> moved;
  for (std::size_t at = 0; at < data.size();) {
    const char* why = nullptr;
    auto record = parse_record(data.data() + at, data.size() - at, &why);
    if (!record) {
      db_log().error("node log {}: merging segment {}: at offset {}: {}", m_dir.string(), id, at, why);
      return DbError::Corruption;
    }
    if (record->kind == kPut) {
      const Key key = to_key(ByteSpan(record->key, kKeySize));
      auto it = m_index.find(key);
      if (it != m_index.end() && it->second.segment == id && it->second.offset == at) {
        moved.emplace_back(key, Location{0, static_cast<uint32_t>(records.size()), record->value_size});
        records.insert(records.end(), data.begin() + static_cast<std::ptrdiff_t>(at),
                       data.begin() + static_cast<std::ptrdiff_t>(at + record->size));
      }
    }
    at += record->size;
  }
  Pending pending;
  pending.head_before = m_head;
  pending.merged_segment = id;
  NodeLogHead head = m_head;
  if (!records.empty()) {
    BAZAAR_TRY(write_at_head(records, head));
  }
  std::unique_lock lock(m_mutex);
  auto& segment = m_segments.at(head.segment);
  m_file_total += head.end - segment.bytes;
  segment.bytes = head.end;
  for (const auto& [key, at] : moved)
    pending.replaced.emplace_back(key, set_location(key, Location{head.segment, m_head.end + at.offset, at.size}));
  m_head = head;
  m_head.first_segment = std::next(m_segments.begin())->first;
  m_pending = std::move(pending);
  return m_head;
}

}  // namespace bazaar::node::db
