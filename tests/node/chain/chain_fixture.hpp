#pragma once
// Test support for the chain and consensus tests: a node's chain on a real
// LevelDB in a temporary directory (removed at the end), a manual clock that
// also drives the import's FutureSlot check, block building at any parent and
// slot, and re-sealing of tampered headers.

#include "genesis/chain_spec.hpp"
#include "modules/composition/executive.hpp"
#include "node/chain/aura_digest.hpp"
#include "node/chain/chain.hpp"
#include "node/consensus/proposer.hpp"
#include "node/consensus/slot_clock.hpp"
#include "node/db/leveldb_store.hpp"
#include "node/trie/root.hpp"
#include "node/trie/trie_db.hpp"
#include "runtime/crypto/derive.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>

namespace bazaar::test {

using node::chain::BlockInfo;
using node::chain::Chain;
using node::chain::Slot;
using runtime::Block;
using runtime::H256;
using runtime::Header;

/// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "bazaar-chain-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    m_path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

inline const genesis::ChainSpec& spec(const std::string& name) {
  static std::map<std::string, genesis::ChainSpec> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    std::string detail;
    auto loaded = genesis::resolve_chain_spec(name, &detail);
    INFO(detail);
    REQUIRE(loaded.has_value());
    it = cache.emplace(name, std::move(loaded).value()).first;
  }
  return it->second;
}

inline runtime::crypto::Keypair dev_key(std::string_view suri) { return runtime::crypto::keypair_from_suri(suri).value(); }

/// Unix ms of "now" in the tests: a fixed moment, so slots are reproducible.
inline constexpr runtime::Moment kStartMs = 1'700'000'000'000;
inline constexpr Slot kStartSlot = kStartMs / 1000;

/// LevelDB + trie + chain in one directory; closing and reopening the same
/// directory is a node restart.
struct TestNode {
  std::filesystem::path dir;
  std::shared_ptr<node::consensus::ManualClock> clock;
  std::unique_ptr<node::db::LevelDbStore> kv;
  std::unique_ptr<node::trie::TrieDb> trie;
  std::unique_ptr<Chain> chain;

  /// Opens (creating if needed) the chain of `spec_name` in `dir`; REQUIREs success.
  static TestNode open(const std::filesystem::path& dir, const std::string& spec_name = "dev",
                       std::shared_ptr<node::consensus::ManualClock> clock = nullptr,
                       std::optional<uint32_t> state_pruning = std::nullopt) {
    auto node = try_open(dir, spec_name, std::move(clock), state_pruning);
    INFO(node.second);
    REQUIRE(node.first.chain != nullptr);
    return std::move(node.first);
  }

  /// Opens; on failure the node has no chain and the message is returned.
  static std::pair<TestNode, std::string> try_open(const std::filesystem::path& dir,
                                                   const std::string& spec_name = "dev",
                                                   std::shared_ptr<node::consensus::ManualClock> clock = nullptr,
                                                   std::optional<uint32_t> state_pruning = std::nullopt) {
    TestNode node;
    node.dir = dir;
    node.clock = clock ? std::move(clock) : std::make_shared<node::consensus::ManualClock>(kStartMs);
    // As the service opens it: a pruned node keeps its trie nodes in a node log.
    node::db::LevelDbOptions db_options;
    db_options.trie_node_log = state_pruning.has_value();
    auto kv = node::db::LevelDbStore::open(dir, db_options);
    REQUIRE(kv.has_value());
    node.kv = std::move(kv).value();
    node.trie = std::make_unique<node::trie::TrieDb>(*node.kv);
    node::chain::ChainOptions options;
    options.import.now_ms = [clock = node.clock] { return clock->now_ms(); };
    options.state_pruning = state_pruning;
    std::string detail;
    auto chain = Chain::open(*node.kv, *node.trie, spec(spec_name).genesis_storage, options, &detail);
    if (!chain) return {std::move(node), detail.empty() ? chain.error().message() : detail};
    node.chain = std::move(chain).value();
    return {std::move(node), ""};
  }

  /// Closes the chain and the database (the directory stays).
  void close() {
    chain.reset();
    trie.reset();
    kv.reset();
  }
};

/// Builds (without importing) a sealed block on `parent` at `slot` with `key`.
inline Block build_block(const Chain& chain, const BlockInfo& parent, Slot slot,
                         const runtime::crypto::Keypair& key, node::txpool::TxPool* pool = nullptr) {
  auto proposal = node::consensus::propose_block(chain, parent, slot, key, pool);
  INFO((proposal ? std::string() : proposal.error().message()));
  REQUIRE(proposal.has_value());
  return std::move(proposal).value().block;
}

/// Builds (without importing) a sealed block on `parent` at `slot` with `key`:
/// the timestamp inherent, then `signed_extrinsics` (each must apply).
inline Block block_with_extrinsics(const Chain& chain, const BlockInfo& parent, Slot slot,
                                   const runtime::crypto::Keypair& key,
                                   const std::vector<runtime::Bytes>& signed_extrinsics) {
  namespace composition = modules::composition;
  auto state = chain.state_at(parent.hash).value();
  Header header;
  header.parent_hash = parent.hash;
  header.number.value = parent.number + 1;
  header.digest.logs.push_back(node::chain::aura_pre_digest(slot));
  composition::BlockExecutor executor(*state, header);
  std::vector<runtime::Bytes> all = executor.create_inherents({slot * 1000});
  REQUIRE(std::holds_alternative<composition::DispatchOutcome>(executor.apply_extrinsic(all.front())));
  for (const auto& xt : signed_extrinsics) {
    REQUIRE(std::holds_alternative<composition::DispatchOutcome>(executor.apply_extrinsic(xt)));
    all.push_back(xt);
  }
  REQUIRE(executor.finalize().has_value());
  header.state_root = chain.trie()
                          .apply(chain.blocks().require_header(parent.hash).value().state_root, executor.take_changes())
                          .value()
                          .new_root;
  header.extrinsics_root = node::trie::ordered_trie_root(all);
  Block block{node::chain::seal_header(std::move(header), key), {}};
  for (auto& xt : all) block.extrinsics.push_back({std::move(xt)});
  return block;
}

/// The block with its header changed by `edit` (applied to the pre-seal header) and sealed again with `key`.
template <class Edit>
Block reseal(Block block, const runtime::crypto::Keypair& key, Edit edit) {
  auto sealed = node::chain::split_seal(block.header);
  REQUIRE(sealed.has_value());
  edit(sealed->pre_seal);
  block.header = node::chain::seal_header(std::move(sealed->pre_seal), key);
  return block;
}

inline BlockInfo info_of(const Block& block) { return {runtime::header_hash(block.header), block.header.number.value}; }

/// Imports and REQUIREs success.
inline BlockInfo import_ok(Chain& chain, const Block& block) {
  auto imported = chain.import_block(block);
  INFO((imported ? std::string() : imported.error().message));
  REQUIRE(imported.has_value());
  return imported.value().block;
}

/// Polls `condition` every few ms until it holds or `timeout` passes.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

}  // namespace bazaar::test
