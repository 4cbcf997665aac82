// Fuzz target: header digest items (runtime/primitives/digest.hpp), alone and
// as a whole Digest. Checks the canonical round trip and that the variant
// index in the first byte names the decoded alternative.

#include "runtime/primitives/digest.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

namespace bazaar::fuzz {

void fuzz_digest_item(const uint8_t* data, std::size_t size) {
  using namespace runtime;
  if (auto item = decode_canonical<DigestItem>(data, size)) {
    uint8_t index = std::visit([](const auto& alt) { return std::decay_t<decltype(alt)>::kIndex; }, *item);
    FUZZ_CHECK(size > 0 && data[0] == index);
  }
  (void)decode_canonical<Digest>(data, size);
}

}  // namespace bazaar::fuzz
