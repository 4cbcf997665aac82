#pragma once
// Checks shared by the SCALE-based fuzz targets.

#include "runtime/codec/scale.hpp"
#include "tests/fuzz/fuzz.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace bazaar::fuzz {

/// A rejection must come with a real message (DESIGN.md: bad input "is
/// rejected with a message"), not the "unknown ... error" fallback of an
/// error enum's to_string (an error code outside the enum).
inline void check_error_message(const boost::system::error_code& ec) {
  FUZZ_CHECK(ec.value() != 0);
  std::string message = ec.message();
  FUZZ_CHECK(!message.empty());
  FUZZ_CHECK(!(message.starts_with("unknown") && message.ends_with("error")));
}

/// Decodes a whole T from the input. On success notes acceptance and checks
/// that SCALE is canonical for T: encode(decode(x)) == x, so that two
/// different byte strings never decode to the same value (hashes of encodings
/// identify values). On failure checks the error message.
template <class T>
std::optional<T> decode_canonical(const uint8_t* data, std::size_t size) {
  runtime::ByteSpan in(data, size);
  auto decoded = runtime::codec::decode<T>(in);
  if (!decoded) {
    check_error_message(decoded.error());
    return std::nullopt;
  }
  note_accepted();
  runtime::Bytes again = runtime::codec::encode(decoded.value());
  FUZZ_CHECK(std::ranges::equal(again, in));
  return std::move(decoded).value();
}

}  // namespace bazaar::fuzz
