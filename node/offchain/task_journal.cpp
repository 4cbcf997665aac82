#include "node/offchain/task_journal.hpp"

#include "node/db/leveldb_store.hpp"

namespace bazaar::node::offchain {
namespace {
runtime::Bytes key_of(TaskId id) {
  runtime::Bytes k(8);
  for (int i = 0; i < 8; ++i) k[i] = static_cast<uint8_t>(id >> (8 * (7 - i)));  // big-endian: ordered by id
  return k;
}
}  // namespace

Result<std::unique_ptr<TaskJournal>> TaskJournal::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  BAZAAR_TRY(auto store, db::LevelDbStore::open(dir));
  return std::unique_ptr<TaskJournal>(new TaskJournal(std::move(store)));
}

Result<void> TaskJournal::put(TaskId id, const JournalEntry& entry) {
  db::WriteBatch batch;
  batch.put(db::Column::Offchain, key_of(id), runtime::codec::encode(entry));
  return m_store->write(std::move(batch), db::WriteOptions{.sync = true});
}

Result<void> TaskJournal::erase(TaskId id) {
  db::WriteBatch batch;
  batch.del(db::Column::Offchain, key_of(id));
  return m_store->write(std::move(batch), db::WriteOptions{.sync = true});
}

std::optional<JournalEntry> TaskJournal::get(TaskId id) const {
  auto raw = m_store->get(db::Column::Offchain, key_of(id));
  if (!raw || !raw.value()) return std::nullopt;
  auto entry = runtime::codec::decode<JournalEntry>(*raw.value());
  if (!entry) return std::nullopt;
  return entry.value();
}

std::map<TaskId, JournalEntry> TaskJournal::unfinished() const {
  std::map<TaskId, JournalEntry> out;
  (void)m_store->iterate(db::Column::Offchain, {}, {}, [&](runtime::ByteSpan key, runtime::ByteSpan value) {
    if (key.size() != 8) return true;
    TaskId id = 0;
    for (auto b : key) id = (id << 8) | b;
    auto entry = runtime::codec::decode<JournalEntry>(value);
    if (entry && entry.value().stage != TaskStage::Done && entry.value().stage != TaskStage::Abandoned)
      out.emplace(id, entry.value());
    return true;
  });
  return out;
}

}  // namespace bazaar::node::offchain
