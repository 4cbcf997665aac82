#include "node/offchain/channels/direct_service.hpp"

#include "node/log/log.hpp"
#include "node/offchain/channels/parallel.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/wasm/executor.hpp"

#include <deque>

#include <time.h>

namespace bazaar::node::offchain::channels {

using runtime::Balance;
using runtime::H256;

namespace {
auto log() { return log::logger("channels"); }

/// CPU time of the calling thread (ns): the phase counters measure work, not waiting, so that
/// they mean the same on a loaded machine.
struct Clock {
  static uint64_t now() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(t.tv_nsec);
  }
};

/// Adds the CPU time since `since` to `counter` (ns) and restarts `since`.
void charge(std::atomic<uint64_t>& counter, uint64_t& since) {
  auto now = Clock::now();
  counter.fetch_add(now - since, std::memory_order_relaxed);
  since = now;
}

Refusal refuse(ChannelError e, std::string detail = {}) {
  return Refusal{e, detail.empty() ? std::string(to_string(e)) : std::string(to_string(e)) + ": " + detail};
}

}  // namespace

struct DirectService::Session {
  std::mutex mutex;
  ChannelMeta meta;
  bool meta_stored = false;
  std::optional<SignedState> latest;
  pc::ChannelState base;  ///< the last co-signed state (or the opening state)
  Balance total = 0;
  bool requester_is_a = true;
  runtime::AccountId32 requester;
  pc::TasksAccumulator acc;                     ///< over the whole task log
  std::deque<std::pair<uint64_t, H256>> window;  ///< (count, root) of the log's prefixes from base_count on
  uint64_t base_count = 0;                       ///< the prefix base.tasks_root commits to

  /// The prefix length whose root is `root`, if it is not older than base_count.
  std::optional<uint64_t> prefix_of(const H256& root) const {
    for (auto it = window.rbegin(); it != window.rend(); ++it)
      if (it->second == root) return it->first;
    return std::nullopt;
  }
  void advance_base(const pc::ChannelState& state, uint64_t count) {
    base = state;
    base_count = count;
    while (!window.empty() && window.front().first < count) window.pop_front();
  }
};

DirectService::DirectService(DirectServiceOptions options, runtime::crypto::Keypair key, H256 genesis_hash,
                             ChannelStore& store, ChainView& chain)
    : m_options(std::move(options)),
      m_key(std::move(key)),
      m_account(m_key.account_id()),
      m_genesis(genesis_hash),
      m_store(store),
      m_chain(chain) {}

DirectService::~DirectService() = default;

void DirectService::evict(const pc::ChannelId& id) {
  std::lock_guard lock(m_mutex);
  m_sessions.erase(id);
}

std::variant<std::shared_ptr<DirectService::Session>, Refusal> DirectService::session(const pc::ChannelId& id) {
  {
    std::lock_guard lock(m_mutex);
    if (auto it = m_sessions.find(id); it != m_sessions.end()) return it->second;
  }
  auto s = std::make_shared<Session>();
  auto stored = m_store.load(id);
  if (stored && stored->latest) {
    s->meta = stored->meta;
    s->meta_stored = true;
    s->latest = stored->latest;
    s->total = stored->latest->state.balance_a + stored->latest->state.balance_b;
    // Rebuild the accumulator and find the prefix the latest root commits to.
    std::vector<std::pair<uint64_t, H256>> roots{{0, s->acc.root()}};
    for (const auto& e : stored->leaves) {
      s->acc.append(pc::task_leaf(e));
      roots.emplace_back(s->acc.count(), s->acc.root());
    }
    uint64_t count = 0;
    for (const auto& [c, r] : roots)
      if (r == stored->latest->state.tasks_root) count = c;
    s->window.assign(roots.begin() + static_cast<std::ptrdiff_t>(count), roots.end());
    s->advance_base(stored->latest->state, count);
  } else {
    auto on_chain = m_chain.channel(id);
    if (!on_chain) return refuse(ChannelError::UnknownChannel, runtime::to_hex(id));
    if (!on_chain->open) return refuse(ChannelError::ChannelNotOpen, runtime::to_hex(id));
    if (on_chain->party_a != m_account && on_chain->party_b != m_account)
      return refuse(ChannelError::NotParticipant, "the provider " + runtime::crypto::ss58_encode(m_account));
    s->meta = ChannelMeta{id, m_genesis, on_chain->party_a, on_chain->party_b, Role::Provider, "", LocalStatus::Open};
    if (stored) {
      s->meta.status = stored->meta.status;
      s->meta_stored = true;
    }
    s->total = on_chain->deposit_a + on_chain->deposit_b;
    s->window.emplace_back(0, s->acc.root());
    s->base = opening_state(id, on_chain->deposit_a, on_chain->deposit_b);
  }
  s->requester_is_a = s->meta.party_b == m_account;
  s->requester = s->requester_is_a ? s->meta.party_a : s->meta.party_b;
  std::lock_guard lock(m_mutex);
  auto [it, inserted] = m_sessions.emplace(id, s);
  return it->second;
}

