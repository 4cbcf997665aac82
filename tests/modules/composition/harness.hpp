#pragma once
// Test harness for the runtime composition and the executive: a test chain
// (//Alice the only Aura authority and sudo key, //Alice..//Dave endowed) on
// an in-memory state, block production through BlockExecutor with the
// timestamp inherent first, block import through execute_block, and a signer
// that builds signed extrinsics with the AdditionalSigned the executive checks.

#include "modules/composition/executive.hpp"
#include "modules/composition/runtime.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "runtime/primitives/extrinsic.hpp"
#include "runtime/storage/storage.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace Catch {
/// Prints u128 balances in decimal in failed assertions.
template <>
struct StringMaker<unsigned __int128> {
  static std::string convert(unsigned __int128 v) { return bazaar::runtime::u128_to_string(v); }
};
}  // namespace Catch

namespace bazaar::test::composition {

namespace comp = modules::composition;
using runtime::AccountId32;
using runtime::Balance;
using runtime::BlockNumber;
using runtime::Bytes;
using runtime::ByteSpan;
using runtime::H256;
using runtime::Moment;
using runtime::Nonce;
using runtime::storage::ChangeSet;

/// Each dev account's genesis balance: 1000 CC.
inline constexpr Balance kEndowment = 1000 * runtime::kUnitsPerCC;
/// The slot of block 1; block n gets slot kFirstSlot + n - 1 unless a test says otherwise.
inline constexpr uint64_t kFirstSlot = 1'000'000;
inline constexpr uint64_t kSlotDurationMs = 1000;

/// The state of one block: a sorted key -> value map (a StorageReader).
class MemoryState final : public runtime::storage::StorageReader {
 public:
  std::optional<Bytes> get(ByteSpan key) const override;
  std::optional<Bytes> next_key(ByteSpan key) const override;
  /// Applies a block's (or genesis') writes.
  void apply(const ChangeSet& changes);
  const std::map<Bytes, Bytes>& entries() const { return m_entries; }
  friend bool operator==(const MemoryState&, const MemoryState&) = default;

 private:
  std::map<Bytes, Bytes> m_entries;
};

/// The keys whose values differ between two states.
std::set<Bytes> changed_keys(const MemoryState& before, const MemoryState& after);
/// changed_keys without the items every block rewrites (System.Number / ParentHash / BlockHash /
/// Events / EventCount / ExtrinsicCount / AllExtrinsicsLen, Timestamp.Now, Aura.CurrentSlot).
std::set<Bytes> changed_keys_besides_bookkeeping(const MemoryState& before, const MemoryState& after);

/// The dev key pair of "Alice", "Bob", ... (//Alice, //Bob, ...).
const runtime::crypto::Keypair& dev_key(std::string_view name);
AccountId32 dev_account(std::string_view name);

/// The `genesis.runtime` object of the test chain.
nlohmann::json test_genesis();

/// Sum of free + reserved over every System.Account entry (must equal Credits.TotalIssuance).
Balance sum_of_balances(const runtime::storage::StorageReader& state);
/// System.Events of a state, decoded. Fails the test on a decoding error.
std::vector<comp::EventRecord> events_in(const runtime::storage::StorageReader& state);
/// The names ("Credits.Transfer") of the events whose phase is ApplyExtrinsic(index).
std::vector<std::string> event_names_of_extrinsic(const std::vector<comp::EventRecord>& events, uint32_t index);
/// The events of extrinsic `index` of module M with type E, in order.
template <class E>
std::vector<E> events_of(const std::vector<comp::EventRecord>& events, std::optional<uint32_t> index = std::nullopt);

/// "Ok", "Err(Credits.InsufficientBalance)" or "Invalid(<Substrate's reason>)": one string per
/// outcome, so that a failed assertion shows what happened.
std::string outcome_text(const comp::ApplyExtrinsicResult& result);
/// "Valid" or the reason string of a TransactionValidityError.
std::string validity_text(const comp::TransactionValidity& validity);
/// "Invalid(<reason>)" of a validity error, to compare with outcome_text.
std::string invalid_text(runtime::InvalidTransaction e);
std::string validity_text(runtime::InvalidTransaction e);
std::string validity_text(runtime::UnknownTransaction e);

/// Checks Credits.TotalIssuance == the sum of all free + reserved balances in `state`.
void require_issuance_invariant(const runtime::storage::StorageReader& state);

/// The unsigned Timestamp.set inherent for `now`.
Bytes timestamp_inherent(Moment now);
/// An unsigned (bare) extrinsic carrying `call`.
Bytes unsigned_extrinsic(const comp::RuntimeCall& call);
/// The Aura PreRuntime digest of `slot`.
runtime::Digest aura_digest(uint64_t slot);

/// How to sign; unset fields take the correct value for the next block.
struct SignOptions {
  std::optional<Nonce> nonce;  ///< default: the signer's nonce in the state
  Balance tip = 0;
  runtime::Era era = runtime::Era::immortal();
  std::optional<uint32_t> spec_version;
  std::optional<uint32_t> transaction_version;
  std::optional<H256> genesis_hash;
  std::optional<H256> era_block_hash;  ///< default: the hash of the era's birth block (genesis when immortal)
};

/// The outcome of building one block (without importing it into the chain).
struct BlockRun {
  runtime::Block block;  ///< header and the extrinsics that were included (inherent first)
  H256 hash;
  std::vector<comp::ApplyExtrinsicResult> results;  ///< one per extrinsic offered, in order
  std::optional<std::string> finalize_error;
  ChangeSet changes;  ///< valid only when finalize_error is empty
  std::vector<comp::EventRecord> events;
};

/// Block options; unset fields take the next slot and timestamp = slot × slot duration.
struct BlockOptions {
  std::optional<uint64_t> slot;
  std::optional<Moment> timestamp;
  bool timestamp_inherent = true;  ///< apply Timestamp.set before the offered extrinsics
};

class TestChain {
 public:
  /// The chain from test_genesis().
  TestChain();
  /// A chain from a custom `genesis.runtime` object; fails the test if build_genesis fails.
  explicit TestChain(const nlohmann::json& genesis);

