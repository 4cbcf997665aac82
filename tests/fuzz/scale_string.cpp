// Fuzz target: SCALE strings (runtime/codec/scale.cpp). Besides the
// canonical round trip, the UTF-8 check is compared with nlohmann::json's
// (an independent validator, strict mode): a string the codec accepts must
// serialise as JSON (RPC answers carry them), and one it rejects as invalid
// UTF-8 must be invalid for nlohmann too.

#include "runtime/codec/scale.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

#include <nlohmann/json.hpp>

namespace bazaar::fuzz {
namespace {

bool json_accepts_utf8(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

}  // namespace

void fuzz_scale_string(const uint8_t* data, std::size_t size) {
  using runtime::codec::CodecError;
  runtime::ByteSpan in(data, size);

  auto text = decode_canonical<std::string>(data, size);
  if (text) {
    FUZZ_CHECK(json_accepts_utf8(*text));
    return;
  }
  // Rejected: if only the UTF-8 check failed, the body really is not UTF-8.
  runtime::codec::Decoder d(in);
  auto len = runtime::codec::decode_length(d);
  if (!len || len.value() != d.remaining()) return;
  auto body = d.rest();
  auto again = runtime::codec::decode<std::string>(in);
  FUZZ_CHECK(!again && again.error() == CodecError::InvalidUtf8);
  FUZZ_CHECK(!json_accepts_utf8(std::string(body.begin(), body.end())));
}

}  // namespace bazaar::fuzz
