#pragma once
// The marketplace as a user sees it, for the integration tests: a dev node
// (bazaar-node --dev --tmp --rpc-port 0), the standalone provider worker
// (bazaar-worker), the wallet CLI (bazaar) and a typed chain client to check
// balances, tasks, providers and events block by block.

#include "rpc/chain_client/chain_client.hpp"
#include "tests/integration/market/process.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bazaar::test::market {

/// A dev chain: `bazaar-node --dev --tmp --rpc-port 0 <extra>` (//Alice authors
/// one-second blocks and collects the fees). The RPC URL comes from the node's
/// "RPC listening on ws://HOST:PORT" line.
class DevNode {
 public:
  explicit DevNode(const std::vector<std::string>& extra = {});
  DevNode(const DevNode&) = delete;
  DevNode& operator=(const DevNode&) = delete;

  /// The node printed its RPC endpoint within the start-up deadline.
  bool started() const { return !m_url.empty(); }
  const std::string& rpc_url() const { return m_url; }
  Process& process() { return *m_process; }
  std::string log() const { return m_process->log(); }
  /// A client connected on first use. Throws std::runtime_error.
  rpc::ChainClient& chain();

 private:
  TempDir m_dir;
  std::unique_ptr<Process> m_process;
  std::string m_url;
  std::optional<rpc::ChainClient> m_chain;
};

/// Starts `bazaar-worker --rpc URL --provider-key SURI --db DB -l worker=debug <extra>`, logging to `log`.
std::unique_ptr<Process> start_worker(const std::string& rpc_url, const std::string& suri,
                                      const std::filesystem::path& db, const std::filesystem::path& log,
                                      const std::vector<std::string>& extra = {});

/// The wallet CLI against one node: `bazaar --rpc URL args...`.
class WalletCli {
 public:
  WalletCli(std::string rpc_url, std::filesystem::path scratch)
      : m_url(std::move(rpc_url)), m_scratch(std::move(scratch)) {}
  CommandResult operator()(std::vector<std::string> args,
                           std::chrono::milliseconds deadline = std::chrono::seconds(90)) const;

 private:
  std::string m_url;
  std::filesystem::path m_scratch;
};

/// The last `n` characters of a log, for failure messages.
std::string tail(const std::string& text, std::size_t n = 4000);
/// Each non-empty stdout line parsed as JSON (lines that are not JSON are skipped).
std::vector<nlohmann::json> json_lines(const std::string& text);
/// A u128 from its JSON form (a number, or a decimal string when it does not fit 53 bits).
runtime::u128 json_u128(const nlohmann::json& j);
/// The task id of `bazaar --json task post` (its {"task": ID, "block": N} line).
std::optional<modules::task_queue::TaskId> posted_task_id(const CommandResult& post);
/// The account of a secret URI such as //Bob.
runtime::AccountId32 account_of(const std::string& suri);
/// Its SS58 address.
std::string address_of(const std::string& suri);

// ---- chain reads (throw std::runtime_error when the RPC fails) ----

/// A block, by hash and number.
struct BlockRef {
  runtime::H256 hash;
  runtime::BlockNumber number = 0;
};
BlockRef best_block(rpc::ChainClient& chain);
runtime::Balance free_balance(rpc::ChainClient& chain, const runtime::AccountId32& who,
                              const std::optional<runtime::H256>& at = std::nullopt);
std::optional<modules::task_queue::Task> read_task(rpc::ChainClient& chain, modules::task_queue::TaskId id);
std::optional<modules::task_queue::Provider> read_provider(rpc::ChainClient& chain, const runtime::AccountId32& who);
modules::task_queue::Params market_params(rpc::ChainClient& chain);

/// The events of blocks first..last (inclusive) as {"module","event","fields","block"}.
std::vector<nlohmann::json> events_in(rpc::ChainClient& chain, runtime::BlockNumber first, runtime::BlockNumber last);
/// Those named `module`.`event`, optionally only with fields[key] == value.
std::vector<nlohmann::json> select_events(const std::vector<nlohmann::json>& events, const std::string& module,
                                          const std::string& event, const std::string& key = "",
                                          const nlohmann::json& value = nullptr);
/// Sum of TransactionFeePaid.actualFee paid by `who` (by anyone but `who` when `others`).
runtime::Balance fees_paid(const std::vector<nlohmann::json>& events, const std::string& address, bool others = false);

/// Polls until the task reaches `status` (or the deadline passes); the last task read.
std::optional<modules::task_queue::Task> wait_for_task(rpc::ChainClient& chain, modules::task_queue::TaskId id,
                                                        modules::task_queue::TaskStatus status,
                                                        std::chrono::milliseconds deadline);
/// Polls until the best block number reaches `number`.
bool wait_for_block(rpc::ChainClient& chain, runtime::BlockNumber number, std::chrono::milliseconds deadline);

}  // namespace bazaar::test::market
