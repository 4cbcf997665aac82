#include "tests/modules/support/mock_runtime.hpp"

#include <algorithm>
#include <stdexcept>

namespace bazaar::test {

using runtime::ByteSpan;
using runtime::H256;
using runtime::codec::Decoder;

std::optional<Bytes> MemoryStorage::get(ByteSpan key) const {
  auto it = m_data.find(Bytes(key.begin(), key.end()));
  if (it == m_data.end()) return std::nullopt;
  return it->second;
}

std::optional<Bytes> MemoryStorage::next_key(ByteSpan key) const {
  auto it = m_data.upper_bound(Bytes(key.begin(), key.end()));
  if (it == m_data.end()) return std::nullopt;
  return it->first;
}

AccountId32 account(uint8_t n) {
  AccountId32 a;
  a.bytes.fill(n);
  return a;
}

MockRuntime::MockRuntime(const MockGenesis& genesis) {
  auto credits_ok = credits::Module::validate_genesis(genesis.credits);
  if (!credits_ok) throw std::invalid_argument(credits_ok.error());
  auto tasks_ok = task_queue::Module::validate_genesis(genesis.task_queue);
  if (!tasks_ok) throw std::invalid_argument(tasks_ok.error());
  system::Module::build_genesis(m_overlay, {});
  credits::Module::build_genesis(m_overlay, genesis.credits);
  task_queue::Module::build_genesis(m_overlay, genesis.task_queue);
  m_ctx = std::make_unique<Context>(m_overlay, 0);
  run_to_block(1);
}

void MockRuntime::run_to_block(BlockNumber n) {
  while (m_block < n) {
    ++m_block;
    m_ctx = std::make_unique<Context>(m_overlay, m_block);
    m_ctx->set_phase(runtime::framework::phase::Initialization{});
    system::initialize_block(*m_ctx, m_block, H256{});
    task_queue::on_initialize(*m_ctx, m_block);
    m_ctx->set_phase(runtime::framework::phase::ApplyExtrinsic{0});
  }
}

namespace {
template <class E>
E decode_event(Decoder& d) {
  E e{};
  auto r = runtime::codec::decode_from(d, e);
  if (!r) throw std::runtime_error("undecodable event: " + r.error().message());
  return e;
}
}  // namespace

std::vector<MockEventRecord> MockRuntime::events() const {
  std::vector<MockEventRecord> out;
  auto raw = m_overlay.get(system::Events::key());
  if (!raw) return out;
  Decoder d(*raw);
  auto n = runtime::codec::decode_length(d);
  if (!n) throw std::runtime_error("System.Events: bad length");
  for (std::size_t i = 0; i < n.value(); ++i) {
    MockEventRecord r;
    if (!runtime::codec::decode_from(d, r.phase)) throw std::runtime_error("System.Events: bad phase");
    auto index = d.read_byte();
    if (!index) throw std::runtime_error("System.Events: truncated");
    r.module_index = index.value();
    switch (r.module_index) {
      case system::Module::kIndex: r.event = decode_event<system::Event>(d); break;
      case credits::Module::kIndex: r.event = decode_event<credits::Event>(d); break;
      case task_queue::Module::kIndex: r.event = decode_event<task_queue::Event>(d); break;
      default: throw std::runtime_error("event of a module outside the mock: " + std::to_string(r.module_index));
    }
    std::vector<H256> topics;
    if (!runtime::codec::decode_from(d, topics)) throw std::runtime_error("System.Events: bad topics");
    out.push_back(std::move(r));
  }
  if (!d.at_end()) throw std::runtime_error("System.Events: trailing bytes");
  return out;
}

namespace {

std::size_t count_keys(const runtime::storage::StorageReader& s, const Bytes& prefix) {
  std::size_t n = 0;
  for (auto k = s.next_key(prefix);
       k && k->size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), k->begin()); k = s.next_key(*k))
    ++n;
  return n;
}

bool live(task_queue::TaskStatus s) {
  using task_queue::TaskStatus;
  return s == TaskStatus::Open || s == TaskStatus::Claimed || s == TaskStatus::Submitted;
}

}  // namespace

void check_credits_invariants(const runtime::storage::StorageReader& state) {
  Balance sum = 0;
  for (const auto& [who, info] : system::Account::entries(state)) {
    INFO("account " << runtime::to_hex(who));
    sum += info.data.free + info.data.reserved;
    Balance held_sum = 0;
    for (const auto& h : credits::HoldsOf::get(state, who).items) {
      CHECK(h.amount > 0);
      held_sum += h.amount;
    }
    CHECK(info.data.reserved == held_sum);
    CHECK(info.data.free >= credits::kExistentialDeposit);
    CHECK(info.providers >= 1);
    if (info.data.reserved > 0) CHECK(info.consumers >= 1);
  }
  CHECK(credits::total_issuance(state) == sum);
  for (const auto& [who, holds] : credits::HoldsOf::entries(state)) {
    CHECK(system::Account::contains(state, who));
    CHECK_FALSE(holds.items.empty());
  }
}

void check_invariants(const runtime::storage::StorageReader& state) {
  using credits::HoldReason;
  check_credits_invariants(state);

  // What each hold pays for.
  std::map<AccountId32, std::map<HoldReason, Balance>> expected;
  std::size_t open = 0, due = 0, in_flight = 0;
  std::map<AccountId32, uint32_t> in_flight_by_provider;
  for (const auto& [id, task] : task_queue::Tasks::entries(state)) {
    INFO("task " << id);
    if (live(task.status)) expected[task.requester][HoldReason::TaskEscrow] += task.bounty;
    CHECK(task_queue::OpenTasks::contains(state, id) == (task.status == task_queue::TaskStatus::Open));
    if (task.status == task_queue::TaskStatus::Open) ++open;
    CHECK((task.due_at != 0) == live(task.status));
    if (task.due_at != 0) {
      ++due;
      CHECK(task_queue::DueTasks::get(state, task.due_at, id) == std::optional(task.status));
    }
    const bool claimed =
        task.status == task_queue::TaskStatus::Claimed || task.status == task_queue::TaskStatus::Submitted;
    CHECK(task.provider.has_value() == (claimed || task.status == task_queue::TaskStatus::Completed));
    if (claimed) {
      ++in_flight;
      ++in_flight_by_provider[*task.provider];
      CHECK(task_queue::ProviderTasks::contains(state, *task.provider, id));
    }
  }
  CHECK(count_keys(state, task_queue::OpenTasks::prefix()) == open);
  CHECK(count_keys(state, task_queue::DueTasks::prefix()) == due);
  CHECK(count_keys(state, task_queue::ProviderTasks::prefix()) == in_flight);
  for (const auto& [who, provider] : task_queue::Providers::entries(state)) {
    expected[who][HoldReason::ProviderStake] += provider.stake;
    CHECK(provider.stats.in_flight == in_flight_by_provider[who]);
  }
  for (const auto& [hash, program] : task_queue::Programs::entries(state)) {
    expected[program.owner][HoldReason::ProgramDeposit] += program.deposit;
    CHECK(task_queue::ProgramCode::contains(state, hash));
  }
  for (const auto& [who, holds] : credits::HoldsOf::entries(state)) {
    for (const auto& h : holds.items) expected[who][h.id];  // every actual hold is compared below
  }
  for (const auto& [who, by_reason] : expected) {
    for (const auto& [reason, amount] : by_reason) {
      INFO("account " << runtime::to_hex(who) << " hold " << static_cast<int>(reason));
      CHECK(credits::held(state, reason, who) == amount);
    }
  }
}

}  // namespace bazaar::test
