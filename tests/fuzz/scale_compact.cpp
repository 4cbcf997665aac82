// Fuzz target: SCALE compact integers (runtime/codec/scale.cpp).
// Decode side: whatever decodes re-encodes to exactly the bytes consumed
// (canonical form), and the narrower Compact<u32> / Compact<u64> accept
// exactly the values of Compact<u128> that fit. Encode side: a value built
// from the input round-trips and has the length SCALE prescribes.

#include "runtime/codec/scale.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

#include <algorithm>
#include <limits>

namespace bazaar::fuzz {
namespace {

using runtime::u128;
using runtime::codec::Compact;
using runtime::codec::Decoder;
using runtime::codec::Encoder;

/// SCALE's length for v: 1, 2, 4 bytes, or 1 + minimal little-endian bytes.
std::size_t expected_length(u128 v) {
  if (v < (u128{1} << 6)) return 1;
  if (v < (u128{1} << 14)) return 2;
  if (v < (u128{1} << 30)) return 4;
  std::size_t n = 0;
  for (u128 t = v; t != 0; t >>= 8) ++n;
  return 1 + n;
}

template <class T>
void check_narrow(runtime::ByteSpan in, const Result<u128>& wide, std::size_t wide_used) {
  Decoder d(in);
  Compact<T> narrow;
  auto r = runtime::codec::decode_from(d, narrow);
  bool fits = wide && wide.value() <= static_cast<u128>(std::numeric_limits<T>::max());
  FUZZ_CHECK(static_cast<bool>(r) == fits);
  if (r) {
    FUZZ_CHECK(static_cast<u128>(narrow.value) == wide.value());
    FUZZ_CHECK(d.position() == wide_used);
  } else {
    check_error_message(r.error());
  }
}

}  // namespace

void fuzz_scale_compact(const uint8_t* data, std::size_t size) {
  runtime::ByteSpan in(data, size);

  // Decode side: a compact at the start of the input (the rest is ignored).
  Decoder d(in);
  auto wide = runtime::codec::decode_compact(d);
  if (wide) {
    note_accepted();
    Encoder e;
    runtime::codec::encode_compact(e, wide.value());
    FUZZ_CHECK(e.size() == d.position());
    FUZZ_CHECK(std::equal(e.bytes().begin(), e.bytes().end(), in.begin()));
    FUZZ_CHECK(e.size() == expected_length(wide.value()));
    // The whole-value API agrees when the compact is the whole input.
    auto whole = runtime::codec::decode<Compact<u128>>(in);
    FUZZ_CHECK(static_cast<bool>(whole) == d.at_end());
    if (whole) FUZZ_CHECK(whole.value().value == wide.value());
  } else {
    check_error_message(wide.error());
  }
  check_narrow<uint8_t>(in, wide, d.position());
  check_narrow<uint32_t>(in, wide, d.position());
  check_narrow<uint64_t>(in, wide, d.position());

  // Encode side: a value from up to 16 input bytes, shifted to reach every magnitude.
  u128 v = 0;
  for (std::size_t i = 0; i < std::min<std::size_t>(size, 16); ++i) v |= u128{data[i]} << (8 * i);
  if (size > 16) v >>= data[16] % 128;
  runtime::Bytes encoded = runtime::codec::encode(Compact<u128>{v});
  FUZZ_CHECK(encoded.size() == expected_length(v));
  auto back = runtime::codec::decode<Compact<u128>>(encoded);
  FUZZ_CHECK(back.has_value() && back.value().value == v);
}

}  // namespace bazaar::fuzz
