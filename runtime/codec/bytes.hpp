#pragma once
// Byte containers and fixed-size byte arrays used everywhere (hashes, account
// ids), plus hex conversion ("0x"-prefixed lowercase, as Substrate's JSON).

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bazaar::runtime {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

/// A u128, the type of balances (base units of CC).
using u128 = unsigned __int128;

/// N bytes with a distinct C++ type per Tag, so that an AccountId32 is never
/// passed where an H256 is expected. SCALE-encodes as N raw bytes.
template <std::size_t N, class Tag>
struct FixedBytes {
  static constexpr std::size_t kSize = N;
  std::array<uint8_t, N> bytes{};

  uint8_t* data() { return bytes.data(); }
  const uint8_t* data() const { return bytes.data(); }
  static constexpr std::size_t size() { return N; }
  auto begin() const { return bytes.begin(); }
  auto end() const { return bytes.end(); }
  ByteSpan span() const { return {bytes.data(), N}; }
  bool is_zero() const {
    for (auto b : bytes)
      if (b != 0) return false;
    return true;
  }
  static FixedBytes from_span(ByteSpan s) {
    FixedBytes out;
    for (std::size_t i = 0; i < N && i < s.size(); ++i) out.bytes[i] = s[i];
    return out;
  }
  friend auto operator<=>(const FixedBytes&, const FixedBytes&) = default;
};

struct H256Tag {};
struct H512Tag {};
/// A 32-byte hash (blake2b-256 unless said otherwise): block, extrinsic, trie node hashes.
using H256 = FixedBytes<32, H256Tag>;

/// "0x" + lowercase hex of the bytes.
std::string to_hex(ByteSpan bytes);
template <std::size_t N, class Tag>
std::string to_hex(const FixedBytes<N, Tag>& b) {
  return to_hex(b.span());
}

/// Parses hex with or without "0x"; nullopt on odd length or a non-hex digit.
std::optional<Bytes> from_hex(std::string_view hex);

/// Parses hex of exactly N bytes into a FixedBytes; nullopt otherwise.
template <class Fixed>
std::optional<Fixed> fixed_from_hex(std::string_view hex) {
  auto bytes = from_hex(hex);
  if (!bytes || bytes->size() != Fixed::kSize) return std::nullopt;
  return Fixed::from_span(*bytes);
}

inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

/// Decimal text of a u128 (std::to_string has no overload for it).
std::string u128_to_string(u128 v);
/// Parses an unsigned decimal u128; nullopt on overflow or a non-digit.
std::optional<u128> u128_from_string(std::string_view s);

}  // namespace bazaar::runtime

template <std::size_t N, class Tag>
struct std::hash<bazaar::runtime::FixedBytes<N, Tag>> {
  std::size_t operator()(const bazaar::runtime::FixedBytes<N, Tag>& b) const noexcept {
    std::size_t h = 0;
    for (std::size_t i = 0; i < sizeof(std::size_t) && i < N; ++i) h = (h << 8) | b.bytes[i];
    return h;
  }
};
