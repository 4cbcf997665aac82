#include "tests/fuzz/mutator.hpp"

#include "runtime/codec/scale.hpp"

#include <algorithm>
#include <array>

namespace bazaar::fuzz {
namespace {

constexpr std::array<uint8_t, 12> kInterestingBytes = {0x00, 0x01, 0x02, 0x03, 0x04, 0x7f,
                                                       0x80, 0x84, 0xfc, 0xfd, 0xfe, 0xff};

runtime::u128 max_u128() { return ~runtime::u128{0}; }

}  // namespace

Mutator::Mutator(uint64_t seed, std::vector<std::string> dictionary)
    : m_rng(seed), m_dictionary(std::move(dictionary)) {}

uint64_t Mutator::below(uint64_t n) { return m_rng() % n; }

Bytes Mutator::random_bytes(std::size_t n) {
  Bytes out(n);
  for (auto& b : out) b = static_cast<uint8_t>(m_rng());
  return out;
}

Bytes Mutator::mutate(ByteSpan input, ByteSpan other, std::size_t max_size) {
  Bytes data(input.begin(), input.end());
  std::size_t rounds = 1 + below(4);
  for (std::size_t i = 0; i < rounds; ++i) mutate_once(data, other);
  if (data.size() > max_size) data.resize(max_size);
  return data;
}

void Mutator::mutate_once(Bytes& data, ByteSpan other) {
  // Positions are drawn in [0, size] so that empty inputs still grow.
  auto pos = [&] { return static_cast<std::size_t>(below(data.size() + 1)); };
  switch (below(12)) {
    case 0:  // flip one bit
      if (!data.empty()) data[below(data.size())] ^= static_cast<uint8_t>(1u << below(8));
      break;
    case 1:  // an interesting byte value
      if (!data.empty()) data[below(data.size())] = kInterestingBytes[below(kInterestingBytes.size())];
      break;
    case 2:  // a small increment or decrement (shifts lengths and indices by one)
      if (!data.empty()) data[below(data.size())] += static_cast<uint8_t>(below(2) ? 1 : 0xff);
      break;
    case 3:  // truncate
      data.resize(pos());
      break;
    case 4: {  // delete a range
      if (data.empty()) break;
      std::size_t from = below(data.size());
      std::size_t len = 1 + below(std::min<std::size_t>(data.size() - from, 16));
      data.erase(data.begin() + static_cast<std::ptrdiff_t>(from),
                 data.begin() + static_cast<std::ptrdiff_t>(from + len));
      break;
    }
    case 5: {  // insert random bytes
      Bytes extra = random_bytes(1 + below(8));
      data.insert(data.begin() + static_cast<std::ptrdiff_t>(pos()), extra.begin(), extra.end());
      break;
    }
    case 6: {  // duplicate a chunk somewhere else (grows nested structures)
      if (data.empty()) break;
      std::size_t from = below(data.size());
      std::size_t len = 1 + below(std::min<std::size_t>(data.size() - from, 64));
      Bytes chunk(data.begin() + static_cast<std::ptrdiff_t>(from),
                  data.begin() + static_cast<std::ptrdiff_t>(from + len));
      std::size_t copies = 1 + below(below(4) == 0 ? 40 : 2);
      std::size_t at = pos();
      for (std::size_t c = 0; c < copies; ++c)
        data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), chunk.begin(), chunk.end());
      break;
    }
    case 7:
      insert_compact(data, /*overwrite=*/true);
      break;
    case 8:
      insert_compact(data, /*overwrite=*/false);
      break;
    case 9: {  // splice: a prefix of this input, a suffix of the other
      if (other.empty()) break;
      std::size_t cut = pos();
      std::size_t from = below(other.size());
      data.resize(cut);
      data.insert(data.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
      break;
    }
    case 10:
      apply_token(data);
      break;
    default: {  // overwrite a few bytes with random ones
      if (data.empty()) break;
      std::size_t from = below(data.size());
      std::size_t len = 1 + below(std::min<std::size_t>(data.size() - from, 4));
      for (std::size_t i = 0; i < len; ++i) data[from + i] = static_cast<uint8_t>(m_rng());
      break;
    }
  }
}

void Mutator::insert_compact(Bytes& data, bool overwrite) {
  using runtime::u128;
  static const std::array<u128, 12> kValues = {
      63, 64, 16383, 16384, (u128{1} << 30) - 1, u128{1} << 30, 0xffff'ffffu, u128{1} << 32,
      0xffff'ffff'ffff'ffffu, u128{1} << 64, max_u128(), 0};
  std::size_t at = static_cast<std::size_t>(below(data.size() + 1));
  u128 value = kValues[below(kValues.size())];
  if (below(3) == 0) value = data.size() - at + below(3) - 1;  // the bytes that follow, off by one
  runtime::codec::Encoder e;
  runtime::codec::encode_compact(e, value);
  const Bytes& c = e.bytes();
  if (overwrite) {
    std::size_t end = std::min(data.size(), at + c.size());
    data.erase(data.begin() + static_cast<std::ptrdiff_t>(at), data.begin() + static_cast<std::ptrdiff_t>(end));
  }
  data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), c.begin(), c.end());
}

void Mutator::apply_token(Bytes& data) {
  if (m_dictionary.empty()) {
    data.insert(data.begin() + static_cast<std::ptrdiff_t>(below(data.size() + 1)),
                kInterestingBytes[below(kInterestingBytes.size())]);
    return;
  }
  const std::string& token = m_dictionary[below(m_dictionary.size())];
  std::size_t at = static_cast<std::size_t>(below(data.size() + 1));
  if (below(2) == 0) {
    std::size_t end = std::min(data.size(), at + token.size());
    data.erase(data.begin() + static_cast<std::ptrdiff_t>(at), data.begin() + static_cast<std::ptrdiff_t>(end));
  }
  data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), token.begin(), token.end());
}

}  // namespace bazaar::fuzz
