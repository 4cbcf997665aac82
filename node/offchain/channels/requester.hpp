#pragma once
// The requester side of the direct task protocol (protocol.hpp), used by the
// wallet (`bazaar task run --channel`), the benchmark and the tests. It runs
// tasks over a channel against the provider's direct endpoint, pipelined: a
// batch of proposals (each its own version) is at the provider while the next
// batch is signed; each co-signed state is persisted (group commit) before its
// result is handed back. A failed run is reported for its task and the tasks
// proposed after it are proposed again; any disagreement (a bad signature, a
// result that does not match its hash, a refusal other than a failed run)
// stops the run cleanly: the last state both signed is the one stored.
// States are cumulative, so the provider's signature is checked once per
// answer, on its last state (each one when that check fails); every state
// stored as the latest carries a checked signature.
//
// Crash safety: each batch's highest proposal (with our signature) is stored
// before the batch is sent, and every co-signed state before its result is
// handed back. After a crash with proposals in flight, the provider may hold
// a newer co-signed state than ours: run() and close_cooperatively() first
// sync() with the provider and adopt it. While the provider cannot be reached
// and a stored proposal is newer than our latest co-signed state,
// has_unconfirmed_proposal() is true: a unilateral close with our latest state
// could then be challenged with the newer one and cost our whole deposit.
//
// Top-ups: set_deposits() gives the channel's deposits as the chain records
// them; proposals then start from the last co-signed state rebased on them
// (rebase_on_deposits), so a top-up made after that state is spendable.

#include "node/offchain/channels/channel_store.hpp"
#include "node/offchain/channels/protocol.hpp"
#include "rpc/chain_client/chain_client.hpp"

#include <chrono>
#include <functional>
#include <memory>

namespace bazaar::node::offchain::channels {

struct RequesterOptions {
  std::size_t batch_size = 128;                 ///< proposals per direct_submitTasks call
  std::size_t max_batches_in_flight = 2;        ///< signed ahead of the provider's answers
  std::chrono::milliseconds call_timeout{60'000};
};

/// What the requester knows of a channel before any off-chain update.
struct RequesterChannel {
  ChannelMeta meta;                ///< role Requester, the provider's endpoint
  pc::ChannelState opening;        ///< version 0 with the on-chain deposits
  runtime::Balance price = 0;      ///< paid per task
};

/// One task's outcome.
struct TaskOutcome {
  runtime::H256 task_id;
  uint64_t version = 0;         ///< the update that paid for it (0 when it failed)
  bool ok = false;
  runtime::Bytes output;
  runtime::H256 result_hash;
  uint64_t fuel_used = 0;
  std::string error;            ///< why it failed
};

/// A final state with both close signatures, ready for cooperative_close.
struct FinalState {
  pc::ChannelState state;
  EcdsaSignature sig_a;
  EcdsaSignature sig_b;
};

class ChannelRequester {
 public:
  /// Loads the channel from `store` (creating its record) and connects to the
  /// endpoint in channel.meta. `store` must outlive the requester.
  static rpc::ClientResult<std::unique_ptr<ChannelRequester>> open(ChannelStore& store, runtime::crypto::Keypair key,
                                                                   RequesterChannel channel,
                                                                   RequesterOptions options = {});
  ~ChannelRequester();

  /// Adopts a newer co-signed state (and its task log) that the provider holds,
  /// e.g. after this side crashed with updates in flight. Checks both signatures.
  rpc::ClientResult<void> sync();
  /// Runs `tasks` in order; `on_result` (optional) sees each outcome once durable.
  /// Error: the run stopped (the message says why); outcomes so far went to on_result.
  rpc::ClientResult<std::vector<TaskOutcome>> run(const std::vector<DirectTask>& tasks,
                                                  const std::function<void(const TaskOutcome&)>& on_result = {});
  /// Agrees a final state with the provider (version + 1, the same balances,
  /// the root over the whole task log), both signing the close hash.
  rpc::ClientResult<FinalState> close_cooperatively();

  /// The channel's deposits in order, as PaymentChannel.Channels has them
  /// (opening, funding, top-ups): later proposals count the deposits made
  /// after the last co-signed state. Call before run() or close_cooperatively().
  void set_deposits(std::vector<pc::DepositRecord> deposits) { m_deposits = std::move(deposits); }
  /// The last co-signed state (the opening state's balances when none).
  pc::ChannelState current_state() const;
  /// current_state() with the balances the chain would pay now (deposits made after it added).
  pc::ChannelState spendable_state() const;
  /// A proposal of ours newer than the last co-signed state was stored
  /// (sent, or about to be, before a crash or a lost answer) and no sync has
  /// shown the provider's answer yet.
  bool has_unconfirmed_proposal() const;
  const std::optional<SignedProposal>& last_proposal() const { return m_proposal; }
  const std::optional<SignedState>& latest() const { return m_latest; }
  const std::vector<pc::TaskEntry>& leaves() const { return m_leaves; }
  const ChannelMeta& meta() const { return m_channel.meta; }
  bool requester_is_a() const { return m_requester_is_a; }

 private:
  struct Batch;
  ChannelRequester(ChannelStore& store, runtime::crypto::Keypair key, RequesterChannel channel,
                   RequesterOptions options, rpc::RpcClient client);
  const runtime::AccountId32& provider() const;

  ChannelStore& m_store;
  runtime::crypto::Keypair m_key;
  RequesterChannel m_channel;
  RequesterOptions m_options;
  rpc::RpcClient m_client;
  bool m_requester_is_a = true;
  std::optional<SignedState> m_latest;
  std::vector<pc::TaskEntry> m_leaves;
  pc::TasksAccumulator m_acc;
  std::optional<SignedProposal> m_proposal;
  std::vector<pc::DepositRecord> m_deposits;
};

}  // namespace bazaar::node::offchain::channels
