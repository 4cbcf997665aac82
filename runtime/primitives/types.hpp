#pragma once
// The primitive types of the chain (Substrate's names and widths).

#include "runtime/codec/bytes.hpp"
#include "runtime/codec/scale.hpp"

#include <cstdint>

namespace bazaar::runtime {

struct AccountIdTag {};
/// sp_core::crypto::AccountId32: for our ECDSA accounts, blake2b-256 of the
/// 33-byte compressed secp256k1 public key.
using AccountId32 = FixedBytes<32, AccountIdTag>;
using AccountId = AccountId32;

/// Base units of CC; 1 CC = 10^12 units (12 decimals).
using Balance = u128;
inline constexpr Balance kUnitsPerCC = 1'000'000'000'000;
inline constexpr unsigned kCCDecimals = 12;

using BlockNumber = uint32_t;
using Nonce = uint32_t;
/// Milliseconds since the unix epoch (pallet_timestamp's Moment).
using Moment = uint64_t;
using Hash = H256;

/// sp_weights::Weight: computation time (picoseconds of reference hardware)
/// and proof size (bytes). SCALE: both fields compact, as in Substrate.
struct Weight {
  uint64_t ref_time = 0;
  uint64_t proof_size = 0;
  Weight& operator+=(const Weight& o) {
    ref_time += o.ref_time;
    proof_size += o.proof_size;
    return *this;
  }
  friend Weight operator+(Weight a, const Weight& b) { return a += b; }
  friend bool operator==(const Weight&, const Weight&) = default;
};

}  // namespace bazaar::runtime

template <>
struct bazaar::runtime::codec::Codec<bazaar::runtime::Weight> {
  static void encode(Encoder& e, const Weight& w) {
    encode_compact(e, w.ref_time);
    encode_compact(e, w.proof_size);
  }
  static Result<void> decode(Decoder& d, Weight& w) {
    Compact<uint64_t> a, b;
    BAZAAR_TRY(decode_from(d, a));
    BAZAAR_TRY(decode_from(d, b));
    w = {a.value, b.value};
    return success();
  }
};
