#include "node/db/memory_store.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>

namespace bazaar::node::db {

bool MemoryStore::BytewiseLess::operator()(const Bytes& a, const Bytes& b) const {
  std::size_t n = std::min(a.size(), b.size());
  int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  return c < 0 || (c == 0 && a.size() < b.size());
}

Result<std::optional<Bytes>> MemoryStore::get(Column column, ByteSpan key) const {
  std::shared_lock lock(m_mutex);
  auto it = m_data.find(column_key(column, key));
  if (it == m_data.end()) return std::optional<Bytes>{};
  return std::optional<Bytes>{it->second};
}

std::size_t MemoryStore::count(Column column) const {
  std::shared_lock lock(m_mutex);
  Bytes lo = column_key(column, {});
  std::size_t n = 0;
  for (auto it = m_data.lower_bound(lo); it != m_data.end() && it->first[0] == static_cast<uint8_t>(column); ++it) ++n;
  return n;
}

void MemoryStore::poke(Column column, ByteSpan key, ByteSpan value) {
  std::unique_lock lock(m_mutex);
  m_data[column_key(column, key)] = Bytes(value.begin(), value.end());
}

Result<void> MemoryStore::do_write(WriteBatch&& batch, WriteOptions) {
  std::unique_lock lock(m_mutex);
  for (const auto& op : batch.ops()) {
    Bytes k = column_key(op.column, op.key);
    if (op.value)
      m_data[std::move(k)] = *op.value;
    else
      m_data.erase(k);
  }
  return success();
}

Result<void> MemoryStore::do_iterate(Column column, ByteSpan prefix, ByteSpan start, const Visitor& visit) const {
  Bytes full_prefix = column_key(column, prefix);
  Bytes from = column_key(column, start);
  if (BytewiseLess{}(from, full_prefix)) from = full_prefix;
  // Copy the range first so the visitor may use the store without deadlocking.
  std::vector<std::pair<Bytes, Bytes>> entries;
  {
    std::shared_lock lock(m_mutex);
    for (auto it = m_data.lower_bound(from); it != m_data.end(); ++it) {
      const Bytes& k = it->first;
      if (k.size() < full_prefix.size() || !std::equal(full_prefix.begin(), full_prefix.end(), k.begin())) break;
      entries.emplace_back(k, it->second);
    }
  }
  for (const auto& [k, v] : entries) {
    if (!visit(ByteSpan(k).subspan(1), v)) break;
  }
  return success();
}

}  // namespace bazaar::node::db
