#pragma once
// A block: header and extrinsics (sp_runtime::generic::Block with
// OpaqueExtrinsic; spec §6 "chain_getBlock").

#include "runtime/codec/scale.hpp"
#include "runtime/primitives/header.hpp"

#include <boost/describe/class.hpp>

#include <vector>

namespace bazaar::runtime {

/// One extrinsic kept as bytes: its full encoding INCLUDING the compact
/// length prefix, exactly as submitted and as served in chain_getBlock.
/// SCALE: written as is; decoded by reading the compact length and keeping
/// prefix ++ body (errors: NotEnoughData, NonCanonicalCompact, CompactOutOfRange).
struct OpaqueExtrinsic {
  Bytes encoded;
  friend bool operator==(const OpaqueExtrinsic&, const OpaqueExtrinsic&) = default;
};

struct Block {
  Header header;
  std::vector<OpaqueExtrinsic> extrinsics;
  friend bool operator==(const Block&, const Block&) = default;
};
BOOST_DESCRIBE_STRUCT(Block, (), (header, extrinsics))

}  // namespace bazaar::runtime

namespace bazaar::runtime::codec {

template <>
struct Codec<OpaqueExtrinsic> {
  static void encode(Encoder& e, const OpaqueExtrinsic& v) { e.write(v.encoded); }
  static Result<void> decode(Decoder& d, OpaqueExtrinsic& v);
};

}  // namespace bazaar::runtime::codec
