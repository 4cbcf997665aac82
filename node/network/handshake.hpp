#pragma once
// The authenticated handshake that opens every connection.
//
//   1. Both sides send a Hello (messages.hpp) with their node public key and
//      a fresh random 32-byte challenge, and read the other's.
//   2. Each checks the other's Hello (check_hello): same handshake version,
//      same genesis hash, not ourselves, the peer id the address named (when
//      dialing an address with /p2p/ID), a valid public key.
//   3. Each signs handshake_digest(its role, initiator's Hello bytes,
//      responder's Hello bytes) with its node key and sends it as a
//      HandshakeProof; each verifies the other's proof against the public key
//      in the other's Hello.
// The digest covers both Hellos and so both challenges: a proof from another
// session (or a replayed Hello) does not verify, and the role byte keeps a
// peer from reflecting our own proof back at us.

#include "node/network/messages.hpp"
#include "node/network/peer_id.hpp"

#include <optional>

namespace bazaar::node::network {

/// Which end of the connection: the initiator dialed, the responder accepted.
enum class Side : uint8_t { Initiator = 0, Responder = 1 };

/// A Hello with a fresh random challenge.
Hello make_hello(Role role, const runtime::H256& genesis, const BlockInfo& best, const BlockInfo& finalized,
                 const runtime::crypto::EcdsaPublic& key, const std::vector<std::string>& listen_addrs);

/// blake2b-256("bazaar/handshake/1" ++ signer side ++ blake2b-256(initiator
/// Hello bytes) ++ blake2b-256(responder Hello bytes)).
runtime::H256 handshake_digest(Side signer, ByteSpan initiator_hello, ByteSpan responder_hello);

/// The proof `key` gives as `signer`.
HandshakeProof sign_handshake(const runtime::crypto::Keypair& key, Side signer, ByteSpan initiator_hello,
                              ByteSpan responder_hello);

/// Checks a proof by the peer at `signer`'s end whose key is `peer_key`. Errors: BadSignature.
Result<void> verify_handshake(const HandshakeProof& proof, const runtime::crypto::EcdsaPublic& peer_key, Side signer,
                              ByteSpan initiator_hello, ByteSpan responder_hello);

/// Checks a received Hello and returns the peer's id. Errors:
/// ProtocolMismatch, GenesisMismatch, HandshakeFailed (invalid public key),
/// SelfConnection, PeerIdMismatch (differs from `expected`).
Result<PeerId> check_hello(const Hello& hello, const runtime::H256& genesis, const PeerId& self,
                           const std::optional<PeerId>& expected);

}  // namespace bazaar::node::network
