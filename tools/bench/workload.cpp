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
#include <thread>

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

/// The workload's transfers in order: random distinct accounts, amounts and
/// consecutive nonces per sender from the seeded generator; the signing (the
/// expensive part) is spread over threads.
class TransferSource {
 public:
  TransferSource(const std::vector<Keypair>& keys, uint64_t seed, const runtime::H256& genesis_hash,
                 std::size_t threads)
      : m_keys(keys), m_rng(seed), m_nonces(keys.size(), 0), m_threads(std::max<std::size_t>(1, threads)) {
    m_accounts.reserve(keys.size());
    for (const auto& key : keys) m_accounts.push_back(key.account_id());
    const auto& version = composition::runtime_version();
    m_additional = {version.spec_version, version.transaction_version, genesis_hash, genesis_hash};
  }

  /// The next `count` transfers.
  std::vector<Transfer> next(std::size_t count) {
    struct Draw {
      std::size_t from, to;
      runtime::Balance amount;
      runtime::Nonce nonce;
    };
    std::vector<Draw> draws;
    draws.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t from = m_rng() % m_keys.size();
      std::size_t to = m_rng() % (m_keys.size() - 1);
      if (to >= from) ++to;
      const runtime::Balance amount = runtime::kUnitsPerCC + m_rng() % runtime::kUnitsPerCC;
      draws.push_back({from, to, amount, m_nonces[from]++});
    }
    std::vector<Transfer> out(count);
    const auto sign_range = [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const auto& d = draws[i];
        auto call = runtime::codec::encode(composition::make_call<modules::credits::Module>(
            modules::credits::TransferKeepAlive{runtime::MultiAddress{runtime::MultiAddressId{m_accounts[d.to]}},
                                                {d.amount}}));
        const runtime::SignedExtra extra{runtime::Era::immortal(), {d.nonce}, {0}};
        Bytes payload = runtime::signing_payload(call, extra, m_additional);
        auto xt = runtime::sign_extrinsic(m_keys[d.from], std::move(call), extra, m_additional);
        const auto& signature = std::get<runtime::MultiSignatureEcdsa>(xt.signature->signature).signature;
        out[i] = Transfer{runtime::encode_extrinsic(xt),
                          SignedPayload{std::move(payload), signature, m_accounts[d.from]}};
      }
    };
    const std::size_t threads = std::min(m_threads, std::max<std::size_t>(1, count / 64));
    std::vector<std::jthread> workers;
    const std::size_t chunk = (count + threads - 1) / threads;
    for (std::size_t t = 1; t < threads; ++t)
      workers.emplace_back(sign_range, std::min(count, t * chunk), std::min(count, (t + 1) * chunk));
    sign_range(0, std::min(count, chunk));
    return out;  // the jthreads have joined before `out` is returned
  }

 private:
  const std::vector<Keypair>& m_keys;
  std::vector<runtime::AccountId32> m_accounts;
  std::mt19937_64 m_rng;
  std::vector<runtime::Nonce> m_nonces;
  runtime::AdditionalSigned m_additional;
  std::size_t m_threads;
};

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

std::vector<Keypair> bench_keys(std::size_t accounts) {
  std::vector<Keypair> keys;
  keys.reserve(accounts);
  for (std::size_t i = 0; i < accounts; ++i) keys.push_back(bench_key(static_cast<uint32_t>(i)));
  return keys;
}

BenchResult<void> check_options(const WorkloadOptions& options) {
  if (options.accounts < 2) return std::string("--accounts must be at least 2");
  if (options.accounts > UINT32_MAX) return std::string("--accounts must fit in a u32");
  if (options.per_block == 0) return std::string("--per-block must be at least 1");
  return outcome::success();
}

std::size_t sign_threads(const WorkloadOptions& options) {
  return options.sign_threads ? options.sign_threads : std::max(1u, std::thread::hardware_concurrency());
}

