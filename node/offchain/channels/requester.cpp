#include "node/offchain/channels/requester.hpp"

#include "node/offchain/channels/parallel.hpp"

#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/ss58.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

namespace bazaar::node::offchain::channels {

using rpc::ClientResult;
using runtime::Balance;

namespace {
/// The refusal's text for a JSON-RPC error answer, else the transport error.
std::string call_error(const boost::system::error_code& e, const rpc::RpcCallError& refusal) {
  if (e == rpc::RpcClientError::CallFailed) return refusal.to_string();
  return e.message();
}
}  // namespace

/// Proposals sent in one direct_submitTasks call, and the answer.
struct ChannelRequester::Batch {
  std::vector<std::size_t> task_indices;
  std::vector<pc::ChannelState> proposals;
  std::vector<EcdsaSignature> sigs;
  nlohmann::json items = nlohmann::json::array();
  std::optional<nlohmann::json> answer;  ///< the result array
  std::string error;                     ///< the call failed
};

ChannelRequester::ChannelRequester(ChannelStore& store, runtime::crypto::Keypair key, RequesterChannel channel,
                                   RequesterOptions options, rpc::RpcClient client)
    : m_store(store),
      m_key(std::move(key)),
      m_channel(std::move(channel)),
      m_options(options),
      m_client(std::move(client)) {
  m_requester_is_a = m_channel.meta.party_a == m_key.account_id();
}

ChannelRequester::~ChannelRequester() = default;

const runtime::AccountId32& ChannelRequester::provider() const {
  return m_requester_is_a ? m_channel.meta.party_b : m_channel.meta.party_a;
}

ClientResult<std::unique_ptr<ChannelRequester>> ChannelRequester::open(ChannelStore& store,
                                                                       runtime::crypto::Keypair key,
                                                                       RequesterChannel channel,
                                                                       RequesterOptions options) {
  const auto& meta = channel.meta;
  if (meta.party_a != key.account_id() && meta.party_b != key.account_id())
    return "the key " + runtime::crypto::ss58_encode(key.account_id()) + " is not a party of channel " +
           runtime::to_hex(meta.channel_id);
  rpc::RpcClientOptions client_options;
  client_options.call_timeout = options.call_timeout;
  auto client = rpc::RpcClient::connect(meta.endpoint, client_options);
  if (!client) return "cannot reach the provider at " + meta.endpoint + ": " + client.error().message();
  std::unique_ptr<ChannelRequester> r(
      new ChannelRequester(store, std::move(key), std::move(channel), options, std::move(client).value()));
  if (auto stored = store.load(meta.channel_id)) {
    r->m_channel.meta.status = stored->meta.status;
    r->m_latest = stored->latest;
    r->m_leaves = std::move(stored->leaves);
    r->m_proposal = stored->proposal;
    for (const auto& e : r->m_leaves) r->m_acc.append(pc::task_leaf(e));
  } else if (auto c = store.commit({ChannelUpdate{meta.channel_id, r->m_channel.meta, std::nullopt, 0, {}}}); !c) {
    return "cannot write the channel store: " + c.error().message();
  }
  return r;
}

pc::ChannelState ChannelRequester::current_state() const {
  return m_latest ? m_latest->state : m_channel.opening;
}

pc::ChannelState ChannelRequester::spendable_state() const {
  auto current = current_state();
  return rebase_on_deposits(current, m_deposits).value_or(current);
}

bool ChannelRequester::has_unconfirmed_proposal() const {
  return m_proposal && m_proposal->state.version > current_state().version;
}

ClientResult<void> ChannelRequester::sync() {
  const auto& id = m_channel.meta.channel_id;
  rpc::RpcCallError refusal;
  auto answer = m_client.call("direct_getChannel", {runtime::to_hex(id), m_leaves.size()}, &refusal);
  if (!answer) return "direct_getChannel: " + call_error(answer.error(), refusal);
  const auto& j = answer.value();
  if (!j.is_object() || !j.contains("latest")) return std::string("direct_getChannel: a malformed answer");
  if (j["latest"].is_null()) return outcome::success();
  auto theirs = signed_state_from_json(j["latest"]);
  if (!theirs) return std::string("direct_getChannel: a malformed state");
  if (m_latest && theirs->state.version <= m_latest->state.version) return outcome::success();
  const auto& genesis = m_channel.meta.genesis_hash;
  if (theirs->state.channel_id != id || !pc::verify_state(theirs->sig_a, genesis, theirs->state, m_channel.meta.party_a) ||
      !pc::verify_state(theirs->sig_b, genesis, theirs->state, m_channel.meta.party_b))
    return std::string("the provider's latest state is not co-signed by both parties: ignored");
  // Extend the task log with the provider's entries; the state's root must be the root of a
  // prefix of the whole log (with pipelining it lags the payments, so it may be a prefix of ours).
  pc::TasksAccumulator acc;
  std::vector<pc::TaskEntry> added;
  bool found = acc.root() == theirs->state.tasks_root;
  for (const auto& e : m_leaves) {
    acc.append(pc::task_leaf(e));
    found = found || acc.root() == theirs->state.tasks_root;
  }
  for (const auto& e : j.value("leaves", nlohmann::json::array())) {
    auto entry = entry_from_json(e);
    if (!entry) return std::string("direct_getChannel: a malformed task entry");
    acc.append(pc::task_leaf(*entry));
    added.push_back(*entry);
    found = found || acc.root() == theirs->state.tasks_root;
  }
  if (!found) return std::string("the provider's latest state commits to tasks it did not send");
  ChannelUpdate update{id, std::nullopt, *theirs, m_leaves.size(), added};
  if (auto c = m_store.commit({update}); !c) return "cannot write the channel store: " + c.error().message();
  m_latest = *theirs;
  m_leaves.insert(m_leaves.end(), added.begin(), added.end());
  m_acc = acc;
  return outcome::success();
}

ClientResult<std::vector<TaskOutcome>> ChannelRequester::run(const std::vector<DirectTask>& tasks,
                                                             const std::function<void(const TaskOutcome&)>& on_result) {
  if (m_channel.meta.status != LocalStatus::Open) return std::string("the channel is closing: no more tasks");
  // The provider may hold a newer co-signed state (our answers were lost in a crash): adopt it first.
  if (auto synced = sync(); !synced) return synced.error();
  const auto& id = m_channel.meta.channel_id;
  const auto& genesis = m_channel.meta.genesis_hash;
  const Balance price = m_channel.price;
  std::vector<TaskOutcome> outcomes(tasks.size());
  std::deque<std::size_t> pending;
  for (std::size_t i = 0; i < tasks.size(); ++i) pending.push_back(i);
  std::set<runtime::H256> code_sent;

  // The sender: one direct_submitTasks call at a time, in order.
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::shared_ptr<Batch>> to_send, answered;
  bool stopping = false;
  std::thread sender([&] {
    std::unique_lock lock(mutex);
    for (;;) {
      cv.wait(lock, [&] { return stopping || !to_send.empty(); });
      if (to_send.empty()) return;
      auto batch = to_send.front();
      to_send.pop_front();
      lock.unlock();
      // Our signature on these versions leaves this process now: record the highest first.
      SignedProposal highest{batch->proposals.back(), batch->sigs.back()};
      if (auto c = m_store.commit({ChannelUpdate{id, std::nullopt, std::nullopt, 0, {}, highest}}); !c) {
        batch->error = "cannot write the channel store: " + c.error().message();
      } else {
          rpc::RpcCallError refusal;
        auto r = m_client.call("direct_submitTasks", nlohmann::json::array({batch->items}), &refusal);
        if (r) batch->answer = std::move(r).value();
        else batch->error = call_error(r.error(), refusal);
      }
      lock.lock();
      m_proposal = highest;  // only this thread touches it during run()
      answered.push_back(batch);
      cv.notify_all();
    }
  });
  auto stop_sender = [&] {
    {
      std::lock_guard lock(mutex);
      stopping = true;
      to_send.clear();
    }
    cv.notify_all();
    sender.join();
  };

  pc::ChannelState proposed = spendable_state();  // the last state proposed (or co-signed)
  std::size_t in_flight = 0;
  bool resync = false;  // a run failed: later proposals are void; propose them again once drained
  std::string stop_reason;
  while (stop_reason.empty()) {
    // Sign ahead while fewer than max batches are out.
    while (!resync && in_flight < m_options.max_batches_in_flight && !pending.empty()) {
      auto batch = std::make_shared<Batch>();
      while (batch->task_indices.size() < m_options.batch_size && !pending.empty()) {
        Balance& payer = m_requester_is_a ? proposed.balance_a : proposed.balance_b;
        Balance& payee = m_requester_is_a ? proposed.balance_b : proposed.balance_a;
        if (payer < price) break;
        std::size_t i = pending.front();
        pending.pop_front();
        payer -= price;
        payee += price;
        proposed.version += 1;
        proposed.tasks_root = m_acc.root();
        batch->task_indices.push_back(i);
        batch->proposals.push_back(proposed);
      }
      if (batch->task_indices.empty()) {
        if (in_flight == 0) stop_reason = "the channel's balance cannot pay for more tasks";
        break;
      }
      // Sign the batch's proposals in parallel, then describe them in order.
      batch->sigs.resize(batch->proposals.size());
      parallel_for(batch->proposals.size(), batch_threads(),
                   [&](std::size_t k) { batch->sigs[k] = pc::sign_state(m_key, genesis, batch->proposals[k]); });
      for (std::size_t k = 0; k < batch->proposals.size(); ++k) {
        DirectTask task = tasks[batch->task_indices[k]];
        if (task.code && !code_sent.insert(task.program).second) task.code.reset();
        batch->items.push_back({{"task", task_to_json(task)},
                                {"proposedState", state_to_json(batch->proposals[k])},
                                {"requesterSig", runtime::to_hex(batch->sigs[k])}});
      }
      std::lock_guard lock(mutex);
      to_send.push_back(batch);
      ++in_flight;
      cv.notify_all();
    }
    if (in_flight == 0) {
      if (resync) {
        resync = false;
        proposed = spendable_state();
        continue;
      }
      break;  // all done (or stopped above)
    }
    std::shared_ptr<Batch> batch;
    {
      std::unique_lock lock(mutex);
      cv.wait(lock, [&] { return !answered.empty(); });
      batch = answered.front();
      answered.pop_front();
    }
    --in_flight;
    if (!batch->answer || !batch->answer->is_array() || batch->answer->size() != batch->task_indices.size()) {
      stop_reason = batch->error.empty() ? "the provider answered a malformed batch" : "the provider: " + batch->error;
      break;
    }
    std::vector<ChannelUpdate> staged;
    std::vector<std::size_t> done;
    std::optional<SignedState> new_latest;
    std::vector<std::optional<std::variant<TaskReply, Refusal>>> replies;
    for (const auto& a : *batch->answer) replies.push_back(reply_from_json(a));
    // The answered states are cumulative: the provider's signature on the last one that comes with
    // a matching result covers the ones before it. Only when it does not verify is each checked.
    std::size_t answered = 0;
    while (answered < replies.size() && replies[answered] &&
           std::holds_alternative<TaskReply>(*replies[answered]) &&
           runtime::crypto::blake2b_256(std::get<TaskReply>(*replies[answered]).output) ==
               std::get<TaskReply>(*replies[answered]).result_hash)
      ++answered;
    const bool verify_each = answered > 0 && !pc::verify_state(std::get<TaskReply>(*replies[answered - 1]).provider_sig,
                                                               genesis, batch->proposals[answered - 1], provider());
    for (std::size_t k = 0; k < batch->task_indices.size() && stop_reason.empty(); ++k) {
      std::size_t i = batch->task_indices[k];
      const auto& p = batch->proposals[k];
      auto& reply = replies[k];
      if (!reply) {
        stop_reason = "the provider answered a malformed reply";
        break;
      }
      if (auto* refusal = std::get_if<Refusal>(&*reply)) {
        if (resync && refusal->error == ChannelError::VersionNotNext) {
          pending.push_front(i);  // void after an earlier failure: propose again
          continue;
        }
        if (refusal->error == ChannelError::RunFailed || refusal->error == ChannelError::UnknownProgram ||
            refusal->error == ChannelError::FuelTooHigh) {
          outcomes[i] = TaskOutcome{direct_task_id(id, p.version, tasks[i]), 0, false, {}, {}, 0, refusal->reason};
          done.push_back(i);
          resync = true;
          continue;
        }
        stop_reason = "the provider refused version " + std::to_string(p.version) + ": " + refusal->reason;
        break;
      }
      auto& r = std::get<TaskReply>(*reply);
      if (runtime::crypto::blake2b_256(r.output) != r.result_hash) {
        stop_reason = "the provider's result does not match its hash (version " + std::to_string(p.version) + ")";
        break;
      }
      if ((verify_each || k >= answered) && !pc::verify_state(r.provider_sig, genesis, p, provider())) {
        stop_reason = "the provider's signature on version " + std::to_string(p.version) + " is invalid";
        break;
      }
      pc::TaskEntry entry{direct_task_id(id, p.version, tasks[i]), r.result_hash, price};
      SignedState s{p, m_requester_is_a ? batch->sigs[k] : r.provider_sig,
                    m_requester_is_a ? r.provider_sig : batch->sigs[k]};
      staged.push_back(ChannelUpdate{id, std::nullopt, s, m_leaves.size(), {entry}});
      m_leaves.push_back(entry);
      m_acc.append(pc::task_leaf(entry));
      new_latest = s;
      outcomes[i] = TaskOutcome{entry.task_id, p.version, true, std::move(r.output), r.result_hash, r.fuel_used, {}};
      done.push_back(i);
    }
    if (!staged.empty()) {
      if (auto c = m_store.commit(std::move(staged)); !c) {
        stop_reason = "cannot write the channel store: " + c.error().message();
        break;
      }
      m_latest = new_latest;
    }
    if (on_result)
      for (auto i : done) on_result(outcomes[i]);
  }
  stop_sender();
  if (!stop_reason.empty()) return stop_reason;
  return outcomes;
}

ClientResult<FinalState> ChannelRequester::close_cooperatively() {
  BAZAAR_TRY(sync());
  pc::ChannelState final_state = spendable_state();
  final_state.version += 1;
  final_state.tasks_root = m_acc.root();
  const auto& genesis = m_channel.meta.genesis_hash;
  auto mine = pc::sign_close(m_key, genesis, final_state);
  rpc::RpcCallError refusal;
  auto answer = m_client.call("direct_closeChannel", {state_to_json(final_state), runtime::to_hex(mine)}, &refusal);
  if (!answer) return "direct_closeChannel: " + call_error(answer.error(), refusal);
  auto theirs = answer.value().is_object() && answer.value().contains("providerSig") &&
                        answer.value()["providerSig"].is_string()
                    ? runtime::fixed_from_hex<EcdsaSignature>(answer.value()["providerSig"].get<std::string>())
                    : std::nullopt;
  if (!theirs || !pc::verify_close(*theirs, genesis, final_state, provider()))
    return std::string("the provider's close signature is invalid");
  m_channel.meta.status = LocalStatus::Closing;
  if (auto c = m_store.commit({ChannelUpdate{final_state.channel_id, m_channel.meta, std::nullopt, 0, {}}}); !c)
    return "cannot write the channel store: " + c.error().message();
  return FinalState{final_state, m_requester_is_a ? mine : *theirs, m_requester_is_a ? *theirs : mine};
}

}  // namespace bazaar::node::offchain::channels
