#include "node/chain/chain.hpp"

#include "node/log/log.hpp"
#include "node/trie/root.hpp"

#include <fmt/format.h>

namespace bazaar::node::chain {

namespace {

std::string describe(const BlockInfo& b) { return fmt::format("#{} {}", b.number, runtime::to_hex(b.hash)); }

/// Sets *detail (when given) and returns the error.
boost::system::error_code report(std::string* detail, boost::system::error_code ec, std::string message) {
  if (detail) *detail = std::move(message);
  return ec;
}

/// Writes the genesis block and its state: the first batch of a new database.
Result<void> create_genesis(BlockStore& store, const trie::TrieDb& trie, const trie::TrieJournal& journal,
                            const runtime::storage::ChangeSet& storage, std::string* detail) {
  auto commit = trie.apply(trie::empty_root(), storage);
  if (!commit)
    return report(detail, ChainError::InvalidGenesis, "building the genesis state: " + commit.error().message());
  const Header header = genesis_header(commit.value().new_root);
  const BlockInfo genesis{runtime::header_hash(header), 0};
  const ChainHead head{genesis, genesis, genesis, {genesis}};

  db::WriteBatch batch;
  if (auto staged = journal.stage_commit(batch, trie::JournalBlock{0, genesis.hash}, commit.value()); !staged)
    return report(detail, staged.error(), "journaling the genesis state: " + staged.error().message());
  BlockStore::stage_block(batch, genesis.hash, Block{header, {}});
  BlockStore::stage_canonical(batch, 0, genesis.hash);
  BlockStore::stage_head(batch, head);
  BlockStore::stage_schema_version(batch);
  if (auto written = store.commit(std::move(batch), head, {.sync = true}); !written)
    return report(detail, written.error(), "writing the genesis block: " + written.error().message());
  log::logger("chain")->info("created genesis block {}", runtime::to_hex(genesis.hash));
  return success();
}

/// Checks that a stored chain fits together and that its best block re-executes.
Result<void> check_stored_chain(const BlockStore& store, const BlockImport& import, const trie::TrieDb& trie,
                                bool execute, std::string* detail) {
  const ChainHead head = store.head();
  const auto corrupt = [&](const std::string& what) {
    return report(detail, ChainError::CorruptDatabase, "the chain database is corrupt: " + what);
  };
  for (const BlockInfo& b : {head.best, head.finalized}) {
    auto canonical = store.canonical_hash(b.number);
    if (!canonical) return corrupt(fmt::format("reading the index at #{}: {}", b.number, canonical.error().message()));
    if (canonical.value() != b.hash) return corrupt(fmt::format("block {} is not in the number index", describe(b)));
    auto block = store.block(b.hash);
    if (!block) return corrupt(fmt::format("reading block {}: {}", describe(b), block.error().message()));
    if (!block.value() || block.value()->header.number.value != b.number)
      return corrupt(fmt::format("block {} is missing", describe(b)));
  }
  auto best = store.block(head.best.hash);
  const Block& block = *best.value();
  if (head.best.number == 0) {
    auto has_state = trie.has_state(block.header.state_root);
    if (!has_state || !has_state.value())
      return report(detail, ChainError::ResumeCheckFailed,
                    fmt::format("the genesis state {} is missing", runtime::to_hex(block.header.state_root)));
    return success();
  }
  if (!execute) return success();
  auto checked = import.check_block(block, /*recheck=*/true);
  if (!checked && checked.error().reason == ImportError::StateUnavailable) {
    // The parent's state was pruned: the best block's own state must be there.
    auto has_state = trie.has_state(block.header.state_root);
    if (has_state && has_state.value()) return success();
  }
  if (!checked)
    return report(detail, ChainError::ResumeCheckFailed,
                  fmt::format("the stored best block {} does not re-execute ({}: {}); the database is corrupt",
                              describe(head.best), to_string(checked.error().reason), checked.error().message));
  return success();
}

}  // namespace

Header genesis_header(const H256& state_root) {
  Header header;
  header.number = runtime::Compact<BlockNumber>{0};
  header.state_root = state_root;
  header.extrinsics_root = trie::ordered_trie_root({});
  return header;
}

H256 genesis_state_root(const runtime::storage::ChangeSet& genesis_storage) {
  std::map<Bytes, Bytes> kvs;
  for (const auto& [key, value] : genesis_storage)
    if (value) kvs.emplace(key, *value);
  return trie::compute_root(kvs);
}

Chain::Chain(std::unique_ptr<BlockStore> store, const trie::TrieDb& trie, std::unique_ptr<trie::TrieJournal> journal,
             BlockImportOptions options)
    : m_store(std::move(store)), m_journal(std::move(journal)), m_trie(trie) {
  options.journal = m_journal->mode() == trie::PruningMode::Pruned ? m_journal.get() : nullptr;
  m_import = std::make_unique<BlockImport>(*m_store, m_trie, m_listeners, std::move(options));
}

Result<std::unique_ptr<Chain>> Chain::open(db::KeyValueStore& kv, const trie::TrieDb& trie,
                                           const runtime::storage::ChangeSet& genesis_storage, ChainOptions options,
                                           std::string* error_detail) {
  auto store = BlockStore::open(kv);
  if (!store && store.error() == ChainError::UnsupportedSchema) {
    auto version = BlockStore::stored_schema_version(kv);
    return report(error_detail, store.error(),
                  fmt::format("the database has schema version {}, this node reads version {} and cannot migrate "
                              "it: delete the database directory and sync again",
                              version && version.value() ? std::to_string(*version.value()) : "unknown",
                              BlockStore::kOldestReadableSchema == BlockStore::kSchemaVersion
                                  ? std::to_string(BlockStore::kSchemaVersion)
                                  : fmt::format("{} to {}", BlockStore::kOldestReadableSchema,
                                                BlockStore::kSchemaVersion)));
  }
  if (!store)
    return report(error_detail, store.error(), "opening the chain database: " + store.error().message());
  const H256 spec_genesis = runtime::header_hash(genesis_header(genesis_state_root(genesis_storage)));
  const auto mode = options.state_pruning ? trie::PruningMode::Pruned : trie::PruningMode::Archive;
  auto journal = trie::TrieJournal::open(kv, mode);
  if (!journal)
    return report(error_detail, journal.error(),
                  fmt::format("the database was created {}; it cannot be opened {} ({})",
                              mode == trie::PruningMode::Pruned ? "in archive mode" : "with state pruning",
                              mode == trie::PruningMode::Pruned ? "with state pruning" : "in archive mode",
                              journal.error().message()));
  if (options.state_pruning) options.import.keep_finalized_states = std::max<uint32_t>(1, *options.state_pruning);

  if (!store.value()->has_chain()) {
    BAZAAR_TRY(create_genesis(*store.value(), trie, journal.value(), genesis_storage, error_detail));
  } else if (store.value()->genesis().hash != spec_genesis) {
    return report(error_detail, ChainError::GenesisMismatch,
                  fmt::format("the database holds the chain with genesis {}, but the chain spec's genesis is {} "
                              "(another --chain, or another --base-path?)",
                              runtime::to_hex(store.value()->genesis().hash), runtime::to_hex(spec_genesis)));
  }
  std::unique_ptr<Chain> chain(new Chain(std::move(store).value(), trie,
                                         std::make_unique<trie::TrieJournal>(std::move(journal).value()),
                                         std::move(options.import)));
  BAZAAR_TRY(check_stored_chain(*chain->m_store, *chain->m_import, trie, options.check_on_start, error_detail));
  const ChainHead head = chain->m_store->head();
  log::logger("chain")->info("chain at best {}, finalized {}, genesis {}", describe(head.best),
                             describe(head.finalized), runtime::to_hex(head.genesis.hash));
  return chain;
}

Result<std::unique_ptr<state::TrieState>> Chain::state_at(const H256& hash) const {
  BAZAAR_TRY(auto header, m_store->require_header(hash));
  BAZAAR_TRY(auto present, m_trie.has_state(header.state_root));
  if (!present) return ChainError::StateUnavailable;
  return std::make_unique<state::TrieState>(m_trie, header.state_root);
}

}  // namespace bazaar::node::chain
