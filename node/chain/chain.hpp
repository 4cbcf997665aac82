#pragma once
// The node's chain: the block store, block import, finality and listeners,
// opened on the node's key-value store and state trie.
//
// Start-up (Chain::open):
//   - an empty database gets the genesis block: the chain spec's genesis
//     storage (genesis::ChainSpec::genesis_storage) becomes the state, and the
//     genesis header is {parent 0x00..00, number 0, that state root,
//     extrinsics root = ordered_trie_root([]), empty digest}; it is best and
//     finalized at once;
//   - a database with a chain must have the same genesis hash as the spec
//     (GenesisMismatch otherwise); its head is loaded and checked: the best
//     block is re-executed through BlockImport::check_block and must give its
//     state root back (ResumeCheckFailed otherwise), so a corrupt database is a
//     clear error at start-up, never a crash later.

#include "node/chain/block_import.hpp"
#include "node/chain/block_store.hpp"
#include "node/chain/notifications.hpp"
#include "node/state/trie_state.hpp"
#include "node/trie/trie_db.hpp"
#include "runtime/storage/storage.hpp"

#include <memory>
#include <optional>
#include <string>

namespace bazaar::node::chain {

struct ChainOptions {
  BlockImportOptions import;
  /// Re-execute the best block at start-up to check the database.
  bool check_on_start = true;
  /// nullopt = archive (keep every state); N = keep the last N finalized
  /// states (>= 1) and drop abandoned forks' states (BlockImportOptions::journal).
  /// The choice is recorded in the database when it is created: reopening with
  /// the other choice fails with TrieError::PruningModeMismatch.
  std::optional<uint32_t> state_pruning;
};

class Chain {
 public:
  /// Opens the chain in `kv` (whose trie is `trie`), creating the genesis
  /// block from `genesis_storage` if the database is empty. Errors:
  /// GenesisMismatch, InvalidGenesis, ResumeCheckFailed, CorruptDatabase,
  /// DbError; `error_detail` (if given) receives a message with hashes and
  /// reasons for the user.
  static Result<std::unique_ptr<Chain>> open(db::KeyValueStore& kv, const trie::TrieDb& trie,
                                             const runtime::storage::ChangeSet& genesis_storage,
                                             ChainOptions options = {}, std::string* error_detail = nullptr);

  const BlockStore& blocks() const { return *m_store; }
  BlockImport& importer() { return *m_import; }
  const trie::TrieDb& trie() const { return m_trie; }

  BlockInfo genesis() const { return m_store->genesis(); }
  BlockInfo best() const { return m_store->best(); }
  BlockInfo finalized() const { return m_store->finalized(); }

  ImportResult import_block(const Block& block) { return m_import->import_block(block); }
  /// BlockImport::verify_ahead: start on the signatures of blocks about to be imported.
  void verify_ahead(std::span<const Block> blocks) { m_import->verify_ahead(blocks); }
  Result<void> finalize(const H256& hash, std::optional<Bytes> justification = std::nullopt) {
    return m_import->finalize(hash, std::move(justification));
  }

  ListenerId subscribe(ChainListener listener) { return m_listeners.subscribe(std::move(listener)); }
  void unsubscribe(ListenerId id) { m_listeners.unsubscribe(id); }

  /// The state after block `hash` (archive: every stored block). Errors:
  /// UnknownBlock, StateUnavailable, CorruptDatabase, DbError.
  Result<std::unique_ptr<state::TrieState>> state_at(const H256& hash) const;

 private:
  Chain(std::unique_ptr<BlockStore> store, const trie::TrieDb& trie, std::unique_ptr<trie::TrieJournal> journal,
        BlockImportOptions options);

  std::unique_ptr<BlockStore> m_store;
  std::unique_ptr<trie::TrieJournal> m_journal;  // before m_import, which points at it
  const trie::TrieDb& m_trie;
  ChainListeners m_listeners;
  std::unique_ptr<BlockImport> m_import;
};

/// The genesis header of a chain whose genesis state has `state_root`.
Header genesis_header(const H256& state_root);

/// The state root of genesis storage, computed in memory (deletions ignored).
H256 genesis_state_root(const runtime::storage::ChangeSet& genesis_storage);

}  // namespace bazaar::node::chain
