#pragma once
// Node identity and health as the system_* RPC methods see them. Header-only.

#include "runtime/primitives/types.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bazaar::rpc {

/// system_health (spec §2.2).
struct NodeHealth {
  uint32_t peers = 0;
  bool is_syncing = false;
  bool should_have_peers = false;
  friend bool operator==(const NodeHealth&, const NodeHealth&) = default;
};

/// system_syncState: the block the node started at, its best block, and the
/// highest block it knows of (its best while it has no peers).
struct SyncState {
  runtime::BlockNumber starting_block = 0;
  runtime::BlockNumber current_block = 0;
  runtime::BlockNumber highest_block = 0;
  friend bool operator==(const SyncState&, const SyncState&) = default;
};

/// One connected peer as system_peers reports it.
struct PeerInfo {
  std::string peer_id;
  std::string roles;  ///< "FULL" or "AUTHORITY"
  runtime::H256 best_hash;
  runtime::BlockNumber best_number = 0;
  friend bool operator==(const PeerInfo&, const PeerInfo&) = default;
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
  /// The node's roles: {"Authority"} for a validator, {"Full"} otherwise.
  virtual std::vector<std::string> node_roles() const = 0;
  virtual SyncState sync_state() const = 0;
  /// The connected peers (none while the node runs without networking).
  virtual std::vector<PeerInfo> peers() const = 0;
  /// The node's peer id on the network; nullopt when networking is not running.
  virtual std::optional<std::string> local_peer_id() const = 0;
};

}  // namespace bazaar::rpc
