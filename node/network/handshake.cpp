#include "node/network/handshake.hpp"

#include "node/network/error.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/random.hpp"

namespace bazaar::node::network {

namespace {
constexpr std::string_view kDomain = "bazaar/handshake/1";
}

Hello make_hello(Role role, const runtime::H256& genesis, const BlockInfo& best, const BlockInfo& finalized,
                 const runtime::crypto::EcdsaPublic& key, const std::vector<std::string>& listen_addrs) {
  Hello h;
  h.role = role;
  h.genesis_hash = genesis;
  h.best = best;
  h.finalized = finalized;
  h.public_key = key;
  runtime::crypto::os_random_bytes(h.challenge.bytes);
  for (const auto& a : listen_addrs) {
    if (h.listen_addrs.items.size() == decltype(h.listen_addrs)::kBound) break;
    h.listen_addrs.items.push_back(a);
  }
  return h;
}

runtime::H256 handshake_digest(Side signer, ByteSpan initiator_hello, ByteSpan responder_hello) {
  const uint8_t side = static_cast<uint8_t>(signer);
  auto hi = runtime::crypto::blake2b_256(initiator_hello);
  auto hr = runtime::crypto::blake2b_256(responder_hello);
  return runtime::crypto::blake2b_256_concat(
      {runtime::crypto::as_bytes(kDomain), ByteSpan(&side, 1), hi.span(), hr.span()});
}

HandshakeProof sign_handshake(const runtime::crypto::Keypair& key, Side signer, ByteSpan initiator_hello,
                              ByteSpan responder_hello) {
  return {key.sign_prehashed(handshake_digest(signer, initiator_hello, responder_hello))};
}

Result<void> verify_handshake(const HandshakeProof& proof, const runtime::crypto::EcdsaPublic& peer_key, Side signer,
                              ByteSpan initiator_hello, ByteSpan responder_hello) {
  auto recovered = runtime::crypto::recover(proof.signature, handshake_digest(signer, initiator_hello, responder_hello));
  if (!recovered || *recovered != peer_key) return NetworkError::BadSignature;
  return success();
}

Result<PeerId> check_hello(const Hello& hello, const runtime::H256& genesis, const PeerId& self,
                           const std::optional<PeerId>& expected) {
  if (hello.handshake_version != kHandshakeVersion) return NetworkError::ProtocolMismatch;
  if (hello.genesis_hash != genesis) return NetworkError::GenesisMismatch;
  if (!runtime::crypto::parse_public(hello.public_key.span())) return NetworkError::HandshakeFailed;
  auto id = PeerId::from_public(hello.public_key);
  if (id == self) return NetworkError::SelfConnection;
  if (expected && *expected != id) return NetworkError::PeerIdMismatch;
  return id;
}

}  // namespace bazaar::node::network
