#include "tools/bench/workload.hpp"

#include "modules/composition/executive.hpp"
#include "modules/composition/runtime.hpp"
#include "node/chain/aura_digest.hpp"
#include "node/chain/chain.hpp"
#include "node/consensus/slot_clock.hpp"
#include "node/db/leveldb_store.hpp"
#include "node/trie/root.hpp"
#include "node/trie/trie_db.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/primitives/extrinsic.hpp"

#include <fmt/format.h>

#include <chrono>
#include <random>

namespace bazaar::tools::bench {

namespace composition = modules::composition;
namespace chain = node::chain;
using runtime::Bytes;
using runtime::crypto::Keypair;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// 10^6 CC: enough for every fee and transfer of any run.
constexpr runtime::Balance kEndowment = 1'000'000 * runtime::kUnitsPerCC;

struct Transfer {
  Bytes encoded;
  SignedPayload check;
};

/// Signs `count` transfer_keep_alive between random distinct accounts with consecutive nonces per sender.
std::vector<Transfer> sign_transfers(const std::vector<Keypair>& keys, std::size_t count, uint64_t seed,
                                     const runtime::H256& genesis_hash) {
  std::mt19937_64 rng(seed);
  std::vector<runtime::Nonce> nonces(keys.size(), 0);
  std::vector<runtime::AccountId32> accounts;
  accounts.reserve(keys.size());
  for (const auto& key : keys) accounts.push_back(key.account_id());
  const auto& version = composition::runtime_version();
  const runtime::AdditionalSigned additional{version.spec_version, version.transaction_version, genesis_hash,
                                             genesis_hash};
  std::vector<Transfer> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t from = rng() % keys.size();
    std::size_t to = rng() % (keys.size() - 1);
    if (to >= from) ++to;
    const runtime::Balance amount = runtime::kUnitsPerCC + rng() % runtime::kUnitsPerCC;
    auto call = runtime::codec::encode(composition::make_call<modules::credits::Module>(
        modules::credits::TransferKeepAlive{runtime::MultiAddress{runtime::MultiAddressId{accounts[to]}}, {amount}}));
    runtime::SignedExtra extra{runtime::Era::immortal(), {nonces[from]++}, {0}};
    Bytes payload = runtime::signing_payload(call, extra, additional);
    auto xt = runtime::sign_extrinsic(keys[from], std::move(call), extra, additional);
    const auto& signature = std::get<runtime::MultiSignatureEcdsa>(xt.signature->signature).signature;
    out.push_back(Transfer{runtime::encode_extrinsic(xt), SignedPayload{std::move(payload), signature, accounts[from]}});
  }
  return out;
}

/// Builds, seals (as `author`) and imports on `node_chain` the block on its best block at `slot` with `transfers`.
BenchResult<runtime::Block> build_block(chain::Chain& node_chain, chain::Slot slot, const Keypair& author,
                                        std::span<const Transfer> transfers) {
  const auto parent = node_chain.best();
  auto parent_header = node_chain.blocks().require_header(parent.hash);
  if (!parent_header) return "reading the parent header: " + parent_header.error().message();
  auto state = node_chain.state_at(parent.hash);
  if (!state) return "reading the parent state: " + state.error().message();
  const uint64_t slot_duration = std::max<uint64_t>(1, composition::slot_duration_ms(*state.value()));

  runtime::Header header;
  header.parent_hash = parent.hash;
  header.number = runtime::Compact<runtime::BlockNumber>{parent.number + 1};
  header.digest.logs.push_back(chain::aura_pre_digest(slot));
  composition::BlockExecutor executor(*state.value(), header);
  std::vector<Bytes> extrinsics;
  extrinsics.reserve(transfers.size() + 1);
  for (auto& inherent : executor.create_inherents({node::consensus::slot_start(slot, slot_duration)})) {
    auto applied = executor.apply_extrinsic(inherent);
    if (const auto* e = std::get_if<runtime::TransactionValidityError>(&applied))
      return "the timestamp inherent was rejected: " + runtime::to_string(*e);
    extrinsics.push_back(std::move(inherent));
  }
  for (std::size_t i = 0; i < transfers.size(); ++i) {
    auto applied = executor.apply_extrinsic(transfers[i].encoded);
    if (const auto* e = std::get_if<runtime::TransactionValidityError>(&applied))
      return fmt::format("block #{}: transfer {} is invalid: {}", parent.number + 1, i, runtime::to_string(*e));
    if (std::get<composition::DispatchOutcome>(applied).has_value())
      return fmt::format("block #{}: transfer {} failed to dispatch", parent.number + 1, i);
    extrinsics.push_back(transfers[i].encoded);
  }
  if (auto finalized = executor.finalize(); !finalized) return "finalizing the block: " + finalized.error();
  const auto changes = executor.take_changes();
  auto commit = node_chain.trie().apply(parent_header.value().state_root, changes);
  if (!commit) return "computing the state root: " + commit.error().message();
  header.state_root = commit.value().new_root;
  header.extrinsics_root = node::trie::ordered_trie_root(extrinsics);

  runtime::Block block;
  block.header = chain::seal_header(std::move(header), author);
  block.extrinsics.reserve(extrinsics.size());
  for (auto& extrinsic : extrinsics) block.extrinsics.push_back(runtime::OpaqueExtrinsic{std::move(extrinsic)});
  auto imported = node_chain.import_block(block);
  if (!imported) return "storing the built block on the authoring chain: " + imported.error().message;
  return block;
}

}  // namespace

