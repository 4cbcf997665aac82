#include "runtime/codec/scale.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::runtime::codec, CodecError, "scale", to_string)

namespace bazaar::runtime::codec {

const char* to_string(CodecError e) {
  switch (e) {
    case CodecError::NotEnoughData: return "SCALE input ended inside a value";
    case CodecError::NonCanonicalCompact: return "compact integer is not in canonical (shortest) form";
    case CodecError::CompactOutOfRange: return "compact integer out of range for its type";
    case CodecError::InvalidBool: return "invalid bool byte";
    case CodecError::InvalidOptionTag: return "invalid Option tag";
    case CodecError::InvalidEnumIndex: return "enum index names no variant";
    case CodecError::BoundExceeded: return "bounded vector longer than its bound";
    case CodecError::TrailingBytes: return "trailing bytes after the value";
    case CodecError::DepthLimit: return "value nested too deeply";
    case CodecError::InvalidUtf8: return "string is not valid UTF-8";
  }
  return "unknown SCALE error";
}

void encode_compact(Encoder& e, u128 v) {
  if (v < (u128{1} << 6)) {
    e.push(static_cast<uint8_t>(v << 2));
  } else if (v < (u128{1} << 14)) {
    uint16_t x = static_cast<uint16_t>((v << 2) | 0b01);
    e.push(static_cast<uint8_t>(x));
    e.push(static_cast<uint8_t>(x >> 8));
  } else if (v < (u128{1} << 30)) {
    uint32_t x = static_cast<uint32_t>((v << 2) | 0b10);
    for (int i = 0; i < 4; ++i) e.push(static_cast<uint8_t>(x >> (8 * i)));
  } else {
    int n = 0;
    for (u128 t = v; t != 0; t >>= 8) ++n;
    e.push(static_cast<uint8_t>(((n - 4) << 2) | 0b11));
    for (int i = 0; i < n; ++i) e.push(static_cast<uint8_t>(v >> (8 * i)));
  }
}

Result<u128> decode_compact(Decoder& d) {
  BAZAAR_TRY(auto b0, d.read_byte());
  switch (b0 & 0b11) {
    case 0b00:
      return u128{b0} >> 2;
    case 0b01: {
      BAZAAR_TRY(auto b1, d.read_byte());
      u128 v = (u128{b0} | (u128{b1} << 8)) >> 2;
      if (v < (u128{1} << 6)) return CodecError::NonCanonicalCompact;
      return v;
    }
    case 0b10: {
      BAZAAR_TRY(auto s, d.read(3));
      u128 v = (u128{b0} | (u128{s[0]} << 8) | (u128{s[1]} << 16) | (u128{s[2]} << 24)) >> 2;
      if (v < (u128{1} << 14)) return CodecError::NonCanonicalCompact;
      return v;
    }
    default: {
      std::size_t n = (b0 >> 2) + 4;
      if (n > 16) return CodecError::CompactOutOfRange;
      BAZAAR_TRY(auto s, d.read(n));
      u128 v = 0;
      for (std::size_t i = 0; i < n; ++i) v |= u128{s[i]} << (8 * i);
      // Canonical: the top byte is non-zero and the value needs the big-integer mode.
      if (s[n - 1] == 0 || v < (u128{1} << 30)) return CodecError::NonCanonicalCompact;
      return v;
    }
  }
}

Result<std::size_t> decode_length(Decoder& d) {
  BAZAAR_TRY(auto v, decode_compact(d));
  if (v > static_cast<u128>(std::numeric_limits<uint32_t>::max())) return CodecError::CompactOutOfRange;
  return static_cast<std::size_t>(v);
}

namespace {
bool valid_utf8(ByteSpan s) {
  std::size_t i = 0;
  while (i < s.size()) {
    uint8_t c = s[i];
    std::size_t n;
    uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xe0) == 0xc0) { n = 1; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { n = 2; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { n = 3; cp = c & 0x07; }
    else return false;
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n + 1;
  }
  return true;
}
}  // namespace

void Codec<std::string>::encode(Encoder& e, const std::string& v) {
  encode_compact(e, v.size());
  e.write({reinterpret_cast<const uint8_t*>(v.data()), v.size()});
}

Result<void> Codec<std::string>::decode(Decoder& d, std::string& v) {
  BAZAAR_TRY(auto n, decode_length(d));
  BAZAAR_TRY(auto s, d.read(n));
  if (!valid_utf8(s)) return CodecError::InvalidUtf8;
  v.assign(reinterpret_cast<const char*>(s.data()), s.size());
  return success();
}

}  // namespace bazaar::runtime::codec
