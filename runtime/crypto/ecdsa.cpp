#include "runtime/crypto/ecdsa.hpp"

#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/random.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <cstdlib>

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::runtime::crypto, CryptoError, "crypto", to_string)

namespace bazaar::runtime::crypto {

const char* to_string(CryptoError e) {
  switch (e) {
    case CryptoError::InvalidSecretKey: return "invalid secp256k1 secret key";
    case CryptoError::InvalidPublicKey: return "invalid secp256k1 public key";
  }
  return "unknown crypto error";
}

namespace {

/// The process-wide context, blinded once with OS randomness against side
/// channels. libsecp256k1 allows concurrent use of a const context.
const secp256k1_context* context() {
  static const secp256k1_context* ctx = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    std::array<uint8_t, 32> seed;
    os_random_bytes(seed);
    if (secp256k1_context_randomize(c, seed.data()) != 1) std::abort();  // cannot fail for a fresh context
    return c;
  }();
  return ctx;
}

EcdsaPublic serialize_compressed(const secp256k1_pubkey& pk) {
  EcdsaPublic out;
  size_t len = out.size();
  secp256k1_ec_pubkey_serialize(context(), out.data(), &len, &pk, SECP256K1_EC_COMPRESSED);
  return out;
}

void wipe(std::array<uint8_t, 32>& a) {
  volatile uint8_t* p = a.data();
  for (std::size_t i = 0; i < a.size(); ++i) p[i] = 0;
}

}  // namespace

Result<Keypair> Keypair::from_secret(ByteSpan secret32) {
  if (secret32.size() != 32) return CryptoError::InvalidSecretKey;
  std::array<uint8_t, 32> secret;
  std::copy(secret32.begin(), secret32.end(), secret.begin());
  secp256k1_pubkey pk;
  if (secp256k1_ec_pubkey_create(context(), &pk, secret.data()) != 1) {
    wipe(secret);
    return CryptoError::InvalidSecretKey;
  }
  Keypair out(secret, serialize_compressed(pk));
  wipe(secret);
  return out;
}

Keypair Keypair::generate() {
  std::array<uint8_t, 32> secret;
  for (;;) {
    os_random_bytes(secret);
    // Fails only for zero or a value >= the curve order (probability ~2^-128).
    if (auto pair = from_secret(secret)) {
      wipe(secret);
      return std::move(pair).value();
    }
  }
}

Keypair::~Keypair() { wipe(m_secret); }

AccountId32 Keypair::account_id() const { return account_from_public(m_public); }

EcdsaSignature Keypair::sign(ByteSpan message) const { return sign_prehashed(blake2b_256(message)); }

EcdsaSignature Keypair::sign_prehashed(const H256& digest) const {
  secp256k1_ecdsa_recoverable_signature sig;
  // NULL nonce function = RFC 6979; libsecp256k1 always produces low-S.
  int ok = secp256k1_ecdsa_sign_recoverable(context(), &sig, digest.data(), m_secret.data(), nullptr, nullptr);
  if (ok != 1) std::abort();  // impossible for a secret accepted by from_secret
  EcdsaSignature out;
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), out.data(), &recid, &sig);
  out.bytes[64] = static_cast<uint8_t>(recid);
  return out;
}

std::optional<EcdsaPublic> recover(const EcdsaSignature& sig, const H256& digest) {
  int v = sig.bytes[64];
  if (v > 26) v -= 27;  // Substrate: "v" may come as 27/28 from Ethereum-style tools
  if (v != 0 && v != 1) return std::nullopt;
  secp256k1_ecdsa_recoverable_signature rsig;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &rsig, sig.data(), v) != 1) return std::nullopt;
  secp256k1_pubkey pk;
  if (secp256k1_ecdsa_recover(context(), &pk, &rsig, digest.data()) != 1) return std::nullopt;
  return serialize_compressed(pk);
}

bool verify(const EcdsaSignature& sig, ByteSpan message, const AccountId32& who) {
  auto pk = recover(sig, blake2b_256(message));
  return pk && account_from_public(*pk) == who;
}

bool verify_with_public(const EcdsaSignature& sig, ByteSpan message, const EcdsaPublic& expected) {
  auto pk = recover(sig, blake2b_256(message));
  return pk && *pk == expected;
}

AccountId32 account_from_public(const EcdsaPublic& pub) {
  return AccountId32{blake2b_256(pub.span()).bytes};
}

Result<EcdsaPublic> parse_public(ByteSpan compressed33) {
  if (compressed33.size() != EcdsaPublic::kSize) return CryptoError::InvalidPublicKey;
  secp256k1_pubkey pk;
  if (secp256k1_ec_pubkey_parse(context(), &pk, compressed33.data(), compressed33.size()) != 1)
    return CryptoError::InvalidPublicKey;
  return EcdsaPublic::from_span(compressed33);
}

}  // namespace bazaar::runtime::crypto
