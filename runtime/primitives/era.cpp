#include "runtime/primitives/era.hpp"

#include <algorithm>
#include <bit>
#include <limits>

namespace bazaar::runtime {
namespace {
constexpr uint64_t kMinPeriod = 4;
constexpr uint64_t kMaxPeriod = uint64_t{1} << 16;

uint64_t quantize_factor(uint64_t period) { return std::max<uint64_t>(period >> 12, 1); }
}  // namespace

Era Era::mortal(uint64_t period, uint64_t current) {
  // Rust's checked_next_power_of_two().unwrap_or(1 << 16).
  uint64_t p = period > (uint64_t{1} << 63) ? kMaxPeriod : std::bit_ceil(period);
  p = std::clamp(p, kMinPeriod, kMaxPeriod);
  uint64_t q = quantize_factor(p);
  Era era;
  era.m_period = p;
  era.m_phase = current % p / q * q;
  return era;
}

uint64_t Era::birth(uint64_t current) const {
  if (is_immortal()) return 0;
  return (std::max(current, m_phase) - m_phase) / m_period * m_period + m_phase;
}

uint64_t Era::death(uint64_t current) const {
  if (is_immortal()) return std::numeric_limits<uint64_t>::max();
  return birth(current) + m_period;
}

}  // namespace bazaar::runtime

namespace bazaar::runtime::codec {

void Codec<Era>::encode(Encoder& e, const Era& v) {
  if (v.is_immortal()) {
    e.push(0);
    return;
  }
  uint64_t tz = static_cast<uint64_t>(std::countr_zero(v.m_period));
  uint64_t low = std::clamp<uint64_t>(tz - 1, 1, 15);
  auto encoded = static_cast<uint16_t>(low | ((v.m_phase / quantize_factor(v.m_period)) << 4));
  encode_to(e, encoded);
}

Result<void> Codec<Era>::decode(Decoder& d, Era& v) {
  BAZAAR_TRY(auto first, d.read_byte());
  if (first == 0) {
    v = Era::immortal();
    return success();
  }
  BAZAAR_TRY(auto second, d.read_byte());
  uint64_t encoded = first | (uint64_t{second} << 8);
  uint64_t period = uint64_t{2} << (encoded % 16);
  uint64_t phase = (encoded >> 4) * quantize_factor(period);
  if (period < kMinPeriod || phase >= period) return ExtrinsicError::InvalidEra;
  v.m_period = period;
  v.m_phase = phase;
  return success();
}

}  // namespace bazaar::runtime::codec
