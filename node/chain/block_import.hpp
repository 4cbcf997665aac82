#pragma once
// Block import: the one path every block takes into the database, whether our
// own author built it, a peer sent it, or start-up re-checks the best block.
//
// Checks, in order (the first failure is the reason):
//   1. not already stored (AlreadyKnown); the parent is stored (UnknownParent);
//      number = parent + 1 (BadNumber); it descends from the last finalized
//      block (NotInFinalizedChain);
//   2. Aura (aura_digest.hpp): the last digest item is an Aura seal (BadSeal),
//      one PreRuntime slot (MissingSlot), slot > the parent's slot
//      (SlotNotIncreasing), slot <= the local clock's slot + max_slot_drift
//      (FutureSlot); with the authorities read from the PARENT state
//      (composition::aura_authorities; NoAuthorities if empty), the seal must
//      recover to authorities[slot % n]: to another authority is WrongAuthor,
//      to anything else BadSeal;
//   3. the extrinsics root is ordered_trie_root(extrinsics) (ExtrinsicsRootMismatch);
//   4. composition::execute_block on the parent state runs the block without
//      its seal (ExecutionFailed with the runtime's message); its ChangeSet
//      applied to the parent's trie gives the header's state root (StateRootMismatch).
//      Meanwhile worker threads (BlockImportOptions::signature_threads) verify
//      the extrinsics' signatures (composition::signature_checks) in block
//      order, and execution uses their results instead of recovering again
//      (it verifies itself those no worker has reached); a signature that
//      failed is verified again in execution, which rejects the block as before.
//      verify_ahead lets the workers start on the signatures of the next
//      blocks while this one executes (SignaturePipeline).
//      Execution reads the parent state through a value cache that follows
//      the imported chain (state/value_cache.hpp): it is used when the parent
//      state is the cache's root, reset to the parent's root when the parent
//      is the best block, and moved to a block's root (its ChangeSet applied)
//      when a block on top of the cache's root is stored.
// Then one WriteBatch stores the trie nodes, the header and body, the
// canonical index and the new head. Fork choice: the longest chain containing
// the last finalized block; a tie keeps the current best (first seen wins).
//
// Thread-safe: imports and finalizations are serialized; listeners are told
// after each commit, in commit order, on the importing thread.

#include "node/chain/block_store.hpp"
#include "node/chain/notifications.hpp"
#include "node/chain/signature_pipeline.hpp"
#include "node/state/value_cache.hpp"
#include "node/trie/journal.hpp"
#include "node/trie/trie_db.hpp"
#include "runtime/primitives/types.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

namespace bazaar::node::chain {

/// Why a block was rejected. Reasons marked (peer) mean the block itself is
/// bad: whoever sent it misbehaved; the others are about our own state.
enum class ImportError {
  AlreadyKnown = 1,        ///< the block is already stored
  Corrupt,                 ///< (peer) the bytes do not decode as a block
  UnknownParent,           ///< the parent is not stored (yet)
  BadNumber,               ///< (peer) number != parent's number + 1
  NotInFinalizedChain,     ///< (peer) on a fork that excludes the last finalized block
  MissingSlot,             ///< (peer) no (or more than one, or a malformed) Aura PreRuntime slot
  SlotNotIncreasing,       ///< (peer) slot <= the parent's slot
  FutureSlot,              ///< the slot is ahead of our clock by more than the allowed drift
  NoAuthorities,           ///< the parent state has no Aura authorities
  BadSeal,                 ///< (peer) no Aura seal, or it does not recover to an authority
  WrongAuthor,             ///< (peer) sealed by an authority whose turn it was not
  ExtrinsicsRootMismatch,  ///< (peer) the header's extrinsics root is not that of the body
  StateUnavailable,        ///< the parent's state is not stored (pruned)
  ExecutionFailed,         ///< (peer) the runtime rejected the block
  StateRootMismatch,       ///< (peer) executing the block gives another state root
  DatabaseError,           ///< reading or writing our database failed
};
const char* to_string(ImportError e);
/// Whether the reason proves the block bad (the "(peer)" reasons above).
bool is_bad_block(ImportError e);

}  // namespace bazaar::node::chain

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::chain, ImportError)

