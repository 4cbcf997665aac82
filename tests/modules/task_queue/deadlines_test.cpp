// TaskQueue: the automatic transitions of on_initialize: open tasks expiring,
// claims missing their deadline (slash, then re-open or refund), and a
// transition that fails being rolled back and reported.

#include "tests/modules/task_queue/fixture.hpp"

using namespace bazaar::test;
using namespace bazaar::test::task_fixture;
using task_queue::TaskStatus;

SCENARIO("an open task past its deadline is refunded") {
  Market m;
  auto& rt = m.rt;
  const Balance alice_free = credits::free_balance(rt.state(), kAlice);
  REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), post(m.program, cc(5), 4)));
  WHEN("block 4 starts") {
    rt.run_to_block(4);
    THEN("it is still open") { CHECK(task(rt, 0).status == TaskStatus::Open); }
  }
  WHEN("block 5 (the deadline) starts") {
    rt.run_to_block(5);
    THEN("the bounty is refunded and the task Expired, with TaskExpired") {
      CHECK(task(rt, 0).status == TaskStatus::Expired);
      CHECK(credits::free_balance(rt.state(), kAlice) == alice_free);
      CHECK(rt.last_event<TQ>() == tq_event(task_queue::TaskExpired{0, kAlice, cc(5), 5}));
      CHECK_FALSE(task_queue::DueTasks::contains(rt.state(), 5, 0));
      check_invariants(rt.state());
    }
    THEN("it can no longer be claimed or cancelled") {
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{0}); },
          tq_error(task_queue::Error::TaskNotOpen));
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kAlice), task_queue::CancelTask{0}); },
          tq_error(task_queue::Error::TaskNotOpen));
    }
  }
}

SCENARIO("a claim that misses its deadline is slashed and the task re-opened") {
  Market m;
  auto& rt = m.rt;
  REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), post(m.program, cc(5), 10)));  // deadline 11
  REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{0}));      // expires at 4
  const Balance treasury_free = credits::free_balance(rt.state(), kTreasury);
  WHEN("block 4 starts without a result") {
    rt.run_to_block(4);
    THEN("10% of Bob's stake goes to the treasury and the task is open again until block 11") {
      CHECK(provider(rt, kBob).stake == cc(18));
      CHECK(credits::held(rt.state(), credits::HoldReason::ProviderStake, kBob) == cc(18));
      CHECK(credits::free_balance(rt.state(), kTreasury) == treasury_free + cc(2));
      CHECK(provider(rt, kBob).stats == task_queue::ProviderStats{0, 0, 1, 0});
      auto t = task(rt, 0);
      CHECK(t.status == TaskStatus::Open);
      CHECK_FALSE(t.provider);
      CHECK(t.reopened == 1);
      CHECK(t.due_at == 11);
      CHECK(rt.events_of<TQ>() == std::vector{tq_event(task_queue::ClaimExpired{0, kBob, cc(2), 4}),
                                              tq_event(task_queue::TaskReopened{0, 11, 4})});
      CHECK(rt.last_event<credits::Module>() == event_string<credits::Module>(credits::Slashed{
                                                    kBob, cc(2), credits::HoldReason::ProviderStake, kTreasury}));
      check_invariants(rt.state());
    }
    THEN("Bob's late result is refused and Charlie can claim it") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{0, {}, {}, {1}});
          },
          tq_error(task_queue::Error::TaskNotClaimed));
      REQUIRE(rt.dispatch<TQ>(signed_by(kCharlie), task_queue::ClaimTask{0}));
      CHECK(task(rt, 0).due_at == 7);
      check_invariants(rt.state());
    }
    THEN("Bob, with nothing in flight, may unregister") {
      CHECK(rt.dispatch<TQ>(signed_by(kBob), task_queue::UnregisterProvider{}));
    }
  }
  WHEN("the result arrives in the last block of the claim") {
    rt.run_to_block(3);
    REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{0, {}, {}, {1}}));
    rt.run_to_block(4);
    THEN("nothing is slashed") {
      CHECK(provider(rt, kBob).stake == cc(20));
      CHECK(task(rt, 0).status == TaskStatus::Submitted);
      CHECK(rt.events_of<TQ>().empty());
      check_invariants(rt.state());
    }
  }
}

SCENARIO("a claim that misses the task's own deadline is slashed and the bounty refunded") {
  Market m;
  auto& rt = m.rt;
  const Balance alice_free = credits::free_balance(rt.state(), kAlice);
  REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), post(m.program, cc(5), 2)));  // deadline 3
  REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{0}));
  THEN("the claim expires with the task, before the claim timeout") { CHECK(task(rt, 0).due_at == 3); }
  WHEN("block 3 starts without a result") {
    rt.run_to_block(3);
    THEN("Bob is slashed and Alice refunded: ClaimExpired then TaskExpired") {
      CHECK(task(rt, 0).status == TaskStatus::Expired);
      CHECK(credits::free_balance(rt.state(), kAlice) == alice_free);
      CHECK(provider(rt, kBob).stake == cc(18));
      CHECK(rt.events_of<TQ>() == std::vector{tq_event(task_queue::ClaimExpired{0, kBob, cc(2), 3}),
                                              tq_event(task_queue::TaskExpired{0, kAlice, cc(5), 3})});
      check_invariants(rt.state());
    }
  }
}

SCENARIO("many tasks due in the same block are all processed") {
  Market m;
  auto& rt = m.rt;
  for (int i = 0; i < 5; ++i) REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), post(m.program, cc(1), 3)));
  REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{1}));
  REQUIRE(rt.dispatch<TQ>(signed_by(kCharlie), task_queue::ClaimTask{3}));
  REQUIRE(rt.dispatch<TQ>(signed_by(kCharlie), task_queue::SubmitResult{3, {}, {}, {5}}));
  rt.run_to_block(4);
  THEN("open and missed tasks expired, the submitted one waits for acceptance") {
    for (TaskId id : {0, 1, 2, 4}) CHECK(task(rt, id).status == TaskStatus::Expired);
    CHECK(task(rt, 3).status == TaskStatus::Submitted);
    CHECK(rt.events_of<TQ>().size() == 5);  // 4 TaskExpired + 1 ClaimExpired
    check_invariants(rt.state());
  }
}

SCENARIO("a failing automatic transition is rolled back and reported") {
  Market m;
  auto& rt = m.rt;
  REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), post(m.program, cc(5), 10)));
  REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{0}));
  REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{0, {}, {}, {5}}));  // auto-accept at 6
  GIVEN("the treasury account has vanished (a broken invariant)") {
    system::Account::remove(rt.state(), kTreasury);
    WHEN("the acceptance window ends") {
      rt.run_to_block(6);
      THEN("the payout is undone, the task keeps its state, TransitionFailed names the error") {
        CHECK(rt.last_event<TQ>() ==
              tq_event(task_queue::TransitionFailed{0, credits_error(credits::Error::DeadAccount), 6}));
        CHECK(task(rt, 0).status == TaskStatus::Submitted);
        CHECK(credits::held(rt.state(), credits::HoldReason::TaskEscrow, kAlice) == cc(5));
        CHECK(credits::free_balance(rt.state(), kBob) == cc(80));  // 100 CC minus the 20 CC stake
        CHECK(rt.events_of<credits::Module>().empty());
      }
    }
  }
}
