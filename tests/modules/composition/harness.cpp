#include "tests/modules/composition/harness.hpp"

#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/storage/keys.hpp"

#include <algorithm>
#include <mutex>

namespace bazaar::test::composition {

namespace credits = modules::credits;
namespace system = modules::system;
namespace timestamp = modules::timestamp;
using runtime::framework::phase::ApplyExtrinsic;

// ---- MemoryState ------------------------------------------------------------------

std::optional<Bytes> MemoryState::get(ByteSpan key) const {
  auto it = m_entries.find(Bytes(key.begin(), key.end()));
  if (it == m_entries.end()) return std::nullopt;
  return it->second;
}

std::optional<Bytes> MemoryState::next_key(ByteSpan key) const {
  auto it = m_entries.upper_bound(Bytes(key.begin(), key.end()));
  if (it == m_entries.end()) return std::nullopt;
  return it->first;
}

void MemoryState::apply(const ChangeSet& changes) {
  for (const auto& [key, value] : changes) {
    if (value) {
      m_entries[key] = *value;
    } else {
      m_entries.erase(key);
    }
  }
}

std::set<Bytes> changed_keys(const MemoryState& before, const MemoryState& after) {
  std::set<Bytes> out;
  for (const auto& [key, value] : before.entries()) {
    auto it = after.entries().find(key);
    if (it == after.entries().end() || it->second != value) out.insert(key);
  }
  for (const auto& [key, value] : after.entries())
    if (!before.entries().count(key)) out.insert(key);
  return out;
}

std::set<Bytes> changed_keys_besides_bookkeeping(const MemoryState& before, const MemoryState& after) {
  namespace aura = modules::aura;
  const std::vector<Bytes> prefixes = {
      system::Number::key(),           system::ParentHash::key(), system::BlockHash::prefix(),
      system::Events::key(),           system::EventCount::key(), system::ExtrinsicCount::key(),
      system::AllExtrinsicsLen::key(), timestamp::Now::key(),     aura::CurrentSlot::key()};
  std::set<Bytes> out;
  for (const auto& key : changed_keys(before, after)) {
    bool bookkeeping = std::any_of(prefixes.begin(), prefixes.end(), [&](const Bytes& p) {
      return key.size() >= p.size() && std::equal(p.begin(), p.end(), key.begin());
    });
    if (!bookkeeping) out.insert(key);
  }
  return out;
}

// ---- keys and genesis ---------------------------------------------------------------

const runtime::crypto::Keypair& dev_key(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, runtime::crypto::Keypair, std::less<>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  auto pair = runtime::crypto::keypair_from_suri("//" + std::string(name));
  REQUIRE(pair.has_value());
  return cache.emplace(std::string(name), pair.value()).first->second;
}

AccountId32 dev_account(std::string_view name) { return dev_key(name).account_id(); }

nlohmann::json test_genesis() {
  using nlohmann::json;
  json balances = json::array();
  for (const char* name : {"Alice", "Bob", "Charlie", "Dave"})
    balances.push_back({runtime::crypto::ss58_encode(dev_account(name)), runtime::u128_to_string(kEndowment)});
  // Unsigned literals: nlohmann::json keeps C++ ints as signed numbers, parsed JSON text as unsigned.
  return json{
      {"system", json::object()},
      {"timestamp", {{"minimumPeriodMs", kSlotDurationMs / 2}}},
      {"aura",
       {{"authorities", json::array({runtime::to_hex(dev_key("Alice").public_key())})},
        {"slotDurationMs", kSlotDurationMs}}},
      {"sudo", {{"key", runtime::crypto::ss58_encode(dev_account("Alice"))}}},
      {"credits", {{"balances", balances}}},
      {"taskQueue",
       {{"params",
         {{"minimumStake", "10000000000000"},
          {"programDepositPerByte", 1000000u},
          {"maxProgramBytes", 2097152u},
          {"maxInputBytes", 262144u},
          {"maxOutputBytes", 262144u},
          {"protocolFee", 10000u},
          {"acceptanceWindow", 10u},
          {"claimTimeout", 30u},
          {"unbondingPeriod", 20u},
          {"slashFraction", 100000u},
          {"maxFuel", 10000000000u}}}}},
      {"transactionPayment", {{"fees", {{"baseFee", 1000000000u}, {"byteFee", 1000000u}, {"weightFee", 2000000u}}}}},
  };
}

// ---- reading state ----------------------------------------------------------------------

Balance sum_of_balances(const runtime::storage::StorageReader& state) {
  Balance sum = 0;
  for (const auto& [who, info] : system::Account::entries(state)) sum += info.data.free + info.data.reserved;
  return sum;
}

std::vector<comp::EventRecord> events_in(const runtime::storage::StorageReader& state) {
  auto raw = state.get(system::Events::key());
  if (!raw) return {};
  auto events = comp::decode_events(*raw);
  REQUIRE(events.has_value());
  return events.value();
}

std::vector<std::string> event_names_of_extrinsic(const std::vector<comp::EventRecord>& events, uint32_t index) {
  std::vector<std::string> out;
  for (const auto& record : events) {
    const auto* phase = std::get_if<ApplyExtrinsic>(&record.phase);
    if (phase && phase->index == index) out.push_back(comp::event_name(record.event));
  }
  return out;
}

std::string outcome_text(const comp::ApplyExtrinsicResult& result) {
  if (const auto* e = std::get_if<runtime::TransactionValidityError>(&result))
    return "Invalid(" + runtime::to_string(*e) + ")";
  const auto& outcome = std::get<comp::DispatchOutcome>(result);
  return outcome ? "Err(" + comp::describe_error(*outcome) + ")" : "Ok";
}

std::string validity_text(const comp::TransactionValidity& validity) {
  if (const auto* e = std::get_if<runtime::TransactionValidityError>(&validity)) return runtime::to_string(*e);
  return "Valid";
}

std::string invalid_text(runtime::InvalidTransaction e) { return "Invalid(" + validity_text(e) + ")"; }
std::string validity_text(runtime::InvalidTransaction e) { return runtime::to_string({e}); }
std::string validity_text(runtime::UnknownTransaction e) { return runtime::to_string({e}); }

void require_issuance_invariant(const runtime::storage::StorageReader& state) {
  const Balance issuance = credits::total_issuance(state);
  const Balance sum = sum_of_balances(state);
  REQUIRE(issuance == sum);
}

// ---- extrinsics ---------------------------------------------------------------------------

Bytes timestamp_inherent(Moment now) {
  return unsigned_extrinsic(comp::make_call<timestamp::Module>(timestamp::Set{{now}}));
}

Bytes unsigned_extrinsic(const comp::RuntimeCall& call) {
  runtime::UncheckedExtrinsic xt;
  xt.call = runtime::codec::encode(call);
  return runtime::encode_extrinsic(xt);
}

runtime::Digest aura_digest(uint64_t slot) {
  return runtime::Digest{{runtime::DigestPreRuntime{runtime::kAuraEngineId, runtime::codec::encode(slot)}}};
}

// ---- TestChain ----------------------------------------------------------------------------

TestChain::TestChain() : TestChain(test_genesis()) {}

TestChain::TestChain(const nlohmann::json& genesis) {
  auto changes = comp::build_genesis(genesis);
  INFO((changes ? std::string() : changes.error()));
  REQUIRE(changes.has_value());
  m_state.apply(changes.value());
  // A fake but consistent genesis hash: a header whose state root commits to the genesis writes.
  runtime::Header header;
  runtime::codec::Encoder e;
  for (const auto& [key, value] : changes.value()) {
    runtime::codec::encode_to(e, key);
    runtime::codec::encode_to(e, value);
  }
  header.state_root = runtime::crypto::blake2b_256(e.bytes());
  m_hashes.push_back(runtime::header_hash(header));
}

runtime::Header TestChain::next_header(uint64_t slot) const {
  runtime::Header header;
  header.parent_hash = best_hash();
  header.number.value = best_number() + 1;
  header.digest = aura_digest(slot);
  return header;
}

std::unique_ptr<comp::BlockExecutor> TestChain::begin_block(std::optional<uint64_t> slot) const {
  return std::make_unique<comp::BlockExecutor>(m_state, next_header(slot.value_or(m_last_slot + 1)));
}

BlockRun TestChain::run_block(const std::vector<Bytes>& extrinsics, BlockOptions options) const {
  const uint64_t slot = options.slot.value_or(m_last_slot + 1);
  BlockRun run;
  run.block.header = next_header(slot);
  comp::BlockExecutor executor(m_state, run.block.header);
  if (options.timestamp_inherent) {
    auto inherents = executor.create_inherents({options.timestamp.value_or(slot * kSlotDurationMs)});
    for (auto& xt : inherents) {
      auto r = executor.apply_extrinsic(xt);
      REQUIRE(std::holds_alternative<comp::DispatchOutcome>(r));
      REQUIRE_FALSE(std::get<comp::DispatchOutcome>(r).has_value());
      run.block.extrinsics.push_back({std::move(xt)});
    }
  }
  for (const auto& xt : extrinsics) {
    run.results.push_back(executor.apply_extrinsic(xt));
    if (std::holds_alternative<comp::DispatchOutcome>(run.results.back())) run.block.extrinsics.push_back({xt});
  }
  auto finalized = executor.finalize();
  if (!finalized) {
    run.finalize_error = finalized.error();
    return run;
  }
  run.changes = executor.take_changes();
  run.hash = runtime::header_hash(run.block.header);
  if (auto it = run.changes.find(system::Events::key()); it != run.changes.end() && it->second) {
    auto events = comp::decode_events(*it->second);
    REQUIRE(events.has_value());
    run.events = std::move(events).value();
  }
  return run;
}

outcome::result<BlockRun, std::string> TestChain::produce_block(const std::vector<Bytes>& extrinsics,
                                                                std::optional<Moment> timestamp,
                                                                std::optional<uint64_t> slot) {
  BlockOptions options;
  options.slot = slot.value_or(m_last_slot + 1);
  options.timestamp = timestamp;
  auto run = run_block(extrinsics, options);
  if (run.finalize_error) return *run.finalize_error;
  import(run, *options.slot);
  return run;
}

void TestChain::import(const BlockRun& run, uint64_t slot) {
  m_state.apply(run.changes);
  m_hashes.push_back(run.hash);
  m_last_slot = slot;
}

outcome::result<ChangeSet, std::string> TestChain::execute(const runtime::Block& block) const {
  return comp::execute_block(m_state, block);
}

Bytes TestChain::sign(std::string_view signer, const comp::RuntimeCall& call, const SignOptions& options) const {
  return sign_raw(dev_key(signer), runtime::codec::encode(call), options);
}

Bytes TestChain::sign_raw(const runtime::crypto::Keypair& pair, Bytes call, const SignOptions& options) const {
  const auto& version = comp::runtime_version();
  runtime::SignedExtra extra;
  extra.era = options.era;
  extra.nonce.value = options.nonce.value_or(comp::account_nonce(m_state, pair.account_id()));
  extra.tip.value = options.tip;
  runtime::AdditionalSigned additional;
  additional.spec_version = options.spec_version.value_or(version.spec_version);
  additional.transaction_version = options.transaction_version.value_or(version.transaction_version);
  // CheckGenesis reads System.BlockHash(0), which block 1's initialize sets from its parent hash.
  const H256 chain_genesis =
      system::BlockHash::contains(m_state, 0) ? system::BlockHash::get(m_state, 0) : genesis_hash();
  additional.genesis_hash = options.genesis_hash.value_or(chain_genesis);
  if (options.era_block_hash) {
    additional.era_block_hash = *options.era_block_hash;
  } else {
    const uint64_t birth = options.era.birth(best_number() + 1);
    additional.era_block_hash = birth <= best_number() ? block_hash(static_cast<BlockNumber>(birth)) : H256{};
  }
  return runtime::encode_extrinsic(runtime::sign_extrinsic(pair, std::move(call), extra, additional));
}

comp::TransactionValidity TestChain::validate(ByteSpan xt, comp::TransactionSource source) const {
  return comp::validate_transaction(m_state, source, xt, best_hash());
}

Nonce TestChain::nonce(std::string_view name) const { return comp::account_nonce(m_state, dev_account(name)); }
Balance TestChain::free(std::string_view name) const { return credits::free_balance(m_state, dev_account(name)); }
Balance TestChain::total_issuance() const { return credits::total_issuance(m_state); }

}  // namespace bazaar::test::composition
