#include "node/chain/aura_digest.hpp"

#include "runtime/crypto/hash.hpp"

namespace bazaar::node::chain {

using runtime::DigestItem;
using runtime::DigestPreRuntime;
using runtime::DigestSeal;
using runtime::kAuraEngineId;

std::optional<Slot> aura_slot(const runtime::Header& header) {
  std::optional<Slot> slot;
  for (const auto& item : header.digest.logs) {
    const auto* pre = std::get_if<DigestPreRuntime>(&item);
    if (!pre || pre->engine != kAuraEngineId) continue;
    if (slot) return std::nullopt;  // two slots: malformed
    auto decoded = runtime::codec::decode<uint64_t>(pre->data);
    if (!decoded) return std::nullopt;
    slot = decoded.value();
  }
  return slot;
}

DigestItem aura_pre_digest(Slot slot) { return DigestPreRuntime{kAuraEngineId, runtime::codec::encode(slot)}; }

std::optional<SealedHeader> split_seal(const runtime::Header& header) {
  if (header.digest.logs.empty()) return std::nullopt;
  const auto* seal = std::get_if<DigestSeal>(&header.digest.logs.back());
  if (!seal || seal->engine != kAuraEngineId || seal->data.size() != runtime::crypto::EcdsaSignature::kSize)
    return std::nullopt;
  SealedHeader out{header, runtime::crypto::EcdsaSignature::from_span(seal->data)};
  out.pre_seal.digest.logs.pop_back();
  return out;
}

runtime::Header seal_header(runtime::Header pre_seal, const runtime::crypto::Keypair& key) {
  const auto pre_hash = runtime::header_hash(pre_seal);
  const auto signature = key.sign(pre_hash.span());
  pre_seal.digest.logs.push_back(DigestSeal{kAuraEngineId, runtime::Bytes(signature.begin(), signature.end())});
  return pre_seal;
}

std::optional<runtime::crypto::EcdsaPublic> seal_signer(const runtime::Header& pre_seal,
                                                         const runtime::crypto::EcdsaSignature& signature) {
  const auto pre_hash = runtime::header_hash(pre_seal);
  return runtime::crypto::recover(signature, runtime::crypto::blake2b_256(pre_hash.span()));
}

}  // namespace bazaar::node::chain
