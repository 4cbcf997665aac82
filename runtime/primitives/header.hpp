#pragma once
// Block header (sp_runtime::generic::Header<u32, BlakeTwo256>; spec §6):
//   parent_hash ++ compact(number) ++ state_root ++ extrinsics_root ++ digest
// The block hash is blake2b-256 of that encoding.

#include "runtime/codec/scale.hpp"
#include "runtime/primitives/digest.hpp"
#include "runtime/primitives/types.hpp"

#include <boost/describe/class.hpp>

namespace bazaar::runtime {

struct Header {
  H256 parent_hash;
  Compact<BlockNumber> number;
  H256 state_root;
  H256 extrinsics_root;
  Digest digest;
  friend bool operator==(const Header&, const Header&) = default;
};
BOOST_DESCRIBE_STRUCT(Header, (), (parent_hash, number, state_root, extrinsics_root, digest))

/// The block hash: blake2b-256(SCALE(header)).
H256 header_hash(const Header& header);

}  // namespace bazaar::runtime
