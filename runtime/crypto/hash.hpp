#pragma once
// The hash functions of Substrate's storage, blocks and addresses.
//   blake2b (RFC 7693, unkeyed) via Crypto++: 64/128/256/512-bit outputs;
//   twox via libxxhash: twox64 = XXH64(seed 0) as 8 LE bytes, twox128 = seeds
//   0,1 concatenated, twox256 = seeds 0..3 (sp_core::hashing).
// Total functions: none of them can fail.

#include "runtime/codec/bytes.hpp"

#include <array>

namespace bazaar::runtime::crypto {

std::array<uint8_t, 8> blake2b_64(ByteSpan data);
std::array<uint8_t, 16> blake2b_128(ByteSpan data);
H256 blake2b_256(ByteSpan data);
std::array<uint8_t, 64> blake2b_512(ByteSpan data);

/// blake2b-256 over the concatenation of several byte ranges, without copying.
H256 blake2b_256_concat(std::initializer_list<ByteSpan> parts);

std::array<uint8_t, 8> twox_64(ByteSpan data);
std::array<uint8_t, 16> twox_128(ByteSpan data);
std::array<uint8_t, 32> twox_256(ByteSpan data);

inline ByteSpan as_bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

}  // namespace bazaar::runtime::crypto
