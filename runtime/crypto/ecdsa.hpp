#pragma once
// secp256k1 ECDSA keys and signatures, byte-compatible with Substrate's
// sp_core::ecdsa and polkadot.js's `ecdsa` keyring type
// (shared/spec/polkadot-js-compat.md §5):
//   - a signature is 65 bytes r(32, BE) ++ s(32, BE) ++ v (recovery id 0/1),
//     RFC 6979 deterministic and low-S, over blake2b-256 of the message;
//   - a public key is the 33-byte compressed point;
//   - an AccountId32 is blake2b-256 of the compressed public key.
// Backed by libsecp256k1 through one shared, blinded context.

#include "runtime/codec/bytes.hpp"
#include "runtime/primitives/types.hpp"
#include "runtime/result.hpp"

#include <array>
#include <optional>

namespace bazaar::runtime::crypto {

/// Errors of key handling.
enum class CryptoError {
  InvalidSecretKey = 1,  ///< not 32 bytes, zero, or not below the curve order
  InvalidPublicKey,      ///< not 33 bytes or not a point on the curve
};
const char* to_string(CryptoError e);

}  // namespace bazaar::runtime::crypto

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::runtime::crypto, CryptoError)

namespace bazaar::runtime::crypto {

struct EcdsaSignatureTag {};
struct EcdsaPublicTag {};
/// r(32, big-endian) ++ s(32, big-endian) ++ v (0 or 1; 27/28 accepted on recovery).
using EcdsaSignature = FixedBytes<65, EcdsaSignatureTag>;
/// A compressed secp256k1 public key (0x02/0x03 ++ x).
using EcdsaPublic = FixedBytes<33, EcdsaPublicTag>;

/// A secp256k1 key pair. The secret is wiped from memory when the object dies.
class Keypair {
 public:
  /// A pair from a 32-byte secret scalar. Errors: InvalidSecretKey.
  static Result<Keypair> from_secret(ByteSpan secret32);
  /// A fresh pair whose secret comes from /dev/urandom.
  static Keypair generate();

  Keypair(const Keypair&) = default;
  Keypair& operator=(const Keypair&) = default;
  ~Keypair();

  const EcdsaPublic& public_key() const { return m_public; }
  /// blake2b-256 of the compressed public key.
  AccountId32 account_id() const;
  const std::array<uint8_t, 32>& secret() const { return m_secret; }

  /// Signs blake2b-256(message), as polkadot.js `pair.sign(message)` does.
  EcdsaSignature sign(ByteSpan message) const;
  /// Signs a 32-byte digest as it is (RFC 6979, low-S, v = recovery id 0/1).
  EcdsaSignature sign_prehashed(const H256& digest) const;

 private:
  Keypair(const std::array<uint8_t, 32>& secret, const EcdsaPublic& pub) : m_secret(secret), m_public(pub) {}

  std::array<uint8_t, 32> m_secret{};
  EcdsaPublic m_public;
};

/// The compressed public key that produced `sig` over `digest`; nullopt if the
/// signature is malformed (r or s out of range, v not in {0, 1, 27, 28}) or
/// recovers no key. High-S signatures are accepted, as in Substrate's
/// secp256k1_ecdsa_recover_compressed (version 1).
std::optional<EcdsaPublic> recover(const EcdsaSignature& sig, const H256& digest);

/// Substrate's MultiSignature::Ecdsa check: recover from blake2b-256(message)
/// and compare blake2b-256(recovered key) with `who`.
bool verify(const EcdsaSignature& sig, ByteSpan message, const AccountId32& who);

/// sp_core::ecdsa::Pair::verify: recover from blake2b-256(message) and compare
/// with the expected public key (how Aura seals are checked).
bool verify_with_public(const EcdsaSignature& sig, ByteSpan message, const EcdsaPublic& expected);

/// AccountId32 of an ECDSA public key: blake2b-256 of its 33 compressed bytes.
AccountId32 account_from_public(const EcdsaPublic& pub);

/// Checks that 33 bytes are a valid compressed point. Errors: InvalidPublicKey.
Result<EcdsaPublic> parse_public(ByteSpan compressed33);

}  // namespace bazaar::runtime::crypto