namespace bazaar::node::chain {

/// A rejection: the reason and a message with the details (numbers, hashes,
/// the runtime's words).
struct ImportFailure {
  ImportError reason = ImportError::Corrupt;
  std::string message;
};

struct ImportedBlock {
  BlockInfo block;
  bool is_new_best = false;
};

using ImportResult = outcome::result<ImportedBlock, ImportFailure, outcome::policy::terminate>;

struct BlockImportOptions {
  /// The local clock, unix milliseconds, for the FutureSlot check (empty = the system clock).
  std::function<runtime::Moment()> now_ms;
  /// How many slots ahead of the local clock a block may be (clock drift between nodes).
  uint64_t max_slot_drift = 1;
  /// fsync each block's batch (survives a machine crash, not only a process crash).
  bool sync_writes = false;
  /// Threads that verify a block's extrinsic signatures, the importing thread
  /// included (it executes the block and verifies what the workers have not
  /// reached): 0 = std::thread::hardware_concurrency() (at least 2); 1 = no
  /// workers (signatures are checked one by one during execution). The
  /// workers (threads - 1) live as long as the import (SignaturePipeline) and
  /// also verify the blocks given to verify_ahead.
  std::size_t signature_threads = 0;
  /// State pruning (node/trie/journal.hpp). nullptr = archive: every state is
  /// kept. With a journal, every block's state commit is journaled; finalizing
  /// #f prunes the canonical states below #f - keep_finalized_states + 1 (so
  /// the last keep_finalized_states finalized states stay readable, and every
  /// state above the finalized block on every fork), and drops the states of
  /// the blocks on forks the finalized chain abandons. Headers and bodies stay.
  const trie::TrieJournal* journal = nullptr;
  /// Finalized states kept when pruning (>= 1).
  uint32_t keep_finalized_states = 256;
};

/// A block that passed every check and its state diff, not yet stored.
struct CheckedBlock {
  BlockInfo info;
  trie::CommitResult commit;
  uint64_t slot = 0;                ///< the Aura slot of its pre-runtime digest
  runtime::crypto::EcdsaPublic author;  ///< the authority whose seal it carries
  H256 parent_state_root;              ///< the state the block executed on
  runtime::storage::ChangeSet changes;  ///< its execution's writes (commit is their trie diff)
};

class BlockImport {
 public:
  /// All references must outlive the import; `store` must have a chain.
  BlockImport(BlockStore& store, const trie::TrieDb& trie, const ChainListeners& listeners,
              BlockImportOptions options = {});
  ~BlockImport();
  BlockImport(const BlockImport&) = delete;
  BlockImport& operator=(const BlockImport&) = delete;

  /// Checks, executes and stores `block`, updates the best block and tells
  /// the listeners.
  ImportResult import_block(const Block& block);
  /// Same for a SCALE-encoded block (from the network): Corrupt if it does not decode.
  ImportResult import_encoded(ByteSpan encoded);

  /// Starts verifying the signatures of `blocks` (consecutive blocks about to
  /// be imported in order, e.g. a range sync downloaded) on the signature
  /// workers while earlier blocks execute (signature_pipeline.hpp). Checks
  /// nothing and stores nothing: each block is still fully checked by
  /// import_block. No-op with signature_threads = 1.
  void verify_ahead(std::span<const Block> blocks);
  /// The signature workers (nullptr with signature_threads = 1).
  const SignaturePipeline* signature_pipeline() const { return m_pipeline.get(); }

  /// Runs the checks of import_block without storing anything. With
  /// `recheck` (start-up re-executing a stored block) it skips those that
  /// depend on the moment of import: already known, below the finalized
  /// block, slot ahead of the clock.
  outcome::result<CheckedBlock, ImportFailure, outcome::policy::terminate> check_block(const Block& block,
                                                                                       bool recheck = false) const;

