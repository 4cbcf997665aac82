#pragma once
// Transaction mortality (sp_runtime::generic::Era; spec §4 "Era").
//
// Immortal encodes as 0x00. Mortal(period, phase) encodes as a u16 LE:
//   clamp(trailing_zeros(period) - 1, 1, 15) | (phase / q) << 4,  q = max(period >> 12, 1)
// and is valid from birth(current) until death(current) (exclusive), block numbers.

#include "runtime/codec/scale.hpp"
#include "runtime/primitives/extrinsic_error.hpp"

#include <cstdint>

namespace bazaar::runtime {

class Era {
 public:
  /// Valid forever (its birth block is the genesis block).
  static Era immortal() { return {}; }
  /// Valid for about `period` blocks starting at `current`, with Substrate's
  /// rounding: period -> next power of two clamped to [4, 65536];
  /// phase = current % period quantised down to a multiple of max(period >> 12, 1).
  static Era mortal(uint64_t period, uint64_t current);

  bool is_immortal() const { return m_period == 0; }
  /// 0 when immortal.
  uint64_t period() const { return m_period; }
  uint64_t phase() const { return m_phase; }

  /// The first block of the era that contains `current`: 0 if immortal, else
  /// (max(current, phase) - phase) / period * period + phase.
  uint64_t birth(uint64_t current) const;
  /// The first block at which the era is over: UINT64_MAX if immortal, else birth + period.
  uint64_t death(uint64_t current) const;

  friend bool operator==(const Era&, const Era&) = default;

 private:
  friend struct codec::Codec<Era>;
  uint64_t m_period = 0;
  uint64_t m_phase = 0;
};

}  // namespace bazaar::runtime

namespace bazaar::runtime::codec {

/// 1 byte (0x00, immortal) or 2 bytes LE (mortal). Decode errors:
/// NotEnoughData, ExtrinsicError::InvalidEra.
template <>
struct Codec<Era> {
  static void encode(Encoder& e, const Era& v);
  static Result<void> decode(Decoder& d, Era& v);
};

}  // namespace bazaar::runtime::codec
