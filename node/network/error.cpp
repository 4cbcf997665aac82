#include "node/network/error.hpp"

namespace bazaar::node::network {

const char* to_string(NetworkError e) {
  switch (e) {
    case NetworkError::InvalidAddress: return "invalid multiaddress";
    case NetworkError::InvalidPeerId: return "invalid peer id";
    case NetworkError::NodeKeyIo: return "cannot read or write the node key file";
    case NetworkError::InvalidNodeKey: return "the node key file holds no valid secp256k1 secret key";
    case NetworkError::FrameTooLarge: return "message larger than the maximum message size";
    case NetworkError::Undecodable: return "undecodable message";
    case NetworkError::UnsupportedProtocol: return "unsupported protocol or version";
    case NetworkError::HandshakeTimeout: return "handshake timed out";
    case NetworkError::HandshakeFailed: return "handshake failed";
    case NetworkError::ProtocolMismatch: return "peer speaks another handshake version";
    case NetworkError::GenesisMismatch: return "peer is on another chain (genesis hash differs)";
    case NetworkError::BadSignature: return "peer's handshake signature does not verify";
    case NetworkError::PeerIdMismatch: return "peer id differs from the one in the address";
    case NetworkError::SelfConnection: return "connection to ourselves";
    case NetworkError::AlreadyConnected: return "already connected to this peer";
    case NetworkError::Banned: return "peer is banned";
    case NetworkError::TooManyPeers: return "no free peer slot";
    case NetworkError::NotReserved: return "reserved-only mode and the peer is not reserved";
    case NetworkError::NotConnected: return "not connected to the peer";
    case NetworkError::RequestTimeout: return "request timed out";
    case NetworkError::Disconnected: return "peer disconnected";
    case NetworkError::BadResponse: return "response does not match the request";
    case NetworkError::Stopped: return "network stopped";
  }
  return "unknown network error";
}

}  // namespace bazaar::node::network

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::network, NetworkError, "network", to_string)
