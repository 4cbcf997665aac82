#pragma once
// The node on the network (issue 4): the NetworkHost that bridges the
// peer-to-peer network (node/network) to the chain, the transaction pool, block
// sync (node/sync) and the finality gadget (node/finality).
//
//   - blocks: every block the chain imports (ours or a peer's) is announced;
//     announces and fetched blocks go to sync, which imports them fully
//     verified on its import thread (so the network's host thread never
//     waits for an import) and reports peers that send bad ones;
//   - transactions: a gossiped transaction is validated by the pool before the
//     network relays it (TxVerdict); our pool's new ready transactions are
//     gossiped (the network sends each to each peer once);
//   - finality: one authority set for Aura and finality, the Aura authorities
//     of the genesis state (set id 0); the voter votes with `authority_key`
//     when that key is in the set, and observes otherwise; its messages go out
//     as finality gossip, peers' messages come in through on_finality_message;
//     justifications are stored with the blocks they finalize (by the chain)
//     and checked on import (by the voter) when sync brings them;
//   - one driver thread runs the voter's timers and sync's retries, and tells
//     the voter about imported blocks (chain listeners must not finalize).
// Our own votes of the round we last voted in are kept in <data dir>/finality_votes:
// a restarted authority resumes that round with them (it neither votes twice
// nor leaves the others waiting for its vote in a round it had joined).

#include "node/chain/chain.hpp"
#include "node/finality/chain_adapter.hpp"
#include "node/finality/voter.hpp"
#include "node/network/network.hpp"
#include "node/sync/sync.hpp"
#include "node/txpool/tx_pool.hpp"

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace bazaar::node::service {

struct NodeNetworkOptions {
  network::NetworkOptions network;
  sync::SyncOptions sync;
  /// Run the finality voter (with one authority it votes one block behind the
  /// best, so a block is finalized once its child is authored).
  bool finality = true;
  /// Our authority key (--key): the voter votes with it if it is in the set.
  std::optional<runtime::crypto::Keypair> authority_key;
  /// GRANDPA's T; 0 = a third of the slot duration (at least 100 ms).
  uint64_t gossip_duration_ms = 0;
  /// Where our votes of the last round we voted in are kept (empty: not kept).
  std::filesystem::path votes_file;
};

class NodeNetwork final : public network::NetworkHost,
                          public sync::SyncNetwork,
                          public sync::SyncChain,
                          public finality::GossipOut {
 public:
  /// References must outlive the object. Nothing runs before start().
  NodeNetwork(NodeNetworkOptions options, runtime::crypto::Keypair node_key, chain::Chain& chain,
              txpool::TxPool& pool);
  ~NodeNetwork() override;
  NodeNetwork(const NodeNetwork&) = delete;
  NodeNetwork& operator=(const NodeNetwork&) = delete;

  /// Binds the listen addresses, dials, starts the voter, sync's import
  /// thread and the driver thread. Errors: the network's (bad address, port in use).
  Result<void> start();
  /// Stops the driver, sync (after the block it is importing), the network
  /// and the listeners (idempotent).
  void stop();

  network::Network& net() { return *m_network; }
  const network::Network& net() const { return *m_network; }
  sync::SyncStatus sync_status() const { return m_sync->status(); }
  finality::VoterStatus voter_status() const { return m_voter->status(); }
  bool is_voter() const { return m_is_voter; }
  std::size_t authority_count() const { return m_set.size(); }

  // ---- network::NetworkHost ----
  runtime::H256 genesis_hash() const override;
  network::BlockInfo best_block() const override { return m_chain.best(); }
  network::BlockInfo finalized_block() const override { return m_chain.finalized(); }
  std::optional<runtime::H256> block_hash(runtime::BlockNumber number) const override;
  std::optional<runtime::Header> block_header(const runtime::H256& hash) const override;
  std::optional<std::vector<runtime::OpaqueExtrinsic>> block_body(const runtime::H256& hash) const override;
  std::optional<runtime::Bytes> block_justification(const runtime::H256& hash) const override;
  network::AnnounceAction on_block_announce(const network::PeerId& from,
                                            const network::BlockAnnounce& announce) override;
  void import_blocks(const network::PeerId& from, std::vector<network::BlockData> blocks) override;
  network::TxVerdict on_transaction(const network::PeerId& from, runtime::ByteSpan extrinsic) override;
  network::GossipVerdict on_finality_message(const network::PeerId& from, const runtime::H256& topic,
                                             runtime::ByteSpan data) override;
  void on_peer_connected(const network::PeerInfo& peer) override;
  void on_peer_disconnected(const network::PeerId& peer) override;

  // ---- sync::SyncNetwork ----
  void request_blocks(const network::PeerId& peer, network::BlockRequest request,
                      network::BlocksCallback callback) override;
  void report_peer(const network::PeerId& peer, network::ReputationChange change) override;

  // ---- sync::SyncChain ----
  network::BlockInfo best() const override { return m_chain.best(); }
  network::BlockInfo finalized() const override { return m_chain.finalized(); }
  bool has_block(const runtime::H256& hash) const override;
  chain::ImportResult import_block(const runtime::Block& block) override;
  void prepare_import(std::span<const runtime::Block> blocks) override { m_chain.verify_ahead(blocks); }
  Result<void> import_justification(const network::BlockInfo& block, runtime::ByteSpan justification) override;

  // ---- finality::GossipOut ----
  void broadcast(const runtime::H256& topic, runtime::Bytes message) override;
  void send_to(const finality::PeerId& peer, const runtime::H256& topic, runtime::Bytes message) override;

 private:
  void drive(std::stop_token stop);
  void wake();
  void load_votes();
  /// Remembers one of our vote messages (the last round's only) in votes_file.
  void save_vote(const runtime::Bytes& message);

  NodeNetworkOptions m_options;
  chain::Chain& m_chain;
  txpool::TxPool& m_pool;
  finality::AuthoritySet m_set;
  bool m_is_voter = false;
  uint64_t m_slot_ms = 1000;
  std::mutex m_votes_mutex;
  finality::RoundNumber m_saved_round = 0;   // guarded by m_votes_mutex after start()
  std::vector<runtime::Bytes> m_saved_votes;  // guarded by m_votes_mutex after start()

  std::unique_ptr<finality::ChainAdapter> m_view;
  std::unique_ptr<finality::Voter> m_voter;
  std::unique_ptr<sync::SyncEngine> m_sync;
  std::unique_ptr<network::Network> m_network;
  std::optional<chain::ListenerId> m_listener;
  std::optional<txpool::WatchId> m_pool_watch;

  std::mutex m_wake_mutex;
  std::condition_variable_any m_wake_cv;
  bool m_imported = false;  // guarded by m_wake_mutex: a block arrived since the last voter update
  std::jthread m_driver;
  bool m_started = false;
};

}  // namespace bazaar::node::service
