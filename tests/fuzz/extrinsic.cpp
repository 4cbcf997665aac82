// Fuzz target: extrinsics from the network / author_submitExtrinsic
// (runtime/primitives/extrinsic.cpp, era.cpp), what the transaction pool
// decodes first. Checks: the canonical round trip; the signing payload's
// length rule (hashed above 256 bytes); a signature that verifies really
// recovers the signer's key; the era's birth/death arithmetic; and the call
// bytes through the runtime's call decoder.

#include "modules/composition/runtime.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/primitives/extrinsic.hpp"
#include "tests/fuzz/constants.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

#include <algorithm>
#include <bit>
#include <limits>

namespace bazaar::fuzz {
namespace {

using namespace runtime;

void check_era(const Era& era, uint64_t current) {
  if (era.is_immortal()) {
    FUZZ_CHECK(era.birth(current) == 0);
    FUZZ_CHECK(era.death(current) == std::numeric_limits<uint64_t>::max());
    return;
  }
  FUZZ_CHECK(era.period() >= 4 && era.period() <= 65536);
  FUZZ_CHECK(std::has_single_bit(era.period()));
  FUZZ_CHECK(era.phase() < era.period());
  uint64_t birth = era.birth(current);
  FUZZ_CHECK(birth % era.period() == era.phase());
  FUZZ_CHECK(birth <= std::max(current, era.phase()));
  FUZZ_CHECK(era.death(current) == birth + era.period());
  // The era containing `current` (once past the phase) really contains it.
  if (current >= era.phase()) FUZZ_CHECK(current - birth < era.period());
}

void check_signature(const UncheckedExtrinsic& xt) {
  const auto& part = *xt.signature;
  AdditionalSigned additional = seed_additional_signed();
  Bytes payload = signing_payload(xt.call, part.extra, additional);
  std::size_t raw = xt.call.size() + codec::encode(part.extra).size() + codec::encode(additional).size();
  FUZZ_CHECK(payload.size() == (raw > kMaxUnhashedPayload ? 32 : raw));

  bool verified = verify_extrinsic_signature(xt, additional);
  auto signer = signer_account(xt);
  FUZZ_CHECK(signer.has_value() == std::holds_alternative<MultiAddressId>(part.signer));
  const auto* ecdsa = std::get_if<MultiSignatureEcdsa>(&part.signature);
  if (!signer || !ecdsa) {
    FUZZ_CHECK(!verified);
    return;
  }
  FUZZ_CHECK(verified == crypto::verify(ecdsa->signature, payload, *signer));
  if (verified) {
    auto key = crypto::recover(ecdsa->signature, crypto::blake2b_256(payload));
    FUZZ_CHECK(key.has_value() && crypto::account_from_public(*key) == *signer);
  }
}

}  // namespace

void fuzz_extrinsic(const uint8_t* data, std::size_t size) {
  ByteSpan in(data, size);
  auto xt = decode_extrinsic(in);
  if (!xt) {
    check_error_message(xt.error());
    return;
  }
  note_accepted();
  FUZZ_CHECK(std::ranges::equal(encode_extrinsic(xt.value()), in));
  FUZZ_CHECK(!xt.value().call.empty());
  auto again = decode_extrinsic(encode_extrinsic(xt.value()));
  FUZZ_CHECK(again && again.value() == xt.value());

  if (xt.value().signature) {
    check_signature(xt.value());
    const Era& era = xt.value().signature->extra.era;
    uint64_t current = size >= 4 ? (uint64_t{data[size - 1]} << 24 | uint64_t{data[size - 2]} << 16 |
                                    uint64_t{data[size - 3]} << 8 | data[size - 4])
                                 : size;
    for (uint64_t c : {uint64_t{0}, uint64_t{1}, current, uint64_t{std::numeric_limits<uint32_t>::max()}})
      check_era(era, c);
  }
  // The runtime decodes the call next; it must be canonical too when it decodes.
  (void)decode_canonical<modules::composition::RuntimeCall>(xt.value().call.data(), xt.value().call.size());
}

}  // namespace bazaar::fuzz
