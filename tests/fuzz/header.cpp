// Fuzz target: block headers from peers and RPC (runtime/primitives/header.hpp)
// and the Aura items block import reads from them (node/chain/aura_digest.hpp).
// Checks: the canonical round trip; the block hash is blake2b-256 of exactly
// the input; a found slot comes from the single Aura PreRuntime item; a seal
// split off the header recovers a key that verifies over the pre-seal hash.

#include "node/chain/aura_digest.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/primitives/header.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

#include <algorithm>

namespace bazaar::fuzz {

void fuzz_header(const uint8_t* data, std::size_t size) {
  using namespace runtime;
  auto header = decode_canonical<Header>(data, size);
  if (!header) return;
  FUZZ_CHECK(header_hash(*header) == crypto::blake2b_256({data, size}));

  std::size_t aura_items = 0;
  for (const auto& item : header->digest.logs) {
    const auto* pre = std::get_if<DigestPreRuntime>(&item);
    if (pre && pre->engine == kAuraEngineId) ++aura_items;
  }
  if (auto slot = node::chain::aura_slot(*header)) {
    FUZZ_CHECK(aura_items == 1);
    FUZZ_CHECK(node::chain::aura_pre_digest(*slot) ==
               *std::find_if(header->digest.logs.begin(), header->digest.logs.end(), [](const DigestItem& item) {
                 const auto* pre = std::get_if<DigestPreRuntime>(&item);
                 return pre && pre->engine == kAuraEngineId;
               }));
  }

  if (auto sealed = node::chain::split_seal(*header)) {
    FUZZ_CHECK(sealed->pre_seal.digest.logs.size() + 1 == header->digest.logs.size());
    if (auto signer = node::chain::seal_signer(sealed->pre_seal, sealed->signature)) {
      H256 pre_hash = header_hash(sealed->pre_seal);
      FUZZ_CHECK(crypto::verify_with_public(sealed->signature, pre_hash.span(), *signer));
    }
  }
}

}  // namespace bazaar::fuzz