Keypair bench_key(uint32_t index) {
  Bytes seed{'b', 'e', 'n', 'c', 'h'};
  const Bytes scale_index = runtime::codec::encode(index);
  seed.insert(seed.end(), scale_index.begin(), scale_index.end());
  const auto secret = runtime::crypto::blake2b_256(seed);
  // A blake2b-256 output is a valid secp256k1 secret except with probability ~2^-128.
  return Keypair::from_secret(secret).value();
}

BenchResult<genesis::ChainSpec> bench_spec(const std::vector<Keypair>& accounts) {
  const auto dev_text = genesis::builtin_spec_json("dev");
  if (!dev_text) return std::string("the built-in dev chain spec is missing");
  nlohmann::json spec = nlohmann::json::parse(*dev_text);
  spec["name"] = "Bench";
  spec["id"] = "bench";
  auto& balances = spec["genesis"]["runtime"]["credits"]["balances"];
  const std::string endowment = runtime::u128_to_string(kEndowment);
  for (const auto& key : accounts) balances.push_back({runtime::to_hex(key.account_id()), endowment});
  std::string detail;
  auto parsed = genesis::parse_chain_spec(spec.dump(), &detail);
  if (!parsed) return "the bench chain spec: " + (detail.empty() ? parsed.error().message() : detail);
  return std::move(parsed).value();
}

BenchResult<Workload> build_workload(const WorkloadOptions& options, const std::filesystem::path& authoring_dir) {
  if (options.accounts < 2) return std::string("--accounts must be at least 2");
  if (options.accounts > UINT32_MAX) return std::string("--accounts must fit in a u32");
  if (options.per_block == 0) return std::string("--per-block must be at least 1");
  Workload workload;
  workload.transfers = options.transfers;

  auto start = std::chrono::steady_clock::now();
  std::vector<Keypair> keys;
  keys.reserve(options.accounts);
  for (std::size_t i = 0; i < options.accounts; ++i) keys.push_back(bench_key(static_cast<uint32_t>(i)));
  auto spec = bench_spec(keys);
  if (!spec) return spec.error();
  workload.spec = std::move(spec).value();
  auto alice = runtime::crypto::keypair_from_suri("//Alice");
  if (!alice) return "deriving //Alice: " + alice.error().message();

  auto kv = node::db::LevelDbStore::open(authoring_dir);
  if (!kv) return fmt::format("opening the authoring database in {}: {}", authoring_dir.string(), kv.error().message());
  node::trie::TrieDb trie(*kv.value());
  chain::ChainOptions chain_options;
  chain_options.import.now_ms = bench_clock_ms;
  std::string detail;
  auto node_chain = chain::Chain::open(*kv.value(), trie, workload.spec.genesis_storage, chain_options, &detail);
  if (!node_chain) return "opening the authoring chain: " + (detail.empty() ? node_chain.error().message() : detail);

  const auto transfers = sign_transfers(keys, options.transfers, options.seed, node_chain.value()->genesis().hash);
  workload.sign_seconds = seconds_since(start);

  start = std::chrono::steady_clock::now();
  workload.payloads.reserve(transfers.size());
  for (std::size_t first = 0, i = 0; first < transfers.size(); first += options.per_block, ++i) {
    const std::size_t count = std::min(options.per_block, transfers.size() - first);
    auto block = build_block(*node_chain.value(), kFirstSlot + i, alice.value(),
                             std::span<const Transfer>(transfers).subspan(first, count));
    if (!block) return block.error();
    workload.blocks.push_back(std::move(block).value());
  }
  for (const auto& transfer : transfers) workload.payloads.push_back(transfer.check);
  workload.build_seconds = seconds_since(start);
  return workload;
}

}  // namespace bazaar::tools::bench
