#pragma once
// What the node service is told to run (STYLE.md point 3: options structs, no
// global configuration). node/cli fills it from argv; tests fill it directly.

#include "node/chain/chain.hpp"
#include "node/txpool/types.hpp"
#include "rpc/methods/methods.hpp"
#include "rpc/server/rpc_server.hpp"

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
};

}  // namespace bazaar::node::service
