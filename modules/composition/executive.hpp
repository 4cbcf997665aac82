#pragma once
// The Bazaar runtime as the node sees it (the runtime API seam, DESIGN.md):
// genesis, block building, block execution (import), transaction validation
// for the pool, and queries. Deterministic: a function of the given state and
// arguments only. Modelled on frame_executive and the Core / BlockBuilder /
// TaggedTransactionQueue / AccountNonceApi / TransactionPaymentApi runtime APIs.
//
// Roots are the node's job: the runtime returns the block's storage ChangeSet;
// the node applies it to its trie, fills in / checks header.state_root and
// header.extrinsics_root (ordered trie root of the extrinsics).

#include "runtime/crypto/ecdsa.hpp"
#include "runtime/framework/dispatch.hpp"
#include "runtime/primitives/block.hpp"
#include "runtime/primitives/header.hpp"
#include "runtime/primitives/transaction_validity.hpp"
#include "runtime/storage/overlay.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <functional>
#include <variant>
#include <vector>

namespace bazaar::modules::composition {

using runtime::Block;
using runtime::BlockNumber;
using runtime::ByteSpan;
using runtime::Bytes;
using runtime::H256;
using runtime::Header;

/// sp_version::RuntimeVersion.
struct RuntimeVersion {
  std::string spec_name = "bazaar";
  std::string impl_name = "bazaar-node";
  uint32_t authoring_version = 1;
  uint32_t spec_version = 100;
  uint32_t impl_version = 1;
  /// (blake2b-64 of the runtime API's name, API version)
  std::vector<std::pair<std::array<uint8_t, 8>, uint32_t>> apis;
  uint32_t transaction_version = 1;
  uint8_t state_version = 0;
};
const RuntimeVersion& runtime_version();

/// Block limits (frame_system::limits): max total weight and encoded length of
/// a block's extrinsics.
struct BlockLimits {
  runtime::Weight max_weight{2'000'000'000'000, UINT64_MAX};  ///< 2 s of reference computation
  uint32_t max_length = 5 * 1024 * 1024;                      ///< bytes
  uint32_t max_extrinsic_length = 4 * 1024 * 1024;            ///< bytes, a single extrinsic
};
const BlockLimits& block_limits();

/// Genesis storage from the chain spec's `genesis.runtime` object (one key per
/// module in lowerCamelCase: "system", "aura", "sudo", "credits", "taskQueue").
/// Error: a message naming the JSON path at fault.
outcome::result<runtime::storage::ChangeSet, std::string> build_genesis(const nlohmann::json& runtime_genesis);

/// Inherent data the author supplies to a new block.
struct InherentData {
  runtime::Moment timestamp = 0;  ///< milliseconds since the unix epoch
};

/// sp_runtime::transaction_validity::TransactionSource.
enum class TransactionSource : uint8_t { InBlock = 0, Local = 1, External = 2 };

/// Result of validating a transaction for the pool.
using TransactionValidity = std::variant<runtime::ValidTransaction, runtime::TransactionValidityError>;

/// Result of applying one extrinsic in a block: it is included either way when
/// it is a DispatchOutcome (Ok or a DispatchError, fee charged); a validity
/// error means it must not be included.
using DispatchOutcome = std::optional<runtime::framework::DispatchError>;  ///< nullopt = success
using ApplyExtrinsicResult = std::variant<DispatchOutcome, runtime::TransactionValidityError>;

/// One extrinsic signature check as the runtime makes it (Substrate's
/// MultiSignature::Ecdsa recipe): `signature` over the 32-byte `digest`
/// (blake2b-256 of the signing payload) must recover a key whose blake2b-256
/// is `signer`.
struct SignatureCheck {
  H256 digest;
  runtime::crypto::EcdsaSignature signature;
  runtime::AccountId32 signer;
  friend bool operator==(const SignatureCheck&, const SignatureCheck&) = default;
};

/// Runs the check: secp256k1 recovery and the account comparison. Pure and
/// thread-safe, so the node may run many at once (block_import.hpp).
bool verify_signature_check(const SignatureCheck& check);

/// A hash of a check (from its digest) for unordered containers.
struct SignatureCheckHash {
  std::size_t operator()(const SignatureCheck& c) const { return std::hash<H256>{}(c.digest); }
};

/// Signature checks done outside the executive, e.g. by the node on other
/// threads while the block executes (block_import.hpp). Execution derives each
/// extrinsic's check itself and asks: true means "verified, it passed", so the
/// recovery is skipped; false means "not known to pass" and the executive
/// verifies the signature as usual. So a wrong answer can cost time but never
/// admit a bad signature, unless the function claims a check passed that it
/// never verified (that would be a bug in the caller).
using KnownSignatures = std::function<bool(const SignatureCheck&)>;

/// The signature checks that executing `block` on `parent_state` will make,
/// one per signed extrinsic whose check can be derived ahead of execution
/// (it decodes, is signed by MultiAddress::Id with MultiSignature::Ecdsa, and
/// its era's birth block is known), in block order. For the node to verify
/// ahead of (and in parallel to) execution.
std::vector<SignatureCheck> signature_checks(const runtime::storage::StorageReader& parent_state, const Block& block);

/// Builds or executes one block on top of a parent state (frame_executive).
class BlockExecutor {
 public:
  /// Starts the block whose header has parent_hash, number and digest (with
  /// the Aura PreRuntime slot) set; runs every module's on_initialize.
  /// `parent_state` (and `known`, if given: signature checks apply_extrinsic
  /// need not redo) must outlive the executor.
  BlockExecutor(const runtime::storage::StorageReader& parent_state, const Header& header,
                const KnownSignatures* known = nullptr);
  ~BlockExecutor();
  BlockExecutor(const BlockExecutor&) = delete;
  BlockExecutor& operator=(const BlockExecutor&) = delete;

