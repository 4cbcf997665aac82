#pragma once
// A network of real bazaar-node processes on loopback for the validator
// tests: each node gets a node key generated up front (`bazaar-node key
// generate-node-key`), a fixed free p2p port and its own base path, and every
// other node as a bootnode, so a node restarted on the same base path and port
// rejoins on its own (the preparation and the command line are shared with the
// finality benchmark: tools/bench/local_net.hpp). Every process is killed and
// every directory removed when the environment dies.

#include "runtime/codec/bytes.hpp"
#include "runtime/primitives/types.hpp"
#include "tests/integration/node_process.hpp"
#include "tools/bench/local_net.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bazaar::test {

/// A prepared node (account "" = a full node), and its process once started.
struct NetNode : tools::bench::LocalNode {
  std::unique_ptr<NodeProcess> process;
  uint16_t rpc_port = 0;
};

class NetEnv {
 public:
  /// Prepares (does not start) one node per entry of `accounts` on `chain`.
  NetEnv(std::string chain, std::vector<std::string> accounts);
  ~NetEnv();

  /// Adds a node (started later with start()); its index.
  std::size_t add(const std::string& account);
  /// Starts node `i` (all others are its bootnodes) and waits for its RPC port.
  void start(std::size_t i, std::vector<std::string> extra_args = {});
  void start_all();
  /// SIGKILL.
  void kill(std::size_t i);
  /// Removes node i's database (it must not run).
  void wipe(std::size_t i);
  bool running(std::size_t i) const;
  std::size_t size() const { return m_nodes.size(); }
  NetNode& node(std::size_t i) { return m_nodes.at(i); }
  /// The /ip4/127.0.0.1/tcp/PORT/p2p/ID address of node i.
  std::string address(std::size_t i) const;

  /// A JSON-RPC call to node i: the "result" (null on an error reply, which is logged).
  nlohmann::json rpc(std::size_t i, const std::string& method, const nlohmann::json& params = nlohmann::json::array());
  /// The best and finalized block numbers of node i (nullopt if it does not answer).
  std::optional<uint32_t> best(std::size_t i);
  std::optional<uint32_t> finalized(std::size_t i);
  /// The hash of node i's best-chain block at `number`.
  std::optional<std::string> block_hash(std::size_t i, uint32_t number);
  /// The Aura slot of the block `hash` on node i.
  std::optional<uint64_t> slot_of(std::size_t i, const std::string& hash);
  /// The hex extrinsics of block `hash` on node i.
  std::vector<std::string> extrinsics(std::size_t i, const std::string& hash);
  /// The block (hash) on node i's best chain, from number `from` on, that contains `xt_hex`.
  std::optional<std::string> find_inclusion(std::size_t i, uint32_t from, const std::string& xt_hex);

  /// A signed Credits.transfer_keep_alive from //Alice to //Bob of `value` with
  /// Alice's next nonce as node i sees it (immortal era).
  runtime::Bytes alice_transfer(std::size_t i, runtime::Balance value);

  /// Last lines of every node's output (for failure messages).
  std::string tail_logs(std::size_t lines = 25) const;

 private:
  std::string m_chain;
  ScopedDir m_dir;
  std::vector<NetNode> m_nodes;
};

using tools::bench::free_port;

}  // namespace bazaar::test
