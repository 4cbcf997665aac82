#pragma once
// Block sync (issue 4 "Sync"): brings the local chain up to the best chain its
// peers know, on top of the network's block requests and the chain's block
// import (which verifies everything: seals, authors, extrinsics root, state
// root; signatures on several threads).
//
//   - range sync: when a peer's best block is above ours, ask it for blocks by
//     number, ascending from our best + 1 (at most max_blocks_per_request per
//     request), and import them in order; the next range is asked for while
//     earlier ones are still being imported (see "Import queue");
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
// Import queue (as Substrate's sc-consensus BasicQueue: sync downloads, a
// queue imports on its own thread and reports back). Every downloaded segment
// (a range, an ancestor search's result, blocks fetched after an announce) is
// handed to SyncChain::prepare_import as soon as it arrives (the signature
// workers start on it at once) and queued for the import thread, which
// imports the segments in order, one block at a time, without the engine's
// lock. Range sync keeps asking for the next range (from the last queued
// block + 1) while fewer than max_blocks_queued blocks wait, so neither the
// importing thread nor the signature workers wait for a round trip. One
// request is in flight at a time: a range downloads far faster than it
// imports. The import thread reports each block's outcome under the lock:
//   - a failure drops everything queued behind it (it all builds on the
//     failed block) and a range request in flight (its answer is ignored),
//     then the peer is judged as above and range sync restarts from our best;
//   - UnknownParent on a segment's first block starts an ancestor search for
//     it (unless one is in flight).
// While blocks are queued, an announce whose parent we lack starts no
// ancestor search (range sync brings it, or tick() finds the peer's fork
// after the queue ran empty).
//
// Threading: on_* are called by the network's host thread, one at a time;
// tick() from any other thread (it never waits for an import); status() from
// any thread; imports run on the engine's import thread (start()) or, for an
// engine that was not started, in import_next() (tests). The engine's lock is
// never held across an import or a justification. The callbacks of
// SyncNetwork::request_blocks must not run synchronously inside
// request_blocks; stop() before the network stops (answers that arrive after
// are ignored, and nothing is requested any more).

#include "node/chain/block_import.hpp"
#include "node/network/network.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <thread>
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
  /// Range sync asks for the next range while fewer downloaded blocks than
  /// this wait for import (queued or being imported); so at most
  /// max_blocks_queued + max_blocks_per_request - 1 blocks are held.
  uint32_t max_blocks_queued = 128;
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
  ~SyncEngine();  ///< stop()
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  /// Starts the import thread (nothing is imported before, except by import_next()).
  void start();
  /// Ends sync: the import thread finishes the block it is on and is joined,
  /// queued blocks are dropped, nothing is requested any more and answers,
  /// announces and blocks that arrive later are ignored. Idempotent.
  void stop();

  void on_peer_connected(const PeerId& peer, const BlockInfo& best);
  void on_peer_disconnected(const PeerId& peer);
  /// Fetch when the parent is known; starts an ancestor search when it is not.
  network::AnnounceAction on_block_announce(const PeerId& from, const network::BlockAnnounce& announce);
  /// Blocks the network fetched after an announce: queued for import.
  void on_blocks(const PeerId& from, std::vector<BlockData> blocks);
  /// Fetches the block `hash` (and its unknown ancestors) from `peer` unless
  /// it is known, at or below the finalized height, or a request is in flight
  /// (e.g. a finality vote for a block on a fork we never saw: the voter waits
  /// for it). `number` is the block's claimed number.
  void fetch_block(const PeerId& peer, const H256& hash, BlockNumber number);
  /// Starts a request if one is due (a peer ahead of us, nothing in flight and room in the queue).
  void tick();

  /// Imports the next queued segment on the calling thread, as the import
  /// thread does (for an engine that was not started: tests). False if
  /// nothing was queued (or the engine is stopped).
  bool import_next();

  SyncStatus status() const;
  /// Totals since start.
  ImportStats totals() const;
  /// Downloaded blocks not imported yet (queued or being imported).
  std::size_t queued_blocks() const;

 private:
  enum class RequestKind { Range, Ancestors };
  struct InFlight {
    uint64_t id = 0;
    PeerId peer;
    RequestKind kind = RequestKind::Range;
    BlockNumber range_from = 0;
  };
  /// Downloaded blocks waiting for import: ascending and contiguous, from one peer.
  struct Segment {
    PeerId peer;
    std::vector<runtime::Block> blocks;
    std::vector<H256> hashes;                                // of `blocks`
    std::vector<std::optional<runtime::Bytes>> justifications;  // of `blocks`
  };
  enum class Outcome { Done, NeedParent, Failed, Interrupted };
  /// What import_segment came to: Failed at `index` with `failure`, or NeedParent (index 0).
  struct SegmentResult {
    Outcome outcome = Outcome::Done;
    std::size_t index = 0;
    std::optional<chain::ImportFailure> failure;
  };

  // All with m_mutex held.
  void maybe_request();
  void start_range(const PeerId& peer, BlockNumber from);
  void start_ancestors(const PeerId& peer, const H256& from);
  void send(InFlight request, network::BlockRequest message);
  void on_range(const InFlight& request, std::vector<BlockData> blocks);
  void on_ancestors(const InFlight& request, std::vector<BlockData> blocks);
  /// Hands `blocks` (ascending, each with header and body) to prepare_import and queues them.
  void enqueue(const PeerId& from, std::vector<BlockData> blocks);
  /// Drops the queued segments and a range request in flight.
  void drop_queue();
  bool queue_idle() const { return m_queue.empty() && m_importing_left == 0; }
  /// Reports the peer of a failed segment, starts an ancestor search on NeedParent, requests the next range.
  void finish_segment(Segment segment, const SegmentResult& result);
  void note_best(const PeerId& peer, const BlockInfo& best);
  void update_highest();

  // Without m_mutex.
  void on_response(uint64_t id, Result<std::vector<BlockData>> result);
  void run_imports(std::stop_token stop);
  bool import_step(std::stop_token stop);
  /// Imports `segment` in order until a block fails or `stop` is requested.
  SegmentResult import_segment(const Segment& segment, std::stop_token stop);

  SyncOptions m_options;
  SyncChain& m_chain;
  SyncNetwork& m_network;

  mutable std::mutex m_mutex;  // everything below except the atomics and m_importer
  std::condition_variable_any m_queued;  // a segment was queued
  std::map<PeerId, BlockInfo> m_peers;
  std::optional<InFlight> m_in_flight;
  uint64_t m_next_id = 1;
  /// Blocks waiting for their ancestors (ascending), from m_in_flight's peer.
  std::vector<BlockData> m_pending;
  /// Segments waiting for the import thread, in order.
  std::deque<Segment> m_queue;
  /// Blocks of the segment being imported that are not imported yet.
  std::size_t m_importing_left = 0;
  /// The highest block queued since the queue was last empty: range sync goes on from there.
  std::optional<BlockInfo> m_frontier;
  ImportStats m_totals;
  bool m_stopped = false;

  const BlockNumber m_starting;
  std::atomic<BlockNumber> m_highest{0};
  std::atomic<std::size_t> m_peer_count{0};
  std::jthread m_importer;  // last: joined before the rest goes
};

}  // namespace bazaar::node::sync
