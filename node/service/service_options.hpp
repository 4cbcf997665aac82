#pragma once
// What the node service is told to run (STYLE.md point 3: options structs, no
// global configuration). node/cli fills it from argv; tests fill it directly.

#include "node/chain/chain.hpp"
#include "node/network/options.hpp"
#include "node/sync/sync.hpp"
#include "node/txpool/types.hpp"
#include "rpc/methods/methods.hpp"
#include "rpc/server/rpc_server.hpp"
#include "runtime/crypto/ecdsa.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bazaar::node::service {

/// Where the node keeps its data.
struct StorageOptions {
  /// Persistent data directory; the database lives in <base_path>/chains/<chain id>/db.
  std::optional<std::filesystem::path> base_path;
  /// Use a fresh temporary directory, removed when the service stops (ignored with base_path).
  bool tmp = false;
};

/// Block authoring.
struct AuthoringOptions {
  bool validator = false;
  /// The authority key as a secret URI (//Alice, a phrase, a 0x seed). Required with `validator`.
  std::optional<std::string> key_suri;
};

/// The provider worker that runs inside the node (--provider).
struct ProviderOptions {
  bool enabled = false;
  std::string key_suri = "//Bob";
  /// The worker's own database; default <data dir>/provider.
  std::optional<std::filesystem::path> db_path;
  /// Serve payment-channel tasks on this port and watch the channels (--direct-port); 0 = off.
  uint16_t direct_port = 0;
};

/// Peer-to-peer networking, sync and finality (--port, --bootnodes, ...).
struct NetworkingOptions {
  bool enabled = false;  ///< the CLI turns it on; in-process tests usually run without
  /// Listen addresses, bootnodes, reserved nodes, peer limits (the chain spec's bootNodes are added).
  network::NetworkOptions network;
  /// When the listen port was not chosen by the user and is taken, listen on a free port instead.
  bool fallback_to_free_port = false;
  /// The node key file; default <data dir>/network/secret_secp256k1, created on first start.
  std::optional<std::filesystem::path> node_key_file;
  /// The node key itself (--node-key HEX): used instead of any file.
  std::optional<runtime::crypto::Keypair> node_key;
  sync::SyncOptions sync;
};

/// The Prometheus endpoint (--prometheus-port, --prometheus-external, --no-prometheus).
struct PrometheusOptions {
  bool enabled = false;  ///< the CLI turns it on (unless --no-prometheus)
  std::string listen_address = "127.0.0.1";
  uint16_t port = 9615;
  /// When the port was not chosen by the user and is taken, go on without metrics (a warning).
  bool optional = false;
};

struct ServiceOptions {
  /// `-l` specs applied in order ("info", "txpool=debug,rpc=trace").
  std::vector<std::string> log_specs;
  /// "dev", "local" or a chain spec file.
  std::string chain = "dev";
  /// Human-readable node name, for the logs.
  std::string node_name = "bazaar-node";
  StorageOptions storage;
  AuthoringOptions authoring;
  rpc::RpcServerOptions rpc;
  rpc::StateMethodsOptions rpc_state;
  txpool::TxPoolOptions pool;
  chain::ChainOptions chain_options;
  ProviderOptions provider;
  NetworkingOptions networking;
  PrometheusOptions prometheus;
};

}  // namespace bazaar::node::service
