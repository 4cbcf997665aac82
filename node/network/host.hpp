#pragma once
// What the network needs from the node (the service implements it): the
// chain's head and stored blocks, to say hello and to serve block requests,
// and somewhere to hand what peers send.
//
// Threading: the "read" methods (genesis_hash, best_block, finalized_block,
// block_*) are called from the network's threads, possibly concurrently; they
// must be thread-safe and quick. The "inbound" methods (on_*, import_blocks)
// are called one at a time, in arrival order, on the network's host thread,
// never on the socket thread: they may take their time (block import), and
// they may call back into the Network (report_peer, request_blocks, …).

#include "node/network/messages.hpp"
#include "node/network/peer_id.hpp"

#include <optional>
#include <vector>

namespace bazaar::node::network {

/// A connected peer, as the network last heard from it.
struct PeerInfo {
  PeerId id;
  Role role = Role::Full;
  bool inbound = false;
  std::string remote_address;  ///< ip:port of the socket
  BlockInfo best;               ///< from its Hello and later best-block announcements
  BlockInfo finalized;          ///< from its Hello
  int32_t reputation = 0;
};

/// The pool's verdict on a gossiped transaction.
enum class TxVerdict {
  Accepted,  ///< new and valid: the network relays it to peers that lack it
  Known,     ///< already in the pool (or just included): no relay, no penalty
  Rejected,  ///< not admitted for a reason that does not prove misbehaviour (future nonce, pool full)
  Invalid,   ///< provably invalid (bad signature, can never pay): the sender loses reputation
};

/// The finality gadget's verdict on a gossiped message.
enum class GossipVerdict {
  Relay,    ///< useful: pass it on to peers that have not seen it
  Keep,     ///< useful to us, but do not relay it
  Discard,  ///< stale or irrelevant, no penalty
  Invalid,  ///< bad (e.g. a bad signature): the sender loses reputation
};

/// What to do about an announced block.
enum class AnnounceAction {
  Ignore,  ///< known, or sync handles it
  Fetch,   ///< ask the announcer for the block (header, body, justification) and pass it to import_blocks
};

class NetworkHost {
 public:
  virtual ~NetworkHost() = default;

  // ---- reads (thread-safe, quick) ----
  virtual runtime::H256 genesis_hash() const = 0;
  virtual BlockInfo best_block() const = 0;
  virtual BlockInfo finalized_block() const = 0;
  /// The hash of the best chain's block at `number`.
  virtual std::optional<runtime::H256> block_hash(BlockNumber number) const = 0;
  virtual std::optional<Header> block_header(const runtime::H256& hash) const = 0;
  virtual std::optional<std::vector<OpaqueExtrinsic>> block_body(const runtime::H256& hash) const = 0;
  virtual std::optional<runtime::Bytes> block_justification(const runtime::H256& hash) const = 0;

  // ---- inbound (host thread, in order) ----
  virtual AnnounceAction on_block_announce(const PeerId& from, const BlockAnnounce& announce) = 0;
  /// Blocks fetched after AnnounceAction::Fetch. Report bad ones with Network::report_peer.
  virtual void import_blocks(const PeerId& from, std::vector<BlockData> blocks) = 0;
  virtual TxVerdict on_transaction(const PeerId& from, runtime::ByteSpan extrinsic) = 0;
  virtual GossipVerdict on_finality_message(const PeerId& from, const runtime::H256& topic,
                                            runtime::ByteSpan data) = 0;
  virtual void on_peer_connected(const PeerInfo& peer) {}
  virtual void on_peer_disconnected(const PeerId& peer) {}
};

}  // namespace bazaar::node::network
