#pragma once
// Blocks on disk: headers, bodies, justifications, the canonical number->hash
// index and the chain head (genesis, best, finalized, leaves), in the columns
// of the node's key-value store (node/db/kv_store.hpp):
//
//   HashToNumber    block hash -> u32 big-endian block number (every stored block)
//   Headers         block key -> SCALE Header
//   Bodies          block key -> SCALE Vec<OpaqueExtrinsic>
//   Justifications  block key -> justification bytes (as given to finalize)
//   NumberToHash    u32 big-endian block number -> block hash (best chain only)
//   Meta            "chain:genesis" / "chain:best" / "chain:finalized" -> SCALE BlockInfo,
//                   "chain:leaves" -> SCALE Vec<BlockInfo>,
//                   "db:schema_version" -> u32 LE (kSchemaVersion)
//
// The block key is number ++ hash (db::block_key), as in Substrate's
// client-db, so the columns stay in chain order and a block's entries sit
// together by number. A read by hash looks the number up first.
//
// The store never writes on its own: BlockImport stages a block, its trie
// nodes and the new head into ONE WriteBatch and commit() applies it
// atomically, so a crash leaves either the old or the new head, never half a
// block. Reads are thread-safe; the head is cached in memory.

#include "node/chain/chain_error.hpp"
#include "node/db/kv_store.hpp"
#include "runtime/primitives/block.hpp"
#include "runtime/primitives/header.hpp"

#include <boost/describe/class.hpp>

#include <optional>
#include <shared_mutex>
#include <vector>

namespace bazaar::node::chain {

using runtime::Block;
using runtime::BlockNumber;
using runtime::Bytes;
using runtime::ByteSpan;
using runtime::H256;
using runtime::Header;
using runtime::OpaqueExtrinsic;

/// A block's hash and number. SCALE: hash(32) ++ number(u32 LE).
struct BlockInfo {
  H256 hash;
  BlockNumber number = 0;
  friend bool operator==(const BlockInfo&, const BlockInfo&) = default;
};
BOOST_DESCRIBE_STRUCT(BlockInfo, (), (hash, number))

/// The persisted head of the chain.
struct ChainHead {
  BlockInfo genesis;
  BlockInfo best;       ///< the longest chain containing `finalized` (first seen wins a tie)
  BlockInfo finalized;  ///< never reverts
  std::vector<BlockInfo> leaves;  ///< blocks without children that descend from `finalized`
  friend bool operator==(const ChainHead&, const ChainHead&) = default;
};

/// The path between two blocks through their common ancestor
/// (sp_blockchain::TreeRoute): `retracted` goes from `from` down to the block
/// after the ancestor, `enacted` goes from the block after the ancestor up to `to`.
struct TreeRoute {
  BlockInfo common;
  std::vector<BlockInfo> retracted;  ///< descending numbers, starting with `from` (empty if `from` is the ancestor)
  std::vector<BlockInfo> enacted;    ///< ascending numbers, ending with `to` (empty if `to` is the ancestor)
};

class BlockStore {
 public:
  /// The layout of the node's database that this code reads and writes,
  /// stored in Meta with the genesis block. 3: a pruned database may keep its
  /// trie nodes in a node log (db::LevelDbOptions::trie_node_log), which
  /// earlier nodes would not find. 2: block keys are number ++ hash (1,
  /// unmarked, keyed blocks and the trie journal by hash alone).
  static constexpr uint32_t kSchemaVersion = 3;
  /// The oldest layout this code still reads: version 2 differs only in never
  /// having a node log.
  static constexpr uint32_t kOldestReadableSchema = 2;

  /// Opens the store on `kv` and loads the head if the database has a chain
  /// (has_chain()). Errors: UnsupportedSchema (a chain written in another
  /// layout; the node has no migration, the database must be synced again),
  /// CorruptDatabase (head entries that do not decode or are only partly
  /// present), DbError.
  static Result<std::unique_ptr<BlockStore>> open(db::KeyValueStore& kv);
  /// The schema version stored in the database (1 if it has a chain but no
  /// version entry, nullopt if it is empty). Errors: CorruptDatabase, DbError.
  static Result<std::optional<uint32_t>> stored_schema_version(const db::KeyValueStore& kv);

  /// Whether the database holds a chain (a head was loaded or committed).
  bool has_chain() const;
  /// The cached head. Requires has_chain().
  ChainHead head() const;
  BlockInfo best() const { return head().best; }
  BlockInfo finalized() const { return head().finalized; }
  BlockInfo genesis() const { return head().genesis; }

  // ---- reads (nullopt = not stored; errors: CorruptDatabase, DbError) ----
  Result<std::optional<Header>> header(const H256& hash) const;
  /// The header, or ChainError::UnknownBlock.
  Result<Header> require_header(const H256& hash) const;
  Result<std::optional<std::vector<OpaqueExtrinsic>>> body(const H256& hash) const;
  Result<std::optional<Block>> block(const H256& hash) const;
  Result<std::optional<Bytes>> justification(const H256& hash) const;
  Result<bool> contains(const H256& hash) const;
  /// The number of a stored block (any fork).
  Result<std::optional<BlockNumber>> number(const H256& hash) const;
  /// The block at `number` on the best chain.
  Result<std::optional<H256>> canonical_hash(BlockNumber number) const;

  /// The ancestor of `block` at `number` (the block itself if numbers are
  /// equal); nullopt if number > block.number. Walks the canonical index when
  /// `block` is canonical, else parent links. Errors: UnknownBlock, CorruptDatabase.
  Result<std::optional<BlockInfo>> ancestor_at(const BlockInfo& block, BlockNumber number) const;
  /// Whether `ancestor` is `block` or one of its ancestors.
  Result<bool> is_descendant(const BlockInfo& block, const BlockInfo& ancestor) const;
  /// The route from `from` to `to` through their common ancestor.
  Result<TreeRoute> tree_route(const BlockInfo& from, const BlockInfo& to) const;

  // ---- writes: stage into the block's batch, then commit ----
  static void stage_block(db::WriteBatch& batch, const H256& hash, const Block& block);
  static void stage_justification(db::WriteBatch& batch, const BlockInfo& block, ByteSpan justification);
  static void stage_canonical(db::WriteBatch& batch, BlockNumber number, const H256& hash);
  static void stage_remove_canonical(db::WriteBatch& batch, BlockNumber number);
  static void stage_head(db::WriteBatch& batch, const ChainHead& head);
  /// Marks a new database with kSchemaVersion (staged with its genesis block).
  static void stage_schema_version(db::WriteBatch& batch);

  /// Writes `batch` atomically and, once it is written, makes `head` the cached head.
  Result<void> commit(db::WriteBatch&& batch, const ChainHead& head, db::WriteOptions options = {});

  db::KeyValueStore& kv() const { return m_kv; }

 private:
  explicit BlockStore(db::KeyValueStore& kv) : m_kv(kv) {}
  Result<std::optional<ChainHead>> load_head() const;
  /// Reads column `column` at the block key of `hash` (nullopt if the block is not stored).
  Result<std::optional<Bytes>> get_by_hash(db::Column column, const H256& hash) const;

  db::KeyValueStore& m_kv;
  mutable std::shared_mutex m_mutex;
  std::optional<ChainHead> m_head;
};

}  // namespace bazaar::node::chain
