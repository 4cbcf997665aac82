#pragma once
// A mock runtime for module tests (FRAME's mock.rs): System + Credits +
// TaskQueue over an in-memory state, driven block by block.
//
//   MockRuntime rt(genesis);                       // genesis from the described configs, block 1
//   rt.dispatch<credits::Module>(signed(alice), credits::TransferKeepAlive{...});
//   CHECK(rt.last_event<credits::Module>() == event_string<credits::Module>(credits::Transfer{...}));
//   assert_noop(rt, [&] { return rt.dispatch<...>(...); }, expected_error);
//   rt.run_to_block(10);                           // initialize_block + task_queue::on_initialize
//
// Calls are dispatched WITHOUT a storage layer (the executive adds one), so
// assert_noop checks that a failing handler wrote nothing by itself.

#include "modules/credits/credits.hpp"
#include "modules/system/system.hpp"
#include "modules/task_queue/task_queue.hpp"
#include "runtime/framework/json.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

/// Balances (u128) print as decimals in Catch's messages.
template <>
struct Catch::StringMaker<unsigned __int128> {
  static std::string convert(unsigned __int128 v) { return bazaar::runtime::u128_to_string(v); }
};

namespace bazaar::test {

using runtime::AccountId32;
using runtime::Balance;
using runtime::BlockNumber;
using runtime::Bytes;
using runtime::framework::Context;
using runtime::framework::DispatchError;
using runtime::framework::DispatchResult;
using runtime::framework::Origin;
using runtime::storage::ChangeSet;
namespace credits = modules::credits;
namespace system = modules::system;
namespace task_queue = modules::task_queue;

/// The whole state in a std::map (the node's trie stands here).
class MemoryStorage final : public runtime::storage::StorageReader {
 public:
  std::optional<Bytes> get(runtime::ByteSpan key) const override;
  std::optional<Bytes> next_key(runtime::ByteSpan key) const override;

 private:
  std::map<Bytes, Bytes> m_data;
};

/// One decoded System.Events entry of the mock's modules.
struct MockEventRecord {
  runtime::framework::Phase phase;
  uint8_t module_index = 0;
  std::variant<system::Event, credits::Event, task_queue::Event> event;
};

struct MockGenesis {
  credits::GenesisConfig credits;
  task_queue::GenesisConfig task_queue;
};

class MockRuntime {
 public:
  /// Builds genesis (System, Credits, TaskQueue; the configs must validate) and starts block 1.
  explicit MockRuntime(const MockGenesis& genesis);

  runtime::storage::Overlay& state() { return m_overlay; }
  BlockNumber block() const { return m_block; }
  /// The context of the current block, in phase ApplyExtrinsic(0).
  Context& ctx() { return *m_ctx; }

  template <class M, class C>
  DispatchResult dispatch(const Origin& origin, C call) {
    return M::dispatch(ctx(), origin, typename M::Call{std::move(call)});
  }

  /// Starts each block after the current one up to `n`: System's initialize_block (which clears
  /// the events) then task_queue::on_initialize, as the executive does.
  void run_to_block(BlockNumber n);

  /// The current block's events, decoded.
  std::vector<MockEventRecord> events() const;
  /// The current block's events of module M, as event_string().
  template <class M>
  std::vector<std::string> events_of() const;
  /// The last event of module M as event_string(), or "" when there is none.
  template <class M>
  std::string last_event() const {
    auto all = events_of<M>();
    return all.empty() ? std::string() : all.back();
  }

 private:
  MemoryStorage m_base;
  runtime::storage::Overlay m_overlay{m_base};
  BlockNumber m_block = 0;
  std::unique_ptr<Context> m_ctx;
};

/// "Transfer {"amount":5,...}": an event's name and fields, readable in failure messages.
template <class M>
std::string event_string(const typename M::Event& event) {
  return std::visit(
      [](const auto& e) {
        return std::string(std::decay_t<decltype(e)>::kName) + " " + runtime::framework::json::to_json(e).dump();
      },
      event);
}

template <class M>
std::vector<std::string> MockRuntime::events_of() const {
  std::vector<std::string> out;
  for (const auto& r : events()) {
    if (const auto* e = std::get_if<typename M::Event>(&r.event); e && r.module_index == M::kIndex)
      out.push_back(event_string<M>(*e));
  }
  return out;
}

/// "This error changed no state": runs fn, requires it to fail with `expected`, and requires the
/// state's changes afterwards to equal those before.
template <class F>
void assert_noop(MockRuntime& rt, F&& fn, const DispatchError& expected) {
  const ChangeSet before = rt.state().changes();
  const DispatchResult r = fn();
  REQUIRE_FALSE(r);
  INFO("error: " << runtime::framework::describe_generic(r.error()));
  REQUIRE(r.error() == expected);
  REQUIRE(rt.state().changes() == before);
}

/// A module error of M, for assert_noop.
template <class M>
DispatchError module_error(typename M::Error e) {
  return runtime::framework::module_error<M>(e);
}

/// A test account: 32 bytes of `n`.
AccountId32 account(uint8_t n);
inline runtime::MultiAddress id(const AccountId32& a) { return runtime::MultiAddressId{a}; }
inline Origin signed_by(const AccountId32& a) { return Origin::signed_by(a); }
/// n CC in base units.
inline constexpr Balance cc(uint64_t n) { return Balance{n} * runtime::kUnitsPerCC; }

/// Money is conserved; CHECKs: TotalIssuance == sum of free + reserved over System.Account;
/// each account's reserved == the sum of its Holds; an existing account has free >= ED, a
/// provider reference, and a consumer reference while it has holds.
void check_credits_invariants(const runtime::storage::StorageReader& state);

/// check_credits_invariants, and every task_queue record agrees with the holds:
///   TaskEscrow held == the bounties of the requester's live tasks, ProviderStake held == the
///   provider's stake, ProgramDeposit held == the deposits of the owner's programs;
///   OpenTasks, DueTasks and ProviderTasks agree with the tasks and the in-flight counters.
void check_invariants(const runtime::storage::StorageReader& state);

}  // namespace bazaar::test
