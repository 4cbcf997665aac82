#pragma once
// Block sync (issue 4 "Sync"): brings the local chain up to the best chain its
// peers know, on top of the network's block requests and the chain's block
// import (which verifies everything: seals, authors, extrinsics root, state
// root; signatures on several threads).
//
//   - range sync: when a peer's best block is above ours, ask it for blocks by
//     number, ascending from our best + 1 (at most max_blocks_per_request per
//     request, one request in flight at a time), and import them in order;
//   - ancestor search: when a block's parent is unknown (an announce on a fork,
//     or a range that does not connect because our best is on another fork),
//     fetch its ancestors by hash, descending, until a known block, then import
//     the whole segment in ascending order;
//   - fetch_block: a block someone refers to (a finality vote) but nobody
//     announced to us is fetched by hash the same way;
//   - justifications that come with blocks are verified and applied
//     (SyncChain::import_justification: the finality gadget checks the
//     signatures, then the chain finalizes), so a node that was offline catches
//     up on finality too;
//   - a peer that sends a block failing import for a reason that proves it bad
//     (chain::is_bad_block) is reported with rep::kBadBlock (and so banned);
//     a response that does not fit the request costs rep::kBadResponse;
//   - status(): starting block (our best when sync started), current (our
//     best), highest (the best any peer announced) and whether we are far
//     enough behind to call it "syncing" (system_syncState, system_health).
// A restarted node resumes from its database: sync always starts at the
// chain's best block.
//
// Threading: on_* are called by the network's host thread, one at a time;
// tick() from any other thread (it skips its turn while an import runs);
// status() from any thread. The callbacks of SyncNetwork::request_blocks must
// not run synchronously inside request_blocks.

#include "node/chain/block_import.hpp"
#include "node/network/network.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace bazaar::node::sync {

using chain::BlockInfo;
using network::BlockData;
using network::PeerId;
using runtime::BlockNumber;
using runtime::H256;

/// The network, as sync uses it (the node passes node::network::Network).
class SyncNetwork {
 public:
  virtual ~SyncNetwork() = default;
  virtual void request_blocks(const PeerId& peer, network::BlockRequest request,
                              network::BlocksCallback callback) = 0;
  virtual void report_peer(const PeerId& peer, network::ReputationChange change) = 0;
};

/// The chain, as sync uses it (the node passes node::chain::Chain and the finality gadget).
class SyncChain {
 public:
  virtual ~SyncChain() = default;
  virtual BlockInfo best() const = 0;
  virtual BlockInfo finalized() const = 0;
  virtual bool has_block(const H256& hash) const = 0;
  /// Full import (chain::BlockImport::import_block).
  virtual chain::ImportResult import_block(const runtime::Block& block) = 0;
  /// `blocks` (consecutive, ascending) are about to be passed to import_block
  /// one by one: the chain may start on them (chain::BlockImport::verify_ahead
  /// verifies their signatures on worker threads meanwhile). Default: nothing.
  virtual void prepare_import(std::span<const runtime::Block> blocks) { (void)blocks; }
  /// Verifies `justification` for the stored `block` and finalizes it.
  virtual Result<void> import_justification(const BlockInfo& block, runtime::ByteSpan justification) = 0;
};

struct SyncOptions {
  /// Blocks asked for in one range or ancestor request.
  uint32_t max_blocks_per_request = 64;
  /// How far back an ancestor search may go before it gives up on the peer's fork.
  uint32_t max_ancestor_blocks = 4096;
  /// "Syncing" (isSyncing) while a peer's best is more than this many blocks above ours.
  BlockNumber syncing_threshold = 4;
};

struct SyncStatus {
  BlockNumber starting = 0;  ///< our best block when sync started
  BlockNumber current = 0;   ///< our best block now
  BlockNumber highest = 0;   ///< the highest best block seen (ours or a peer's)
  bool is_syncing = false;
  std::size_t peers = 0;     ///< peers sync knows of
};

/// What a batch of imports came to (for logs, metrics and tests).
struct ImportStats {
  std::size_t imported = 0;
  std::size_t known = 0;
  std::size_t justifications = 0;
};

class SyncEngine {
 public:
  /// References must outlive the engine (and the network's pending callbacks).
  SyncEngine(SyncOptions options, SyncChain& chain, SyncNetwork& network);

  void on_peer_connected(const PeerId& peer, const BlockInfo& best);
  void on_peer_disconnected(const PeerId& peer);
  /// Fetch when the parent is known; starts an ancestor search when it is not.
  network::AnnounceAction on_block_announce(const PeerId& from, const network::BlockAnnounce& announce);
  /// Blocks the network fetched after an announce.
  void on_blocks(const PeerId& from, std::vector<BlockData> blocks);
  /// Fetches the block `hash` (and its unknown ancestors) from `peer` unless
  /// it is known, at or below the finalized height, or a request is in flight
  /// (e.g. a finality vote for a block on a fork we never saw: the voter waits
  /// for it). `number` is the block's claimed number.
  void fetch_block(const PeerId& peer, const H256& hash, BlockNumber number);
  /// Starts a request if one is due (a peer ahead of us and nothing in flight).
  void tick();

  SyncStatus status() const;
  /// Totals since start.
  ImportStats totals() const;

 private:
  enum class RequestKind { Range, Ancestors };
  struct InFlight {
    uint64_t id = 0;
    PeerId peer;
    RequestKind kind = RequestKind::Range;
    BlockNumber range_from = 0;
  };
  /// The result of import_segment.
  enum class Outcome { Done, NeedParent, Stopped };

  void maybe_request();
  void start_range(const PeerId& peer, BlockNumber from);
  void start_ancestors(const PeerId& peer, const H256& from);
  void send(InFlight request, network::BlockRequest message);
  void on_response(uint64_t id, Result<std::vector<BlockData>> result);
  void on_range(const InFlight& request, std::vector<BlockData> blocks);
  void on_ancestors(const InFlight& request, std::vector<BlockData> blocks);
  /// Imports `blocks` (ascending, contiguous) in order; on NeedParent nothing
  /// from the first block on was imported because its parent is unknown.
  Outcome import_segment(const PeerId& from, const std::vector<BlockData>& blocks);
  void note_best(const PeerId& peer, const BlockInfo& best);
  void update_highest();

  SyncOptions m_options;
  SyncChain& m_chain;
  SyncNetwork& m_network;

  mutable std::mutex m_mutex;  // everything below except the atomics
  std::map<PeerId, BlockInfo> m_peers;
  std::optional<InFlight> m_in_flight;
  uint64_t m_next_id = 1;
  /// Blocks waiting for their ancestors (ascending), from m_in_flight's peer.
  std::vector<BlockData> m_pending;
  ImportStats m_totals;

  const BlockNumber m_starting;
  std::atomic<BlockNumber> m_highest{0};
  std::atomic<std::size_t> m_peer_count{0};
};

}  // namespace bazaar::node::sync
