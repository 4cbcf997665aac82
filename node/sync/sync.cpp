#include "node/sync/sync.hpp"

#include "node/log/log.hpp"

#include <algorithm>

#include <pthread.h>

namespace bazaar::node::sync {

namespace {

const std::shared_ptr<spdlog::logger>& sync_log() {
  static const auto logger = log::logger("sync");
  return logger;
}

std::string short_hash(const H256& hash) { return runtime::to_hex(hash).substr(0, 18); }

}  // namespace

SyncEngine::SyncEngine(SyncOptions options, SyncChain& chain, SyncNetwork& network)
    : m_options(options), m_chain(chain), m_network(network), m_starting(chain.best().number) {
  m_highest = m_starting;
}

SyncEngine::~SyncEngine() { stop(); }

void SyncEngine::start() {
  std::lock_guard lock(m_mutex);
  if (m_stopped || m_importer.joinable()) return;
  m_importer = std::jthread([this](std::stop_token stop) { run_imports(std::move(stop)); });
}

void SyncEngine::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stopped = true;
    m_queue.clear();
    m_frontier.reset();
    m_in_flight.reset();
    m_pending.clear();
  }
  if (m_importer.joinable()) {
    m_importer.request_stop();  // wakes it (m_queued waits on the stop token)
    m_importer.join();
  }
}

void SyncEngine::on_peer_connected(const PeerId& peer, const BlockInfo& best) {
  std::lock_guard lock(m_mutex);
  m_peers[peer] = best;
  m_peer_count = m_peers.size();
  update_highest();
  maybe_request();
}

void SyncEngine::on_peer_disconnected(const PeerId& peer) {
  std::lock_guard lock(m_mutex);
  m_peers.erase(peer);
  m_peer_count = m_peers.size();
  update_highest();
  // A request to it fails with Disconnected through its callback; its queued blocks are still imported.
}

network::AnnounceAction SyncEngine::on_block_announce(const PeerId& from, const network::BlockAnnounce& announce) {
  std::lock_guard lock(m_mutex);
  const auto hash = runtime::header_hash(announce.header);
  const BlockNumber number = announce.header.number.value;
  if (announce.is_best) note_best(from, {hash, number});
  if (m_stopped || m_chain.has_block(hash)) return network::AnnounceAction::Ignore;
  if (number <= m_chain.finalized().number) return network::AnnounceAction::Ignore;
  if (m_chain.has_block(announce.header.parent_hash)) return network::AnnounceAction::Fetch;
  // A block whose parent we lack: far ahead (range sync gets it) or on a fork.
  // While blocks are queued, range sync is on its way there.
  if (!m_in_flight && queue_idle()) {
    if (number > m_chain.best().number + m_options.max_blocks_per_request) {
      maybe_request();
    } else {
      m_pending.clear();
      start_ancestors(from, hash);
    }
  }
  return network::AnnounceAction::Ignore;
}

void SyncEngine::on_blocks(const PeerId& from, std::vector<BlockData> blocks) {
  std::lock_guard lock(m_mutex);
  if (m_stopped) return;
  std::sort(blocks.begin(), blocks.end(), [](const BlockData& a, const BlockData& b) {
    return (a.header ? a.header->number.value : 0) < (b.header ? b.header->number.value : 0);
  });
  const auto incomplete =
      std::find_if(blocks.begin(), blocks.end(), [](const BlockData& b) { return !b.header || !b.body; });
  if (incomplete != blocks.end()) {
    m_network.report_peer(from, network::rep::kBadResponse);
    blocks.erase(incomplete, blocks.end());
  }
  enqueue(from, std::move(blocks));
  maybe_request();
}

void SyncEngine::fetch_block(const PeerId& peer, const H256& hash, BlockNumber number) {
  std::lock_guard lock(m_mutex);
  if (m_stopped || m_in_flight || number <= m_chain.finalized().number || m_chain.has_block(hash)) return;
  m_pending.clear();
  start_ancestors(peer, hash);
}

void SyncEngine::tick() {
  std::lock_guard lock(m_mutex);  // never held across an import
  maybe_request();
}

SyncStatus SyncEngine::status() const {
  SyncStatus s;
  s.starting = m_starting;
  s.current = m_chain.best().number;
  s.highest = std::max(m_highest.load(), s.current);
  s.is_syncing = s.highest > s.current + m_options.syncing_threshold;
  s.peers = m_peer_count;
  return s;
}

