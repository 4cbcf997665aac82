#pragma once
// The hook through which the service starts the provider worker (--provider).
// The worker itself lives in node/offchain and talks to the node only over
// JSON-RPC; the service only tells it where the node's RPC is and which key
// and database to use. main() installs the launcher.

#include <boost/outcome/result.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace bazaar::node::service {

/// What the in-node provider worker is started with.
struct ProviderLaunch {
  std::string rpc_url;  ///< the node's own RPC endpoint, e.g. "ws://127.0.0.1:9944"
  std::string key_suri;  ///< the provider's key (--provider-key)
  std::filesystem::path db_path;  ///< the worker's own database (--provider-db)
  uint16_t direct_port = 0;  ///< payment-channel direct endpoint port (--direct-port); 0 = off
};

/// A running provider worker; destroying it stops the worker and waits for it.
class ProviderWorkerHandle {
 public:
  virtual ~ProviderWorkerHandle() = default;
};

/// Starts the worker, or says why it cannot (a message for the user).
using ProviderLauncher =
    std::function<boost::outcome_v2::result<std::unique_ptr<ProviderWorkerHandle>, std::string>(const ProviderLaunch&)>;

}  // namespace bazaar::node::service
