#pragma once
// Substrate secret URIs for ECDSA keys, as sp_core::ecdsa::Pair::from_string
// and polkadot.js `keyring.addFromUri(suri)` with type "ecdsa" (spec §5):
//
//   <phrase or 0x-seed>[//hard...][///password]
//
// - An empty phrase ("//Alice") means the dev phrase kDevPhrase.
// - A BIP39 phrase (12, 15, 18, 21 or 24 English words) becomes the "mini
//   secret" of substrate-bip39: the first 32 bytes of
//   PBKDF2-HMAC-SHA512(password = entropy, salt = "mnemonic" ++ password, 2048).
//   Note the PBKDF2 input is the entropy, not the phrase (unlike a BIP39 seed).
// - "0x" + 64 hex digits is the secret itself (the password is ignored, as in
//   Substrate and polkadot.js).
// - Each hard junction "//code" maps the secret to
//   blake2b-256(SCALE("Secp256k1HDKD") ++ secret ++ chain_code), where
//   chain_code = SCALE(u64) if code is all digits and fits a u64, else
//   SCALE(String code), zero-padded to 32 bytes or blake2b-256-hashed if longer
//   (sp_core::crypto::DeriveJunction). Soft junctions "/code" do not exist for
//   ECDSA and are rejected.

#include "runtime/crypto/ecdsa.hpp"
#include "runtime/result.hpp"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace bazaar::runtime::crypto {

enum class DeriveError {
  InvalidPhrase = 1,        ///< not 12/15/18/21/24 words, or a malformed URI
  InvalidWord,              ///< a word not in the BIP39 English list
  BadChecksum,              ///< the phrase's BIP39 checksum bits do not match
  SoftJunctionUnsupported,  ///< "/soft" junction: ECDSA supports hard junctions only
  InvalidSeed,              ///< "0x..." that is not exactly 32 bytes of hex
  InvalidPath,              ///< an empty junction ("//" with nothing after it)
  InvalidEntropy,           ///< entropy not 16, 20, 24, 28 or 32 bytes
};
const char* to_string(DeriveError e);

}  // namespace bazaar::runtime::crypto

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::runtime::crypto, DeriveError)

namespace bazaar::runtime::crypto {

/// Substrate's development phrase: "//Alice" is kDevPhrase + "//Alice".
inline constexpr std::string_view kDevPhrase =
    "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

using Secret32 = std::array<uint8_t, 32>;

// ---- BIP39 (bip39.cpp) -------------------------------------------------------

/// Entropy of a BIP39 English phrase (words separated by whitespace).
/// Errors: InvalidPhrase (word count), InvalidWord, BadChecksum.
Result<Bytes> mnemonic_to_entropy(std::string_view phrase);

/// The phrase for 16/20/24/28/32 bytes of entropy. Errors: InvalidEntropy.
Result<std::string> entropy_to_mnemonic(ByteSpan entropy);

/// substrate-bip39 mini secret: first 32 bytes of
/// PBKDF2-HMAC-SHA512(entropy, "mnemonic" ++ password, 2048 iterations).
Secret32 mini_secret_from_entropy(ByteSpan entropy, std::string_view password = "");

/// A fresh phrase of `words` words (12, 15, 18, 21 or 24; asserted) from
/// /dev/urandom entropy, with its SHA-256 checksum.
std::string generate_mnemonic(unsigned words = 12);

// ---- secret URIs (derive.cpp) ------------------------------------------------

struct DeriveJunction {
  Secret32 chain_code{};
  bool hard = false;
  friend bool operator==(const DeriveJunction&, const DeriveJunction&) = default;
};

/// The junction for the text after "/" (soft) or "//" (hard).
DeriveJunction make_junction(std::string_view code, bool hard);

/// A parsed secret URI. `phrase` is kDevPhrase when the URI had none.
struct SecretUri {
  std::string phrase;
  std::vector<DeriveJunction> junctions;
  std::string password;
};

/// Splits a URI into phrase, junctions and password. Errors: InvalidPath.
Result<SecretUri> parse_suri(std::string_view suri);

/// One ECDSA hard derivation step (sp_core::ecdsa derive_hard_junction).
Secret32 derive_hard(const Secret32& secret, const Secret32& chain_code);

/// The key pair a secret URI names, identical to polkadot.js / Substrate.
/// Errors: those of parse_suri and mnemonic_to_entropy, InvalidSeed,
/// SoftJunctionUnsupported, CryptoError::InvalidSecretKey.
Result<Keypair> keypair_from_suri(std::string_view suri);

}  // namespace bazaar::runtime::crypto
