#pragma once
// Values shared by the fuzz targets and the corpus generator, so that the
// generated seeds exercise the targets' success paths (an extrinsic signed
// with these "additional signed" data verifies in fuzz_extrinsic).

#include "runtime/primitives/extrinsic.hpp"

namespace bazaar::fuzz {

/// The spec / transaction version and genesis hash the seed extrinsics are signed for.
inline runtime::AdditionalSigned seed_additional_signed() {
  runtime::AdditionalSigned a;
  a.spec_version = 1;
  a.transaction_version = 1;
  a.genesis_hash.bytes.fill(0x11);
  a.era_block_hash = a.genesis_hash;
  return a;
}

}  // namespace bazaar::fuzz
