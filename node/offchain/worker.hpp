#pragma once
// The provider worker (DESIGN.md, "Offchain worker"): it talks to the chain
// only through JSON-RPC, so the same code runs inside the node (--provider)
// and standalone (bazaar-worker) against any node.
//
// Life cycle: connect; register as a provider if needed (stake, price);
// follow new heads over a WebSocket subscription; at each head, resume its own
// unfinished tasks, then claim open tasks it can afford to run (bounty >= its
// price, fuel within its limit); run each claimed task's program on its input
// with the deterministic WASI runtime (runtime/wasm) under fuel, memory and
// wall-clock limits; submit the result. Every stage is journaled first
// (TaskJournal), so after a crash it resumes without double-claiming or
// double-submitting.
//
// Payment channels (direct_port != 0): it also serves the direct task
// endpoint (node/offchain/channels: DirectService behind a DirectServer),
// advertises it in the provider record it registers, and runs a
// ChannelWatcher on its own thread that challenges a requester's stale close.

#include "node/offchain/channels/chain_view.hpp"
#include "node/offchain/channels/direct_service.hpp"
#include "node/offchain/channels/watcher.hpp"
#include "node/offchain/task_journal.hpp"
#include "rpc/chain_client/chain_client.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace bazaar::node::offchain {

struct WorkerOptions {
  std::string rpc_url = "ws://127.0.0.1:9944";
  std::string provider_suri;                  ///< the provider's key (SURI: //Bob, a phrase, 0x seed)
  std::filesystem::path db_path;              ///< the journal's LevelDB directory
  runtime::Balance stake = 0;                 ///< stake when registering; 0 = the chain's minimum
  runtime::Balance price_per_task = 0;        ///< base units of CC
  std::vector<std::string> capabilities = {"wasm32-wasi"};
  std::string endpoint;                       ///< advertised off-chain endpoint (may be empty)
  uint64_t max_fuel = 0;                      ///< largest fuel limit it accepts; 0 = the chain's max_fuel
  uint32_t max_memory_pages = 1024;           ///< 64 KiB pages per run
  std::chrono::seconds wall_clock_limit{300};  ///< a run taking longer is abandoned (never submitted)
  std::chrono::milliseconds reconnect_delay{1000};
  /// Payment channels: serve the direct task endpoint on this port (0 = off) and
  /// watch the worker's channels; the endpoint is advertised as ws://direct_host:port
  /// unless `endpoint` is set. Channel states live in `<db_path>-channels`.
  uint16_t direct_port = 0;
  std::string direct_listen = "127.0.0.1";
  std::string direct_host = "127.0.0.1";
};

class Worker {
 public:
  /// Derives the key and opens the journal. Error: a message.
  static rpc::ClientResult<std::unique_ptr<Worker>> open(WorkerOptions options);

  /// Runs until `stop` becomes true: connects (retrying with a delay), and
  /// works through the chain's heads. Never throws.
  void run(const std::atomic<bool>& stop);

  /// One pass over the chain at its current best block: resume journaled
  /// tasks, claim and run open ones. Returns how many tasks advanced. Used by
  /// run() at every new head, and by tests.
  rpc::ClientResult<std::size_t> step(rpc::ChainClient& chain);

  /// Registers the provider if it is not registered yet.
  rpc::ClientResult<void> ensure_registered(rpc::ChainClient& chain);

  const runtime::AccountId32& account() const { return m_account; }
  /// The direct endpoint's port once it serves (0 before, or when off).
  uint16_t direct_port() const { return m_direct_server ? m_direct_server->port() : 0; }

 private:
  Worker(WorkerOptions options, runtime::crypto::Keypair key, std::unique_ptr<TaskJournal> journal);
  rpc::ClientResult<bool> advance(rpc::ChainClient& chain, TaskId id, JournalEntry entry);
  rpc::ClientResult<bool> try_claim(rpc::ChainClient& chain, TaskId id);
  rpc::ClientResult<JournalEntry> execute(rpc::ChainClient& chain, TaskId id, const modules::task_queue::Task& task);
  void journal(TaskId id, const JournalEntry& entry);
  /// Starts the direct endpoint and the channel watcher (once). Error: a message.
  rpc::ClientResult<void> start_direct(rpc::ChainClient& chain);

  WorkerOptions m_options;
  runtime::crypto::Keypair m_key;
  runtime::AccountId32 m_account;
  std::unique_ptr<TaskJournal> m_journal;
  const std::atomic<bool>* m_stop = nullptr;  ///< run()'s stop flag, also ends a run in progress

  // Payment channels (direct_port != 0).
  std::unique_ptr<channels::ChannelStore> m_channel_store;
  std::unique_ptr<channels::RpcChainView> m_chain_view;
  std::unique_ptr<channels::DirectService> m_direct;
  std::unique_ptr<channels::DirectServer> m_direct_server;
  std::unique_ptr<channels::ChannelWatcher> m_watcher;
  std::thread m_watcher_thread;
};

}  // namespace bazaar::node::offchain
