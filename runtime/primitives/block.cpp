#include "runtime/primitives/block.hpp"

namespace bazaar::runtime::codec {

Result<void> Codec<OpaqueExtrinsic>::decode(Decoder& d, OpaqueExtrinsic& v) {
  BAZAAR_TRY(auto len, decode_length(d));
  BAZAAR_TRY(auto body, d.read(len));
  // decode_length accepts only the canonical form, so re-encoding the prefix
  // gives back exactly the input bytes.
  Encoder out;
  encode_compact(out, len);
  out.write(body);
  v.encoded = out.take();
  return success();
}

}  // namespace bazaar::runtime::codec