bool DirectService::refresh_deposits(Session& s) {
  auto on_chain = m_chain.channel(s.meta.channel_id);
  if (!on_chain || on_chain->deposit_a + on_chain->deposit_b == s.total) return false;
  auto rebased = rebase_on_deposits(s.base, on_chain->deposits);
  if (!rebased) return false;
  log()->debug("channel {}: deposits now {} + {}", runtime::to_hex(s.meta.channel_id),
               runtime::u128_to_string(on_chain->deposit_a), runtime::u128_to_string(on_chain->deposit_b));
  s.base.balance_a = rebased->balance_a;
  s.base.balance_b = rebased->balance_b;
  s.total = on_chain->deposit_a + on_chain->deposit_b;
  return true;
}

std::shared_ptr<const runtime::Bytes> DirectService::program_code(const DirectTask& task) {
  {
    std::lock_guard lock(m_mutex);
    if (auto it = m_programs.find(task.program); it != m_programs.end()) return it->second;
  }
  std::optional<runtime::Bytes> code;
  if (task.code && runtime::crypto::blake2b_256(*task.code) == task.program) code = task.code;
  if (!code) code = m_chain.program(task.program);
  if (!code) return nullptr;
  auto shared = std::make_shared<const runtime::Bytes>(std::move(*code));
  std::lock_guard lock(m_mutex);
  return m_programs.emplace(task.program, std::move(shared)).first->second;
}

// ---- proposals: a batch is judged in segments. A segment is the longest run of proposals from a
// position on that pass the cheap checks against the state before them; one signature check of
// its last proposal covers it (the states are cumulative: the last one pays for every task of the
// segment), then its tasks run in order, and only the prefix that ran — ending on a state whose
// requester signature was checked — is counter-signed, stored and answered. The first proposal
// refused ends the segment; the next one starts after it, judged against the state so far.

std::optional<Refusal> DirectService::precheck(Session& s, const pc::ChannelState& prev, bool prev_is_base,
                                               const SubmitRequest& req, uint64_t min_prefix, Checked& out) {
  const auto& p = req.proposed;
  const auto& id = s.meta.channel_id;
  if (s.meta.status != LocalStatus::Open) return refuse(ChannelError::ChannelNotOpen);
  auto paid = check_payment(prev, p, id, s.total, s.requester_is_a, m_options.price);
  if (!paid && paid.error() == ChannelError::BalanceMismatch && prev_is_base && refresh_deposits(s))
    paid = check_payment(s.base, p, id, s.total, s.requester_is_a, m_options.price);
  if (!paid) {
    auto e = static_cast<ChannelError>(paid.error().value());
    switch (e) {
      case ChannelError::WrongChannelId:
        return refuse(e, "the state names " + runtime::to_hex(p.channel_id) + ", the request " + runtime::to_hex(id));
      case ChannelError::VersionNotNext:
        return refuse(e, "version " + std::to_string(p.version) + ", expected " + std::to_string(prev.version + 1));
      case ChannelError::BalanceMismatch:
        return refuse(e, runtime::u128_to_string(p.balance_a) + " + " + runtime::u128_to_string(p.balance_b) +
                             " != " + runtime::u128_to_string(s.total));
      case ChannelError::Underpaid:
        return refuse(e, "the price is " + runtime::u128_to_string(m_options.price));
      default:
        return refuse(e);
    }
  }
  auto prefix = s.prefix_of(p.tasks_root);
  if (!prefix || *prefix < min_prefix) return refuse(ChannelError::UnknownTasksRoot, runtime::to_hex(p.tasks_root));
  if (req.task.fuel > m_options.max_fuel)
    return refuse(ChannelError::FuelTooHigh, "at most " + std::to_string(m_options.max_fuel));
  out.code = program_code(req.task);
  if (!out.code) return refuse(ChannelError::UnknownProgram, runtime::to_hex(req.task.program));
  out.paid = paid.value();
  out.prefix = *prefix;
  return std::nullopt;
}

std::optional<Refusal> DirectService::run_task(const SubmitRequest& req, const Checked& checked, TaskReply& reply) {
  runtime::wasm::ExecutionLimits limits;
  limits.fuel = req.task.fuel;
  limits.max_memory_pages = m_options.max_memory_pages;
  limits.max_output_bytes = m_options.max_output_bytes;
  auto deadline = std::chrono::steady_clock::now() + m_options.wall_clock_limit;
  limits.should_abort = [deadline] { return std::chrono::steady_clock::now() > deadline; };
  auto run = runtime::wasm::execute(*checked.code, req.task.input, limits);
  if (!run) return refuse(ChannelError::RunFailed, run.error().message());
  if (run.value().status != runtime::wasm::ExitStatus::Ok)
    return refuse(ChannelError::RunFailed, std::string(runtime::wasm::to_string(run.value().status)) + ": " +
                                               run.value().trap_message);
  reply.output = std::move(run.value().output);
  reply.result_hash = runtime::crypto::blake2b_256(reply.output);
  reply.fuel_used = run.value().fuel_used;
  return std::nullopt;
}