ImportStats SyncEngine::totals() const {
  std::lock_guard lock(m_mutex);
  return m_totals;
}

std::size_t SyncEngine::queued_blocks() const {
  std::lock_guard lock(m_mutex);
  std::size_t n = m_importing_left;
  for (const auto& segment : m_queue) n += segment.blocks.size();
  return n;
}

// ---- requests ------------------------------------------------------------------------

void SyncEngine::maybe_request() {
  if (m_stopped || m_in_flight) return;
  std::size_t queued = m_importing_left;
  for (const auto& segment : m_queue) queued += segment.blocks.size();
  if (queued >= m_options.max_blocks_queued) return;
  const BlockInfo best = m_chain.best();
  // Ranges go on from the last queued block (it connects to the blocks before it).
  const BlockNumber base = m_frontier ? std::max(m_frontier->number, best.number) : best.number;
  const PeerId* target = nullptr;
  BlockNumber highest = base;
  for (const auto& [peer, peer_best] : m_peers) {
    if (peer_best.number > highest && !m_chain.has_block(peer_best.hash)) {
      highest = peer_best.number;
      target = &peer;
    }
  }
  if (target) start_range(*target, base + 1);
}

void SyncEngine::start_range(const PeerId& peer, BlockNumber from) {
  network::BlockRequest request;
  request.from = from;
  request.direction = network::Direction::Ascending;
  request.max_blocks = m_options.max_blocks_per_request;
  request.fields = network::kAllFields;
  sync_log()->debug("requesting blocks #{}.. from {}", from, peer.to_string());
  send(InFlight{0, peer, RequestKind::Range, from}, request);
}

void SyncEngine::start_ancestors(const PeerId& peer, const H256& from) {
  network::BlockRequest request;
  request.from = from;
  request.direction = network::Direction::Descending;
  request.max_blocks = m_options.max_blocks_per_request;
  request.fields = network::kAllFields;
  sync_log()->debug("requesting ancestors from {} down, from {}", short_hash(from), peer.to_string());
  send(InFlight{0, peer, RequestKind::Ancestors, 0}, request);
}

void SyncEngine::send(InFlight request, network::BlockRequest message) {
  if (m_stopped) return;
  request.id = m_next_id++;
  const uint64_t id = request.id;
  const PeerId peer = request.peer;
  m_in_flight = std::move(request);
  m_network.request_blocks(peer, std::move(message),
                           [this, id](Result<std::vector<BlockData>> result) { on_response(id, std::move(result)); });
}

void SyncEngine::on_response(uint64_t id, Result<std::vector<BlockData>> result) {
  std::lock_guard lock(m_mutex);
  // Stale answers (to a request dropped with the queue, or after stop()) are ignored.
  if (m_stopped || !m_in_flight || m_in_flight->id != id) return;
  const InFlight request = *std::exchange(m_in_flight, std::nullopt);
  if (!result) {
    sync_log()->debug("block request to {} failed: {}", request.peer.to_string(), result.error().message());
    if (request.kind == RequestKind::Ancestors) m_pending.clear();
    // Do not ask the same peer again at once: forget its best until it announces again.
    if (auto it = m_peers.find(request.peer); it != m_peers.end()) it->second = m_chain.best();
    return;
  }
  if (request.kind == RequestKind::Range) on_range(request, std::move(result).value());
  else on_ancestors(request, std::move(result).value());
  maybe_request();
}

void SyncEngine::on_range(const InFlight& request, std::vector<BlockData> blocks) {
  if (blocks.empty()) {
    // It has nothing there (its best moved to another fork, or it pruned): wait for its next announce.
    if (auto it = m_peers.find(request.peer); it != m_peers.end()) it->second = m_chain.best();
    return;
  }
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto& b = blocks[i];
    const bool contiguous = b.header && b.body && b.header->number.value == request.range_from + i &&
                            (i == 0 || b.header->parent_hash == blocks[i - 1].hash);
    if (!contiguous) {
      sync_log()->warn("peer {}: block range from #{} does not fit the request (block {} of {}): reported",
                       request.peer.to_string(), request.range_from, i, blocks.size());
      m_network.report_peer(request.peer, network::rep::kBadResponse);
      m_peers.erase(request.peer);
      m_peer_count = m_peers.size();
      return;
    }
  }
  // A range that does not connect to what is queued (the peer is on another
  // fork) gets UnknownParent at import and so an ancestor search.
  enqueue(request.peer, std::move(blocks));
}

