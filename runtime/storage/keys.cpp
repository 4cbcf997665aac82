#include "runtime/storage/keys.hpp"

#include "runtime/crypto/hash.hpp"

#include <array>
#include <functional>
#include <string_view>

namespace bazaar::runtime::storage {

Bytes hash_key(Hasher h, ByteSpan k) {
  Bytes out;
  out.reserve(hashed_key_size(h, k.size()));
  append_hashed_key(out, h, k);
  return out;
}

namespace {

/// blake2b_128 of short map keys, memoized per thread. A block's extrinsics
/// address the same few accounts many times each (a transfer: the sender's
/// nonce, fee and balance, the receiver, the author's fee), and a BLAKE2b
/// compression costs more than the storage lookup it keys. The memo maps a
/// key's exact bytes to their hash (a pure function): it cannot go stale.
/// Direct-mapped; a collision simply replaces the entry.
class Blake2_128Memo {
 public:
  static constexpr std::size_t kMaxKey = 32;  // AccountId32, H256 and smaller keys

  std::array<uint8_t, 16> hash(ByteSpan k) {
    if (k.size() > kMaxKey) return crypto::blake2b_128(k);
    const std::string_view chars(reinterpret_cast<const char*>(k.data()), k.size());
    Entry& e = m_entries[std::hash<std::string_view>{}(chars) % kEntries];
    if (e.used && e.size == k.size() && std::equal(k.begin(), k.end(), e.key.begin())) return e.hash;
    e.hash = crypto::blake2b_128(k);
    std::copy(k.begin(), k.end(), e.key.begin());
    e.size = static_cast<uint8_t>(k.size());
    e.used = true;
    return e.hash;
  }

 private:
  static constexpr std::size_t kEntries = 64;
  struct Entry {
    std::array<uint8_t, kMaxKey> key{};
    std::array<uint8_t, 16> hash{};
    uint8_t size = 0;
    bool used = false;
  };
  std::array<Entry, kEntries> m_entries{};
};

std::array<uint8_t, 16> blake2b_128_memo(ByteSpan k) {
  thread_local Blake2_128Memo memo;
  return memo.hash(k);
}

}  // namespace

void append_hashed_key(Bytes& out, Hasher h, ByteSpan k) {
  auto put = [&](auto&& arr) { out.insert(out.end(), arr.begin(), arr.end()); };
  switch (h) {
    case Hasher::Blake2_128: put(blake2b_128_memo(k)); break;
    case Hasher::Blake2_256: put(crypto::blake2b_256(k).bytes); break;
    case Hasher::Blake2_128Concat: put(blake2b_128_memo(k)); put(k); break;
    case Hasher::Twox128: put(crypto::twox_128(k)); break;
    case Hasher::Twox256: put(crypto::twox_256(k)); break;
    case Hasher::Twox64Concat: put(crypto::twox_64(k)); put(k); break;
    case Hasher::Identity: put(k); break;
  }
}

std::size_t hashed_key_size(Hasher h, std::size_t key_size) {
  switch (h) {
    case Hasher::Blake2_128: return 16;
    case Hasher::Blake2_256: return 32;
    case Hasher::Blake2_128Concat: return 16 + key_size;
    case Hasher::Twox128: return 16;
    case Hasher::Twox256: return 32;
    case Hasher::Twox64Concat: return 8 + key_size;
    case Hasher::Identity: return key_size;
  }
  return 0;
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
  out.reserve(32);
  auto a = crypto::twox_128(crypto::as_bytes(module));
  auto b = crypto::twox_128(crypto::as_bytes(item));
  out.insert(out.end(), a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace bazaar::runtime::storage
