#include "node/offchain/worker.hpp"

#include "node/log/log.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/primitives/units.hpp"
#include "runtime/wasm/executor.hpp"

#include <thread>

namespace bazaar::node::offchain {

namespace tq = modules::task_queue;
using modules::composition::make_call;
using rpc::ClientResult;

namespace {
auto log() { return log::logger("worker"); }

tq::Capabilities capabilities_of(const std::vector<std::string>& caps) {
  tq::Capabilities out;
  for (const auto& c : caps) {
    if (out.items.size() == tq::kMaxCapabilities) break;
    tq::Capability cap;
    cap.items.assign(c.begin(), c.begin() + std::min<std::size_t>(c.size(), tq::kMaxCapabilityBytes));
    out.items.push_back(std::move(cap));
  }
  return out;
}

}  // namespace

Worker::Worker(WorkerOptions options, runtime::crypto::Keypair key, std::unique_ptr<TaskJournal> journal)
    : m_options(std::move(options)), m_key(std::move(key)), m_account(m_key.account_id()), m_journal(std::move(journal)) {}

ClientResult<std::unique_ptr<Worker>> Worker::open(WorkerOptions options) {
  auto key = runtime::crypto::keypair_from_suri(options.provider_suri);
  if (!key) return "invalid provider key: " + key.error().message();
  auto journal = TaskJournal::open(options.db_path);
  if (!journal) return "cannot open the worker database " + options.db_path.string() + ": " + journal.error().message();
  return std::unique_ptr<Worker>(new Worker(std::move(options), std::move(key).value(), std::move(journal).value()));
}

void Worker::journal(TaskId id, const JournalEntry& entry) {
  if (auto r = m_journal->put(id, entry); !r)
    log()->error("cannot write the journal for task {}: {}", id, r.error().message());
}

ClientResult<void> Worker::start_direct(rpc::ChainClient& chain) {
  if (m_options.direct_port == 0 || m_direct_server) return outcome::success();
  if (!m_channel_store) {
    auto path = m_options.db_path.string() + "-channels";
    auto store = channels::ChannelStore::open(path);
    if (!store) return "cannot open the channel store " + path + ": " + store.error().message();
    m_channel_store = std::move(store).value();
  }
  BAZAAR_TRY(auto genesis, chain.genesis_hash());
  BAZAAR_TRY(auto params, chain.read<tq::ParamsItem>());
  m_chain_view = std::make_unique<channels::RpcChainView>(m_options.rpc_url);
  channels::DirectServiceOptions options;
  options.price = m_options.price_per_task;
  options.max_fuel = m_options.max_fuel ? m_options.max_fuel : params.max_fuel;
  options.max_memory_pages = m_options.max_memory_pages;
  options.max_output_bytes = params.max_output_bytes;
  options.wall_clock_limit = m_options.wall_clock_limit;
  m_direct = std::make_unique<channels::DirectService>(options, m_key, genesis, *m_channel_store, *m_chain_view);
  auto server = channels::DirectServer::start(*m_direct, m_options.direct_listen, m_options.direct_port);
  if (!server) {
    m_direct.reset();
    return "cannot serve the direct endpoint on port " + std::to_string(m_options.direct_port) + ": " +
           server.error().message();
  }
  m_direct_server = std::move(server).value();
  if (m_options.endpoint.empty())
    m_options.endpoint = "ws://" + m_options.direct_host + ":" + std::to_string(m_direct_server->port());
  log()->info("direct task endpoint listening on ws://{}:{}", m_options.direct_listen, m_direct_server->port());
  channels::WatcherOptions watch;
  watch.rpc_url = m_options.rpc_url;
  watch.reconnect_delay = m_options.reconnect_delay;
  m_watcher = std::make_unique<channels::ChannelWatcher>(
      *m_channel_store, m_key, watch, [this](const channels::WatchEvent& e) {
        if (e.kind != channels::WatchEvent::Kind::Closed) m_direct->mark_closing(e.channel_id);
      });
  m_watcher_thread = std::thread([this] { m_watcher->run(*m_stop); });
  return outcome::success();
}

ClientResult<void> Worker::ensure_registered(rpc::ChainClient& chain) {
  BAZAAR_TRY(auto existing, chain.read<tq::Providers>(m_account));
  if (existing) return outcome::success();
  BAZAAR_TRY(auto params, chain.read<tq::ParamsItem>());
  tq::RegisterProvider call;
  call.stake.value = m_options.stake ? m_options.stake : params.minimum_stake;
  call.price_per_task.value = m_options.price_per_task;
  call.capabilities = capabilities_of(m_options.capabilities);
  call.endpoint.items.assign(m_options.endpoint.begin(), m_options.endpoint.end());
  BAZAAR_TRY(auto report, chain.submit(m_key, make_call<tq::Module>(call)));
  if (!report.success) return "register_provider failed: " + report.error;
  log()->info("registered provider {} (stake {}, price {}) in block #{}", runtime::crypto::ss58_encode(m_account),
              runtime::format_cc(call.stake.value), runtime::format_cc(call.price_per_task.value), report.block_number);
  return outcome::success();
}

ClientResult<std::size_t> Worker::step(rpc::ChainClient& chain) {
  std::size_t advanced = 0;
  for (const auto& [id, entry] : m_journal->unfinished()) {
    BAZAAR_TRY(auto moved, advance(chain, id, entry));
    advanced += moved ? 1 : 0;
  }
  // Tasks the chain says we hold but the journal does not track (a claim that
  // landed after a crash, or after we gave up on it): run them.
  BAZAAR_TRY(auto ours, chain.storage_keys(tq::ProviderTasks::prefix(m_account)));
  for (const auto& key : ours) {
    auto prefix_size = tq::ProviderTasks::prefix(m_account).size();
    if (key.size() != prefix_size + 8 + 8) continue;
    auto id = runtime::codec::decode<TaskId>(runtime::ByteSpan(key).subspan(prefix_size + 8));
    if (!id) continue;
    if (m_journal->get(id.value())) continue;  // tracked: advanced above, finished, or abandoned
    BAZAAR_TRY(auto moved, advance(chain, id.value(), JournalEntry{TaskStage::Claimed}));
    advanced += moved ? 1 : 0;
  }
  BAZAAR_TRY(auto keys, chain.storage_keys(tq::OpenTasks::prefix()));
  for (const auto& key : keys) {
    // OpenTasks key = prefix(32) ++ twox64(8) ++ SCALE(u64 id).
    if (key.size() != 32 + 8 + 8) continue;
    auto id = runtime::codec::decode<TaskId>(runtime::ByteSpan(key).subspan(40));
    if (!id || m_journal->get(id.value())) continue;
    BAZAAR_TRY(auto claimed, try_claim(chain, id.value()));
    advanced += claimed ? 1 : 0;
  }
  return advanced;
}

ClientResult<bool> Worker::try_claim(rpc::ChainClient& chain, TaskId id) {
  BAZAAR_TRY(auto task, chain.read<tq::Tasks>(id));
  if (!task || task->status != tq::TaskStatus::Open) return false;
  BAZAAR_TRY(auto me, chain.read<tq::Providers>(m_account));
  if (!me || me->status != tq::ProviderStatus::Active || me->price_per_task > task->bounty) return false;
  BAZAAR_TRY(auto params, chain.read<tq::ParamsItem>());
  uint64_t max_fuel = m_options.max_fuel ? m_options.max_fuel : params.max_fuel;
  if (task->fuel_limit > max_fuel) return false;
  log()->debug("claiming task {} (bounty {})", id, runtime::format_cc(task->bounty));
  journal(id, JournalEntry{TaskStage::Claiming});
  auto report = chain.submit(m_key, make_call<tq::Module>(tq::ClaimTask{id}));
  if (!report) {
    log()->warn("claim of task {} was rejected: {}", id, report.error());
    (void)m_journal->erase(id);  // open tasks may be tried again at the next head
    return false;
  }
  if (!report.value().success) {
    log()->info("claim of task {} failed: {}", id, report.value().error);
    (void)m_journal->erase(id);
    return false;
  }
  log()->info("claimed task {} in block #{}", id, report.value().block_number);
  journal(id, JournalEntry{TaskStage::Claimed});
  BAZAAR_TRY(advance(chain, id, JournalEntry{TaskStage::Claimed}));
  return true;
}

ClientResult<bool> Worker::advance(rpc::ChainClient& chain, TaskId id, JournalEntry entry) {
  BAZAAR_TRY(auto task, chain.read<tq::Tasks>(id));
  bool ours = task && task->provider && *task->provider == m_account;
  if (!ours) {
    // Our claim never landed (we crashed before it reached the node), or the task
    // is someone else's: forget it. If it is open it can be claimed again; if a
    // late claim of ours lands after all, the ProviderTasks scan in step() finds it.
    if (auto r = m_journal->erase(id); !r) log()->error("cannot write the journal for task {}: {}", id, r.error().message());
    return false;
  }
  if (task->status != tq::TaskStatus::Claimed) {
    // Submitted, completed or expired: nothing left for us to do.
    journal(id, JournalEntry{TaskStage::Done});
    return false;
  }
  // Claimed by us and no result yet.
  if (entry.stage != TaskStage::Executed) {
    BAZAAR_TRY(entry, execute(chain, id, *task));
    if (entry.stage == TaskStage::Abandoned) {
      journal(id, entry);
      return false;
    }
    journal(id, entry);
  }
  tq::SubmitResult call;
  call.task_id = id;
  call.status = entry.status;
  call.output = entry.output;
  call.fuel_used.value = entry.fuel_used;
  auto report = chain.submit(m_key, make_call<tq::Module>(call));
  if (!report) return "submit_result of task " + std::to_string(id) + ": " + report.error();
  if (!report.value().success) {
    log()->warn("submit_result of task {} failed: {}", id, report.value().error);
    journal(id, JournalEntry{TaskStage::Done});
    return false;
  }
  log()->info("submitted the result of task {} in block #{} ({} bytes, {} fuel)", id, report.value().block_number,
              entry.output.size(), entry.fuel_used);
  entry.stage = TaskStage::Submitted;
  journal(id, entry);
  return true;
}

ClientResult<JournalEntry> Worker::execute(rpc::ChainClient& chain, TaskId id, const tq::Task& task) {
  BAZAAR_TRY(auto code, chain.read<tq::ProgramCode>(task.program));
  BAZAAR_TRY(auto input, chain.read<tq::TaskInputs>(id));
  if (!code || !input) return "task " + std::to_string(id) + " has no program or input on chain";
  BAZAAR_TRY(auto params, chain.read<tq::ParamsItem>());

  runtime::wasm::ExecutionLimits limits;
  limits.fuel = task.fuel_limit;
  limits.max_memory_pages = m_options.max_memory_pages;
  limits.max_output_bytes = params.max_output_bytes;
  auto deadline = std::chrono::steady_clock::now() + m_options.wall_clock_limit;
  const std::atomic<bool>* stop = m_stop;
  limits.should_abort = [deadline, stop] {
    return std::chrono::steady_clock::now() > deadline || (stop && stop->load());
  };
  auto started = std::chrono::steady_clock::now();
  auto outcome = runtime::wasm::execute(*code, *input, limits);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();

  JournalEntry entry{TaskStage::Executed};
  if (!outcome) {
    // The chain validated the program on upload, so this is a deterministic failure to run it.
    log()->warn("task {}: the program cannot run: {}", id, outcome.error().message());
    entry.status = tq::ResultStatus::Trapped;
    return entry;
  }
  const auto& o = outcome.value();
  entry.fuel_used = o.fuel_used;
  switch (o.status) {
    case runtime::wasm::ExitStatus::Ok:
      entry.status = tq::ResultStatus::Ok;
      entry.output = o.output;
      break;
    case runtime::wasm::ExitStatus::Trapped:
    case runtime::wasm::ExitStatus::OutputTooLarge:
      entry.status = tq::ResultStatus::Trapped;
      break;
    case runtime::wasm::ExitStatus::OutOfFuel:
      entry.status = tq::ResultStatus::OutOfFuel;
      break;
    case runtime::wasm::ExitStatus::Aborted:
      // Stopping: keep the claim journaled, the run starts again after a restart.
      if (m_stop && m_stop->load()) return "task " + std::to_string(id) + ": run interrupted by shutdown";
      // Not deterministic: never settled on chain. The claim will lapse.
      log()->error("task {}: abandoned after the wall-clock limit of {} s", id, m_options.wall_clock_limit.count());
      return JournalEntry{TaskStage::Abandoned};
  }
  log()->info("ran task {}: {} in {} ms, {} instructions, {} bytes out", id, runtime::wasm::to_string(o.status), ms,
              o.fuel_used, o.output.size());
  return entry;
}

void Worker::run(const std::atomic<bool>& stop) {
  m_stop = &stop;
  auto wait = [&](std::chrono::milliseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    while (!stop && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };
  while (!stop) {
    auto chain = rpc::ChainClient::connect(m_options.rpc_url);
    if (!chain) {
      log()->warn("{}; retrying", chain.error());
      wait(m_options.reconnect_delay);
      continue;
    }
    if (auto r = start_direct(chain.value()); !r) {
      log()->error("{}", r.error());
      wait(m_options.reconnect_delay * 5);
      continue;
    }
    if (auto r = ensure_registered(chain.value()); !r) {
      log()->error("cannot register as a provider: {}", r.error());
      wait(m_options.reconnect_delay * 5);
      continue;
    }
    auto heads = chain.value().rpc().subscribe("chain_subscribeNewHeads", nlohmann::json::array(),
                                               "chain_unsubscribeNewHeads");
    if (!heads) {
      log()->warn("cannot follow new heads: {}", heads.error().message());
      wait(m_options.reconnect_delay);
      continue;
    }
    log()->info("provider {} following {}", runtime::crypto::ss58_encode(m_account), m_options.rpc_url);
    while (!stop) {
      auto head = heads.value().next(std::chrono::milliseconds(500));
      if (!head) {
        if (head.error() == rpc::RpcClientError::Timeout) continue;
        log()->warn("lost the head subscription: {}", head.error().message());
        break;
      }
      if (auto r = step(chain.value()); !r) log()->warn("{}", r.error());
    }
    wait(m_options.reconnect_delay);
  }
  if (m_watcher_thread.joinable()) m_watcher_thread.join();
  m_direct_server.reset();
}

}  // namespace bazaar::node::offchain