void SyncEngine::on_ancestors(const InFlight& request, std::vector<BlockData> blocks) {
  // Descending, starting with the requested hash; stop at the first known parent.
  const H256 wanted = m_pending.empty() ? H256{} : m_pending.front().header->parent_hash;
  std::vector<BlockData> segment;
  bool connected = false;
  for (auto& b : blocks) {
    const H256 expected = segment.empty() ? (m_pending.empty() ? b.hash : wanted) : segment.back().header->parent_hash;
    if (!b.header || !b.body || b.hash != expected) {
      sync_log()->warn("peer {}: ancestor response does not link up: reported", request.peer.to_string());
      m_network.report_peer(request.peer, network::rep::kBadResponse);
      m_pending.clear();
      return;
    }
    if (b.header->number.value <= m_chain.finalized().number) {
      sync_log()->info("peer {}: its chain at #{} {} leaves our finalized chain: not following it",
                       request.peer.to_string(), b.header->number.value, short_hash(b.hash));
      m_pending.clear();
      if (auto it = m_peers.find(request.peer); it != m_peers.end()) it->second = m_chain.best();
      return;
    }
    const bool parent_known = m_chain.has_block(b.header->parent_hash);
    segment.push_back(std::move(b));
    if (parent_known) {
      connected = true;
      break;
    }
  }
  if (segment.empty()) {
    m_pending.clear();
    return;
  }
  std::reverse(segment.begin(), segment.end());
  segment.insert(segment.end(), std::make_move_iterator(m_pending.begin()), std::make_move_iterator(m_pending.end()));
  m_pending.clear();
  if (!connected) {
    if (segment.size() >= m_options.max_ancestor_blocks) {
      sync_log()->info("peer {}: no common ancestor within {} blocks: giving up", request.peer.to_string(),
                       segment.size());
      return;
    }
    m_pending = std::move(segment);
    start_ancestors(request.peer, m_pending.front().header->parent_hash);
    return;
  }
  enqueue(request.peer, std::move(segment));
}

// ---- import queue --------------------------------------------------------------------

void SyncEngine::enqueue(const PeerId& from, std::vector<BlockData> blocks) {
  if (m_stopped || blocks.empty()) return;
  Segment segment;
  segment.peer = from;
  segment.blocks.reserve(blocks.size());
  segment.hashes.reserve(blocks.size());
  segment.justifications.reserve(blocks.size());
  for (auto& b : blocks) {
    segment.blocks.push_back(runtime::Block{std::move(*b.header), std::move(*b.body)});
    segment.hashes.push_back(b.hash);
    segment.justifications.push_back(std::move(b.justification));
  }
  // The signature workers start on them now, while the blocks before them import.
  if (segment.blocks.size() > 1 || !queue_idle()) m_chain.prepare_import(segment.blocks);
  const BlockInfo last{segment.hashes.back(), segment.blocks.back().header.number.value};
  if (!m_frontier || last.number > m_frontier->number) m_frontier = last;
  m_queue.push_back(std::move(segment));
  m_queued.notify_one();
}

void SyncEngine::drop_queue() {
  m_queue.clear();
  m_frontier.reset();
  // Its answer would build on the dropped blocks: ignored when it comes.
  if (m_in_flight && m_in_flight->kind == RequestKind::Range) m_in_flight.reset();
}

void SyncEngine::run_imports(std::stop_token stop) {
  ::pthread_setname_np(::pthread_self(), "bz-sync-import");  // as ps/top/perf show it
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(m_mutex);
      if (!m_queued.wait(lock, stop, [this] { return !m_queue.empty(); })) return;  // stop requested
    }
    import_step(stop);
  }
}

bool SyncEngine::import_next() { return import_step({}); }

