// BIP39 English mnemonics (https://github.com/bitcoin/bips/blob/master/bip-0039.mediawiki)
// and substrate-bip39's mini secret (https://github.com/paritytech/substrate-bip39).

#include "runtime/crypto/bip39_wordlist.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/random.hpp"

#include <cryptopp/pwdbased.h>
#include <cryptopp/sha.h>

#include <algorithm>
#include <cctype>
#include <cassert>
#include <vector>

namespace bazaar::runtime::crypto {
namespace {

constexpr unsigned kBitsPerWord = 11;
constexpr unsigned kPbkdf2Iterations = 2048;

bool valid_word_count(std::size_t n) { return n >= 12 && n <= 24 && n % 3 == 0; }
bool valid_entropy_size(std::size_t n) { return n >= 16 && n <= 32 && n % 4 == 0; }

uint8_t sha256_first_byte(ByteSpan data) {
  std::array<uint8_t, CryptoPP::SHA256::DIGESTSIZE> digest;
  CryptoPP::SHA256().CalculateDigest(digest.data(), data.data(), data.size());
  return digest[0];
}

std::vector<std::string_view> split_words(std::string_view phrase) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < phrase.size()) {
    while (i < phrase.size() && std::isspace(static_cast<unsigned char>(phrase[i]))) ++i;
    std::size_t start = i;
    while (i < phrase.size() && !std::isspace(static_cast<unsigned char>(phrase[i]))) ++i;
    if (i > start) words.push_back(phrase.substr(start, i - start));
  }
  return words;
}

}  // namespace

Result<Bytes> mnemonic_to_entropy(std::string_view phrase) {
  auto words = split_words(phrase);
  if (!valid_word_count(words.size())) return DeriveError::InvalidPhrase;
  const auto& list = bip39_english_wordlist();
  std::vector<bool> bits;
  bits.reserve(words.size() * kBitsPerWord);
  for (auto w : words) {
    auto it = std::lower_bound(list.begin(), list.end(), w);
    if (it == list.end() || *it != w) return DeriveError::InvalidWord;
    auto index = static_cast<unsigned>(it - list.begin());
    for (int b = kBitsPerWord - 1; b >= 0; --b) bits.push_back((index >> b) & 1);
  }
  std::size_t checksum_bits = bits.size() / 33;
  std::size_t entropy_bits = bits.size() - checksum_bits;
  Bytes entropy(entropy_bits / 8, 0);
  for (std::size_t i = 0; i < entropy_bits; ++i)
    if (bits[i]) entropy[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
  unsigned expected = sha256_first_byte(entropy) >> (8 - checksum_bits);
  unsigned actual = 0;
  for (std::size_t i = 0; i < checksum_bits; ++i) actual = (actual << 1) | bits[entropy_bits + i];
  if (actual != expected) return DeriveError::BadChecksum;
  return entropy;
}

Result<std::string> entropy_to_mnemonic(ByteSpan entropy) {
  if (!valid_entropy_size(entropy.size())) return DeriveError::InvalidEntropy;
  Bytes data(entropy.begin(), entropy.end());
  data.push_back(sha256_first_byte(entropy));  // only the first size/4 bits are used
  std::size_t words = (entropy.size() * 8 + entropy.size() / 4) / kBitsPerWord;
  const auto& list = bip39_english_wordlist();
  std::string out;
  for (std::size_t w = 0; w < words; ++w) {
    unsigned index = 0;
    for (std::size_t b = w * kBitsPerWord; b < (w + 1) * kBitsPerWord; ++b)
      index = (index << 1) | ((data[b / 8] >> (7 - b % 8)) & 1);
    if (w) out.push_back(' ');
    out.append(list[index]);
  }
  return out;
}

Secret32 mini_secret_from_entropy(ByteSpan entropy, std::string_view password) {
  std::string salt = "mnemonic";
  salt.append(password);
  std::array<uint8_t, 64> seed;
  CryptoPP::PKCS5_PBKDF2_HMAC<CryptoPP::SHA512> pbkdf2;
  pbkdf2.DeriveKey(seed.data(), seed.size(), 0, entropy.data(), entropy.size(),
                   reinterpret_cast<const uint8_t*>(salt.data()), salt.size(), kPbkdf2Iterations);
  Secret32 out;
  std::copy_n(seed.begin(), out.size(), out.begin());
  std::fill(seed.begin(), seed.end(), 0);
  return out;
}

std::string generate_mnemonic(unsigned words) {
  assert(valid_word_count(words));
  Bytes entropy(words * kBitsPerWord * 32 / 33 / 8);
  os_random_bytes(entropy);
  auto phrase = entropy_to_mnemonic(entropy);
  std::fill(entropy.begin(), entropy.end(), 0);
  return std::move(phrase).value();
}

}  // namespace bazaar::runtime::crypto
