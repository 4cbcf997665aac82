#include "node/sync/sync.hpp"

#include "node/log/log.hpp"

#include <algorithm>

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
  // A request to it fails with Disconnected through its callback.
}

network::AnnounceAction SyncEngine::on_block_announce(const PeerId& from, const network::BlockAnnounce& announce) {
  std::lock_guard lock(m_mutex);
  const auto hash = runtime::header_hash(announce.header);
  const BlockNumber number = announce.header.number.value;
  if (announce.is_best) note_best(from, {hash, number});
  if (m_chain.has_block(hash)) return network::AnnounceAction::Ignore;
  if (number <= m_chain.finalized().number) return network::AnnounceAction::Ignore;
  if (m_chain.has_block(announce.header.parent_hash)) return network::AnnounceAction::Fetch;
  // A block whose parent we lack: far ahead (range sync gets it) or on a fork.
  if (!m_in_flight) {
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
  std::sort(blocks.begin(), blocks.end(), [](const BlockData& a, const BlockData& b) {
    return (a.header ? a.header->number.value : 0) < (b.header ? b.header->number.value : 0);
  });
  if (import_segment(from, blocks) == Outcome::NeedParent && !m_in_flight) {
    m_pending = std::move(blocks);
    start_ancestors(from, m_pending.front().header->parent_hash);
  }
  maybe_request();
}

void SyncEngine::fetch_block(const PeerId& peer, const H256& hash, BlockNumber number) {
  std::lock_guard lock(m_mutex);
  if (m_in_flight || number <= m_chain.finalized().number || m_chain.has_block(hash)) return;
  m_pending.clear();
  start_ancestors(peer, hash);
}

void SyncEngine::tick() {
  std::unique_lock lock(m_mutex, std::try_to_lock);
  if (!lock.owns_lock()) return;  // an import is running; it requests the next range itself
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

// ---- requests ------------------------------------------------------------------------

void SyncEngine::maybe_request() {
  if (m_in_flight) return;
  const BlockInfo best = m_chain.best();
  const PeerId* target = nullptr;
  BlockNumber highest = best.number;
  for (const auto& [peer, peer_best] : m_peers) {
    if (peer_best.number > highest && !m_chain.has_block(peer_best.hash)) {
      highest = peer_best.number;
      target = &peer;
    }
  }
  if (target) start_range(*target, best.number + 1);
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
  request.id = m_next_id++;
  const uint64_t id = request.id;
  const PeerId peer = request.peer;
  m_in_flight = std::move(request);
  m_network.request_blocks(peer, std::move(message),
                           [this, id](Result<std::vector<BlockData>> result) { on_response(id, std::move(result)); });
}

void SyncEngine::on_response(uint64_t id, Result<std::vector<BlockData>> result) {
  std::lock_guard lock(m_mutex);
  if (!m_in_flight || m_in_flight->id != id) return;
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
  if (import_segment(request.peer, blocks) == Outcome::NeedParent) {
    // Our best is on a fork the peer does not have: find where its chain joins ours.
    m_pending = std::move(blocks);
    start_ancestors(request.peer, m_pending.front().header->parent_hash);
  }
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
  (void)import_segment(request.peer, segment);
}

// ---- import --------------------------------------------------------------------------

SyncEngine::Outcome SyncEngine::import_segment(const PeerId& from, const std::vector<BlockData>& blocks) {
  std::vector<runtime::Block> segment;
  segment.reserve(blocks.size());
  for (const auto& b : blocks) {
    if (!b.header || !b.body) break;  // reported when the loop below reaches it
    segment.push_back(runtime::Block{*b.header, *b.body});
  }
  // Let the chain verify the signatures of the blocks ahead while each one executes.
  if (segment.size() > 1) m_chain.prepare_import(segment);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto& b = blocks[i];
    if (!b.header || !b.body) {
      m_network.report_peer(from, network::rep::kBadResponse);
      return Outcome::Stopped;
    }
    const BlockNumber number = b.header->number.value;
    const runtime::Block& block = segment[i];
    auto imported = m_chain.import_block(block);
    if (imported) {
      ++m_totals.imported;
    } else if (imported.error().reason == chain::ImportError::AlreadyKnown) {
      ++m_totals.known;
    } else if (imported.error().reason == chain::ImportError::UnknownParent) {
      if (i == 0) return Outcome::NeedParent;
      m_network.report_peer(from, network::rep::kBadResponse);
      return Outcome::Stopped;
    } else {
      const auto& failure = imported.error();
      if (chain::is_bad_block(failure.reason)) {
        sync_log()->warn("peer {}: block #{} {} rejected: {}: {}; peer reported", from.to_string(), number,
                         short_hash(b.hash), chain::to_string(failure.reason), failure.message);
        m_network.report_peer(from, network::rep::kBadBlock);
        m_peers.erase(from);
        m_peer_count = m_peers.size();
      } else {
        sync_log()->info("block #{} {} from {} not imported: {}: {}", number, short_hash(b.hash), from.to_string(),
                         chain::to_string(failure.reason), failure.message);
        // Not its fault; wait for its next announce before asking it again.
        if (auto it = m_peers.find(from); it != m_peers.end()) it->second = m_chain.best();
      }
      return Outcome::Stopped;
    }
    if (b.justification && number > m_chain.finalized().number) {
      auto applied = m_chain.import_justification({b.hash, number}, *b.justification);
      if (applied) {
        ++m_totals.justifications;
      } else {
        sync_log()->warn("peer {}: justification of #{} {} rejected: {}", from.to_string(), number,
                         short_hash(b.hash), applied.error().message());
      }
    }
  }
  return Outcome::Done;
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
