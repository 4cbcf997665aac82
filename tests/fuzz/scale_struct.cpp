// Fuzz target: composite SCALE values (runtime/codec/scale.hpp, box.hpp), the
// types of scale_struct.hpp. Every decoded value re-encodes to the input, and
// no decoded tree is deeper than the Decoder's depth limit allows.

#include "tests/fuzz/scale_struct.hpp"

#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

namespace bazaar::fuzz {

void fuzz_scale_struct(const uint8_t* data, std::size_t size) {
  using namespace scale_struct;
  // Each Box level enters the Decoder once: the depth can never exceed its limit.
  if (auto outer = decode_canonical<Outer>(data, size))
    FUZZ_CHECK(tree_depth(outer->tree) <= static_cast<std::size_t>(runtime::codec::Decoder::kMaxDepth) + 1);
  if (auto tree = decode_canonical<Tree>(data, size))
    FUZZ_CHECK(tree_depth(*tree) <= static_cast<std::size_t>(runtime::codec::Decoder::kMaxDepth) + 1);
  (void)decode_canonical<Choice>(data, size);
}

}  // namespace bazaar::fuzz
