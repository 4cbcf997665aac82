#pragma once
// The node's composition root (STYLE.md point 2; Bitcoin's node/context.h):
// NodeComponents owns every component; Service builds them in order and stops
// them in reverse:
//
//   log levels -> chain spec -> data directory (--base-path, or --tmp removed
//   on exit) -> LevelDB -> state trie -> chain (genesis or resume) -> pool
//   (revalidated after each new best block, told of inclusion and finality)
//   -> head hub (RPC notifications) -> metrics registry -> network, sync and
//   finality (node_network.hpp) -> Aura authoring (--validator) -> RPC
//   server with the ports and the keystore (<data dir>/keystore) -> Prometheus
//   endpoint (--prometheus-port) -> provider worker (--provider).

#include "genesis/chain_spec.hpp"
#include "node/chain/chain.hpp"
#include "node/consensus/aura_author.hpp"
#include "node/consensus/slot_clock.hpp"
#include "node/db/leveldb_store.hpp"
#include "node/metrics/registry.hpp"
#include "node/metrics/server.hpp"
#include "node/service/head_hub.hpp"
#include "node/service/keystore.hpp"
#include "node/service/node_network.hpp"
#include "node/service/node_ports.hpp"
#include "node/service/provider_hook.hpp"
#include "node/service/service_options.hpp"
#include "node/service/temp_dir.hpp"
#include "node/trie/trie_db.hpp"
#include "node/txpool/tx_pool.hpp"
#include "rpc/server/method_registry.hpp"
#include "rpc/server/rpc_server.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace bazaar::node::service {

/// Why the service could not start (details in the message next to it).
enum class ServiceError {
  BadLogSpec = 1,   ///< a -l spec does not parse
  ChainSpec,        ///< the chain spec cannot be loaded
  DataDirectory,    ///< the data directory cannot be created
  Database,         ///< LevelDB cannot be opened (locked, corrupt, ...)
  Chain,            ///< the chain cannot be opened (genesis mismatch, failed start-up check, ...)
  AuthorityKey,     ///< --key is not a valid secret URI
  Rpc,              ///< the RPC port cannot be bound
  Provider,         ///< the provider worker cannot start
  Network,          ///< the node key cannot be loaded, or the p2p listen address cannot be bound
  Metrics,          ///< the Prometheus port cannot be bound
};
const char* to_string(ServiceError e);

}  // namespace bazaar::node::service

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::service, ServiceError)

namespace bazaar::node::service {

/// Every component of a running node, in construction order (destroyed in reverse).
struct NodeComponents {
  genesis::ChainSpec spec;
  std::optional<TempDir> tmp_dir;
  std::filesystem::path data_dir;  ///< <base>/chains/<id>
  std::unique_ptr<db::LevelDbStore> db;
  std::unique_ptr<trie::TrieDb> trie;
  std::unique_ptr<chain::Chain> chain;
  std::unique_ptr<txpool::TxPool> pool;
  std::optional<chain::ListenerId> pool_listener;
  std::unique_ptr<HeadHub> hub;
  std::optional<chain::ListenerId> hub_listener;
  std::unique_ptr<metrics::Registry> metrics;
  std::optional<chain::ListenerId> metrics_listener;
  std::unique_ptr<NodeNetwork> network;  ///< peers, sync and finality (networking enabled)
  std::unique_ptr<consensus::SystemClock> clock;
  std::unique_ptr<consensus::AuraAuthor> author;
  std::unique_ptr<ChainPortImpl> chain_port;
  std::unique_ptr<StatePortImpl> state_port;
  std::unique_ptr<AuthorPortImpl> author_port;
  std::unique_ptr<SystemPortImpl> system_port;
  std::unique_ptr<Keystore> keystore;
  std::unique_ptr<OffchainPortImpl> offchain_port;
  std::unique_ptr<rpc::MethodRegistry> registry;
  std::unique_ptr<rpc::RpcServer> rpc;
  std::unique_ptr<metrics::MetricsServer> metrics_server;
  std::unique_ptr<ProviderWorkerHandle> provider;
};

/// Things main() plugs in that the service does not build itself.
struct ServiceHooks {
  /// Starts the provider worker for --provider; without it --provider is refused.
  ProviderLauncher provider_launcher;
};

class Service {
 public:
  /// Builds and starts every component. On failure, whatever was built is
  /// stopped again and `detail` (if given) receives a message for the user.
  static Result<std::unique_ptr<Service>> start(ServiceOptions options, ServiceHooks hooks = {},
                                                std::string* detail = nullptr);
  ~Service();  ///< stop()s
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  /// Stops every component in reverse order of construction (idempotent).
  void stop();

  /// The bound RPC port, and the URL clients use ("ws://127.0.0.1:PORT").
  uint16_t rpc_port() const;
  std::string rpc_url() const;
  const NodeComponents& components() const { return m_c; }

 private:
  Service(ServiceOptions options, ServiceHooks hooks) : m_options(std::move(options)), m_hooks(std::move(hooks)) {}
  Result<void> build(std::string& detail);
  Result<void> open_storage(std::string& detail);
  void wire_pool();
  void wire_hub();
  Result<void> start_networking(std::string& detail);
  Result<void> start_metrics_server(std::string& detail);
  Result<void> start_authoring(std::string& detail);
  Result<void> start_rpc(std::string& detail);
  Result<void> start_provider(std::string& detail);

  ServiceOptions m_options;
  ServiceHooks m_hooks;
  NodeComponents m_c;
  /// The author finalizes its own blocks: one authority and no peers configured (start_networking decides).
  bool m_dev_finality = true;
};

}  // namespace bazaar::node::service
