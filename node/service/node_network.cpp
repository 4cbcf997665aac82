#include "node/service/node_network.hpp"

#include "modules/composition/executive.hpp"
#include "node/log/log.hpp"
#include "node/txpool/error.hpp"
#include "runtime/crypto/hash.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>

namespace bazaar::node::service {

namespace {

const std::shared_ptr<spdlog::logger>& net_log() {
  static const auto logger = log::logger("service");
  return logger;
}

uint64_t unix_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

/// GossipMessage variant indices (node/finality/messages.hpp) of catch-up traffic, never relayed.
constexpr uint8_t kCatchUpRequestIndex = 2;
constexpr uint8_t kCatchUpIndex = 3;

}  // namespace

NodeNetwork::NodeNetwork(NodeNetworkOptions options, runtime::crypto::Keypair node_key, chain::Chain& chain,
                         txpool::TxPool& pool)
    : m_options(std::move(options)), m_chain(chain), m_pool(pool) {
  // One authority set for Aura and finality: the genesis state's Aura authorities.
  if (auto state = m_chain.state_at(m_chain.genesis().hash)) {
    m_set.authorities = modules::composition::aura_authorities(*state.value());
    m_slot_ms = std::max<uint64_t>(1, modules::composition::slot_duration_ms(*state.value()));
  } else if (auto best_state = m_chain.state_at(m_chain.best().hash)) {  // genesis state pruned
    m_set.authorities = modules::composition::aura_authorities(*best_state.value());
    m_slot_ms = std::max<uint64_t>(1, modules::composition::slot_duration_ms(*best_state.value()));
  }
  m_set.set_id = 0;

  finality::VoterOptions voter;
  voter.authorities = m_set;
  voter.genesis_hash = m_chain.genesis().hash;
  if (m_options.authority_key && m_set.index_of(m_options.authority_key->public_key())) {
    voter.key = m_options.authority_key;
    m_is_voter = true;
  }
  voter.now_ms = unix_ms;
  voter.gossip_duration_ms =
      m_options.gossip_duration_ms ? m_options.gossip_duration_ms : std::max<uint64_t>(100, m_slot_ms / 3);
  voter.rebroadcast_ms = std::max<uint64_t>(2 * m_slot_ms, 2000);
  voter.catch_up_interval_ms = std::max<uint64_t>(2 * m_slot_ms, 2000);
  // A single authority (the dev chain) finalizes a block when its child is
  // authored, not at its import: wallets see it in a block before they see it
  // finalized (@polkadot/api drops the InBlock status otherwise).
  if (m_set.size() == 1) voter.vote_behind_best = 1;
  load_votes();
  if (m_saved_round > 0) voter.start_round = m_saved_round;
  m_view = std::make_unique<finality::ChainAdapter>(m_chain);
  m_voter = std::make_unique<finality::Voter>(std::move(voter), *m_view, *this, finality::chain_finalizer(m_chain));
  m_sync = std::make_unique<sync::SyncEngine>(m_options.sync, *this, *this);

  m_options.network.role = m_is_voter ? network::Role::Authority : network::Role::Full;
  m_network = std::make_unique<network::Network>(m_options.network, std::move(node_key), *this);
}

NodeNetwork::~NodeNetwork() { stop(); }

Result<void> NodeNetwork::start() {
  if (m_started) return outcome::success();
  m_started = true;
  chain::ChainListener listener;
  listener.on_imported = [this](const chain::BlockImportedEvent& e) {
    m_network->announce_block(e.header, e.is_new_best);
    {
      std::lock_guard lock(m_wake_mutex);
      m_imported = true;
    }
    m_wake_cv.notify_all();
  };
  listener.on_equivocation = [](const chain::EquivocationEvent& e) {
    net_log()->warn("equivocation: authority {} sealed two blocks in slot {}: #{} {} and #{} {}",
                    runtime::to_hex(e.offender.span()), e.slot, e.first.number.value,
                    runtime::to_hex(runtime::header_hash(e.first)), e.second.number.value,
                    runtime::to_hex(runtime::header_hash(e.second)));
  };
  m_listener = m_chain.subscribe(std::move(listener));
  m_pool_watch = m_pool.watch_all([this](const runtime::H256& hash, const txpool::TxStatus& status) {
    if (status.kind != txpool::TxStatusKind::Ready) return;
    if (auto tx = m_pool.get(hash)) m_network->broadcast_transaction(tx->data);
  });
  m_voter->on_equivocation([](const finality::Equivocation&) {
    net_log()->warn("finality equivocation detected (two votes of one authority in one round); recorded");
  });
  // The voter first: a finality message that arrives before it starts is
  // discarded (the network hands it over again only if a peer sends it again).
  if (m_options.finality) {
    m_voter->start();
    // Our votes of the round we were in when we stopped: the voter takes them
    // as cast (no second, different vote) and re-broadcasts them.
    std::vector<runtime::Bytes> saved;
    {
      std::lock_guard lock(m_votes_mutex);
      saved = m_saved_votes;
    }
    for (const auto& vote : saved) (void)m_voter->on_message(vote, m_network->local_peer_id().to_string());
  }
  m_sync->start();
  BAZAAR_TRY(m_network->start());
  m_driver = std::jthread([this](std::stop_token stop) { drive(std::move(stop)); });
  if (m_options.finality)
    net_log()->info("finality: {} authorities, threshold {}, {}", m_set.size(), m_set.threshold(),
                    m_is_voter ? "voting" : "observing");
  return outcome::success();
}

void NodeNetwork::stop() {
  if (m_driver.joinable()) {
    m_driver.request_stop();
    wake();
    m_driver.join();
  }
  // Before the network: no request after it stopped, and the answers it still delivers are ignored.
  if (m_sync) m_sync->stop();
  if (m_network) m_network->stop();
  if (m_pool_watch) m_pool.unwatch(*std::exchange(m_pool_watch, std::nullopt));
  if (m_listener) m_chain.unsubscribe(*std::exchange(m_listener, std::nullopt));
}

void NodeNetwork::wake() {
  { std::lock_guard lock(m_wake_mutex); }
  m_wake_cv.notify_all();
}

void NodeNetwork::drive(std::stop_token stop) {
  uint64_t next_sync_tick = 0;
  while (!stop.stop_requested()) {
    bool imported = false;
    {
      std::unique_lock lock(m_wake_mutex);
      const uint64_t now = unix_ms();
      // At least 5 ms: a stalled round's deadline stays "now", which would be a busy loop.
      const uint64_t deadline = std::max<uint64_t>(std::min<uint64_t>(m_voter->next_deadline(), now + 250), now + 5);
      if (!m_imported && deadline > now)
        m_wake_cv.wait_for(lock, stop, std::chrono::milliseconds(deadline - now), [this] { return m_imported; });
      imported = std::exchange(m_imported, false);
    }
    if (stop.stop_requested()) break;
    if (m_options.finality) {
      if (imported) m_voter->on_block_imported();
      m_voter->tick();
    }
    if (const uint64_t now = unix_ms(); now >= next_sync_tick) {
      m_sync->tick();
      next_sync_tick = now + 500;
    }
  }
}

void NodeNetwork::load_votes() {
  if (m_options.votes_file.empty()) return;
  std::ifstream in(m_options.votes_file);
  finality::RoundNumber round = 0;
  if (!(in >> round)) return;
  std::string hex;
  while (in >> hex)
    if (auto bytes = runtime::from_hex(hex)) m_saved_votes.push_back(std::move(*bytes));
  m_saved_round = round;
}

void NodeNetwork::save_vote(const runtime::Bytes& message) {
  auto decoded = finality::decode_gossip(message);
  if (!decoded) return;
  const auto* vote = std::get_if<finality::VoteMessage>(&decoded.value());
  if (!vote) return;
  std::lock_guard lock(m_votes_mutex);
  if (vote->round != m_saved_round) {
    m_saved_round = vote->round;
    m_saved_votes.clear();
  }
  if (std::find(m_saved_votes.begin(), m_saved_votes.end(), message) != m_saved_votes.end()) return;  // a re-broadcast
  m_saved_votes.push_back(message);
  if (m_options.votes_file.empty()) return;
  const auto tmp = m_options.votes_file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << m_saved_round << "\n";
    for (const auto& v : m_saved_votes) out << runtime::to_hex(v) << "\n";
    out.flush();
    if (!out) return;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, m_options.votes_file, ec);
}