/// Builds the workload's blocks on a chain in `dir`, handing each stored block
/// and its transfers to `sink`. Fills the spec, the hashes and the timings of `out`.
BenchResult<void> build_blocks(const WorkloadOptions& options, const std::filesystem::path& dir, BuiltChain& out,
                               const std::function<bool(runtime::Block&&, std::vector<Transfer>&&)>& sink) {
  BAZAAR_TRY(check_options(options));
  auto start = std::chrono::steady_clock::now();
  const auto keys = bench_keys(options.accounts);
  auto spec = bench_spec(keys);
  if (!spec) return spec.error();
  out.spec = std::move(spec).value();
  auto alice = runtime::crypto::keypair_from_suri("//Alice");
  if (!alice) return "deriving //Alice: " + alice.error().message();

  auto kv = node::db::LevelDbStore::open(dir);
  if (!kv) return fmt::format("opening the authoring database in {}: {}", dir.string(), kv.error().message());
  node::trie::TrieDb trie(*kv.value());
  chain::ChainOptions chain_options;
  chain_options.import.now_ms = bench_clock_ms;
  std::string detail;
  auto node_chain = chain::Chain::open(*kv.value(), trie, out.spec.genesis_storage, chain_options, &detail);
  if (!node_chain) return "opening the authoring chain: " + (detail.empty() ? node_chain.error().message() : detail);
  out.genesis_hash = node_chain.value()->genesis().hash;
  out.sign_seconds = seconds_since(start);

  TransferSource source(keys, options.seed, out.genesis_hash, sign_threads(options));
  for (std::size_t first = 0, i = 0; first < options.transfers; first += options.per_block, ++i) {
    const std::size_t count = std::min(options.per_block, options.transfers - first);
    start = std::chrono::steady_clock::now();
    auto transfers = source.next(count);
    out.sign_seconds += seconds_since(start);
    start = std::chrono::steady_clock::now();
    auto block = build_block(*node_chain.value(), kFirstSlot + i, alice.value(), transfers);
    if (!block) return block.error();
    out.build_seconds += seconds_since(start);
    if (!sink(std::move(block).value(), std::move(transfers))) return std::string("interrupted");
  }
  out.best_hash = node_chain.value()->best().hash;
  out.best_number = node_chain.value()->best().number;
  out.transfers = options.transfers;
  return outcome::success();
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
  spec["chainType"] = "Local";
  auto& balances = spec["genesis"]["runtime"]["credits"]["balances"];
  const std::string endowment = runtime::u128_to_string(kEndowment);
  for (const auto& key : accounts) balances.push_back({runtime::to_hex(key.account_id()), endowment});
  std::string detail;
  auto parsed = genesis::parse_chain_spec(spec.dump(), &detail);
  if (!parsed) return "the bench chain spec: " + (detail.empty() ? parsed.error().message() : detail);
  return std::move(parsed).value();
}

BenchResult<Workload> build_workload(const WorkloadOptions& options, const std::filesystem::path& authoring_dir) {
  Workload workload;
  BuiltChain built;
  workload.payloads.reserve(options.transfers);
  auto done = build_blocks(options, authoring_dir, built,
                           [&workload](runtime::Block&& block, std::vector<Transfer>&& transfers) {
                             workload.blocks.push_back(std::move(block));
                             for (auto& transfer : transfers) workload.payloads.push_back(std::move(transfer.check));
                             return true;
                           });
  if (!done) return done.error();
  workload.spec = std::move(built.spec);
  workload.transfers = built.transfers;
  workload.sign_seconds = built.sign_seconds;
  workload.build_seconds = built.build_seconds;
  return workload;
}

BenchResult<BuiltChain> build_chain(const WorkloadOptions& options, const std::filesystem::path& db_dir,
                                    const std::function<bool(std::size_t)>& progress) {
  BuiltChain built;
  auto done = build_blocks(options, db_dir, built, [&progress](runtime::Block&& block, std::vector<Transfer>&&) {
    return !progress || progress(block.header.number.value);
  });
  if (!done) return done.error();
  return built;
}

std::vector<SignedPayload> first_payloads(const WorkloadOptions& options, const runtime::H256& genesis_hash,
                                          std::size_t count) {
  const auto keys = bench_keys(options.accounts);
  TransferSource source(keys, options.seed, genesis_hash, sign_threads(options));
  auto transfers = source.next(std::min(count, options.transfers));
  std::vector<SignedPayload> out;
  out.reserve(transfers.size());
  for (auto& transfer : transfers) out.push_back(std::move(transfer.check));
  return out;
}

}  // namespace bazaar::tools::bench
