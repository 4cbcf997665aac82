#pragma once
// The provider side of the direct task protocol (protocol.hpp): checks each
// proposed update, runs its task with the deterministic runtime (the same
// runtime/wasm execution as the task-queue path), appends the task to the
// channel's log, counter-signs, persists the co-signed state (group commit)
// and only then answers with the result and the signature. A refused proposal
// or a failed run is answered with the reason and nothing is signed or stored.
//
// DirectServer serves it as WebSocket/HTTP JSON-RPC (rpc/server) on the
// provider's --direct-port:
//   direct_submitTask(task, proposedState, requesterSig) -> {output, resultHash, fuelUsed, providerSig}
//       (a refusal is a JSON-RPC error with code 4000 + ChannelError, the reason as data)
//   direct_submitTasks(items: [{task, proposedState, requesterSig}]) -> [reply | {error, name, reason}]
//       (the pipelined form: consecutive versions of one channel, persisted with one fsync)
//   direct_closeChannel(finalState, requesterCloseSig) -> {providerCloseSig}
//   direct_getChannel(channelId, fromLeaf?) -> {latest: {state, sigA, sigB} | null, leaves: [...], leafCount}
//   direct_info() -> {provider, price, maxFuel, genesisHash}

#include "node/offchain/channels/channel_store.hpp"
#include "node/offchain/channels/protocol.hpp"
#include "rpc/server/method_registry.hpp"
#include "rpc/server/rpc_server.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <variant>

namespace bazaar::node::offchain::channels {

/// The channel as the chain has it (PaymentChannel.Channels).
struct OnChainChannel {
  runtime::AccountId32 party_a;
  runtime::AccountId32 party_b;
  runtime::Balance deposit_a = 0;  ///< the opener's deposits (with top-ups)
  runtime::Balance deposit_b = 0;  ///< the counterparty's deposits (with top-ups)
  bool open = false;           ///< neither closing nor closed
  std::vector<pc::DepositRecord> deposits;  ///< in order (opening, funding, top-ups); empty: unknown
};

/// What the provider reads from the chain: a seam so that tests need no node.
class ChainView {
 public:
  virtual ~ChainView() = default;
  virtual std::optional<OnChainChannel> channel(const pc::ChannelId& id) = 0;
  /// A program's code (TaskQueue.ProgramCode), if uploaded.
  virtual std::optional<runtime::Bytes> program(const runtime::H256& hash) = 0;
};

struct DirectServiceOptions {
  runtime::Balance price = 0;          ///< least payment per task, base units
  uint64_t max_fuel = 10'000'000'000;  ///< largest fuel limit accepted
  uint32_t max_memory_pages = 1024;
  std::size_t max_output_bytes = 256 * 1024;
  std::chrono::seconds wall_clock_limit{60};
};

struct SubmitRequest {
  DirectTask task;
  pc::ChannelState proposed;
  EcdsaSignature requester_sig;
};
using SubmitOutcome = std::variant<TaskReply, Refusal>;

/// What the provider holds for a channel (for a requester that lost track).
struct ChannelSnapshot {
  std::optional<SignedState> latest;
  std::vector<pc::TaskEntry> leaves;  ///< from the requested index on
  uint64_t leaf_count = 0;
};

/// Where the provider's time went, summed over every update handled so far
/// (CPU time of the thread handling each batch: work it hands to helper
/// threads, i.e. parallel runs and signatures, is not included).
struct DirectStats {
  uint64_t updates = 0;                ///< co-signed updates
  std::chrono::nanoseconds check{0};    ///< check_payment, the requester's signature, the tasks root
  std::chrono::nanoseconds execute{0};  ///< looking up and running the program
  std::chrono::nanoseconds sign{0};     ///< the task log and the provider's signature
  std::chrono::nanoseconds persist{0};  ///< staging and writing the group commit (the fsync wait is not CPU)
};

class DirectService {
 public:
  /// `store` and `chain` must outlive the service.
  DirectService(DirectServiceOptions options, runtime::crypto::Keypair key, runtime::H256 genesis_hash,
                ChannelStore& store, ChainView& chain);
  ~DirectService();

