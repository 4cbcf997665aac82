// Fuzz target: SCALE byte vectors and vectors of compacts (runtime/codec/scale.hpp).
// A length prefix is never trusted for an allocation: an inflated prefix is
// rejected as NotEnoughData without reserving memory for it (ASan / the RSS
// limit of libFuzzer would catch a huge reserve). Decoded values re-encode to
// the input; BoundedVec agrees with the unbounded decoder.

#include "runtime/codec/scale.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

namespace bazaar::fuzz {

void fuzz_scale_bytes(const uint8_t* data, std::size_t size) {
  using runtime::Bytes;
  using runtime::codec::BoundedVec;
  using runtime::codec::Compact;

  auto bytes = decode_canonical<Bytes>(data, size);
  if (bytes) {
    runtime::codec::Encoder prefix;
    runtime::codec::encode_compact(prefix, bytes->size());
    FUZZ_CHECK(prefix.size() + bytes->size() == size);
  }

  auto bounded = runtime::codec::decode<BoundedVec<uint8_t, 16>>({data, size});
  FUZZ_CHECK(static_cast<bool>(bounded) == (bytes && bytes->size() <= 16));
  if (bounded) FUZZ_CHECK(bounded.value().items == *bytes);

  // Elements decoded one by one (the path that must not reserve from the prefix).
  auto compacts = decode_canonical<std::vector<Compact<uint32_t>>>(data, size);
  if (compacts) FUZZ_CHECK(compacts->size() <= size);
  auto nested = decode_canonical<std::vector<Bytes>>(data, size);
  if (nested) FUZZ_CHECK(nested->size() <= size);
}

}  // namespace bazaar::fuzz
