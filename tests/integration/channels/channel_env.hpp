#pragma once
// Payment channels as a user runs them, for the integration tests (issue 5):
// a dev node, bazaar-worker as //Bob serving the direct endpoint
// (--direct-port) and watching its channels, and the wallet CLI as //Alice
// with its channel store in a temporary directory. Builds on the market
// harness (tests/integration/market).

#include "modules/payment_channel/payment_channel.hpp"
#include "node/offchain/channels/channel_store.hpp"
#include "tests/integration/market/market_env.hpp"

#include <memory>

namespace bazaar::test::channels {

namespace market = bazaar::test::market;
namespace pc = modules::payment_channel;
using market::CommandResult;
using market::DevNode;
using market::Process;
using market::TempDir;
using market::WalletCli;

/// A free TCP port on 127.0.0.1 (bound and released: another process could take it first, rarely).
uint16_t free_port();
/// Writes the echo program (tools/bench/echo_program.hpp) to `path`; its blake2b-256.
runtime::H256 write_echo_program(const std::filesystem::path& path);

/// One PaymentChannel extrinsic found in a block.
struct ChannelExtrinsic {
  runtime::BlockNumber block = 0;
  uint8_t call_index = 0;  ///< OpenChannel::kIndex, FundChannel::kIndex, ...
  runtime::Bytes args;     ///< the call's SCALE arguments
};
/// Every PaymentChannel extrinsic in blocks first..last.
std::vector<ChannelExtrinsic> channel_extrinsics(rpc::ChainClient& chain, runtime::BlockNumber first,
                                                 runtime::BlockNumber last);

/// The world of one test: a dev chain, //Bob's worker (price 0.001 CC, direct
/// endpoint on a free port) and //Alice's wallet with its own channel store.
class ChannelWorld {
 public:
  static constexpr const char* kPrice = "0.001";
  static constexpr runtime::Balance kPriceUnits = 1'000'000'000;  ///< 0.001 CC

  /// `in_node_provider`: //Bob's worker runs inside the node
  /// (--provider --direct-port) instead of as bazaar-worker.
  explicit ChannelWorld(bool in_node_provider = false);

  DevNode& node() { return *m_node; }
  rpc::ChainClient& chain() { return m_node->chain(); }
  const TempDir& dir() const { return m_dir; }
  const WalletCli& wallet() const { return *m_wallet; }
  std::filesystem::path store() const { return m_dir / "alice-channels"; }
  std::filesystem::path worker_db() const { return m_dir / "worker-db"; }
  uint16_t direct_port() const { return m_port; }
  std::string endpoint() const { return "ws://127.0.0.1:" + std::to_string(m_port); }
  const std::filesystem::path& echo() const { return m_echo; }
  Process* worker() { return m_worker.get(); }

  /// (Re)starts bazaar-worker as //Bob on the same database and port; log worker-N.log.
  void start_worker();
  /// kill -9 of the worker.
  void kill_worker();
  /// Waits until //Bob is a registered provider and its endpoint answers direct_info.
  bool provider_ready(std::chrono::milliseconds deadline = std::chrono::seconds(60));

  /// `bazaar --signer SURI --json ... --store <store>` for channel commands of //Alice.
  CommandResult alice(std::vector<std::string> args, std::chrono::milliseconds deadline = std::chrono::seconds(120));
  /// `bazaar --signer //Bob --json ...`.
  CommandResult bob(std::vector<std::string> args, std::chrono::milliseconds deadline = std::chrono::seconds(60));

  /// Alice opens a channel with Bob (deposit in CC, challenge period in blocks) and Bob funds it. The id.
  pc::ChannelId open_and_fund(const std::string& deposit_a, const std::string& deposit_b, uint32_t period);
  /// Runs `n` echo tasks over the channel ("task-<first+i>" as inputs); the wallet's result.
  CommandResult run_tasks(const pc::ChannelId& id, std::size_t n, std::size_t first = 0);
  /// Alice's stored channel (opens the store: no wallet command may be running).
  node::offchain::channels::StoredChannel stored(const pc::ChannelId& id);

 private:
  TempDir m_dir;
  std::unique_ptr<DevNode> m_node;
  std::unique_ptr<WalletCli> m_wallet;
  std::unique_ptr<Process> m_worker;
  std::filesystem::path m_echo;
  uint16_t m_port = 0;
  int m_worker_runs = 0;
};

/// The first JSON line of `r`'s stdout that has `key`, or null.
nlohmann::json line_with(const CommandResult& r, const std::string& key);

}  // namespace bazaar::test::channels
