#pragma once
// The RPC ports (rpc/ports) implemented over the node's components: the chain
// and its state, the transaction pool, and the chain spec.

#include "genesis/chain_spec.hpp"
#include "node/chain/chain.hpp"
#include "node/service/head_hub.hpp"
#include "node/service/node_network.hpp"
#include "node/txpool/tx_pool.hpp"
#include "rpc/ports/author_port.hpp"
#include "rpc/ports/chain_port.hpp"
#include "rpc/ports/offchain_port.hpp"
#include "rpc/ports/state_port.hpp"
#include "rpc/ports/system_port.hpp"

namespace bazaar::node::service {

/// The engine id under which stored justifications are served (chain_getBlock):
/// the finality gadget's, GRANDPA's "FRNK".
inline constexpr runtime::ConsensusEngineId kFinalityEngineId = {'F', 'R', 'N', 'K'};

/// ChainPort over the block store; head subscriptions come from the hub.
class ChainPortImpl final : public rpc::ChainPort {
 public:
  ChainPortImpl(const chain::Chain& chain, HeadHub& hub) : m_chain(chain), m_hub(hub) {}

  runtime::H256 genesis_hash() const override { return m_chain.genesis().hash; }
  runtime::H256 best_hash() const override { return m_chain.best().hash; }
  runtime::H256 finalized_hash() const override { return m_chain.finalized().hash; }
  std::optional<runtime::H256> hash_at(runtime::BlockNumber number) const override;
  std::optional<runtime::Header> header(const runtime::H256& hash) const override;
  std::optional<runtime::Block> block(const runtime::H256& hash) const override;
  std::vector<rpc::Justification> justifications(const runtime::H256& hash) const override;
  rpc::PortSubscription subscribe_best_heads(HeadCallback callback) override;
  rpc::PortSubscription subscribe_finalized_heads(HeadCallback callback) override;
  rpc::PortSubscription subscribe_all_heads(HeadCallback callback) override;

 private:
  const chain::Chain& m_chain;
  HeadHub& m_hub;
};

/// StatePort over the state trie at each block's state root.
class StatePortImpl final : public rpc::StatePort {
 public:
  explicit StatePortImpl(const chain::Chain& chain) : m_chain(chain) {}

  rpc::PortResult<std::optional<runtime::Bytes>> storage(const runtime::H256& at, runtime::ByteSpan key) const override;
  rpc::PortResult<std::vector<runtime::Bytes>> storage_keys_paged(
      const runtime::H256& at, runtime::ByteSpan prefix, uint32_t count,
      const std::optional<runtime::Bytes>& start_key) const override;
  rpc::PortResult<rpc::RuntimeVersionInfo> runtime_version(const runtime::H256& at) const override;
  rpc::PortResult<runtime::Bytes> call(const runtime::H256& at, const std::string& method,
                                       runtime::ByteSpan args) const override;
  rpc::PortResult<runtime::Bytes> metadata(const runtime::H256& at) const override;
  rpc::PortResult<std::vector<runtime::Bytes>> read_proof(const runtime::H256& at,
                                                          const std::vector<runtime::Bytes>& keys) const override;
  rpc::PortResult<std::vector<std::pair<runtime::Bytes, std::optional<runtime::Bytes>>>> changes(
      const runtime::H256& at) const override;

 private:
  rpc::PortResult<runtime::Header> header_of(const runtime::H256& at) const;
  rpc::PortResult<runtime::H256> state_root(const runtime::H256& at) const;
  const chain::Chain& m_chain;
};

/// AuthorPort over the transaction pool (transactions from RPC are External).
class AuthorPortImpl final : public rpc::AuthorPort {
 public:
  explicit AuthorPortImpl(txpool::TxPool& pool) : m_pool(pool) {}

  rpc::SubmitResult<runtime::H256> submit(runtime::Bytes extrinsic) override;
  rpc::SubmitResult<rpc::PortSubscription> submit_and_watch(runtime::Bytes extrinsic, StatusCallback callback) override;
  std::vector<runtime::Bytes> pending_extrinsics() const override;

 private:
  txpool::TxPool& m_pool;
};

/// SystemPort from the chain spec, the chain state and the pool.
class SystemPortImpl final : public rpc::SystemPort {
 public:
  /// `validator`: the node authors blocks; `starting_block`: the best block when the node started;
  /// `network`: peers, sync and identity (null: the node runs without networking).
  SystemPortImpl(const genesis::ChainSpec& spec, const chain::Chain& chain, const txpool::TxPool& pool,
                 bool validator, runtime::BlockNumber starting_block, const NodeNetwork* network = nullptr)
      : m_spec(spec),
        m_chain(chain),
        m_pool(pool),
        m_validator(validator),
        m_starting_block(starting_block),
        m_network(network) {}

  std::string node_name() const override;
  std::string node_version() const override;
  std::string chain_name() const override { return m_spec.name; }
  std::string chain_type() const override { return m_spec.chain_type; }
  nlohmann::json properties() const override { return m_spec.properties_json; }
  rpc::NodeHealth health() const override;
  runtime::Nonce account_next_index(const runtime::AccountId32& account) const override;
  std::vector<std::string> node_roles() const override;
  rpc::SyncState sync_state() const override;
  /// Without networking: no peers and no peer id.
  std::vector<rpc::PeerInfo> peers() const override;
  std::optional<std::string> local_peer_id() const override;

 private:
  const genesis::ChainSpec& m_spec;
  const chain::Chain& m_chain;
  const txpool::TxPool& m_pool;
  bool m_validator;
  runtime::BlockNumber m_starting_block;
  const NodeNetwork* m_network;
};

/// OffchainPort over the node database's Offchain column: PERSISTENT values
/// under the prefix "storage" (as Substrate's STORAGE_PREFIX), LOCAL under "local".
class OffchainPortImpl final : public rpc::OffchainPort {
 public:
  explicit OffchainPortImpl(db::KeyValueStore& db) : m_db(db) {}
  rpc::PortResult<std::optional<runtime::Bytes>> local_storage_get(rpc::OffchainStorageKind kind,
                                                                   runtime::ByteSpan key) const override;
  rpc::PortResult<void> local_storage_set(rpc::OffchainStorageKind kind, runtime::ByteSpan key,
                                          runtime::ByteSpan value) override;

 private:
  db::KeyValueStore& m_db;
};

/// The pool's status as the RPC reports it.
rpc::TxStatus to_rpc_status(const txpool::TxStatus& status);

/// The runtime's validity verdict on `encoded` against the best block's state
/// (the pool's Validator).
txpool::ValidationResult validate_at_best(const chain::Chain& chain, txpool::TransactionSource source,
                                          runtime::ByteSpan encoded);

}  // namespace bazaar::node::service
