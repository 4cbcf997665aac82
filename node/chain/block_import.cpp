#include "node/chain/block_import.hpp"

#include "modules/composition/executive.hpp"
#include "modules/system/system.hpp"
#include "node/chain/aura_digest.hpp"
#include "node/log/log.hpp"
#include "node/state/trie_state.hpp"
#include "node/trie/root.hpp"
#include "runtime/crypto/hash.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <chrono>
#include <atomic>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

namespace bazaar::node::chain {

const char* to_string(ImportError e) {
  switch (e) {
    case ImportError::AlreadyKnown: return "block already known";
    case ImportError::Corrupt: return "block does not decode";
    case ImportError::UnknownParent: return "unknown parent";
    case ImportError::BadNumber: return "block number is not parent's + 1";
    case ImportError::NotInFinalizedChain: return "block is not in the finalized chain";
    case ImportError::MissingSlot: return "missing or malformed Aura slot";
    case ImportError::SlotNotIncreasing: return "slot not after the parent's";
    case ImportError::FutureSlot: return "slot too far in the future";
    case ImportError::NoAuthorities: return "no Aura authorities";
    case ImportError::BadSeal: return "bad Aura seal";
    case ImportError::WrongAuthor: return "sealed by the wrong authority";
    case ImportError::ExtrinsicsRootMismatch: return "extrinsics root mismatch";
    case ImportError::StateUnavailable: return "parent state unavailable";
    case ImportError::ExecutionFailed: return "block execution failed";
    case ImportError::StateRootMismatch: return "state root mismatch";
    case ImportError::DatabaseError: return "database error";
  }
  return "unknown import error";
}

bool is_bad_block(ImportError e) {
  switch (e) {
    case ImportError::AlreadyKnown:
    case ImportError::UnknownParent:
    case ImportError::FutureSlot:
    case ImportError::NoAuthorities:
    case ImportError::StateUnavailable:
    case ImportError::DatabaseError:
      return false;
    default:
      return true;
  }
}

}  // namespace bazaar::node::chain

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::chain, ImportError, "block import", to_string)

