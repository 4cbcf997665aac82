#include "runtime/storage/keys.hpp"

#include "runtime/crypto/hash.hpp"

namespace bazaar::runtime::storage {

Bytes hash_key(Hasher h, ByteSpan k) {
  Bytes out;
  auto put = [&](auto&& arr) { out.insert(out.end(), arr.begin(), arr.end()); };
  switch (h) {
    case Hasher::Blake2_128: put(crypto::blake2b_128(k)); break;
    case Hasher::Blake2_256: put(crypto::blake2b_256(k).bytes); break;
    case Hasher::Blake2_128Concat: put(crypto::blake2b_128(k)); put(k); break;
    case Hasher::Twox128: put(crypto::twox_128(k)); break;
    case Hasher::Twox256: put(crypto::twox_256(k)); break;
    case Hasher::Twox64Concat: put(crypto::twox_64(k)); put(k); break;
    case Hasher::Identity: put(k); break;
  }
  return out;
}

std::optional<std::size_t> concat_hash_length(Hasher h) {
  switch (h) {
    case Hasher::Blake2_128Concat: return 16;
    case Hasher::Twox64Concat: return 8;
    case Hasher::Identity: return 0;
    default: return std::nullopt;
  }
}

Bytes item_prefix(std::string_view module, std::string_view item) {
  Bytes out;
  auto a = crypto::twox_128(crypto::as_bytes(module));
  auto b = crypto::twox_128(crypto::as_bytes(item));
  out.insert(out.end(), a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace bazaar::runtime::storage
