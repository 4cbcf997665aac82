#include "node/offchain/channels/channel_store.hpp"

#include "node/db/leveldb_store.hpp"

namespace bazaar::node::offchain::channels {
namespace {

runtime::Bytes key_of(char kind, const pc::ChannelId& id) {
  runtime::Bytes k;
  k.reserve(1 + 32 + 8);
  k.push_back(static_cast<uint8_t>(kind));
  k.insert(k.end(), id.span().begin(), id.span().end());
  return k;
}

runtime::Bytes leaf_key(const pc::ChannelId& id, uint64_t index) {
  auto k = key_of('l', id);
  for (int i = 7; i >= 0; --i) k.push_back(static_cast<uint8_t>(index >> (8 * i)));  // big-endian: in order
  return k;
}

}  // namespace

Result<std::unique_ptr<ChannelStore>> ChannelStore::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  BAZAAR_TRY(auto store, db::LevelDbStore::open(dir));
  return std::unique_ptr<ChannelStore>(new ChannelStore(std::move(store)));
}

void ChannelStore::stage(db::WriteBatch& batch, const ChannelUpdate& u) {
  if (u.meta) batch.put(db::Column::Offchain, key_of('m', u.channel_id), runtime::codec::encode(*u.meta));
  if (u.latest) batch.put(db::Column::Offchain, key_of('s', u.channel_id), runtime::codec::encode(*u.latest));
  if (u.proposal) batch.put(db::Column::Offchain, key_of('p', u.channel_id), runtime::codec::encode(*u.proposal));
  for (std::size_t i = 0; i < u.leaves.size(); ++i)
    batch.put(db::Column::Offchain, leaf_key(u.channel_id, u.first_leaf_index + i), runtime::codec::encode(u.leaves[i]));
}

Result<void> ChannelStore::commit(std::vector<ChannelUpdate> updates) {
  std::unique_lock lock(m_mutex);
  const uint64_t ticket = m_next_ticket++;
  for (const auto& u : updates) stage(m_queued, u);
  while (m_durable < ticket) {
    if (m_leader_active) {
      m_cv.wait(lock);
      continue;
    }
    // Become the leader: write everything queued so far with one fsync.
    m_leader_active = true;
    db::WriteBatch batch = std::move(m_queued);
    m_queued = db::WriteBatch{};
    const uint64_t last = m_next_ticket - 1;
    lock.unlock();
    auto written = m_store->write(std::move(batch), db::WriteOptions{.sync = true});
    lock.lock();
    if (!written) m_failed.emplace_back(m_durable + 1, last);
    m_durable = last;
    ++m_syncs;
    m_leader_active = false;
    m_cv.notify_all();
  }
  for (const auto& [lo, hi] : m_failed)
    if (ticket >= lo && ticket <= hi) return ChannelError::StoreFailed;
  return outcome::success();
}

std::optional<StoredChannel> ChannelStore::load(const pc::ChannelId& id) const {
  auto meta_raw = m_store->get(db::Column::Offchain, key_of('m', id));
  if (!meta_raw || !meta_raw.value()) return std::nullopt;
  auto meta = runtime::codec::decode<ChannelMeta>(*meta_raw.value());
  if (!meta) return std::nullopt;
  StoredChannel out{meta.value(), std::nullopt, {}};
  if (auto latest = m_store->get(db::Column::Offchain, key_of('s', id)); latest && latest.value()) {
    if (auto s = runtime::codec::decode<SignedState>(*latest.value())) out.latest = s.value();
  }
  if (auto p = m_store->get(db::Column::Offchain, key_of('p', id)); p && p.value()) {
    if (auto s = runtime::codec::decode<SignedProposal>(*p.value())) out.proposal = s.value();
  }
  auto prefix = key_of('l', id);
  (void)m_store->iterate(db::Column::Offchain, prefix, [&](runtime::ByteSpan key, runtime::ByteSpan value) {
    uint64_t index = 0;
    for (std::size_t i = prefix.size(); i < key.size(); ++i) index = (index << 8) | key[i];
    auto leaf = runtime::codec::decode<pc::TaskEntry>(value);
    if (!leaf || index != out.leaves.size()) return false;  // a gap: the log ends at the last contiguous leaf
    out.leaves.push_back(leaf.value());
    return true;
  });
  return out;
}

std::vector<ChannelMeta> ChannelStore::list() const {
  std::vector<ChannelMeta> out;
  runtime::Bytes prefix{static_cast<uint8_t>('m')};
  (void)m_store->iterate(db::Column::Offchain, prefix, [&](runtime::ByteSpan, runtime::ByteSpan value) {
    if (auto meta = runtime::codec::decode<ChannelMeta>(value)) out.push_back(meta.value());
    return true;
  });
  return out;
}

uint64_t ChannelStore::syncs() const {
  std::lock_guard lock(m_mutex);
  return m_syncs;
}

}  // namespace bazaar::node::offchain::channels