namespace bazaar::node::chain {

namespace {

using CheckResult = outcome::result<CheckedBlock, ImportFailure, outcome::policy::terminate>;

ImportFailure fail(ImportError reason, std::string message) { return ImportFailure{reason, std::move(message)}; }

ImportFailure db_failure(const boost::system::error_code& ec, std::string_view what) {
  return fail(ImportError::DatabaseError, fmt::format("{}: {}", what, ec.message()));
}

std::string describe(const BlockInfo& b) { return fmt::format("#{} {}", b.number, runtime::to_hex(b.hash)); }

const std::shared_ptr<spdlog::logger>& chain_log() {
  static const auto logger = log::logger("chain");
  return logger;
}

namespace composition = modules::composition;

/// The signature threads `requested` resolves to (BlockImportOptions::signature_threads).
std::size_t resolve_threads(std::size_t requested) {
  return requested ? requested : std::max<std::size_t>(2, std::thread::hardware_concurrency());
}

runtime::Moment system_now_ms() {
  return static_cast<runtime::Moment>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

}  // namespace

BlockImport::BlockImport(BlockStore& store, const trie::TrieDb& trie, const ChainListeners& listeners,
                         BlockImportOptions options)
    : m_store(store), m_trie(trie), m_listeners(listeners), m_options(std::move(options)) {
  if (!m_options.now_ms) m_options.now_ms = system_now_ms;
  const std::size_t threads = resolve_threads(m_options.signature_threads);
  // The importing thread is the last one.
  if (threads >= 2) m_pipeline = std::make_unique<SignaturePipeline>(threads - 1);
}

BlockImport::~BlockImport() = default;

Result<trie::CommitResult> BlockImport::apply_changes(const H256& parent_root,
                                                      const runtime::storage::ChangeSet& changes) const {
  std::unique_lock lock(m_live_trie_mutex, std::try_to_lock);
  if (!lock.owns_lock()) return m_trie.apply(parent_root, changes);
  if (!m_live_trie || m_live_root != parent_root || m_live_trie->resident_nodes() > kLiveTrieMaxNodes)
    m_live_trie.emplace(m_trie.open(parent_root));
  auto commit = m_trie.apply_in_place(*m_live_trie, changes);
  if (!commit) {
    m_live_trie.reset();
    return commit;
  }
  // Content-addressed: the trie holds the state at this root whether or not
  // the block turns out valid and is stored.
  m_live_root = commit.value().new_root;
  return commit;
}

outcome::result<runtime::storage::ChangeSet, std::string> BlockImport::execute(
    const runtime::storage::StorageReader& parent_state, const H256& hash, const Block& block) const {
  if (!m_pipeline) return composition::execute_block(parent_state, block);
  // The block's checks, unless a worker derived them ahead (then every signed
  // extrinsic has its check, unless some era's birth block was unknown to the
  // state it was derived from: derive again, duplicates are skipped).
  std::vector<composition::SignatureCheck> checks;
  const auto ahead = m_pipeline->ahead_checks(hash);
  if (!ahead || *ahead + 1 < block.extrinsics.size()) {
    checks = composition::signature_checks(parent_state, block);
    m_pipeline->submit(checks);
  }
  SignaturePipeline& pipeline = *m_pipeline;
  const composition::KnownSignatures known = [&pipeline](const composition::SignatureCheck& check) {
    return pipeline.passed(check);
  };
  auto changes = composition::execute_block(parent_state, block, &known);
  m_pipeline->forget(hash, checks);
  return changes;
}

void BlockImport::verify_ahead(std::span<const Block> blocks) {
  if (!m_pipeline || blocks.empty()) return;
  // Derived on the first block's parent state (or the best block's) plus the
  // hashes the range itself gives of the blocks before each one: that is what
  // System.BlockHash holds when the block executes, if the range is a chain
  // imported in order (a block's initialize writes only BlockHash(number - 1),
  // and genesis has no BlockHash(0): without them, every block after the first
  // of a range derived on the genesis state would find no era birth, so the
  // import thread would derive and verify its checks alone). A range that is
  // not a chain derives checks that execution never asks about: time lost,
  // nothing admitted. The rest is checked at import.
  auto parent = m_store.header(blocks.front().header.parent_hash);
  if (!parent || !parent.value()) parent = m_store.header(m_store.best().hash);
  if (!parent || !parent.value()) return;
  struct Range {
    std::vector<Block> blocks;
    std::vector<H256> hashes;  // header hashes, sealed
  };
  auto range = std::make_shared<Range>();
  range->blocks.assign(blocks.begin(), blocks.end());
  range->hashes.reserve(blocks.size());
  for (const auto& block : blocks) range->hashes.push_back(runtime::header_hash(block.header));
  const H256 root = parent.value()->state_root;
  for (std::size_t i = 0; i < range->blocks.size(); ++i) {
    const auto& block = range->blocks[i];
    const auto sealed = split_seal(block.header);
    if (!sealed || block.extrinsics.size() < 2) continue;
    // Execution asks about the checks of the block without its seal.
    m_pipeline->submit_ahead(range->hashes[i], [this, range, i, root] {
      const state::TrieState state(m_trie, root);
      runtime::storage::Overlay known(state);
      const auto& first = range->blocks.front().header;
      if (first.number.value > 0) modules::system::BlockHash::put(known, first.number.value - 1, first.parent_hash);
      for (std::size_t j = 0; j + 1 < i; ++j)
        modules::system::BlockHash::put(known, range->blocks[j].header.number.value, range->hashes[j]);
      const auto unsealed_header = split_seal(range->blocks[i].header);
      return composition::signature_checks(known, Block{unsealed_header->pre_seal, range->blocks[i].extrinsics});
    });
  }
}

CheckResult BlockImport::check_block(const Block& block, bool recheck) const {
  const Header& header = block.header;
  const BlockInfo info{runtime::header_hash(header), header.number.value};
  const ChainHead head = m_store.head();

  // 1. Place in the tree.
  auto parent_header = m_store.header(header.parent_hash);
  if (!parent_header) return db_failure(parent_header.error(), "reading the parent header");
  if (!parent_header.value())
    return fail(ImportError::UnknownParent,
                fmt::format("block {}: parent {} is not stored", describe(info), runtime::to_hex(header.parent_hash)));
  const Header& parent = *parent_header.value();
  const BlockInfo parent_info{header.parent_hash, parent.number.value};
  if (info.number != parent_info.number + 1)
    return fail(ImportError::BadNumber,
                fmt::format("block {}: its parent is #{}", describe(info), parent_info.number));
  if (!recheck) {
    if (info.number <= head.finalized.number)
      return fail(ImportError::NotInFinalizedChain, fmt::format("block {} is at or below the finalized block {}",
                                                                describe(info), describe(head.finalized)));
    auto in_finalized_chain = m_store.is_descendant(parent_info, head.finalized);
    if (!in_finalized_chain) return db_failure(in_finalized_chain.error(), "walking the parent's ancestry");
    if (!in_finalized_chain.value())
      return fail(ImportError::NotInFinalizedChain,
                  fmt::format("block {} is on a fork that excludes the finalized block {}", describe(info),
                              describe(head.finalized)));
  }

  // 2. Aura.
  auto sealed = split_seal(header);
  if (!sealed)
    return fail(ImportError::BadSeal,
                fmt::format("block {}: the last digest item is not a 65-byte Aura seal", describe(info)));
  auto slot = aura_slot(sealed->pre_seal);
  if (!slot)
    return fail(ImportError::MissingSlot,
                fmt::format("block {}: no single well-formed Aura PreRuntime slot", describe(info)));
  const Slot parent_slot = parent_info.number == 0 ? 0 : aura_slot(parent).value_or(0);
  if (*slot <= parent_slot)
    return fail(ImportError::SlotNotIncreasing,
                fmt::format("block {}: slot {} is not after its parent's slot {}", describe(info), *slot, parent_slot));

  auto has_state = m_trie.has_state(parent.state_root);
  if (!has_state) return db_failure(has_state.error(), "looking up the parent state");
  if (!has_state.value())
    return fail(ImportError::StateUnavailable,
                fmt::format("block {}: the state of parent {} is not stored", describe(info), describe(parent_info)));
  const state::TrieState trie_state(m_trie, parent.state_root);
  // The value cache, when it is free (see m_value_cache_mutex). It follows
  // the best chain: a block on the best block finds it at its parent's root
  // (moved there by store_block), else it starts afresh at that root.
  std::unique_lock cache_lock(m_value_cache_mutex, std::try_to_lock);
  if (cache_lock.owns_lock() && m_value_cache.root() != parent.state_root && header.parent_hash == head.best.hash)
    m_value_cache.reset(parent.state_root);
  const state::CachedTrieState parent_state(trie_state, cache_lock.owns_lock() ? &m_value_cache : nullptr);
  const auto authorities = modules::composition::aura_authorities(parent_state);
  const uint64_t slot_duration = std::max<uint64_t>(1, modules::composition::slot_duration_ms(parent_state));
  if (auto failure = trie_state.failure()) return db_failure(*failure, "reading the Aura authorities");
  if (authorities.empty())
    return fail(ImportError::NoAuthorities,
                fmt::format("block {}: the parent state has no Aura authorities", describe(info)));
  if (!recheck) {
    const Slot now_slot = m_options.now_ms() / slot_duration;
    if (*slot > now_slot + m_options.max_slot_drift)
      return fail(ImportError::FutureSlot,
                  fmt::format("block {}: slot {} is ahead of the local slot {}", describe(info), *slot, now_slot));
  }
  const auto& expected = authorities[*slot % authorities.size()];
  const auto signer = seal_signer(sealed->pre_seal, sealed->signature);
  if (!signer || *signer != expected) {
    const bool other_authority =
        signer && std::find(authorities.begin(), authorities.end(), *signer) != authorities.end();
    return fail(other_authority ? ImportError::WrongAuthor : ImportError::BadSeal,
                fmt::format("block {}: slot {} belongs to authority {}, the seal {}", describe(info), *slot,
                            runtime::to_hex(expected),
                            signer ? "was made by " + runtime::to_hex(*signer) : std::string("recovers no key")));
  }

  // 3. Extrinsics root.
  std::vector<Bytes> encoded;
  encoded.reserve(block.extrinsics.size());
  for (const auto& extrinsic : block.extrinsics) encoded.push_back(extrinsic.encoded);
  const H256 extrinsics_root = trie::ordered_trie_root(encoded);
  if (extrinsics_root != header.extrinsics_root)
    return fail(ImportError::ExtrinsicsRootMismatch,
                fmt::format("block {}: header says {}, the body gives {}", describe(info),
                            runtime::to_hex(header.extrinsics_root), runtime::to_hex(extrinsics_root)));

  // 4. Execution and state root.
  const Block unsealed{sealed->pre_seal, block.extrinsics};
  auto changes = execute(parent_state, info.hash, unsealed);
  cache_lock = {};
  if (auto failure = trie_state.failure()) return db_failure(*failure, "reading the parent state");
  if (!changes)
    return fail(ImportError::ExecutionFailed, fmt::format("block {}: {}", describe(info), changes.error()));
  auto commit = apply_changes(parent.state_root, changes.value());
  if (!commit) return db_failure(commit.error(), "applying the block's changes to the state trie");
  if (commit.value().new_root != header.state_root)
    return fail(ImportError::StateRootMismatch,
                fmt::format("block {}: header says {}, execution gives {}", describe(info),
                            runtime::to_hex(header.state_root), runtime::to_hex(commit.value().new_root)));
  return CheckedBlock{info, std::move(commit).value(), *slot, expected, parent.state_root, std::move(changes).value()};
}

ImportResult BlockImport::import_encoded(ByteSpan encoded) {
  auto block = runtime::codec::decode<Block>(encoded);
  if (!block) return fail(ImportError::Corrupt, "block does not decode: " + block.error().message());
  return import_block(block.value());
}

ImportResult BlockImport::import_block(const Block& block) {
  std::lock_guard lock(m_mutex);
  const auto started = std::chrono::steady_clock::now();
  const H256 hash = runtime::header_hash(block.header);
  auto known = m_store.contains(hash);
  if (!known) return db_failure(known.error(), "looking up the block");
  if (known.value())
    return fail(ImportError::AlreadyKnown,
                fmt::format("block {} is already stored", describe(BlockInfo{hash, block.header.number.value})));
  auto checked = check_block(block);
  if (!checked) {
    if (m_pipeline) m_pipeline->clear();  // the blocks verified ahead were most likely its descendants
    return checked.error();
  }
  return store_block(block, checked.value(), started);
}

ImportResult BlockImport::store_block(const Block& block, const CheckedBlock& checked,
                                      std::chrono::steady_clock::time_point started) {
  const BlockInfo& info = checked.info;
  const BlockInfo parent{block.header.parent_hash, info.number - 1};
  const ChainHead old_head = m_store.head();
  ChainHead head = old_head;

  db::WriteBatch batch;
  if (m_options.journal) {
    if (auto staged = m_options.journal->stage_commit(batch, trie::JournalBlock{info.number, info.hash}, checked.commit); !staged)
      return db_failure(staged.error(), "journaling the state commit");
  } else {
    trie::stage(batch, checked.commit);
  }
  BlockStore::stage_block(batch, info.hash, block);
  std::erase(head.leaves, parent);
  head.leaves.push_back(info);

  // Fork choice: blocks that reach here descend from the finalized block, so
  // the longest one wins; a tie keeps the current best.
  std::optional<NewBestEvent> new_best;
  if (info.number > old_head.best.number) {
    auto route = m_store.tree_route(old_head.best, parent);
    if (!route) return db_failure(route.error(), "computing the route to the new best block");
    route.value().enacted.push_back(info);
    for (const auto& b : route.value().enacted) BlockStore::stage_canonical(batch, b.number, b.hash);
    head.best = info;
    new_best = NewBestEvent{info, block.header, std::move(route.value().retracted), std::move(route.value().enacted)};
  }
  BlockStore::stage_head(batch, head);
  if (auto written = m_store.commit(std::move(batch), head, {m_options.sync_writes}); !written)
    return db_failure(written.error(), "writing the block");
  {
    // The block's state is the parent's plus its changes: a cache of the
    // parent's state becomes one of the block's (any other block leaves it).
    std::lock_guard cache_lock(m_value_cache_mutex);
    m_value_cache.advance(checked.parent_state_root, checked.changes, checked.commit.new_root);
  }

  if (new_best && !new_best->retracted.empty())
    chain_log()->info("reorg to {}: {} block(s) retracted, {} enacted", describe(info), new_best->retracted.size(),
              new_best->enacted.size());
  chain_log()->debug("imported {}{} ({} extrinsics)", describe(info), new_best ? " (best)" : "", block.extrinsics.size());

  const auto equivocation = note_slot(block, checked);
  BlockImportedEvent imported{info, block.header, {}, new_best.has_value(),
                              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
  imported.extrinsic_hashes.reserve(block.extrinsics.size());
  for (const auto& extrinsic : block.extrinsics)
    imported.extrinsic_hashes.push_back(runtime::crypto::blake2b_256(extrinsic.encoded));
  m_listeners.notify(imported);
  if (new_best) m_listeners.notify(*new_best);
  if (equivocation) m_listeners.notify(*equivocation);
  return ImportedBlock{info, new_best.has_value()};
}

std::optional<EquivocationEvent> BlockImport::note_slot(const Block& block, const CheckedBlock& checked) {
  auto [it, first] = m_slot_blocks.try_emplace(checked.slot, block.header);
  if (m_slot_blocks.size() > kSlotsRemembered) m_slot_blocks.erase(m_slot_blocks.begin());
  if (first) return std::nullopt;
  EquivocationEvent event{checked.slot, checked.author, it->second, block.header};
  chain_log()->warn("equivocation: authority {} sealed two blocks in slot {}: {} and {}",
                    runtime::to_hex(checked.author), checked.slot,
                    describe(BlockInfo{runtime::header_hash(event.first), event.first.number.value}), describe(checked.info));
  std::lock_guard lock(m_equivocation_mutex);
  if (m_equivocations.size() == kMaxEquivocations) m_equivocations.erase(m_equivocations.begin());
  m_equivocations.push_back(event);
  return event;
}

std::vector<EquivocationEvent> BlockImport::equivocations() const {
  std::lock_guard lock(m_equivocation_mutex);
  return m_equivocations;
}

Result<void> BlockImport::finalize(const H256& hash, std::optional<Bytes> justification) {
  std::lock_guard lock(m_mutex);
  BAZAAR_TRY(auto header, m_store.require_header(hash));
  const BlockInfo target{hash, header.number.value};
  const ChainHead old_head = m_store.head();
  ChainHead head = old_head;
  db::WriteBatch batch;
  if (justification) BlockStore::stage_justification(batch, target, *justification);

  if (target == old_head.finalized) {
    if (batch.empty()) return success();
    return m_store.commit(std::move(batch), head, {m_options.sync_writes});
  }
  if (target.number <= old_head.finalized.number) return ChainError::NotInFinalizedChain;
  BAZAAR_TRY(auto descends, m_store.is_descendant(target, old_head.finalized));
  if (!descends) return ChainError::NotInFinalizedChain;

  // The newly finalized blocks, ascending.
  BAZAAR_TRY(auto route, m_store.tree_route(old_head.finalized, target));
  head.finalized = target;

  // Only leaves that descend from the new finalized block can still become best.
  std::vector<BlockInfo> leaves, dropped;
  for (const auto& leaf : old_head.leaves) {
    BAZAAR_TRY(auto keep, m_store.is_descendant(leaf, target));
    (keep ? leaves : dropped).push_back(leaf);
  }
  if (leaves.empty()) return ChainError::CorruptDatabase;  // a stored block always has a leaf at or above it
  head.leaves = std::move(leaves);

  std::optional<NewBestEvent> new_best;
  BAZAAR_TRY(auto best_ok, m_store.is_descendant(old_head.best, target));
  if (!best_ok) {
    // The best chain leaves the finalized one: switch to the longest chain that contains it.
    BlockInfo best = head.leaves.front();
    for (const auto& leaf : head.leaves)
      if (leaf.number > best.number) best = leaf;
    BAZAAR_TRY(auto reorg, m_store.tree_route(old_head.best, best));
    for (const auto& b : reorg.enacted) BlockStore::stage_canonical(batch, b.number, b.hash);
    for (BlockNumber n = best.number + 1; n <= old_head.best.number; ++n) BlockStore::stage_remove_canonical(batch, n);
    BAZAAR_TRY(auto best_header, m_store.require_header(best.hash));
    head.best = best;
    new_best = NewBestEvent{best, std::move(best_header), std::move(reorg.retracted), std::move(reorg.enacted)};
  }
  if (m_options.journal) {
    BAZAAR_TRY(stage_pruning(batch, old_head.finalized, target, route.enacted, dropped));
  }
  BlockStore::stage_head(batch, head);
  BAZAAR_TRY(m_store.commit(std::move(batch), head, {m_options.sync_writes}));

  chain_log()->debug("finalized {}", describe(target));
  if (new_best) m_listeners.notify(*new_best);
  m_listeners.notify(FinalizedEvent{target, std::move(header), std::move(route.enacted)});
  return success();
}

Result<void> BlockImport::stage_pruning(db::WriteBatch& batch, const BlockInfo& old_finalized, const BlockInfo& target,
                                       const std::vector<BlockInfo>& finalized_route,
                                       const std::vector<BlockInfo>& dropped_leaves) const {
  // Abandoned forks: from each dropped leaf down to (excluding) the finalized
  // chain. Nothing retained descends from these blocks any more.
  std::set<H256> discarded;
  std::size_t fork_blocks = 0;
  for (const BlockInfo& leaf : dropped_leaves) {
    BlockInfo b = leaf;
    while (!discarded.contains(b.hash)) {
      BAZAAR_TRY(auto on_finalized_chain, m_store.is_descendant(target, b));
      if (on_finalized_chain) break;
      BAZAAR_TRY(m_options.journal->stage_discard(batch, trie::JournalBlock{b.number, b.hash}));
      discarded.insert(b.hash);
      ++fork_blocks;
      BAZAAR_TRY(auto header, m_store.require_header(b.hash));
      b = BlockInfo{header.parent_hash, b.number - 1};
    }
  }
  // Canonical states leaving the window, in chain order: pruning block n
  // removes the state of block n - 1.
  const uint32_t keep = std::max<uint32_t>(1, m_options.keep_finalized_states);
  const auto first_kept = [&](BlockNumber finalized) -> BlockNumber {
    return finalized + 1 > keep ? finalized + 1 - keep : 0;
  };
  const BlockNumber from = std::max<BlockNumber>(1, first_kept(old_finalized.number) + 1);
  const BlockNumber to = first_kept(target.number);
  for (BlockNumber n = from; n <= to; ++n) {
    H256 hash;
    if (n <= old_finalized.number) {
      BAZAAR_TRY(auto stored, m_store.canonical_hash(n));
      if (!stored) return ChainError::CorruptDatabase;
      hash = *stored;
    } else {
      auto it = std::find_if(finalized_route.begin(), finalized_route.end(),
                             [n](const BlockInfo& b) { return b.number == n; });
      if (it == finalized_route.end()) return ChainError::CorruptDatabase;
      hash = it->hash;
    }
    BAZAAR_TRY(m_options.journal->stage_prune(batch, trie::JournalBlock{n, hash}));
  }
  if (fork_blocks > 0 || from <= to)
    chain_log()->debug("pruning: states of {} fork block(s) dropped, canonical states below #{} pruned", fork_blocks,
                       to);
  return success();
}

}  // namespace bazaar::node::chain