// ---- reads --------------------------------------------------------------------------

runtime::H256 NodeNetwork::genesis_hash() const { return m_chain.genesis().hash; }

std::optional<runtime::H256> NodeNetwork::block_hash(runtime::BlockNumber number) const {
  auto hash = m_chain.blocks().canonical_hash(number);
  if (!hash) return std::nullopt;
  return hash.value();
}

std::optional<runtime::Header> NodeNetwork::block_header(const runtime::H256& hash) const {
  auto header = m_chain.blocks().header(hash);
  if (!header) return std::nullopt;
  return header.value();
}

std::optional<std::vector<runtime::OpaqueExtrinsic>> NodeNetwork::block_body(const runtime::H256& hash) const {
  auto body = m_chain.blocks().body(hash);
  if (!body) return std::nullopt;
  return body.value();
}

std::optional<runtime::Bytes> NodeNetwork::block_justification(const runtime::H256& hash) const {
  auto justification = m_chain.blocks().justification(hash);
  if (!justification) return std::nullopt;
  return justification.value();
}

bool NodeNetwork::has_block(const runtime::H256& hash) const {
  auto contains = m_chain.blocks().contains(hash);
  return contains && contains.value();
}

// ---- inbound ------------------------------------------------------------------------

network::AnnounceAction NodeNetwork::on_block_announce(const network::PeerId& from,
                                                       const network::BlockAnnounce& announce) {
  return m_sync->on_block_announce(from, announce);
}

