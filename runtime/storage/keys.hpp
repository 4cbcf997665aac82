#pragma once
// Substrate storage keys: twox128(module prefix) ++ twox128(item name) ++
// hasher(SCALE(key)) per map key (frame_support::storage::types, hash.rs).

#include "runtime/codec/bytes.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace bazaar::runtime::storage {

/// frame_metadata::StorageHasher, with its metadata index as value.
enum class Hasher : uint8_t {
  Blake2_128 = 0,
  Blake2_256 = 1,
  Blake2_128Concat = 2,
  Twox128 = 3,
  Twox256 = 4,
  Twox64Concat = 5,
  Identity = 6,
};

/// The hashed form of an encoded map key under `h`.
Bytes hash_key(Hasher h, ByteSpan encoded_key);
/// Appends hash_key(h, encoded_key) to `out` without a temporary.
void append_hashed_key(Bytes& out, Hasher h, ByteSpan encoded_key);
/// The size in bytes of hash_key(h, k) for an encoded key of `key_size` bytes.
std::size_t hashed_key_size(Hasher h, std::size_t key_size);
/// For the "Concat" hashers and Identity: the number of hash bytes before the
/// raw key (16, 8, 0); nullopt for hashers that do not keep the key.
std::optional<std::size_t> concat_hash_length(Hasher h);

/// twox128(module) ++ twox128(item): the prefix of every key of a storage item.
Bytes item_prefix(std::string_view module, std::string_view item);

/// A string usable as a template argument (module and item names).
template <std::size_t N>
struct FixedString {
  char chars[N]{};
  constexpr FixedString(const char (&s)[N]) { std::copy_n(s, N, chars); }
  constexpr std::string_view view() const { return {chars, N - 1}; }
};

}  // namespace bazaar::runtime::storage
