#include "runtime/crypto/hash.hpp"

#include <cryptopp/blake2.h>
#include <xxhash.h>

namespace bazaar::runtime::crypto {
namespace {

/// One BLAKE2b-N hasher per thread, reused: setting one up (parameter block,
/// key schedule) costs about as much as hashing a short storage key.
/// Final() leaves it restarted for the next hash.
template <std::size_t N>
CryptoPP::BLAKE2b& hasher() {
  thread_local CryptoPP::BLAKE2b h(false, static_cast<unsigned int>(N));
  return h;
}

template <std::size_t N>
std::array<uint8_t, N> blake2b(ByteSpan data) {
  auto& h = hasher<N>();
  h.Update(data.data(), data.size());
  std::array<uint8_t, N> out;
  h.Final(out.data());
  return out;
}

void put_le64(uint8_t* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

template <std::size_t N>
std::array<uint8_t, N> twox(ByteSpan data) {
  std::array<uint8_t, N> out;
  for (std::size_t seed = 0; seed < N / 8; ++seed)
    put_le64(out.data() + 8 * seed, XXH64(data.data(), data.size(), seed));
  return out;
}

}  // namespace

std::array<uint8_t, 8> blake2b_64(ByteSpan data) { return blake2b<8>(data); }
std::array<uint8_t, 16> blake2b_128(ByteSpan data) { return blake2b<16>(data); }
std::array<uint8_t, 64> blake2b_512(ByteSpan data) { return blake2b<64>(data); }

H256 blake2b_256(ByteSpan data) {
  H256 out;
  out.bytes = blake2b<32>(data);
  return out;
}

H256 blake2b_256_concat(std::initializer_list<ByteSpan> parts) {
  auto& h = hasher<32>();
  for (auto p : parts) h.Update(p.data(), p.size());
  H256 out;
  h.Final(out.bytes.data());
  return out;
}

std::array<uint8_t, 8> twox_64(ByteSpan data) { return twox<8>(data); }
std::array<uint8_t, 16> twox_128(ByteSpan data) { return twox<16>(data); }
std::array<uint8_t, 32> twox_256(ByteSpan data) { return twox<32>(data); }

}  // namespace bazaar::runtime::crypto