bool SyncEngine::import_step(std::stop_token stop) {
  Segment segment;
  {
    std::lock_guard lock(m_mutex);
    if (m_stopped || m_queue.empty()) return false;
    segment = std::move(m_queue.front());
    m_queue.pop_front();
    m_importing_left = segment.blocks.size();
  }
  const SegmentResult result = import_segment(segment, stop);
  std::lock_guard lock(m_mutex);
  m_importing_left = 0;
  finish_segment(std::move(segment), result);
  return true;
}

SyncEngine::SegmentResult SyncEngine::import_segment(const Segment& segment, std::stop_token stop) {
  for (std::size_t i = 0; i < segment.blocks.size(); ++i) {
    if (stop.stop_requested()) return {Outcome::Interrupted, i, std::nullopt};
    const runtime::Block& block = segment.blocks[i];
    const BlockNumber number = block.header.number.value;
    auto imported = m_chain.import_block(block);
    const bool known = !imported && imported.error().reason == chain::ImportError::AlreadyKnown;
    if (!imported && !known) {
      if (imported.error().reason == chain::ImportError::UnknownParent && i == 0)
        return {Outcome::NeedParent, 0, imported.error()};
      return {Outcome::Failed, i, imported.error()};
    }
    bool justified = false;
    if (const auto& justification = segment.justifications[i];
        justification && number > m_chain.finalized().number) {
      auto applied = m_chain.import_justification({segment.hashes[i], number}, *justification);
      if (applied) {
        justified = true;
      } else {
        sync_log()->warn("peer {}: justification of #{} {} rejected: {}", segment.peer.to_string(), number,
                         short_hash(segment.hashes[i]), applied.error().message());
      }
    }
    std::lock_guard lock(m_mutex);
    --m_importing_left;
    ++(known ? m_totals.known : m_totals.imported);
    if (justified) ++m_totals.justifications;
    maybe_request();  // room in the queue now
  }
  return {};
}

void SyncEngine::finish_segment(Segment segment, const SegmentResult& result) {
  const PeerId& from = segment.peer;
  switch (result.outcome) {
    case Outcome::Done: break;
    case Outcome::Interrupted: return;
    case Outcome::NeedParent: {
      // Everything queued builds on this segment: drop it, find where the peer's chain joins ours.
      drop_queue();
      if (m_in_flight) break;  // an ancestor search is on; range sync retries after it
      m_pending.clear();
      for (std::size_t i = 0; i < segment.blocks.size(); ++i)
        m_pending.push_back(BlockData{segment.hashes[i], std::move(segment.blocks[i].header),
                                      std::move(segment.blocks[i].extrinsics), std::move(segment.justifications[i])});
      start_ancestors(from, m_pending.front().header->parent_hash);
      return;
    }
    case Outcome::Failed: {
      drop_queue();
      const auto& failure = *result.failure;
      const BlockNumber number = segment.blocks[result.index].header.number.value;
      const H256& hash = segment.hashes[result.index];
      if (failure.reason == chain::ImportError::UnknownParent) {
        // A gap inside a segment that was checked to be contiguous: not a chain the peer has.
        m_network.report_peer(from, network::rep::kBadResponse);
      } else if (chain::is_bad_block(failure.reason)) {
        sync_log()->warn("peer {}: block #{} {} rejected: {}: {}; peer reported", from.to_string(), number,
                         short_hash(hash), chain::to_string(failure.reason), failure.message);
        m_network.report_peer(from, network::rep::kBadBlock);
        m_peers.erase(from);
        m_peer_count = m_peers.size();
      } else {
        sync_log()->info("block #{} {} from {} not imported: {}: {}", number, short_hash(hash), from.to_string(),
                         chain::to_string(failure.reason), failure.message);
        // Not its fault; wait for its next announce before asking it again.
        if (auto it = m_peers.find(from); it != m_peers.end()) it->second = m_chain.best();
      }
      break;
    }
  }
  if (queue_idle()) m_frontier.reset();
  maybe_request();
}

void SyncEngine::note_best(const PeerId& peer, const BlockInfo& best) {
  auto& known = m_peers[peer];
  if (best.number >= known.number) known = best;
  m_peer_count = m_peers.size();
  update_highest();
}

void SyncEngine::update_highest() {
  BlockNumber highest = m_chain.best().number;
  for (const auto& [peer, best] : m_peers) highest = std::max(highest, best.number);
  m_highest = highest;
}

}  // namespace bazaar::node::sync