  const MemoryState& state() const { return m_state; }
  BlockNumber best_number() const { return static_cast<BlockNumber>(m_hashes.size() - 1); }
  const H256& best_hash() const { return m_hashes.back(); }
  const H256& genesis_hash() const { return m_hashes.front(); }
  /// Hash of block n (n <= best_number()).
  const H256& block_hash(BlockNumber n) const { return m_hashes.at(n); }
  uint64_t last_slot() const { return m_last_slot; }

  /// The header of the next block (parent = best, number = best + 1, Aura digest of `slot`).
  runtime::Header next_header(uint64_t slot) const;
  /// A BlockExecutor for the next block on the current state (the chain must outlive it).
  std::unique_ptr<comp::BlockExecutor> begin_block(std::optional<uint64_t> slot = std::nullopt) const;

  /// Builds the next block from the timestamp inherent and `extrinsics`, dropping those that
  /// return a validity error; does not import it.
  BlockRun run_block(const std::vector<Bytes>& extrinsics, BlockOptions options = {}) const;
  /// run_block, then imports the block (applies its changes) if it finalized.
  /// Error: the finalize message (the chain is then unchanged).
  outcome::result<BlockRun, std::string> produce_block(const std::vector<Bytes>& extrinsics,
                                                       std::optional<Moment> timestamp = std::nullopt,
                                                       std::optional<uint64_t> slot = std::nullopt);
  /// execute_block on the current state (import path), without applying the result.
  outcome::result<ChangeSet, std::string> execute(const runtime::Block& block) const;

  /// A signed extrinsic of `call` by dev account `signer`.
  Bytes sign(std::string_view signer, const comp::RuntimeCall& call, const SignOptions& options = {}) const;
  /// The same with a raw call encoding (for malformed calls).
  Bytes sign_raw(const runtime::crypto::Keypair& pair, Bytes call, const SignOptions& options = {}) const;

  comp::TransactionValidity validate(ByteSpan xt,
                                     comp::TransactionSource source = comp::TransactionSource::External) const;

  Nonce nonce(std::string_view name) const;
  Balance free(std::string_view name) const;
  Balance total_issuance() const;

 private:
  void import(const BlockRun& run, uint64_t slot);

  MemoryState m_state;
  std::vector<H256> m_hashes;  ///< [0] = genesis
  uint64_t m_last_slot = kFirstSlot - 1;
};

// ---- template definitions ----

template <class E>
std::vector<E> events_of(const std::vector<comp::EventRecord>& events, std::optional<uint32_t> index) {
  std::vector<E> out;
  for (const auto& record : events) {
    if (index) {
      const auto* phase = std::get_if<runtime::framework::phase::ApplyExtrinsic>(&record.phase);
      if (!phase || phase->index != *index) continue;
    }
    std::visit(
        [&](const auto& module_event) {
          std::visit(
              [&](const auto& e) {
                if constexpr (std::is_same_v<std::decay_t<decltype(e)>, E>) out.push_back(e);
              },
              module_event.event);
        },
        record.event.value);
  }
  return out;
}

}  // namespace bazaar::test::composition
