#include "modules/composition/executive.hpp"

#include "modules/composition/runtime.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/primitives/arithmetic.hpp"
#include "runtime/primitives/extrinsic.hpp"

#include <unordered_map>

namespace bazaar::modules::composition {

using runtime::AdditionalSigned;
using runtime::Balance;
using runtime::InvalidTransaction;
using runtime::Nonce;
using runtime::SignedExtra;
using runtime::TransactionValidityError;
using runtime::UnknownTransaction;
using runtime::Weight;
using runtime::saturating_add;
namespace storage = runtime::storage;

namespace {

TransactionValidityError invalid(InvalidTransaction e) { return {e}; }
TransactionValidityError unknown(UnknownTransaction e) { return {e}; }

/// An extrinsic whose format, call and signature have been checked.
struct CheckedExtrinsic {
  struct Signed {
    AccountId32 who;
    SignedExtra extra;
  };
  std::optional<Signed> signed_part;
  RuntimeCall call;
  uint32_t length = 0;
  Weight weight;
  DispatchClass dispatch_class = DispatchClass::Normal;
};

/// The AdditionalSigned of the extrinsics with era birth block `birth`, read
/// from the state of the block being built after its initialize
/// (BlockHash(current - 1) known); nullopt if the birth block's hash is not
/// (or no longer) stored.
std::optional<AdditionalSigned> additional_signed_at(const storage::StorageReader& state, BlockNumber birth) {
  if (!system::BlockHash::contains(state, birth)) return std::nullopt;
  const auto& version = runtime_version();
  return AdditionalSigned{version.spec_version, version.transaction_version, system::BlockHash::get(state, 0),
                          system::BlockHash::get(state, birth)};
}

/// The AdditionalSigned of the extrinsics of block `current`, by era, each
/// era birth read once: after the block's initialize nothing writes
/// System.BlockHash (only system::initialize_block does), so what it reads is
/// fixed for the rest of the block. `state` must be that block's state after
/// its initialize, and outlive the memo.
class AdditionalSignedMemo {
 public:
  AdditionalSignedMemo(const storage::StorageReader& state, BlockNumber current) : m_state(state), m_current(current) {}

  const std::optional<AdditionalSigned>& get(const runtime::Era& era) {
    const auto birth = static_cast<BlockNumber>(era.birth(m_current));
    auto [it, inserted] = m_by_birth.try_emplace(birth);
    if (inserted) it->second = additional_signed_at(m_state, birth);
    return it->second;
  }

