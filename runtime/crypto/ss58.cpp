#include "runtime/crypto/ss58.hpp"

#include "runtime/crypto/hash.hpp"

#include <algorithm>
#include <cassert>

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::runtime::crypto, Ss58Error, "ss58", to_string)

namespace bazaar::runtime::crypto {

const char* to_string(Ss58Error e) {
  switch (e) {
    case Ss58Error::BadBase58: return "invalid base58 character";
    case Ss58Error::BadLength: return "invalid address length";
    case Ss58Error::BadChecksum: return "invalid SS58 checksum";
    case Ss58Error::BadPrefix: return "invalid or reserved SS58 prefix";
    case Ss58Error::BadHex: return "invalid hex account id";
  }
  return "unknown SS58 error";
}

namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t kChecksumLen = 2;
/// Longest text we try to decode: 2 + 32 + 2 bytes need at most 50 characters.
constexpr std::size_t kMaxAddressChars = 64;

std::array<uint8_t, 64> ss58_hash(ByteSpan data) {
  Bytes pre = to_bytes("SS58PRE");
  pre.insert(pre.end(), data.begin(), data.end());
  return blake2b_512(pre);
}

bool reserved(uint16_t prefix) { return prefix == 46 || prefix == 47; }

}  // namespace

std::string base58_encode(ByteSpan in) {
  std::size_t zeros = 0;
  while (zeros < in.size() && in[zeros] == 0) ++zeros;
  // Big-endian base-58 digits, least significant last; log(256)/log(58) < 1.37.
  std::vector<uint8_t> digits((in.size() - zeros) * 137 / 100 + 1, 0);
  std::size_t used = 0;
  for (std::size_t i = zeros; i < in.size(); ++i) {
    unsigned carry = in[i];
    std::size_t k = 0;
    for (auto it = digits.rbegin(); (carry != 0 || k < used) && it != digits.rend(); ++it, ++k) {
      carry += 256u * *it;
      *it = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    used = k;
  }
  auto first = std::find_if(digits.begin(), digits.end(), [](uint8_t d) { return d != 0; });
  std::string out(zeros, '1');
  for (auto it = first; it != digits.end(); ++it) out.push_back(kAlphabet[*it]);
  return out;
}

Result<Bytes> base58_decode(std::string_view in) {
  std::size_t zeros = 0;
  while (zeros < in.size() && in[zeros] == '1') ++zeros;
  // log(58)/log(256) < 0.733.
  Bytes bytes((in.size() - zeros) * 733 / 1000 + 1, 0);
  std::size_t used = 0;
  for (std::size_t i = zeros; i < in.size(); ++i) {
    auto pos = kAlphabet.find(in[i]);
    if (pos == std::string_view::npos) return Ss58Error::BadBase58;
    unsigned carry = static_cast<unsigned>(pos);
    std::size_t k = 0;
    for (auto it = bytes.rbegin(); (carry != 0 || k < used) && it != bytes.rend(); ++it, ++k) {
      carry += 58u * *it;
      *it = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    used = k;
  }
  auto first = std::find_if(bytes.begin(), bytes.end(), [](uint8_t b) { return b != 0; });
  Bytes out(zeros, 0);
  out.insert(out.end(), first, bytes.end());
  return out;
}

std::string ss58_encode(const AccountId32& account, uint16_t prefix) {
  assert(prefix <= kMaxSs58Prefix && !reserved(prefix));
  Bytes data;
  if (prefix < 64) {
    data.push_back(static_cast<uint8_t>(prefix));
  } else {
    data.push_back(static_cast<uint8_t>(((prefix & 0xfc) >> 2) | 0x40));
    data.push_back(static_cast<uint8_t>((prefix >> 8) | ((prefix & 0x03) << 6)));
  }
  data.insert(data.end(), account.begin(), account.end());
  auto hash = ss58_hash(data);
  data.insert(data.end(), hash.begin(), hash.begin() + kChecksumLen);
  return base58_encode(data);
}

Result<Ss58Address> ss58_decode(std::string_view address) {
  if (address.size() > kMaxAddressChars) return Ss58Error::BadLength;
  BAZAAR_TRY(auto data, base58_decode(address));
  if (data.size() < 2) return Ss58Error::BadLength;
  std::size_t prefix_len;
  uint16_t prefix;
  if (data[0] < 64) {
    prefix_len = 1;
    prefix = data[0];
  } else if (data[0] < 128) {
    prefix_len = 2;
    uint8_t lower = static_cast<uint8_t>((data[0] << 2) | (data[1] >> 6));
    uint8_t upper = data[1] & 0x3f;
    prefix = static_cast<uint16_t>(lower | (upper << 8));
  } else {
    return Ss58Error::BadPrefix;
  }
  if (data.size() != prefix_len + AccountId32::kSize + kChecksumLen) return Ss58Error::BadLength;
  if (reserved(prefix)) return Ss58Error::BadPrefix;
  std::size_t body = prefix_len + AccountId32::kSize;
  auto hash = ss58_hash(ByteSpan(data).first(body));
  if (!std::equal(hash.begin(), hash.begin() + kChecksumLen, data.begin() + body)) return Ss58Error::BadChecksum;
  return Ss58Address{AccountId32::from_span(ByteSpan(data).subspan(prefix_len, AccountId32::kSize)), prefix};
}

Result<AccountId32> parse_account(std::string_view text) {
  if (text.starts_with("0x")) {
    auto bytes = from_hex(text);
    if (!bytes) return Ss58Error::BadHex;
    if (bytes->size() != AccountId32::kSize) return Ss58Error::BadLength;
    return AccountId32::from_span(*bytes);
  }
  BAZAAR_TRY(auto decoded, ss58_decode(text));
  return decoded.account;
}

}  // namespace bazaar::runtime::crypto
