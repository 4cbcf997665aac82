#include "node/db/kv_store.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::db, DbError, "db", to_string)

namespace bazaar::node::db {

const char* to_string(DbError e) {
  switch (e) {
    case DbError::OpenFailed:
      return "database could not be opened";
    case DbError::Locked:
      return "database directory is locked by another process";
    case DbError::Corruption:
      return "database is corrupt";
    case DbError::IoError:
      return "database I/O error";
    case DbError::NotSupported:
      return "operation not supported by the database";
  }
  return "unknown database error";
}

const char* to_string(Column c) {
  switch (c) {
    case Column::Meta:
      return "meta";
    case Column::Headers:
      return "headers";
    case Column::Bodies:
      return "bodies";
    case Column::Justifications:
      return "justifications";
    case Column::NumberToHash:
      return "number_to_hash";
    case Column::TrieNodes:
      return "trie_nodes";
    case Column::TrieJournal:
      return "trie_journal";
    case Column::TrieRefCounts:
      return "trie_ref_counts";
    case Column::Offchain:
      return "offchain";
    case Column::Aux:
      return "aux";
    case Column::HashToNumber:
      return "hash_to_number";
  }
  return "unknown";
}

Result<void> KeyValueStore::do_for_each_key(Column column, const KeyVisitor& visit) const {
  return iterate(column, {}, [&](ByteSpan key, ByteSpan) { return visit(key); });
}

Bytes column_key(Column column, ByteSpan key) {
  Bytes out;
  out.reserve(key.size() + 1);
  out.push_back(static_cast<uint8_t>(column));
  out.insert(out.end(), key.begin(), key.end());
  return out;
}

Bytes number_key(uint32_t number) {
  return Bytes{static_cast<uint8_t>(number >> 24), static_cast<uint8_t>(number >> 16),
               static_cast<uint8_t>(number >> 8), static_cast<uint8_t>(number)};
}

std::optional<uint32_t> decode_number_key(ByteSpan bytes) {
  if (bytes.size() != 4) return std::nullopt;
  return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 | uint32_t{bytes[3]};
}

Bytes block_key(uint32_t number, ByteSpan hash) {
  Bytes out = number_key(number);
  out.insert(out.end(), hash.begin(), hash.end());
  return out;
}

namespace {
std::string index_key(Column column, ByteSpan key) {
  std::string s;
  s.reserve(key.size() + 1);
  s.push_back(static_cast<char>(column));
  s.append(reinterpret_cast<const char*>(key.data()), key.size());
  return s;
}
}  // namespace

WriteBatch::WriteBatch(WriteBatch&& other) noexcept
    : m_ops(std::move(other.m_ops)), m_last(std::move(other.m_last)), m_indexed(other.m_indexed) {
  other.clear();
}

WriteBatch& WriteBatch::operator=(WriteBatch&& other) noexcept {
  if (this != &other) {
    m_ops = std::move(other.m_ops);
    m_last = std::move(other.m_last);
    m_indexed = other.m_indexed;
    other.clear();
  }
  return *this;
}

void WriteBatch::record(Column column, Bytes key, std::optional<Bytes> value) {
  m_ops.push_back(Op{column, std::move(key), std::move(value)});
}

void WriteBatch::put(Column column, ByteSpan key, ByteSpan value) {
  record(column, Bytes(key.begin(), key.end()), Bytes(value.begin(), value.end()));
}

void WriteBatch::put(Column column, Bytes key, Bytes value) { record(column, std::move(key), std::move(value)); }

void WriteBatch::del(Column column, ByteSpan key) { record(column, Bytes(key.begin(), key.end()), std::nullopt); }

void WriteBatch::append(WriteBatch&& other) {
  m_ops.reserve(m_ops.size() + other.m_ops.size());
  for (auto& op : other.m_ops) record(op.column, std::move(op.key), std::move(op.value));
  other.clear();
}

const std::optional<Bytes>* WriteBatch::find(Column column, ByteSpan key) const {
  for (; m_indexed < m_ops.size(); ++m_indexed) {
    const Op& op = m_ops[m_indexed];
    m_last[index_key(op.column, op.key)] = m_indexed;
  }
  auto it = m_last.find(index_key(column, key));
  if (it == m_last.end()) return nullptr;
  return &m_ops[it->second].value;
}

void WriteBatch::clear() {
  m_ops.clear();
  m_last.clear();
  m_indexed = 0;
}

Result<std::optional<Bytes>> read_through(const KeyValueStore& store, const WriteBatch& batch, Column column,
                                          ByteSpan key) {
  if (const auto* staged = batch.find(column, key)) return *staged;
  return store.get(column, key);
}

}  // namespace bazaar::node::db