 private:
  const storage::StorageReader& m_state;
  BlockNumber m_current;
  std::unordered_map<BlockNumber, std::optional<AdditionalSigned>> m_by_birth;
};

/// The check that verify_extrinsic_signature makes for `xt`, if it is signed
/// by MultiAddress::Id with MultiSignature::Ecdsa.
std::optional<SignatureCheck> signature_check_of(const runtime::UncheckedExtrinsic& xt,
                                                 const AdditionalSigned& additional) {
  if (!xt.signature) return std::nullopt;
  const auto* who = std::get_if<runtime::MultiAddressId>(&xt.signature->signer);
  const auto* sig = std::get_if<runtime::MultiSignatureEcdsa>(&xt.signature->signature);
  if (!who || !sig) return std::nullopt;
  return SignatureCheck{runtime::crypto::blake2b_256(runtime::signing_payload(xt.call, xt.signature->extra, additional)),
                        sig->signature, who->account};
}

bool signature_ok(const runtime::UncheckedExtrinsic& xt, const AdditionalSigned& additional,
                  const KnownSignatures* known) {
  if (known && *known) {
    // Only the exact check this code derives is asked about.
    if (auto c = signature_check_of(xt, additional); c && (*known)(*c)) return true;
  }
  return runtime::verify_extrinsic_signature(xt, additional);
}

/// Decodes and checks an extrinsic's format, call, signer and signature
/// against the state of the block being built (whose initialize has already
/// run, so BlockHash(current - 1) is known; `additional` reads it). CheckNonZeroSender,
/// CheckSpecVersion, CheckTxVersion, CheckGenesis and CheckMortality are all
/// enforced through the signature over AdditionalSigned. Signature checks that
/// `known` (may be null) vouches for are not redone.
std::variant<CheckedExtrinsic, TransactionValidityError> check(AdditionalSignedMemo& additional_signed,
                                                              ByteSpan encoded, const KnownSignatures* known = nullptr) {
  if (encoded.size() > block_limits().max_extrinsic_length) return invalid(InvalidTransaction::ExhaustsResources);
  auto xt = runtime::decode_extrinsic(encoded);
  if (!xt) return invalid(InvalidTransaction::Call);
  auto call = runtime::codec::decode<RuntimeCall>(xt.value().call);
  if (!call) return invalid(InvalidTransaction::Call);

  CheckedExtrinsic out{std::nullopt, std::move(call).value(), static_cast<uint32_t>(encoded.size()), {}, {}};
  out.weight = call_weight(out.call);
  out.dispatch_class = call_class(out.call);
  if (!xt.value().signature) return out;

  const auto& sig = *xt.value().signature;
  auto who = runtime::signer_account(xt.value());
  if (!who) return unknown(UnknownTransaction::CannotLookup);
  if (who->is_zero()) return invalid(InvalidTransaction::BadSigner);
  const auto& additional = additional_signed.get(sig.extra.era);
  if (!additional) return invalid(InvalidTransaction::AncientBirthBlock);
  if (!signature_ok(xt.value(), *additional, known)) return invalid(InvalidTransaction::BadProof);
  // Mandatory calls (inherents) are the block author's, unsigned; signed they would be free.
  if (out.dispatch_class == DispatchClass::Mandatory) return invalid(InvalidTransaction::MandatoryValidation);
  out.signed_part = CheckedExtrinsic::Signed{*who, sig.extra};
  return out;
}

Balance fee_of(const storage::StorageReader& state, const CheckedExtrinsic& xt) {
  return transaction_payment::compute_fee(state, xt.length, xt.weight, xt.dispatch_class, call_pays(xt.call));
}

runtime::TransactionTag nonce_tag(const AccountId32& who, Nonce nonce) {
  runtime::codec::Encoder e;
  runtime::codec::encode_to(e, who);
  runtime::codec::encode_to(e, nonce);
  return e.take();
}

/// The parent state with a read cache for the length of one block: a
/// transfer reads its sender's account several times (nonce, fee, dispatch)
/// before the first write puts it in the overlay, and each read of the node's
/// trie walks it from the root. The parent state cannot change under a block.
class CachedReader final : public storage::StorageReader {
 public:
  explicit CachedReader(const storage::StorageReader& base) : m_base(base) {}
  std::optional<Bytes> get(ByteSpan key) const override {
    auto it = m_cache.find(key);  // heterogeneous: no key copy on a hit
    if (it == m_cache.end()) it = m_cache.emplace(Bytes(key.begin(), key.end()), m_base.get(key)).first;
    return it->second;
  }
  std::optional<Bytes> next_key(ByteSpan key) const override { return m_base.next_key(key); }

 private:
  const storage::StorageReader& m_base;
  mutable std::unordered_map<Bytes, std::optional<Bytes>, storage::KeyHash, storage::KeyEqual> m_cache;
};

}  // namespace

// ---- BlockExecutor ------------------------------------------------------------

struct BlockExecutor::Impl {
  Impl(const storage::StorageReader& parent, const Header& h, const KnownSignatures* k)
      : parent_state(parent),
        overlay(parent_state),
        ctx(overlay, h.number.value),
        additional_signed(overlay, h.number.value),
        header(h),
        known(k) {}

