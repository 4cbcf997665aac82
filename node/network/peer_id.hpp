#pragma once
// Peer ids: who a node is on the network, derived from its node key.
//
//   digest  = blake2b-256(33-byte compressed secp256k1 public key)
//   peer id = digest; its text form is base58btc(multihash), where the
//             multihash is varint(0xb220 "blake2b-256") ++ varint(32) ++ digest,
//             i.e. base58btc(a0 e4 02 20 ++ digest) — the multiformats way of
//             naming a hash, so the text says which hash it is.
// The handshake carries the full public key; a peer proves it holds the key by
// signing (handshake.hpp), and its id is checked against the one in an address.

#include "runtime/crypto/ecdsa.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace bazaar::node::network {

using runtime::ByteSpan;
using runtime::Bytes;
using runtime::H256;

class PeerId {
 public:
  PeerId() = default;
  explicit PeerId(const H256& digest) : m_digest(digest) {}

  /// The id of the node whose key is `key`.
  static PeerId from_public(const runtime::crypto::EcdsaPublic& key);
  /// Parses the base58 text form. Errors: InvalidPeerId.
  static Result<PeerId> parse(std::string_view text);

  const H256& digest() const { return m_digest; }
  /// The base58 text form (e.g. for `/p2p/<id>` and the logs).
  std::string to_string() const;
  /// The first characters of the text form, for compact logs.
  std::string short_string() const;

  friend auto operator<=>(const PeerId&, const PeerId&) = default;

 private:
  H256 m_digest;
};

}  // namespace bazaar::node::network

template <>
struct std::hash<bazaar::node::network::PeerId> {
  std::size_t operator()(const bazaar::node::network::PeerId& p) const noexcept {
    return std::hash<bazaar::runtime::H256>{}(p.digest());
  }
};
