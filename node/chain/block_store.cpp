#include "node/chain/block_store.hpp"

#include "runtime/codec/scale.hpp"

#include <algorithm>
#include <mutex>

namespace bazaar::node::chain {

using db::Column;
using runtime::codec::decode;
using runtime::codec::encode;

namespace {

const Bytes kGenesisKey = runtime::to_bytes("chain:genesis");
const Bytes kBestKey = runtime::to_bytes("chain:best");
const Bytes kFinalizedKey = runtime::to_bytes("chain:finalized");
const Bytes kLeavesKey = runtime::to_bytes("chain:leaves");
const Bytes kSchemaVersionKey = runtime::to_bytes("db:schema_version");

/// Decodes a stored value; a value that does not decode is database corruption.
template <class T>
Result<std::optional<T>> decode_stored(Result<std::optional<Bytes>> raw) {
  BAZAAR_TRY(auto bytes, std::move(raw));
  if (!bytes) return std::optional<T>{};
  auto value = decode<T>(*bytes);
  if (!value) return ChainError::CorruptDatabase;
  return std::optional<T>{std::move(value).value()};
}

}  // namespace

Result<std::unique_ptr<BlockStore>> BlockStore::open(db::KeyValueStore& kv) {
  std::unique_ptr<BlockStore> store(new BlockStore(kv));
  BAZAAR_TRY(auto version, stored_schema_version(kv));
  if (version && (*version < kOldestReadableSchema || *version > kSchemaVersion)) return ChainError::UnsupportedSchema;
  BAZAAR_TRY(auto head, store->load_head());
  store->m_head = std::move(head);
  return store;
}

Result<std::optional<uint32_t>> BlockStore::stored_schema_version(const db::KeyValueStore& kv) {
  BAZAAR_TRY(auto version, decode_stored<uint32_t>(kv.get(Column::Meta, kSchemaVersionKey)));
  if (version) return version;
  BAZAAR_TRY(auto genesis, kv.get(Column::Meta, kGenesisKey));
  return genesis ? std::optional<uint32_t>{1} : std::nullopt;
}

Result<std::optional<ChainHead>> BlockStore::load_head() const {
  BAZAAR_TRY(auto genesis, decode_stored<BlockInfo>(m_kv.get(Column::Meta, kGenesisKey)));
  BAZAAR_TRY(auto best, decode_stored<BlockInfo>(m_kv.get(Column::Meta, kBestKey)));
  BAZAAR_TRY(auto finalized, decode_stored<BlockInfo>(m_kv.get(Column::Meta, kFinalizedKey)));
  BAZAAR_TRY(auto leaves, decode_stored<std::vector<BlockInfo>>(m_kv.get(Column::Meta, kLeavesKey)));
  if (!genesis && !best && !finalized && !leaves) return std::optional<ChainHead>{};
  if (!genesis || !best || !finalized || !leaves || leaves->empty()) return ChainError::CorruptDatabase;
  if (finalized->number > best->number || genesis->number != 0) return ChainError::CorruptDatabase;
  return std::optional<ChainHead>{ChainHead{*genesis, *best, *finalized, std::move(*leaves)}};
}

bool BlockStore::has_chain() const {
  std::shared_lock lock(m_mutex);
  return m_head.has_value();
}

ChainHead BlockStore::head() const {
  std::shared_lock lock(m_mutex);
  return m_head.value();
}

Result<std::optional<BlockNumber>> BlockStore::number(const H256& hash) const {
  BAZAAR_TRY(auto raw, m_kv.get(Column::HashToNumber, hash.span()));
  if (!raw) return std::optional<BlockNumber>{};
  auto number = db::decode_number_key(*raw);
  if (!number) return ChainError::CorruptDatabase;
  return std::optional<BlockNumber>{*number};
}

Result<std::optional<Bytes>> BlockStore::get_by_hash(db::Column column, const H256& hash) const {
  BAZAAR_TRY(auto number, this->number(hash));
  if (!number) return std::optional<Bytes>{};
  return m_kv.get(column, db::block_key(*number, hash.span()));
}

Result<std::optional<Header>> BlockStore::header(const H256& hash) const {
  return decode_stored<Header>(get_by_hash(Column::Headers, hash));
}

Result<Header> BlockStore::require_header(const H256& hash) const {
  BAZAAR_TRY(auto header, this->header(hash));
  if (!header) return ChainError::UnknownBlock;
  return std::move(*header);
}

Result<std::optional<std::vector<OpaqueExtrinsic>>> BlockStore::body(const H256& hash) const {
  return decode_stored<std::vector<OpaqueExtrinsic>>(get_by_hash(Column::Bodies, hash));
}

Result<std::optional<Block>> BlockStore::block(const H256& hash) const {
  BAZAAR_TRY(auto number, this->number(hash));
  if (!number) return std::optional<Block>{};
  const Bytes key = db::block_key(*number, hash.span());
  BAZAAR_TRY(auto header, decode_stored<Header>(m_kv.get(Column::Headers, key)));
  BAZAAR_TRY(auto body, decode_stored<std::vector<OpaqueExtrinsic>>(m_kv.get(Column::Bodies, key)));
  // A block is stored whole: its number, header and body.
  if (!header || !body) return ChainError::CorruptDatabase;
  return std::optional<Block>{Block{std::move(*header), std::move(*body)}};
}

Result<std::optional<Bytes>> BlockStore::justification(const H256& hash) const {
  return get_by_hash(Column::Justifications, hash);
}

Result<bool> BlockStore::contains(const H256& hash) const {
  BAZAAR_TRY(auto number, this->number(hash));
  return number.has_value();
}

Result<std::optional<H256>> BlockStore::canonical_hash(BlockNumber number) const {
  BAZAAR_TRY(auto raw, m_kv.get(Column::NumberToHash, db::number_key(number)));
  if (!raw) return std::optional<H256>{};
  if (raw->size() != H256::kSize) return ChainError::CorruptDatabase;
  return std::optional<H256>{H256::from_span(*raw)};
}

Result<std::optional<BlockInfo>> BlockStore::ancestor_at(const BlockInfo& block, BlockNumber number) const {
  if (number > block.number) return std::optional<BlockInfo>{};
  BlockInfo current = block;
  while (true) {
    BAZAAR_TRY(auto canonical, canonical_hash(current.number));
    if (canonical && *canonical == current.hash) {
      // On the best chain: the index answers directly.
      BAZAAR_TRY(auto target, canonical_hash(number));
      if (!target) return ChainError::CorruptDatabase;
      return std::optional<BlockInfo>{BlockInfo{*target, number}};
    }
    if (current.number == number) return std::optional<BlockInfo>{current};
    BAZAAR_TRY(auto header, require_header(current.hash));
    if (header.number.value != current.number) return ChainError::CorruptDatabase;
    current = BlockInfo{header.parent_hash, current.number - 1};
  }
}

Result<bool> BlockStore::is_descendant(const BlockInfo& block, const BlockInfo& ancestor) const {
  BAZAAR_TRY(auto found, ancestor_at(block, ancestor.number));
  return found && found->hash == ancestor.hash;
}

Result<TreeRoute> BlockStore::tree_route(const BlockInfo& from, const BlockInfo& to) const {
  TreeRoute route;
  BlockInfo a = from;
  BlockInfo b = to;
  auto parent_of = [this](const BlockInfo& block) -> Result<BlockInfo> {
    if (block.number == 0) return ChainError::CorruptDatabase;  // two genesis blocks
    BAZAAR_TRY(auto header, require_header(block.hash));
    return BlockInfo{header.parent_hash, block.number - 1};
  };
  while (a.number > b.number) {
    route.retracted.push_back(a);
    BAZAAR_TRY(a, parent_of(a));
  }
  while (b.number > a.number) {
    route.enacted.push_back(b);
    BAZAAR_TRY(b, parent_of(b));
  }
  while (a.hash != b.hash) {
    route.retracted.push_back(a);
    route.enacted.push_back(b);
    BAZAAR_TRY(a, parent_of(a));
    BAZAAR_TRY(b, parent_of(b));
  }
  route.common = a;
  std::reverse(route.enacted.begin(), route.enacted.end());
  return route;
}

void BlockStore::stage_block(db::WriteBatch& batch, const H256& hash, const Block& block) {
  const BlockNumber number = block.header.number.value;
  batch.put(Column::HashToNumber, Bytes(hash.begin(), hash.end()), db::number_key(number));
  const Bytes key = db::block_key(number, hash.span());
  batch.put(Column::Headers, key, encode(block.header));
  batch.put(Column::Bodies, key, encode(block.extrinsics));
}

void BlockStore::stage_justification(db::WriteBatch& batch, const BlockInfo& block, ByteSpan justification) {
  batch.put(Column::Justifications, db::block_key(block.number, block.hash.span()), justification);
}

void BlockStore::stage_canonical(db::WriteBatch& batch, BlockNumber number, const H256& hash) {
  batch.put(Column::NumberToHash, db::number_key(number), Bytes(hash.begin(), hash.end()));
}

void BlockStore::stage_remove_canonical(db::WriteBatch& batch, BlockNumber number) {
  batch.del(Column::NumberToHash, db::number_key(number));
}

void BlockStore::stage_head(db::WriteBatch& batch, const ChainHead& head) {
  batch.put(Column::Meta, kGenesisKey, encode(head.genesis));
  batch.put(Column::Meta, kBestKey, encode(head.best));
  batch.put(Column::Meta, kFinalizedKey, encode(head.finalized));
  batch.put(Column::Meta, kLeavesKey, encode(head.leaves));
}

void BlockStore::stage_schema_version(db::WriteBatch& batch) {
  batch.put(Column::Meta, kSchemaVersionKey, encode(kSchemaVersion));
}

Result<void> BlockStore::commit(db::WriteBatch&& batch, const ChainHead& head, db::WriteOptions options) {
  BAZAAR_TRY(m_kv.write(std::move(batch), options));
  std::unique_lock lock(m_mutex);
  m_head = head;
  return success();
}

}  // namespace bazaar::node::chain