  CachedReader parent_state;
  storage::Overlay overlay;
  Context ctx;
  AdditionalSignedMemo additional_signed;  // filled by apply_extrinsic, after initialize
  Header header;
  const KnownSignatures* known = nullptr;
  uint32_t extrinsic_index = 0;
  Weight consumed_weight;
  uint32_t consumed_length = 0;
  bool signed_seen = false;
  std::optional<std::string> init_error;
  /// The block's author (who receives the fees): the Aura authority of the
  /// slot that on_initialize stored. No call changes Aura.Authorities or
  /// Aura.CurrentSlot, so it is read once per block, after on_initialize
  /// (as frame's pallet_authorship keeps its Author for the block).
  std::optional<AccountId32> author;
};

BlockExecutor::BlockExecutor(const storage::StorageReader& parent_state, const Header& header,
                             const KnownSignatures* known)
    : m_impl(std::make_unique<Impl>(parent_state, header, known)) {
  auto& ctx = m_impl->ctx;
  ctx.set_phase(phase::Initialization{});
  system::initialize_block(ctx, header.number.value, header.parent_hash);
  if (auto r = aura::on_initialize(ctx, header.digest); !r) m_impl->init_error = "Aura: " + describe_error(r.error());
  task_queue::on_initialize(ctx, header.number.value);
  m_impl->author = aura::author(m_impl->overlay);
}

BlockExecutor::~BlockExecutor() = default;

std::vector<Bytes> BlockExecutor::create_inherents(const InherentData& data) const {
  runtime::UncheckedExtrinsic xt;
  xt.call = runtime::codec::encode(make_call<timestamp::Module>(timestamp::Set{{data.timestamp}}));
  return {runtime::encode_extrinsic(xt)};
}

ApplyExtrinsicResult BlockExecutor::apply_extrinsic(ByteSpan encoded) {
  auto& m = *m_impl;
  auto& ctx = m.ctx;
  auto& state = m.overlay;
  auto checked = check(m.additional_signed, encoded, m.known);
  if (auto* e = std::get_if<TransactionValidityError>(&checked)) return *e;
  auto& xt = std::get<CheckedExtrinsic>(checked);

  const auto& limits = block_limits();
  bool mandatory = xt.dispatch_class == DispatchClass::Mandatory;
  if (!mandatory && (m.consumed_weight.ref_time + xt.weight.ref_time > limits.max_weight.ref_time ||
                     m.consumed_length + xt.length > limits.max_length))
    return invalid(InvalidTransaction::ExhaustsResources);

  Origin origin = Origin::none();
  Balance fee = 0;
  Balance tip = 0;
  if (xt.signed_part) {
    const auto& s = *xt.signed_part;
    Nonce expected = system::account_nonce(state, s.who);
    if (s.extra.nonce.value < expected) return invalid(InvalidTransaction::Stale);
    if (s.extra.nonce.value > expected) return invalid(InvalidTransaction::Future);
    tip = s.extra.tip.value;
    fee = saturating_add(fee_of(state, xt), tip);
    if (!credits::can_withdraw_fee(state, s.who, fee)) return invalid(InvalidTransaction::Payment);
    origin = Origin::signed_by(s.who);
  } else {
    // Unsigned extrinsics are inherents only, and they come before signed ones.
    if (!mandatory || m.signed_seen) return invalid(InvalidTransaction::BadMandatory);
  }

  // From here on the extrinsic is included: the fee and nonce stay whatever the call does.
  ctx.set_phase(phase::ApplyExtrinsic{m.extrinsic_index});
  if (xt.signed_part) {
    state.start_transaction();
    system::inc_account_nonce(ctx, xt.signed_part->who);
    if (fee > 0 && !credits::withdraw_fee(ctx, xt.signed_part->who, fee)) {
      state.rollback_transaction();
      return invalid(InvalidTransaction::Payment);
    }
    state.commit_transaction();
    m.signed_seen = true;
  }
  auto result = dispatch_transactional(ctx, origin, xt.call);
  if (mandatory && !result) return invalid(InvalidTransaction::BadMandatory);
  if (xt.signed_part) {
    if (m.author && fee > 0) credits::deposit_fee(ctx, *m.author, fee);
    deposit_event<transaction_payment::Module>(ctx, transaction_payment::TransactionFeePaid{xt.signed_part->who, fee, tip});
  }
  DispatchInfo info{xt.weight, xt.dispatch_class, call_pays(xt.call)};  // weight, class, pays_fee
  if (result) {
    deposit_event<system::Module>(ctx, system::ExtrinsicSuccess{info});
  } else {
    deposit_event<system::Module>(ctx, system::ExtrinsicFailed{result.error(), info});
  }
  m.consumed_weight += xt.weight;
  m.consumed_length += xt.length;
  ++m.extrinsic_index;
  system::ExtrinsicCount::put(state, m.extrinsic_index);
  system::AllExtrinsicsLen::put(state, m.consumed_length);
  if (result) return DispatchOutcome{};
  return DispatchOutcome{result.error()};
}

outcome::result<void, std::string> BlockExecutor::finalize() {
  auto& m = *m_impl;
  if (m.init_error) return *m.init_error;
  m.ctx.set_phase(phase::Finalization{});
  if (auto r = timestamp::on_finalize(m.ctx); !r) return "block has no timestamp inherent";
  if (auto r = aura::check_timestamp(m.overlay, timestamp::Now::get(m.overlay)); !r)
    return "Aura: " + describe_error(r.error()) + ": the block's timestamp is not in its slot";
  system::finalize_block(m.ctx);
  return outcome::success();
}

storage::ChangeSet BlockExecutor::take_changes() { return m_impl->overlay.take_changes(); }
Weight BlockExecutor::consumed_weight() const { return m_impl->consumed_weight; }
uint32_t BlockExecutor::consumed_length() const { return m_impl->consumed_length; }

// ---- import, pool, queries ------------------------------------------------------

bool verify_signature_check(const SignatureCheck& check) {
  auto key = runtime::crypto::recover(check.signature, check.digest);
  return key && runtime::crypto::account_from_public(*key) == check.signer;
}

std::vector<SignatureCheck> signature_checks(const storage::StorageReader& parent_state, const Block& block) {
  // The block's initialize on a scratch overlay, so that BlockHash(number - 1) is there as in execution.
  storage::Overlay overlay(parent_state);
  const BlockNumber number = block.header.number.value;
  Context ctx(overlay, number);
  system::initialize_block(ctx, number, block.header.parent_hash);
  AdditionalSignedMemo additional_signed(overlay, number);
  std::vector<SignatureCheck> out;
  out.reserve(block.extrinsics.size());
  for (const auto& extrinsic : block.extrinsics) {
    auto xt = runtime::decode_extrinsic(extrinsic.encoded);
    if (!xt || !xt.value().signature) continue;
    const auto& additional = additional_signed.get(xt.value().signature->extra.era);
    if (!additional) continue;
    if (auto c = signature_check_of(xt.value(), *additional)) out.push_back(std::move(*c));
  }
  return out;
}

outcome::result<storage::ChangeSet, std::string> execute_block(const storage::StorageReader& parent_state,
                                                               const Block& block, const KnownSignatures* known) {
  BlockExecutor executor(parent_state, block.header, known);
  for (std::size_t i = 0; i < block.extrinsics.size(); ++i) {
    auto r = executor.apply_extrinsic(block.extrinsics[i].encoded);
    if (auto* e = std::get_if<TransactionValidityError>(&r))
      return "extrinsic " + std::to_string(i) + " is invalid: " + runtime::to_string(*e);
  }
  auto finalized = executor.finalize();
  if (!finalized) return finalized.error();
  return executor.take_changes();
}

TransactionValidity validate_transaction(const storage::StorageReader& state, TransactionSource source,
                                         ByteSpan encoded, const H256& best_hash) {
  // Validate as if in the block after best: initialize System for it on a scratch overlay.
  storage::Overlay overlay(state);
  BlockNumber next = system::Number::get(state) + 1;
  Context ctx(overlay, next);
  system::initialize_block(ctx, next, best_hash);

  AdditionalSignedMemo additional_signed(overlay, next);
  auto checked = check(additional_signed, encoded);
  if (auto* e = std::get_if<TransactionValidityError>(&checked)) return *e;
  auto& xt = std::get<CheckedExtrinsic>(checked);
  if (!xt.signed_part) {
    if (xt.dispatch_class == DispatchClass::Mandatory) return invalid(InvalidTransaction::MandatoryValidation);
    return unknown(UnknownTransaction::NoUnsignedValidator);
  }
  const auto& limits = block_limits();
  if (xt.weight.ref_time > limits.max_weight.ref_time || xt.length > limits.max_length)
    return invalid(InvalidTransaction::ExhaustsResources);
  const auto& s = *xt.signed_part;
  Nonce account = system::account_nonce(overlay, s.who);
  if (s.extra.nonce.value < account) return invalid(InvalidTransaction::Stale);
  Balance fee = saturating_add(fee_of(overlay, xt), s.extra.tip.value);
  if (!credits::can_withdraw_fee(overlay, s.who, fee)) return invalid(InvalidTransaction::Payment);

  runtime::ValidTransaction valid;
  valid.priority = s.extra.tip.value > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(s.extra.tip.value);
  if (s.extra.nonce.value > account) valid.requires_tags.push_back(nonce_tag(s.who, s.extra.nonce.value - 1));
  valid.provides_tags.push_back(nonce_tag(s.who, s.extra.nonce.value));
  uint64_t death = s.extra.era.death(next);
  valid.longevity = s.extra.era.is_immortal() ? UINT64_MAX : (death > next ? death - next : 0);
  valid.propagate = source != TransactionSource::InBlock;
  return valid;
}

runtime::Nonce account_nonce(const storage::StorageReader& state, const AccountId32& who) {
  return system::account_nonce(state, who);
}

outcome::result<FeeInfo, std::string> query_info(const storage::StorageReader& state, ByteSpan encoded) {
  return query_info(state, encoded, static_cast<uint32_t>(encoded.size()));
}

namespace {

struct DecodedForFees {
  runtime::UncheckedExtrinsic xt;
  RuntimeCall call;
};

outcome::result<DecodedForFees, std::string> decode_for_fees(ByteSpan encoded) {
  auto xt = runtime::decode_extrinsic(encoded);
  if (!xt) return std::string("extrinsic has invalid format: ") + xt.error().message();
  auto call = runtime::codec::decode<RuntimeCall>(xt.value().call);
  if (!call) return std::string("unknown call: ") + call.error().message();
  return DecodedForFees{std::move(xt).value(), std::move(call).value()};
}

}  // namespace

outcome::result<FeeInfo, std::string> query_info(const storage::StorageReader& state, ByteSpan encoded,
                                                 uint32_t length) {
  auto decoded = decode_for_fees(encoded);
  if (!decoded) return decoded.error();
  const auto& call = decoded.value().call;
  FeeInfo info;
  info.weight = call_weight(call);
  info.dispatch_class = call_class(call);
  info.partial_fee = transaction_payment::compute_fee(state, length, info.weight, info.dispatch_class, call_pays(call));
  return info;
}

outcome::result<FeeDetails, std::string> query_fee_details(const storage::StorageReader& state, ByteSpan encoded,
                                                           uint32_t length) {
  auto decoded = decode_for_fees(encoded);
  if (!decoded) return decoded.error();
  const auto& [xt, call] = decoded.value();
  FeeDetails details;
  if (xt.signature) details.tip = xt.signature->extra.tip.value;
  auto weight = call_weight(call);
  auto dispatch_class = call_class(call);
  auto pays = call_pays(call);
  if (pays == Pays::No || dispatch_class == DispatchClass::Mandatory) return details;
  // The parts of transaction_payment::compute_fee, term by term.
  auto p = transaction_payment::Params::get(state);
  InclusionFee fee;
  fee.base_fee = p.base_fee;
  fee.len_fee = runtime::saturating_mul(p.byte_fee, Balance{length});
  fee.adjusted_weight_fee = runtime::saturating_mul(p.weight_fee, Balance{weight.ref_time}) / 1'000'000;
  details.inclusion_fee = fee;
  return details;
}

ApplyExtrinsicResult dry_run_extrinsic(const storage::StorageReader& parent_state, const H256& parent_hash,
                                       ByteSpan encoded) {
  Header header;
  header.parent_hash = parent_hash;
  header.number.value = system::Number::get(parent_state) + 1;
  BlockExecutor executor(parent_state, header);
  return executor.apply_extrinsic(encoded);
}

std::vector<runtime::crypto::EcdsaPublic> aura_authorities(const storage::StorageReader& state) {
  return aura::Authorities::get(state);
}

uint64_t slot_duration_ms(const storage::StorageReader& state) { return aura::SlotDuration::get(state); }

}  // namespace bazaar::modules::composition