void NodeNetwork::import_blocks(const network::PeerId& from, std::vector<network::BlockData> blocks) {
  m_sync->on_blocks(from, std::move(blocks));
}

network::TxVerdict NodeNetwork::on_transaction(const network::PeerId& from, runtime::ByteSpan extrinsic) {
  auto submitted = m_pool.submit(txpool::TransactionSource::External, runtime::Bytes(extrinsic.begin(), extrinsic.end()));
  if (submitted) return network::TxVerdict::Accepted;
  const auto& ec = submitted.error();
  if (ec == txpool::TxPoolError::AlreadyImported || ec == txpool::TxPoolError::TemporarilyBanned)
    return network::TxVerdict::Known;
  if (auto validity = txpool::validity_error(ec)) {
    if (const auto* invalid = std::get_if<runtime::InvalidTransaction>(&validity->error);
        invalid && *invalid == runtime::InvalidTransaction::BadProof) {
      net_log()->debug("peer {}: transaction {} has a bad signature", from.to_string(),
                       runtime::to_hex(runtime::crypto::blake2b_256(extrinsic)));
      return network::TxVerdict::Invalid;
    }
  }
  net_log()->debug("peer {}: transaction {} not admitted: {}", from.to_string(),
                   runtime::to_hex(runtime::crypto::blake2b_256(extrinsic)), ec.message());
  return network::TxVerdict::Rejected;
}

network::GossipVerdict NodeNetwork::on_finality_message(const network::PeerId& from, const runtime::H256& topic,
                                                        runtime::ByteSpan data) {
  (void)topic;
  if (!m_options.finality) return network::GossipVerdict::Discard;
  const auto verdict = m_voter->on_message(data, from.to_string());
  if (verdict.action == finality::MessageAction::Keep ||
      (verdict.action == finality::MessageAction::Discard && verdict.reason == finality::FinalityError::UnknownBlock)) {
    // A vote or commit for a block we never saw (a fork announced before we
    // were connected): the voter keeps it waiting; fetch the block from the sender.
    if (auto decoded = finality::decode_gossip(data)) {
      std::optional<network::BlockInfo> target;
      if (const auto* vote = std::get_if<finality::VoteMessage>(&decoded.value()))
        target = finality::message_target(vote->message.message);
      else if (const auto* commit = std::get_if<finality::CommitMessage>(&decoded.value()))
        target = commit->commit.target();
      if (target && !has_block(target->hash)) m_sync->fetch_block(from, target->hash, target->number);
    }
  }
  switch (verdict.action) {
    case finality::MessageAction::Keep:
      if (!data.empty() && (data[0] == kCatchUpRequestIndex || data[0] == kCatchUpIndex))
        return network::GossipVerdict::Keep;
      return network::GossipVerdict::Relay;
    case finality::MessageAction::Discard: return network::GossipVerdict::Discard;
    case finality::MessageAction::Punish:
      net_log()->info("peer {}: invalid finality message: {}", from.to_string(),
                      verdict.reason ? finality::to_string(*verdict.reason) : "invalid");
      return network::GossipVerdict::Invalid;
  }
  return network::GossipVerdict::Discard;
}

void NodeNetwork::on_peer_connected(const network::PeerInfo& peer) {
  net_log()->info("peer {} connected ({}, {}), best #{}", peer.id.to_string(), network::to_string(peer.role),
                  peer.remote_address, peer.best.number);
  m_sync->on_peer_connected(peer.id, peer.best);
}

void NodeNetwork::on_peer_disconnected(const network::PeerId& peer) {
  net_log()->info("peer {} disconnected", peer.to_string());
  m_sync->on_peer_disconnected(peer);
}

// ---- sync ---------------------------------------------------------------------------

void NodeNetwork::request_blocks(const network::PeerId& peer, network::BlockRequest request,
                                 network::BlocksCallback callback) {
  m_network->request_blocks(peer, std::move(request), std::move(callback));
}

void NodeNetwork::report_peer(const network::PeerId& peer, network::ReputationChange change) {
  m_network->report_peer(peer, change);
}

chain::ImportResult NodeNetwork::import_block(const runtime::Block& block) {
  return m_chain.import_block(block);
}

Result<void> NodeNetwork::import_justification(const network::BlockInfo& block, runtime::ByteSpan justification) {
  return m_voter->import_justification(justification, block);
}

// ---- finality gossip ----------------------------------------------------------------

void NodeNetwork::broadcast(const runtime::H256& topic, runtime::Bytes message) {
  if (!message.empty() && message[0] == 0) save_vote(message);  // a VoteMessage of ours
  m_network->gossip_finality_message(topic, std::move(message));
}

void NodeNetwork::send_to(const finality::PeerId& peer, const runtime::H256& topic, runtime::Bytes message) {
  auto id = network::PeerId::parse(peer);
  if (!id) return;
  m_network->send_finality_message(id.value(), topic, std::move(message));
}

}  // namespace bazaar::node::service