std::size_t DirectService::segment(Session& s, const std::vector<SubmitRequest>& batch, std::size_t pos,
                                   std::vector<SubmitOutcome>& out, std::vector<ChannelUpdate>& staged) {
  const auto& id = s.meta.channel_id;
  auto since = Clock::now();
  // 1. The cheap checks, each proposal over the one before it.
  std::vector<Checked> checked;
  std::optional<Refusal> refusal;
  uint64_t min_prefix = s.base_count;
  for (std::size_t i = pos; i < batch.size(); ++i) {
    if (batch[i].proposed.channel_id != id) {
      refusal = refuse(ChannelError::WrongChannelId, "a batch carries one channel's updates");
      break;
    }
    const auto& prev = i == pos ? s.base : batch[i - 1].proposed;
    Checked c;
    if ((refusal = precheck(s, prev, i == pos, batch[i], min_prefix, c))) break;
    min_prefix = c.prefix;
    checked.push_back(std::move(c));
  }
  // 2. The requester's signature: the last state of the segment pays for all of it. If it does
  //    not verify, check each one and end the segment before the first bad one.
  std::size_t n = checked.size();
  std::vector<bool> verified(n, false);
  auto verify = [&](std::size_t k) {
    const auto& req = batch[pos + k];
    return pc::verify_state(req.requester_sig, m_genesis, req.proposed, s.requester);
  };
  auto bad_signature = [&] {
    return refuse(ChannelError::BadRequesterSignature, "not signed by " + runtime::crypto::ss58_encode(s.requester));
  };
  if (n > 0 && !(verified[n - 1] = verify(n - 1))) {
    std::size_t k = 0;
    while (k < n && (verified[k] = verify(k))) ++k;
    if (k < n) {
      n = k;
      refusal = bad_signature();
    }
  }
  charge(m_counters.check, since);
  // 3. Run the tasks until one fails: in rounds of a few per thread (the runs are independent;
  //    a round may run a few tasks past a failure, whose results are dropped).
  std::vector<TaskReply> replies(n);
  std::vector<std::optional<Refusal>> failures(n);
  const unsigned threads = batch_threads();
  std::size_t ran = 0;
  bool run_failed = false;
  while (ran < n && !run_failed) {
    const std::size_t round = std::min<std::size_t>(n - ran, threads * 8);
    parallel_for(
        round, threads, [&](std::size_t k) { failures[ran + k] = run_task(batch[pos + ran + k], checked[ran + k], replies[ran + k]); },
        1);
    const std::size_t end = ran + round;
    for (; ran < end; ++ran) {
      if (failures[ran]) {
        refusal = std::move(failures[ran]);  // the first refusal of the segment now
        run_failed = true;
        break;
      }
    }
  }
  charge(m_counters.execute, since);
  // 4. Keep the tasks that ran, up to a state whose signature was checked (a run failed early:
  //    check the state it stops at, walking back past bad ones; their runs are not answered).
  std::size_t keep = ran;
  while (keep > 0 && !verified[keep - 1]) {
    if ((verified[keep - 1] = verify(keep - 1))) break;
    --keep;
    refusal = bad_signature();
  }
  // 5. Counter-sign (in parallel) and stage what is kept; answer the first refused proposal.
  parallel_for(keep, threads,
               [&](std::size_t k) { replies[k].provider_sig = pc::sign_state(m_key, m_genesis, batch[pos + k].proposed); });
  for (std::size_t k = 0; k < keep; ++k) {
    const auto& req = batch[pos + k];
    const auto& p = req.proposed;
    auto& reply = replies[k];
    pc::TaskEntry entry{direct_task_id(id, p.version, req.task), reply.result_hash, checked[k].paid};
    uint64_t index = s.acc.count();
    s.acc.append(pc::task_leaf(entry));
    s.window.emplace_back(s.acc.count(), s.acc.root());
    SignedState signed_state{p, s.requester_is_a ? req.requester_sig : reply.provider_sig,
                             s.requester_is_a ? reply.provider_sig : req.requester_sig};
    s.latest = signed_state;
    s.advance_base(p, checked[k].prefix);
    ChannelUpdate update{id, std::nullopt, signed_state, index, {entry}};
    if (!s.meta_stored) {
      update.meta = s.meta;
      s.meta_stored = true;
    }
    staged.push_back(std::move(update));
    out[pos + k] = std::move(reply);
  }
  m_counters.updates.fetch_add(keep, std::memory_order_relaxed);
  charge(m_counters.sign, since);
  std::size_t next = pos + keep;
  if (next < batch.size()) {
    out[next] = refusal ? *refusal : refuse(ChannelError::Disagreement);  // the one that ended the segment
    log()->debug("refused version {}: {}", batch[next].proposed.version, std::get<Refusal>(out[next]).reason);
    ++next;
  }
  return next;
}

