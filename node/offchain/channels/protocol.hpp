#pragma once
// The direct task protocol between a requester and a provider over a payment
// channel (issue 5): the wire forms of tasks, states and signatures (JSON over
// the provider's WebSocket JSON-RPC endpoint), the task id, and the checks a
// proposed update must pass. Pure functions: the provider (direct_service)
// and the requester (requester) share them.
//
// One update pays for one task. The requester proposes state v with
//   version   = the last co-signed version + 1,
//   balances  = the last co-signed balances with at least the price moved from
//               the requester's side to the provider's,
//   tasks_root= the root over a prefix of the channel's task log: the tasks
//               whose results the requester had received when it proposed v
//               (with pipelining the root lags the payments by the tasks in flight),
// and signs it. The provider checks it, runs the task, appends
// (task_id, result_hash, price) to its task log and returns the result with
// its own signature over the same state: the state is co-signed exactly when
// the requester holds the result. A final state (version + 1, the same
// balances, the root over the whole log) is signed by both with the close
// hash for cooperative_close.
//
// JSON: a state is {"channelId": "0x..", "version": n, "balanceA": "decimal",
// "balanceB": "decimal", "tasksRoot": "0x.."}; a task is {"program": "0x<hash>",
// "input": "0x..", "fuel": n, "code"?: "0x<wasm>"}; signatures are 0x-hex.

#include "modules/payment_channel/state.hpp"
#include "modules/payment_channel/types.hpp"
#include "node/offchain/channels/channel_error.hpp"
#include "node/offchain/channels/channel_store.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace bazaar::node::offchain::channels {

/// A task sent over a channel: a program (by hash) run on an input.
struct DirectTask {
  runtime::H256 program;               ///< blake2b-256 of the wasm code
  runtime::Bytes input;                ///< the program's stdin
  uint64_t fuel = 1'000'000'000;       ///< instruction limit
  std::optional<runtime::Bytes> code;  ///< the code itself, when the provider may not have it
};

/// blake2b-256("bazaar/direct-task" ++ channel_id ++ SCALE(u64 version) ++ program ++
/// blake2b-256(input) ++ SCALE(u64 fuel)): unique per channel and version.
runtime::H256 direct_task_id(const pc::ChannelId& channel, uint64_t version, const DirectTask& task);

/// The provider's answer to one proposal.
struct TaskReply {
  runtime::Bytes output;
  runtime::H256 result_hash;  ///< blake2b-256(output)
  uint64_t fuel_used = 0;
  EcdsaSignature provider_sig;  ///< over state_signing_hash of the proposed state
};

/// A refusal as the wire carries it: the error and a human reason.
struct Refusal {
  ChannelError error = ChannelError::Disagreement;
  std::string reason;
};

nlohmann::json state_to_json(const pc::ChannelState& s);
std::optional<pc::ChannelState> state_from_json(const nlohmann::json& j);
nlohmann::json task_to_json(const DirectTask& t);
std::optional<DirectTask> task_from_json(const nlohmann::json& j);
nlohmann::json signed_state_to_json(const SignedState& s);
std::optional<SignedState> signed_state_from_json(const nlohmann::json& j);
nlohmann::json entry_to_json(const pc::TaskEntry& e);
std::optional<pc::TaskEntry> entry_from_json(const nlohmann::json& j);
/// {"output","resultHash","fuelUsed","providerSig"} or {"error": code, "name", "reason"}.
nlohmann::json reply_to_json(const TaskReply& r);
nlohmann::json refusal_to_json(const Refusal& r);
/// A reply or a refusal; nullopt when it is neither.
std::optional<std::variant<TaskReply, Refusal>> reply_from_json(const nlohmann::json& j);

/// The channel's opening state: version 0, the deposits as balances, the empty root.
pc::ChannelState opening_state(const pc::ChannelId& id, runtime::Balance deposit_a, runtime::Balance deposit_b);

/// Checks that `next` is a payment update over `prev` on channel `id` whose
/// balances sum to `total`, moving at least `price` from the payer (side A
/// when `payer_is_a`) to the other side. Returns the amount paid. Errors
/// (checked in this order): WrongChannelId, VersionNotNext, BalanceMismatch,
/// WrongDirection, Underpaid.
Result<runtime::Balance> check_payment(const pc::ChannelState& prev, const pc::ChannelState& next,
                                       const pc::ChannelId& id, runtime::Balance total, bool payer_is_a,
                                       runtime::Balance price);

/// The state `s` as the chain would pay it out now (PaymentChannel's balance
/// rule): `s` sums to the running total after one of `deposits` (the channel's
/// deposits in order: opening, funding, top-ups); each deposit recorded after
/// that point is added to the balance of the party that made it. So a top-up
/// made after the last co-signed state is counted for whoever made it, and the
/// next update starts from these balances (which sum to all deposits).
/// nullopt when `s` sums to none of the running totals. Empty `deposits`: `s`.
std::optional<pc::ChannelState> rebase_on_deposits(const pc::ChannelState& s,
                                                   const std::vector<pc::DepositRecord>& deposits);

/// Checks a final state over `prev`: same channel, version + 1, same balances.
/// Errors: WrongChannelId, VersionNotNext, BalancesChanged.
Result<void> check_final(const pc::ChannelState& prev, const pc::ChannelState& final_state, const pc::ChannelId& id);

}  // namespace bazaar::node::offchain::channels