  /// Finalizes `hash` and its unfinalized ancestors and stores `justification`
  /// with it if given. If the best block does not descend from it, the best
  /// block becomes the longest chain that does. Finalizing the finalized block
  /// again only stores the justification. Errors: UnknownBlock,
  /// NotInFinalizedChain (a block at or below the finalized number, or on
  /// another fork), CorruptDatabase, DbError.
  Result<void> finalize(const H256& hash, std::optional<Bytes> justification = std::nullopt);

  /// Equivocations seen since start (oldest first, at most kMaxEquivocations).
  std::vector<EquivocationEvent> equivocations() const;
  static constexpr std::size_t kMaxEquivocations = 256;
  /// How many recent slots' first blocks are remembered for detection.
  static constexpr std::size_t kSlotsRemembered = 4096;
  /// The live trie is dropped (the next block loads its paths again, from the
  /// node cache or LevelDB) once it has decoded this many nodes: about 0.7 KB
  /// each, so about 90 MB.
  static constexpr std::size_t kLiveTrieMaxNodes = 128 * 1024;

 private:
  /// Remembers the block's slot; returns the equivocation if another block
  /// of the same slot (hence by the same author) was seen before.
  std::optional<EquivocationEvent> note_slot(const Block& block, const CheckedBlock& checked);

  /// `started`: when import_block began (the event's import_seconds).
  ImportResult store_block(const Block& block, const CheckedBlock& checked,
                           std::chrono::steady_clock::time_point started);
  /// Executes the unsealed `block` (whose sealed hash is `hash`) on
  /// `parent_state`, its signatures verified on the pipeline's workers.
  outcome::result<runtime::storage::ChangeSet, std::string> execute(const runtime::storage::StorageReader& parent_state,
                                                                    const H256& hash, const Block& block) const;
  /// Applies a block's changes to the state at `parent_root`: on the live
  /// trie when it holds that state (and is free), else on a fresh one that
  /// then becomes the live trie.
  Result<trie::CommitResult> apply_changes(const H256& parent_root,
                                           const runtime::storage::ChangeSet& changes) const;
  /// With a journal: stages the pruning that finalizing `target` (after
  /// `old_finalized`, along `finalized_route`) allows; `dropped_leaves` are the
  /// leaves that do not descend from `target`.
  Result<void> stage_pruning(db::WriteBatch& batch, const BlockInfo& old_finalized, const BlockInfo& target,
                             const std::vector<BlockInfo>& finalized_route,
                             const std::vector<BlockInfo>& dropped_leaves) const;

  BlockStore& m_store;
  const trie::TrieDb& m_trie;
  const ChainListeners& m_listeners;
  BlockImportOptions m_options;
  std::mutex m_mutex;  // serializes import_block and finalize
  std::map<uint64_t, Header> m_slot_blocks;  // slot -> first header seen (guarded by m_mutex)
  // Values of one state across blocks. check_block runs outside m_mutex at
  // start-up (Chain's recheck), so the cache has its own lock; execution only
  // try-locks it and reads the trie directly if it is busy.
  mutable std::mutex m_value_cache_mutex;
  mutable state::ValueCache m_value_cache;
  // The state trie of the last block checked, decoded nodes kept across
  // blocks (TrieDb::apply_in_place): the next block on it re-reads none of
  // the nodes on its paths. Try-locked as the value cache is.
  mutable std::mutex m_live_trie_mutex;
  mutable std::optional<trie::MutableTrie> m_live_trie;
  mutable H256 m_live_root;
  mutable std::mutex m_equivocation_mutex;
  std::vector<EquivocationEvent> m_equivocations;
  std::unique_ptr<SignaturePipeline> m_pipeline;  // last: its workers stop first
};

}  // namespace bazaar::node::chain
