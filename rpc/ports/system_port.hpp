#pragma once
// Node identity and health as the system_* RPC methods see them. Header-only.

#include "runtime/primitives/types.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace bazaar::rpc {

/// system_health (spec §2.2).
struct NodeHealth {
  uint32_t peers = 0;
  bool is_syncing = false;
  bool should_have_peers = false;
  friend bool operator==(const NodeHealth&, const NodeHealth&) = default;
};

/// Thread-safe: called from the RPC I/O threads.
class SystemPort {
 public:
  virtual ~SystemPort() = default;

  /// Implementation name, e.g. "bazaar-node".
  virtual std::string node_name() const = 0;
  /// Implementation version, e.g. "0.1.0".
  virtual std::string node_version() const = 0;
  /// The chain spec's "name".
  virtual std::string chain_name() const = 0;
  /// The chain spec's "chainType": "Development", "Local", "Live" or a custom name.
  virtual std::string chain_type() const = 0;
  /// The chain spec's "properties" object ({"ss58Format":42,"tokenDecimals":12,"tokenSymbol":"CC"}).
  virtual nlohmann::json properties() const = 0;
  virtual NodeHealth health() const = 0;
  /// The next nonce of `account`: its nonce at the best block, raised past the
  /// transactions of that account already in the pool.
  virtual runtime::Nonce account_next_index(const runtime::AccountId32& account) const = 0;
};

}  // namespace bazaar::rpc
