#pragma once
// SS58 addresses for 32-byte account ids (Substrate's Ss58Codec; docs
// https://docs.substrate.io/reference/address-formats/; spec §5):
//   data     = prefix (1 byte if < 64, else 2 bytes) ++ account(32)
//   checksum = first 2 bytes of blake2b-512("SS58PRE" ++ data)
//   address  = base58btc(data ++ checksum)
// Two-byte prefixes (64..16383): b0 = ((p & 0xfc) >> 2) | 0x40,
// b1 = (p >> 8) | ((p & 3) << 6). Prefixes 46 and 47 are reserved.

#include "runtime/primitives/types.hpp"
#include "runtime/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace bazaar::runtime::crypto {

enum class Ss58Error {
  BadBase58 = 1,  ///< a character outside the base58btc alphabet
  BadLength,      ///< decodes to the wrong number of bytes (or hex of the wrong size)
  BadChecksum,    ///< the 2-byte checksum does not match
  BadPrefix,      ///< first byte >= 128, or a reserved prefix (46, 47)
  BadHex,         ///< "0x..." that is not hex
};
const char* to_string(Ss58Error e);

}  // namespace bazaar::runtime::crypto

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::runtime::crypto, Ss58Error)

namespace bazaar::runtime::crypto {

/// The largest network prefix SS58 can express.
inline constexpr uint16_t kMaxSs58Prefix = 16383;
/// Substrate's generic prefix, the default of dev chains.
inline constexpr uint16_t kDefaultSs58Prefix = 42;

struct Ss58Address {
  AccountId32 account;
  uint16_t prefix = 0;
  friend bool operator==(const Ss58Address&, const Ss58Address&) = default;
};

/// SS58 text of `account` under network `prefix`. The prefix must be
/// <= kMaxSs58Prefix and not 46/47 (asserted: chain specs validate it).
std::string ss58_encode(const AccountId32& account, uint16_t prefix = kDefaultSs58Prefix);

/// base58btc text (Bitcoin alphabet) of arbitrary bytes; leading zero bytes become '1's.
std::string base58_encode(ByteSpan data);
/// Inverse of base58_encode. Errors: BadBase58.
Result<Bytes> base58_decode(std::string_view text);

/// Decodes an SS58 address of a 32-byte account with any prefix.
/// Errors: BadBase58, BadLength, BadChecksum, BadPrefix.
Result<Ss58Address> ss58_decode(std::string_view address);

/// An account written either as SS58 (any prefix) or as "0x" + 64 hex digits.
/// Errors: those of ss58_decode, BadHex, BadLength.
Result<AccountId32> parse_account(std::string_view text);

}  // namespace bazaar::runtime::crypto
