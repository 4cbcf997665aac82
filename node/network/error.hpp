#pragma once
// Errors of the peer-to-peer layer (node/network): parsing addresses and node
// keys, framing, the handshake and requests. Refusals are also logged (target
// "net") with the peer and the reason.

#include "runtime/result.hpp"

namespace bazaar::node::network {

enum class NetworkError {
  InvalidAddress = 1,     ///< a multiaddress that does not parse (see multiaddr.hpp)
  InvalidPeerId,          ///< peer id text that is not base58 of a blake2b-256 multihash
  NodeKeyIo,              ///< the node key file cannot be read, created or written
  InvalidNodeKey,         ///< the node key file holds no valid secp256k1 secret
  FrameTooLarge,          ///< a frame longer than the maximum message size
  Undecodable,            ///< a frame or message that does not decode
  UnsupportedProtocol,    ///< an unknown protocol id or version
  HandshakeTimeout,       ///< a handshake stage did not finish in time
  HandshakeFailed,        ///< the handshake messages came out of order or were malformed
  ProtocolMismatch,       ///< the peer speaks another handshake protocol version
  GenesisMismatch,        ///< the peer is on another chain
  BadSignature,           ///< the peer's handshake proof does not verify with its key
  PeerIdMismatch,         ///< the peer is not the one the address names
  SelfConnection,         ///< we dialed ourselves
  AlreadyConnected,       ///< a connection to this peer exists already
  Banned,                 ///< the peer (or its IP address) is banned for now
  TooManyPeers,           ///< the inbound or outbound slots are full
  NotReserved,            ///< reserved-only mode and the peer is not reserved
  NotConnected,           ///< no connection to the peer
  RequestTimeout,         ///< no response in time
  Disconnected,           ///< the connection closed before the response came
  BadResponse,            ///< a response that does not match the request
  Stopped,                ///< the network is stopped
};
const char* to_string(NetworkError e);

}  // namespace bazaar::node::network

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::network, NetworkError)