  /// The inherent extrinsics (unsigned, e.g. Timestamp.set) for this block; apply them first.
  std::vector<Bytes> create_inherents(const InherentData& data) const;
  /// Checks, charges and dispatches one extrinsic; its storage writes are kept
  /// only if it returns a DispatchOutcome.
  ApplyExtrinsicResult apply_extrinsic(ByteSpan encoded);
  /// Runs on_finalize; after it, take_changes() gives the block's writes.
  /// Error: a message when the block is invalid as a whole (no timestamp inherent).
  outcome::result<void, std::string> finalize();
  runtime::storage::ChangeSet take_changes();

  runtime::Weight consumed_weight() const;
  uint32_t consumed_length() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Import-side execution: runs the whole block (every extrinsic must be valid;
/// inherents first) and returns its writes. Signature checks that `known`
/// vouches for are not redone (see KnownSignatures). Error: a message naming
/// the extrinsic at fault and why.
outcome::result<runtime::storage::ChangeSet, std::string> execute_block(
    const runtime::storage::StorageReader& parent_state, const Block& block, const KnownSignatures* known = nullptr);

/// TaggedTransactionQueue_validate_transaction: validity of `encoded` if it were
/// included in the block after `best_hash` (whose state is `state`).
TransactionValidity validate_transaction(const runtime::storage::StorageReader& state, TransactionSource source,
                                         ByteSpan encoded, const H256& best_hash);

/// AccountNonceApi_account_nonce.
runtime::Nonce account_nonce(const runtime::storage::StorageReader& state, const runtime::AccountId32& who);

/// TransactionPaymentApi_query_info: weight, class and the fee (without tip) of an extrinsic.
struct FeeInfo {
  runtime::Weight weight;
  runtime::framework::DispatchClass dispatch_class = runtime::framework::DispatchClass::Normal;
  runtime::Balance partial_fee = 0;
};
outcome::result<FeeInfo, std::string> query_info(const runtime::storage::StorageReader& state, ByteSpan encoded);
/// As above with the fee computed for `length` bytes instead of the encoding's size
/// (the runtime API's `len` argument, which wallets set to the signed length).
outcome::result<FeeInfo, std::string> query_info(const runtime::storage::StorageReader& state, ByteSpan encoded,
                                                 uint32_t length);

/// pallet_transaction_payment::InclusionFee: the parts of the fee without tip.
struct InclusionFee {
  runtime::Balance base_fee = 0;             ///< per extrinsic
  runtime::Balance len_fee = 0;              ///< byte_fee × length
  runtime::Balance adjusted_weight_fee = 0;  ///< weight_fee × ref_time / 10^6
  friend bool operator==(const InclusionFee&, const InclusionFee&) = default;
};
/// pallet_transaction_payment::FeeDetails: no inclusion fee for calls that do
/// not pay (Pays::No, Mandatory); the tip from the extrinsic's signed extra.
struct FeeDetails {
  std::optional<InclusionFee> inclusion_fee;
  runtime::Balance tip = 0;
  friend bool operator==(const FeeDetails&, const FeeDetails&) = default;
};
/// TransactionPaymentApi_query_fee_details for an extrinsic counted as `length`
/// bytes. The parts add up to query_info's partial_fee. Error: a message when
/// the extrinsic or its call does not decode.
outcome::result<FeeDetails, std::string> query_fee_details(const runtime::storage::StorageReader& state,
                                                           ByteSpan encoded, uint32_t length);

/// BlockBuilder_apply_extrinsic as a dry run: applies `encoded` in a scratch
/// block on top of `parent_hash` (whose state is `parent_state`), as the next
/// block would, and returns the outcome; nothing is kept.
ApplyExtrinsicResult dry_run_extrinsic(const runtime::storage::StorageReader& parent_state, const H256& parent_hash,
                                       ByteSpan encoded);

/// The Aura authorities (compressed secp256k1 keys) and slot duration in the given state.
std::vector<runtime::crypto::EcdsaPublic> aura_authorities(const runtime::storage::StorageReader& state);
uint64_t slot_duration_ms(const runtime::storage::StorageReader& state);

}  // namespace bazaar::modules::composition
