// TaskQueue through the executive: calls in signed extrinsics, and the
// automatic transitions that the executive runs at the start of each block
// (events in phase Initialization). Fees going to an author without an
// account are burned. Total issuance is checked after every block.

#include "tests/modules/composition/harness.hpp"

#include "runtime/crypto/hash.hpp"
#include "tests/runtime/wasm/wat.hpp"

namespace bazaar::test::composition {
namespace {

namespace credits = modules::credits;
namespace system = modules::system;
namespace task_queue = modules::task_queue;
using runtime::MultiAddressId;
using runtime::framework::phase::Initialization;

template <class C>
comp::RuntimeCall tq(C call) {
  return comp::make_call<task_queue::Module>(std::move(call));
}

Bytes program() {
  return wat_to_wasm(R"((module
    (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
    (memory (export "memory") 1)
    (func (export "_start"))))");
}

/// Produces a block of `xts`, requires each to succeed and the issuance invariant to hold.
BlockRun produce_ok(TestChain& chain, const std::vector<Bytes>& xts) {
  auto block = chain.produce_block(xts);
  REQUIRE(block.has_value());
  for (const auto& r : block.value().results) CHECK(outcome_text(r) == "Ok");
  require_issuance_invariant(chain.state());
  return block.value();
}

/// The names of the events deposited in phase Initialization.
std::vector<std::string> initialization_events(const std::vector<comp::EventRecord>& events) {
  std::vector<std::string> out;
  for (const auto& record : events)
    if (std::holds_alternative<Initialization>(record.phase)) out.push_back(comp::event_name(record.event));
  return out;
}

SCENARIO("a task's life through the executive, completed automatically at the start of a block") {
  GIVEN("the test chain where Alice uploaded a program and Bob registered as a provider") {
    TestChain chain;
    const Bytes code = program();
    const H256 hash = runtime::crypto::blake2b_256(code);
    const Balance stake = 10 * runtime::kUnitsPerCC;
    const Balance bounty = 5 * runtime::kUnitsPerCC;
    const Balance issuance = chain.total_issuance();
    produce_ok(chain, {chain.sign("Alice", tq(task_queue::UploadProgram{code})),
                       chain.sign("Bob", tq(task_queue::RegisterProvider{{stake}, {runtime::kUnitsPerCC}, {}, {}}))});
    REQUIRE(credits::held(chain.state(), credits::HoldReason::ProviderStake, dev_account("Bob")) == stake);

    WHEN("Charlie posts a task, Bob claims it and submits a result that no one accepts") {
      produce_ok(chain, {chain.sign("Charlie", tq(task_queue::PostTask{hash, {1, 2, 3}, {1000}, {bounty}, 20}))});
      REQUIRE(credits::held(chain.state(), credits::HoldReason::TaskEscrow, dev_account("Charlie")) == bounty);
      produce_ok(chain, {chain.sign("Bob", tq(task_queue::ClaimTask{0}))});
      auto submitted = produce_ok(
          chain, {chain.sign("Bob", tq(task_queue::SubmitResult{0, task_queue::ResultStatus::Ok, {9, 9}, {500}}))});
      const Balance bob_before = chain.free("Bob");
      const Balance treasury_before = credits::free_balance(chain.state(), credits::treasury_account());
      auto result = events_of<task_queue::ResultSubmitted>(submitted.events, 1);
      REQUIRE(result.size() == 1);
      const BlockNumber accept_by = result[0].accept_by;
      REQUIRE(accept_by == chain.best_number() + 10);

      THEN("blocks before accept_by leave it Submitted; block accept_by completes it in Initialization") {
        while (chain.best_number() + 1 < accept_by) {
          auto run = produce_ok(chain, {});
          CHECK(initialization_events(run.events).empty());
        }
        CHECK(task_queue::Tasks::get(chain.state(), 0)->status == task_queue::TaskStatus::Submitted);
        auto run = produce_ok(chain, {});
        CHECK(chain.best_number() == accept_by);
        const auto init = initialization_events(run.events);
        CHECK(std::count(init.begin(), init.end(), "TaskQueue.TaskCompleted") == 1);
        auto completed = events_of<task_queue::TaskCompleted>(run.events);
        REQUIRE(completed.size() == 1);
        CHECK(completed[0].auto_accepted);
        CHECK(completed[0].payout + completed[0].protocol_fee == bounty);
        CHECK(completed[0].protocol_fee == bounty / 100);
        CHECK(task_queue::Tasks::get(chain.state(), 0)->status == task_queue::TaskStatus::Completed);
        CHECK(chain.free("Bob") == bob_before + completed[0].payout);
        CHECK(credits::held(chain.state(), credits::HoldReason::ProviderStake, dev_account("Bob")) == stake);
        CHECK(credits::free_balance(chain.state(), credits::treasury_account()) ==
              treasury_before + completed[0].protocol_fee);
        CHECK(credits::held(chain.state(), credits::HoldReason::TaskEscrow, dev_account("Charlie")) == 0);
        CHECK(chain.total_issuance() == issuance);
      }
    }
    WHEN("Dave posts a task with a 2-block deadline that no one claims") {
      const Balance dave_before = chain.free("Dave");
      const Bytes post = chain.sign("Dave", tq(task_queue::PostTask{hash, {1}, {1000}, {bounty}, 2}));
      const Balance fee = comp::query_info(chain.state(), post).value().partial_fee;
      produce_ok(chain, {post});
      const BlockNumber deadline = chain.best_number() + 2;
      produce_ok(chain, {});
      auto run = produce_ok(chain, {});
      THEN("block `deadline` refunds it in Initialization, before any extrinsic") {
        CHECK(chain.best_number() == deadline);
        CHECK(initialization_events(run.events) ==
              std::vector<std::string>{"Credits.Released", "TaskQueue.TaskExpired"});
        CHECK(task_queue::Tasks::get(chain.state(), 0)->status == task_queue::TaskStatus::Expired);
        CHECK(chain.free("Dave") == dave_before - fee);
        CHECK(credits::reserved_balance(chain.state(), dev_account("Dave")) == 0);
        CHECK(chain.total_issuance() == issuance);
      }
    }
  }
}

SCENARIO("fees for an author without an account are burned, keeping the issuance consistent") {
  GIVEN("a chain whose authority Alice holds no credits") {
    auto genesis = test_genesis();
    auto& balances = genesis["credits"]["balances"];
    balances.erase(balances.begin());
    TestChain chain(genesis);
    REQUIRE(chain.free("Alice") == 0);
    const Balance issuance = chain.total_issuance();

    WHEN("Bob pays a fee below the existential deposit") {
      const Bytes xt = chain.sign("Bob", comp::make_call<system::Module>(system::Remark{{1}}));
      const Balance fee = comp::query_info(chain.state(), xt).value().partial_fee;
      REQUIRE(fee < credits::kExistentialDeposit);
      auto block = chain.produce_block({xt});
      REQUIRE(block.has_value());
      THEN("the fee leaves circulation with a Burned event and Alice still has no account") {
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        const std::vector<std::string> names = {"Credits.Withdraw", "Credits.Burned",
                                                "TransactionPayment.TransactionFeePaid", "System.ExtrinsicSuccess"};
        CHECK(event_names_of_extrinsic(block.value().events, 1) == names);
        CHECK_FALSE(system::Account::contains(chain.state(), dev_account("Alice")));
        CHECK(chain.total_issuance() == issuance - fee);
        require_issuance_invariant(chain.state());
      }
    }
    WHEN("Bob tips enough for the fee to reach the existential deposit") {
      const Bytes xt = chain.sign("Bob", comp::make_call<system::Module>(system::Remark{{1}}),
                                  {.tip = credits::kExistentialDeposit});
      const Balance fee = comp::query_info(chain.state(), xt).value().partial_fee + credits::kExistentialDeposit;
      auto block = chain.produce_block({xt});
      REQUIRE(block.has_value());
      THEN("Alice's account is created with the fee") {
        CHECK(chain.free("Alice") == fee);
        CHECK(events_of<credits::Deposit>(block.value().events, 1).size() == 1);
        CHECK(chain.total_issuance() == issuance);
        require_issuance_invariant(chain.state());
      }
    }
  }
}

}  // namespace
}  // namespace bazaar::test::composition
