#pragma once
// Extrinsic format v4 (sp_runtime::generic::UncheckedExtrinsic; spec §4):
//
//   compact(len) ++ 0x84 ++ MultiAddress ++ MultiSignature ++ SignedExtra ++ call   (signed)
//   compact(len) ++ 0x04 ++ call                                                    (bare)
//
// Our runtime's signed extensions, in metadata order: CheckNonZeroSender,
// CheckSpecVersion, CheckTxVersion, CheckGenesis, CheckMortality, CheckNonce,
// CheckWeight, ChargeTransactionPayment. Their "extra" bytes (in the
// extrinsic) are era ++ compact(nonce) ++ compact(tip); their "additional
// signed" bytes (signed, never sent) are spec_version ++ transaction_version
// ++ genesis_hash ++ era birth block hash.
//
// The call stays opaque bytes here (module index, call index, arguments): the
// runtime decodes it.

#include "runtime/codec/scale.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "runtime/primitives/era.hpp"
#include "runtime/primitives/extrinsic_error.hpp"
#include "runtime/primitives/types.hpp"

#include <boost/describe/class.hpp>

#include <array>
#include <optional>
#include <variant>

namespace bazaar::runtime {

/// Extrinsic format version (low 7 bits of the version byte).
inline constexpr uint8_t kExtrinsicFormatVersion = 4;
/// Version byte of a signed v4 extrinsic (bit 7 set) and of a bare one.
inline constexpr uint8_t kSignedExtrinsicVersion = 0x80 | kExtrinsicFormatVersion;
inline constexpr uint8_t kBareExtrinsicVersion = kExtrinsicFormatVersion;
/// Payloads longer than this are signed as their blake2b-256 hash.
inline constexpr std::size_t kMaxUnhashedPayload = 256;

// ---- sp_runtime::MultiAddress<AccountId32, u32> --------------------------------

struct MultiAddressId {
  static constexpr uint8_t kIndex = 0;
  AccountId32 account;
  friend bool operator==(const MultiAddressId&, const MultiAddressId&) = default;
};
BOOST_DESCRIBE_STRUCT(MultiAddressId, (), (account))

struct MultiAddressIndex {
  static constexpr uint8_t kIndex = 1;
  Compact<uint32_t> index;
  friend bool operator==(const MultiAddressIndex&, const MultiAddressIndex&) = default;
};
BOOST_DESCRIBE_STRUCT(MultiAddressIndex, (), (index))

struct MultiAddressRaw {
  static constexpr uint8_t kIndex = 2;
  Bytes data;
  friend bool operator==(const MultiAddressRaw&, const MultiAddressRaw&) = default;
};
BOOST_DESCRIBE_STRUCT(MultiAddressRaw, (), (data))

struct MultiAddress32 {
  static constexpr uint8_t kIndex = 3;
  std::array<uint8_t, 32> data{};
  friend bool operator==(const MultiAddress32&, const MultiAddress32&) = default;
};
BOOST_DESCRIBE_STRUCT(MultiAddress32, (), (data))

struct MultiAddress20 {
  static constexpr uint8_t kIndex = 4;
  std::array<uint8_t, 20> data{};
  friend bool operator==(const MultiAddress20&, const MultiAddress20&) = default;
};
BOOST_DESCRIBE_STRUCT(MultiAddress20, (), (data))

using MultiAddress = std::variant<MultiAddressId, MultiAddressIndex, MultiAddressRaw, MultiAddress32, MultiAddress20>;

// ---- sp_runtime::MultiSignature -----------------------------------------------

struct Ed25519SignatureTag {};
struct Sr25519SignatureTag {};

struct MultiSignatureEd25519 {
  static constexpr uint8_t kIndex = 0;
  FixedBytes<64, Ed25519SignatureTag> signature;
  friend bool operator==(const MultiSignatureEd25519&, const MultiSignatureEd25519&) = default;
};
BOOST_DESCRIBE_STRUCT(MultiSignatureEd25519, (), (signature))

struct MultiSignatureSr25519 {
  static constexpr uint8_t kIndex = 1;
  FixedBytes<64, Sr25519SignatureTag> signature;
  friend bool operator==(const MultiSignatureSr25519&, const MultiSignatureSr25519&) = default;
};
BOOST_DESCRIBE_STRUCT(MultiSignatureSr25519, (), (signature))

struct MultiSignatureEcdsa {
  static constexpr uint8_t kIndex = 2;
  crypto::EcdsaSignature signature;
  friend bool operator==(const MultiSignatureEcdsa&, const MultiSignatureEcdsa&) = default;
};
BOOST_DESCRIBE_STRUCT(MultiSignatureEcdsa, (), (signature))

using MultiSignature = std::variant<MultiSignatureEd25519, MultiSignatureSr25519, MultiSignatureEcdsa>;

// ---- signed extensions -------------------------------------------------------

/// The signed extensions' "extra": CheckMortality's era, CheckNonce's nonce,
/// ChargeTransactionPayment's tip (base units).
struct SignedExtra {
  Era era;
  Compact<Nonce> nonce;
  Compact<Balance> tip;
  friend bool operator==(const SignedExtra&, const SignedExtra&) = default;
};
BOOST_DESCRIBE_STRUCT(SignedExtra, (), (era, nonce, tip))

/// The signed extensions' "additional signed" (implicit) data: CheckSpecVersion,
/// CheckTxVersion, CheckGenesis and CheckMortality (hash of block
/// era.birth(current); the genesis hash when immortal).
struct AdditionalSigned {
  uint32_t spec_version = 0;
  uint32_t transaction_version = 0;
  H256 genesis_hash;
  H256 era_block_hash;
  friend bool operator==(const AdditionalSigned&, const AdditionalSigned&) = default;
};
BOOST_DESCRIBE_STRUCT(AdditionalSigned, (), (spec_version, transaction_version, genesis_hash, era_block_hash))

// ---- the extrinsic -------------------------------------------------------------

struct UncheckedExtrinsic {
  struct SignaturePart {
    MultiAddress signer;
    MultiSignature signature;
    SignedExtra extra;
    friend bool operator==(const SignaturePart&, const SignaturePart&) = default;
  };
  /// nullopt for a bare (unsigned / inherent) extrinsic.
  std::optional<SignaturePart> signature;
  /// The encoded call: module index ++ call index ++ SCALE arguments.
  Bytes call;
  friend bool operator==(const UncheckedExtrinsic&, const UncheckedExtrinsic&) = default;
};

/// Full wire encoding: compact length ++ version byte ++ [signature part] ++ call.
Bytes encode_extrinsic(const UncheckedExtrinsic& xt);

/// Decodes a full encoding. The length prefix must equal the number of bytes
/// after it (BadLengthPrefix); the version byte must be 0x84 or 0x04
/// (UnsupportedVersion); the call is everything after the signature part and
/// must be non-empty (EmptyCall). Errors of the parts (CodecError, InvalidEra)
/// pass through.
Result<UncheckedExtrinsic> decode_extrinsic(ByteSpan full);

/// Transaction hash: blake2b-256 of the full encoding, length prefix included.
H256 extrinsic_hash(ByteSpan full_encoding);

/// The bytes a signer signs: call ++ SCALE(extra) ++ SCALE(additional), or
/// their blake2b-256 hash when longer than kMaxUnhashedPayload. ECDSA then
/// signs blake2b-256 of these bytes (Keypair::sign).
Bytes signing_payload(ByteSpan call, const SignedExtra& extra, const AdditionalSigned& additional);

/// A signed extrinsic from `pair`: signer MultiAddress::Id(pair.account_id()),
/// MultiSignature::Ecdsa over signing_payload(call, extra, additional).
UncheckedExtrinsic sign_extrinsic(const crypto::Keypair& pair, Bytes call, SignedExtra extra,
                                  const AdditionalSigned& additional);

/// True iff `xt` is signed by a MultiAddress::Id with a MultiSignature::Ecdsa
/// that verifies (Substrate's recipe) over its signing payload with `additional`.
bool verify_extrinsic_signature(const UncheckedExtrinsic& xt, const AdditionalSigned& additional);

/// The signer's account when `xt` is signed by a MultiAddress::Id; nullopt otherwise.
std::optional<AccountId32> signer_account(const UncheckedExtrinsic& xt);

}  // namespace bazaar::runtime
