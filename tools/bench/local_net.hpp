#pragma once
// A validator network of real bazaar-node processes on loopback, the parts
// shared by the finality benchmark (tools/bench/finality_bench.cpp) and the
// network integration tests (tests/integration/network/net_env.*): a free
// p2p port and a node key generated up front (`bazaar-node key
// generate-node-key`, which prints the peer id) for each node, its
// /ip4/127.0.0.1/tcp/PORT/p2p/ID address, and the command line that starts it
// with its own base path, a loopback listen address, a free RPC port and the
// other nodes as bootnodes. Processes are run with NodeProcess
// (tests/integration/node_process.hpp: the binary is build/bin/bazaar-node,
// output captured, killed when the guard dies).

#include <boost/outcome/result.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bazaar::tools::bench {

/// Errors of the local network are messages for the user.
template <class T>
using NetResult = boost::outcome_v2::result<T, std::string>;

/// A free TCP port on 127.0.0.1 (bound and released: another process may
/// take it before the node binds it, which is rare on a test machine).
uint16_t free_port();

/// One node of the network, prepared but not started.
struct LocalNode {
  std::string chain;     ///< "local", "local4", "dev" or a spec file
  std::string account;   ///< "alice", "bob", ... (a validator with that dev key), or "" (a full node)
  std::filesystem::path base_path;
  std::filesystem::path key_file;
  uint16_t p2p_port = 0;
  std::string peer_id;

  /// /ip4/127.0.0.1/tcp/PORT/p2p/PEERID.
  std::string address() const;
  /// The bazaar-node arguments: --chain, --base-path, --node-key-file, a
  /// loopback --listen-addr on p2p_port, --rpc-port 0 (the node prints the
  /// port it got), --no-prometheus, --name and --<account> for a validator,
  /// and one --bootnodes per entry of `bootnodes`.
  std::vector<std::string> args(const std::vector<std::string>& bootnodes) const;
};

/// Prepares node `index` in `dir`: base path dir/nodeI, key file
/// dir/nodeI.key (generated now with `bazaar-node key generate-node-key`) and
/// a free p2p port. Error: the key generation failed or printed no peer id.
NetResult<LocalNode> prepare_node(std::string chain, std::string account, const std::filesystem::path& dir,
                                  std::size_t index);

}  // namespace bazaar::tools::bench
