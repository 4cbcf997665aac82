#pragma once
// The wire messages of Bazaar's peer-to-peer protocols. Each travels in one
// frame (frame.hpp) whose protocol byte is a `Protocol` and whose version byte
// is that protocol's current version (kProtocolVersion); the payload is the
// SCALE encoding of the message type below.
//
//   Hello (0)           handshake, first message each way (handshake.hpp)
//   HandshakeProof (1)  handshake, second message each way
//   BlockAnnounce (2)   a new block header, and whether it is the sender's best
//   BlockRequest (3)    blocks from a hash or number, up or down the chain
//   BlockResponse (4)   answer to a BlockRequest with the same id
//   Transactions (5)    encoded extrinsics (gossip; the receiver's pool validates)
//   Finality (6)        opaque finality-gadget bytes under a topic (gossip)
//   PeerExchange (7)    addresses of other peers (/…/p2p/ID multiaddrs)
//
// Block references use node::chain::BlockInfo (hash, number), a header-only
// struct: this library does not link the chain.

#include "node/chain/block_store.hpp"
#include "runtime/codec/scale.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "runtime/primitives/block.hpp"
#include "runtime/primitives/header.hpp"

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bazaar::node::network {

using chain::BlockInfo;
using runtime::BlockNumber;
using runtime::Bytes;
using runtime::ByteSpan;
using runtime::Header;
using runtime::OpaqueExtrinsic;

enum class Protocol : uint8_t {
  Hello = 0,
  HandshakeProof = 1,
  BlockAnnounce = 2,
  BlockRequest = 3,
  BlockResponse = 4,
  Transactions = 5,
  Finality = 6,
  PeerExchange = 7,
};
inline constexpr std::size_t kProtocolCount = 8;
/// The version of every protocol spoken by this build (all start at 1).
inline constexpr uint8_t kProtocolVersion = 1;
const char* to_string(Protocol p);

/// What a node does in the network.
enum class Role : uint8_t { Full = 0, Authority = 1 };
BOOST_DESCRIBE_ENUM(Role, Full, Authority)
const char* to_string(Role r);

/// The version of the handshake carried in Hello (bumped on incompatible changes).
inline constexpr uint32_t kHandshakeVersion = 1;

/// Sent first by both sides.
struct Hello {
  uint32_t handshake_version = kHandshakeVersion;
  Role role = Role::Full;
  runtime::H256 genesis_hash;
  BlockInfo best;
  BlockInfo finalized;
  runtime::crypto::EcdsaPublic public_key;  ///< the node key; the peer id derives from it
  runtime::H256 challenge;                  ///< 32 fresh random bytes
  /// Addresses the sender listens on, without /p2p (unspecified IPs are
  /// replaced by the address the receiver sees).
  runtime::BoundedVec<std::string, 8> listen_addrs;
};
BOOST_DESCRIBE_STRUCT(Hello, (),
                      (handshake_version, role, genesis_hash, best, finalized, public_key, challenge, listen_addrs))

/// Sent second by both sides: the signature of handshake_digest (handshake.hpp).
struct HandshakeProof {
  runtime::crypto::EcdsaSignature signature;
};
BOOST_DESCRIBE_STRUCT(HandshakeProof, (), (signature))

struct BlockAnnounce {
  Header header;
  bool is_best = false;
};
BOOST_DESCRIBE_STRUCT(BlockAnnounce, (), (header, is_best))

enum class Direction : uint8_t { Ascending = 0, Descending = 1 };
BOOST_DESCRIBE_ENUM(Direction, Ascending, Descending)

/// Bits of BlockRequest::fields.
inline constexpr uint8_t kFieldHeader = 1;
inline constexpr uint8_t kFieldBody = 2;
inline constexpr uint8_t kFieldJustification = 4;
inline constexpr uint8_t kAllFields = kFieldHeader | kFieldBody | kFieldJustification;

/// Where a request starts: SCALE enum, 0 = by hash, 1 = by number (best chain).
using BlockStart = std::variant<runtime::H256, BlockNumber>;

struct BlockRequest {
  uint64_t id = 0;  ///< chosen by the requester, echoed in the response
  BlockStart from;
  Direction direction = Direction::Ascending;
  uint32_t max_blocks = 1;  ///< the responder may send fewer (its own limits)
  uint8_t fields = kAllFields;
};
BOOST_DESCRIBE_STRUCT(BlockRequest, (), (id, from, direction, max_blocks, fields))

/// One block of a response; the parts not requested (or not stored) are absent.
struct BlockData {
  runtime::H256 hash;
  std::optional<Header> header;
  std::optional<std::vector<OpaqueExtrinsic>> body;
  std::optional<runtime::Bytes> justification;
  friend bool operator==(const BlockData&, const BlockData&) = default;
};
BOOST_DESCRIBE_STRUCT(BlockData, (), (hash, header, body, justification))

struct BlockResponse {
  uint64_t id = 0;
  std::vector<BlockData> blocks;  ///< in the request's direction, starting with `from`
};
BOOST_DESCRIBE_STRUCT(BlockResponse, (), (id, blocks))

/// Each extrinsic is its full encoding (the pool's hash is blake2b-256 of it).
struct Transactions {
  std::vector<OpaqueExtrinsic> extrinsics;
};
BOOST_DESCRIBE_STRUCT(Transactions, (), (extrinsics))

/// A finality-gadget message; the network only dedups it by
/// finality_message_hash and relays what the host accepts.
struct FinalityMessage {
  runtime::H256 topic;
  runtime::Bytes data;
};
BOOST_DESCRIBE_STRUCT(FinalityMessage, (), (topic, data))

/// The hash that identifies a finality message: blake2b-256(topic ++ data).
runtime::H256 finality_message_hash(const runtime::H256& topic, runtime::ByteSpan data);

/// Peer exchange: full multiaddrs with /p2p/ID of peers the sender knows to be reachable.
inline constexpr std::size_t kMaxExchangedAddrs = 32;
struct PeerExchange {
  runtime::BoundedVec<std::string, kMaxExchangedAddrs> addrs;
};
BOOST_DESCRIBE_STRUCT(PeerExchange, (), (addrs))

}  // namespace bazaar::node::network