std::vector<SubmitOutcome> DirectService::submit(std::vector<SubmitRequest> batch) {
  std::vector<SubmitOutcome> out(batch.size());
  if (batch.empty()) return out;
  const auto id = batch.front().proposed.channel_id;
  auto found = session(id);
  if (auto* r = std::get_if<Refusal>(&found)) {
    out.assign(batch.size(), *r);
    return out;
  }
  auto s = std::get<std::shared_ptr<Session>>(found);
  std::lock_guard lock(s->mutex);
  std::vector<ChannelUpdate> staged;
  for (std::size_t pos = 0; pos < batch.size();) pos = segment(*s, batch, pos, out, staged);
  if (staged.empty()) return out;
  auto since = Clock::now();
  auto committed = m_store.commit(std::move(staged));
  charge(m_counters.persist, since);
  if (!committed) {
    log()->error("cannot persist channel {}: {}", runtime::to_hex(id), committed.error().message());
    evict(id);  // the store is the truth: reload from it
    for (auto& o : out)
      if (std::holds_alternative<TaskReply>(o)) o = refuse(ChannelError::StoreFailed, committed.error().message());
  }
  return out;
}

std::variant<EcdsaSignature, Refusal> DirectService::close(const pc::ChannelState& final_state,
                                                          const EcdsaSignature& requester_sig) {
  auto found = session(final_state.channel_id);
  if (auto* r = std::get_if<Refusal>(&found)) return *r;
  auto s = std::get<std::shared_ptr<Session>>(found);
  std::lock_guard lock(s->mutex);
  auto checked = check_final(s->base, final_state, s->meta.channel_id);
  if (!checked && checked.error() == ChannelError::BalancesChanged && refresh_deposits(*s))
    checked = check_final(s->base, final_state, s->meta.channel_id);
  if (!checked) return refuse(static_cast<ChannelError>(checked.error().value()));
  if (final_state.tasks_root != s->acc.root())
    return refuse(ChannelError::UnknownTasksRoot, "a final state commits to the whole task log");
  if (!pc::verify_close(requester_sig, m_genesis, final_state, s->requester))
    return refuse(ChannelError::BadRequesterSignature);
  s->meta.status = LocalStatus::Closing;
  if (auto r = m_store.commit({ChannelUpdate{s->meta.channel_id, s->meta, std::nullopt, 0, {}}}); !r) {
    evict(s->meta.channel_id);
    return refuse(ChannelError::StoreFailed, r.error().message());
  }
  s->meta_stored = true;
  log()->info("signed the final state of channel {} at version {}", runtime::to_hex(s->meta.channel_id),
              final_state.version);
  return pc::sign_close(m_key, m_genesis, final_state);
}

std::variant<ChannelSnapshot, Refusal> DirectService::snapshot(const pc::ChannelId& id, uint64_t from_leaf) {
  auto found = session(id);
  if (auto* r = std::get_if<Refusal>(&found)) return *r;
  auto s = std::get<std::shared_ptr<Session>>(found);
  std::lock_guard lock(s->mutex);
  ChannelSnapshot snap;
  snap.latest = s->latest;
  snap.leaf_count = s->acc.count();
  if (auto stored = m_store.load(id); stored && from_leaf < stored->leaves.size())
    snap.leaves.assign(stored->leaves.begin() + static_cast<std::ptrdiff_t>(from_leaf), stored->leaves.end());
  return snap;
}

DirectStats DirectService::stats() const {
  auto ns = [](const std::atomic<uint64_t>& c) { return std::chrono::nanoseconds(c.load(std::memory_order_relaxed)); };
  return DirectStats{m_counters.updates.load(std::memory_order_relaxed), ns(m_counters.check),
                     ns(m_counters.execute), ns(m_counters.sign), ns(m_counters.persist)};
}

void DirectService::mark_closing(const pc::ChannelId& id) {
  auto found = session(id);
  auto* s = std::get_if<std::shared_ptr<Session>>(&found);
  if (!s) return;
  std::lock_guard lock((*s)->mutex);
  if ((*s)->meta.status != LocalStatus::Open) return;
  (*s)->meta.status = LocalStatus::Closing;
  (void)m_store.commit({ChannelUpdate{id, (*s)->meta, std::nullopt, 0, {}}});
  (*s)->meta_stored = true;
}

}  // namespace bazaar::node::offchain::channels