  /// Handles proposals in order (one channel per call); answers only after
  /// the co-signed states are durable. Thread-safe. Each proposal is judged
  /// against the state before it, as if alone; the requester's signature is
  /// checked once per run of acceptable proposals, on the last one (states are
  /// cumulative: it pays for every task of the run), and a state is
  /// counter-signed and stored only when a checked signature covers it.
  std::vector<SubmitOutcome> submit(std::vector<SubmitRequest> batch);
  /// Signs the close hash of a final state (check_final over the last
  /// co-signed state, tasks_root over the whole log, the requester's close
  /// signature valid); the channel then takes no more tasks.
  std::variant<EcdsaSignature, Refusal> close(const pc::ChannelState& final_state, const EcdsaSignature& requester_sig);
  std::variant<ChannelSnapshot, Refusal> snapshot(const pc::ChannelId& id, uint64_t from_leaf);
  /// Marks a channel closing (the watcher saw a close on chain): no more tasks.
  void mark_closing(const pc::ChannelId& id);

  /// Declares the direct_* methods in `registry`.
  void register_methods(rpc::MethodRegistry& registry);

  const runtime::AccountId32& account() const { return m_account; }
  const DirectServiceOptions& options() const { return m_options; }
  DirectStats stats() const;

 private:
  struct Session;
  /// The session of `id`, loaded from the store or created from the chain.
  std::variant<std::shared_ptr<Session>, Refusal> session(const pc::ChannelId& id);
  /// What the cheap checks of one proposal found.
  struct Checked {
    std::shared_ptr<const runtime::Bytes> code;
    runtime::Balance paid = 0;
    uint64_t prefix = 0;  ///< the task-log prefix its tasks_root commits to
  };
  /// Every check of a proposal over `prev` but its signature (no change to the session).
  std::optional<Refusal> precheck(Session& s, const pc::ChannelState& prev, bool prev_is_base,
                                  const SubmitRequest& req, uint64_t min_prefix, Checked& out);
  std::optional<Refusal> run_task(const SubmitRequest& req, const Checked& checked, TaskReply& reply);
  /// Handles the segment of `batch` from `pos` (see submit); fills `out` for it and the
  /// proposal that ended it. Returns the position after them.
  std::size_t segment(Session& s, const std::vector<SubmitRequest>& batch, std::size_t pos,
                      std::vector<SubmitOutcome>& out, std::vector<ChannelUpdate>& staged);
  std::shared_ptr<const runtime::Bytes> program_code(const DirectTask& task);
  /// Re-reads the channel's deposits; after a top-up, rebases the session's
  /// base state on them (rebase_on_deposits). Whether anything changed.
  bool refresh_deposits(Session& s);
  void evict(const pc::ChannelId& id);

  DirectServiceOptions m_options;
  runtime::crypto::Keypair m_key;
  runtime::AccountId32 m_account;
  runtime::H256 m_genesis;
  ChannelStore& m_store;
  ChainView& m_chain;

  struct Counters {
    std::atomic<uint64_t> updates{0}, check{0}, execute{0}, sign{0}, persist{0};  // ns
  };
  Counters m_counters;

  std::mutex m_mutex;  // guards the two maps (not the sessions' contents)
  std::map<pc::ChannelId, std::shared_ptr<Session>> m_sessions;
  std::map<runtime::H256, std::shared_ptr<const runtime::Bytes>> m_programs;
};

/// The direct endpoint: a JSON-RPC server (rpc/server) with the service's methods.
class DirectServer {
 public:
  /// Binds `listen_address`:`port` (0: any free port). Errors: rpc::RpcServerError.
  static Result<std::unique_ptr<DirectServer>> start(DirectService& service, const std::string& listen_address,
                                                     uint16_t port);
  ~DirectServer();
  uint16_t port() const;

 private:
  DirectServer() = default;
  rpc::MethodRegistry m_registry;
  std::unique_ptr<rpc::RpcServer> m_server;
};

/// JSON-RPC error code of a refusal: kRefusalCodeBase + ChannelError.
inline constexpr int kRefusalCodeBase = 4000;

}  // namespace bazaar::node::offchain::channels
