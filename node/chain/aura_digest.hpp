#pragma once
// The Aura items of a block header (sc-consensus-aura's format, engine "aura"):
//   PreRuntime("aura", SCALE u64 slot)      put by the author before execution;
//   Seal("aura", 65-byte ECDSA signature)   always the last digest item.
// The seal signs the hash of the header WITHOUT the seal ("pre-hash"), the way
// sp_core::ecdsa::Pair::sign(pre_hash) does: the 65-byte recoverable signature
// is over blake2b-256(pre_hash bytes). Import checks it by recovering the key.

#include "runtime/crypto/ecdsa.hpp"
#include "runtime/primitives/header.hpp"

#include <optional>

namespace bazaar::node::chain {

using Slot = uint64_t;

/// The slot of the header's Aura PreRuntime item; nullopt if there is none,
/// more than one, or its data is not exactly a SCALE u64.
std::optional<Slot> aura_slot(const runtime::Header& header);

/// The PreRuntime item carrying `slot`.
runtime::DigestItem aura_pre_digest(Slot slot);

/// A sealed header split into the header without its seal and the signature.
struct SealedHeader {
  runtime::Header pre_seal;
  runtime::crypto::EcdsaSignature signature;
};

/// Splits off the seal; nullopt unless the last digest item is an Aura Seal
/// with exactly 65 bytes of data.
std::optional<SealedHeader> split_seal(const runtime::Header& header);

/// Signs header_hash(pre_seal) with `key` and appends the Seal item.
runtime::Header seal_header(runtime::Header pre_seal, const runtime::crypto::Keypair& key);

/// The public key that signed a seal over `pre_seal`; nullopt if the
/// signature recovers no key.
std::optional<runtime::crypto::EcdsaPublic> seal_signer(const runtime::Header& pre_seal,
                                                         const runtime::crypto::EcdsaSignature& signature);

}  // namespace bazaar::node::chain
