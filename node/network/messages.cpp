#include "node/network/messages.hpp"

#include "runtime/crypto/hash.hpp"

namespace bazaar::node::network {

const char* to_string(Protocol p) {
  switch (p) {
    case Protocol::Hello: return "hello";
    case Protocol::HandshakeProof: return "handshake-proof";
    case Protocol::BlockAnnounce: return "block-announce";
    case Protocol::BlockRequest: return "block-request";
    case Protocol::BlockResponse: return "block-response";
    case Protocol::Transactions: return "transactions";
    case Protocol::Finality: return "finality";
    case Protocol::PeerExchange: return "peer-exchange";
  }
  return "unknown";
}

const char* to_string(Role r) {
  switch (r) {
    case Role::Full: return "full";
    case Role::Authority: return "authority";
  }
  return "unknown";
}

runtime::H256 finality_message_hash(const runtime::H256& topic, runtime::ByteSpan data) {
  return runtime::crypto::blake2b_256_concat({topic.span(), data});
}

}  // namespace bazaar::node::network
