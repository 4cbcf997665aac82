#include "runtime/crypto/derive.hpp"

#include "runtime/codec/scale.hpp"
#include "runtime/crypto/hash.hpp"

#include <algorithm>
#include <charconv>

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::runtime::crypto, DeriveError, "derive", to_string)

namespace bazaar::runtime::crypto {

const char* to_string(DeriveError e) {
  switch (e) {
    case DeriveError::InvalidPhrase: return "invalid secret phrase (expected 12, 15, 18, 21 or 24 BIP39 words)";
    case DeriveError::InvalidWord: return "word not in the BIP39 English wordlist";
    case DeriveError::BadChecksum: return "invalid BIP39 phrase checksum";
    case DeriveError::SoftJunctionUnsupported: return "soft derivation is not supported for ECDSA keys";
    case DeriveError::InvalidSeed: return "invalid hex seed (expected 0x + 64 hex digits)";
    case DeriveError::InvalidPath: return "invalid derivation path (empty junction)";
    case DeriveError::InvalidEntropy: return "invalid BIP39 entropy length";
  }
  return "unknown derivation error";
}

namespace {

/// SCALE("Secp256k1HDKD"): the domain tag of ECDSA hard derivation.
constexpr std::string_view kHdkdTag = "Secp256k1HDKD";

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

DeriveJunction make_junction(std::string_view code, bool hard) {
  Bytes encoded;
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(code.data(), code.data() + code.size(), number);
  if (all_digits(code) && ec == std::errc() && end == code.data() + code.size()) {
    encoded = codec::encode(number);
  } else {
    encoded = codec::encode(std::string(code));
  }
  DeriveJunction j;
  j.hard = hard;
  if (encoded.size() > j.chain_code.size()) {
    j.chain_code = blake2b_256(encoded).bytes;
  } else {
    std::copy(encoded.begin(), encoded.end(), j.chain_code.begin());
  }
  return j;
}

Result<SecretUri> parse_suri(std::string_view suri) {
  SecretUri out;
  std::string_view rest = suri;
  if (auto pw = suri.find("///"); pw != std::string_view::npos) {
    out.password = std::string(suri.substr(pw + 3));
    rest = suri.substr(0, pw);
  }
  auto slash = rest.find('/');
  std::string_view phrase = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  out.phrase = phrase.empty() ? std::string(kDevPhrase) : std::string(phrase);
  while (!path.empty()) {
    // path starts with '/' here.
    bool hard = path.size() > 1 && path[1] == '/';
    path.remove_prefix(hard ? 2 : 1);
    auto next = path.find('/');
    std::string_view code = path.substr(0, next);
    if (code.empty()) return DeriveError::InvalidPath;
    out.junctions.push_back(make_junction(code, hard));
    path = next == std::string_view::npos ? std::string_view{} : path.substr(next);
  }
  return out;
}

Secret32 derive_hard(const Secret32& secret, const Secret32& chain_code) {
  Bytes tag = codec::encode(std::string(kHdkdTag));
  return blake2b_256_concat({tag, secret, chain_code}).bytes;
}

Result<Keypair> keypair_from_suri(std::string_view suri) {
  BAZAAR_TRY(auto uri, parse_suri(suri));
  Secret32 secret;
  if (uri.phrase.starts_with("0x")) {
    auto seed = from_hex(uri.phrase);
    if (!seed || seed->size() != secret.size()) return DeriveError::InvalidSeed;
    std::copy(seed->begin(), seed->end(), secret.begin());
  } else {
    BAZAAR_TRY(auto entropy, mnemonic_to_entropy(uri.phrase));
    secret = mini_secret_from_entropy(entropy, uri.password);
  }
  for (const auto& j : uri.junctions) {
    if (!j.hard) return DeriveError::SoftJunctionUnsupported;
    secret = derive_hard(secret, j.chain_code);
  }
  auto pair = Keypair::from_secret(secret);
  std::fill(secret.begin(), secret.end(), 0);
  return pair;
}

}  // namespace bazaar::runtime::crypto
