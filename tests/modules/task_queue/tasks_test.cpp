// TaskQueue: post_task, cancel_task, claim_task, submit_result, accept_result and their errors.

#include "tests/modules/task_queue/fixture.hpp"

#include <limits>

using namespace bazaar::test;
using namespace bazaar::test::task_fixture;
using bazaar::runtime::crypto::blake2b_256;
using bazaar::runtime::framework::ArithmeticError;
using task_queue::Error;
using task_queue::TaskStatus;

SCENARIO("a requester posts a task and may cancel it while it is open") {
  Market m;
  auto& rt = m.rt;
  const Balance alice_free = credits::free_balance(rt.state(), kAlice);
  WHEN("Alice posts a task with a 5 CC bounty and a 10-block deadline") {
    REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), post(m.program, cc(5), 10)));
    THEN("the bounty is held and the task is open, indexed and due at its deadline") {
      CHECK(credits::held(rt.state(), credits::HoldReason::TaskEscrow, kAlice) == cc(5));
      CHECK(credits::free_balance(rt.state(), kAlice) == alice_free - cc(5));
      auto t = task(rt, 0);
      CHECK(t.requester == kAlice);
      CHECK(t.program == m.program);
      CHECK(t.input_hash == blake2b_256(bazaar::runtime::to_bytes("input")));
      CHECK(t.status == TaskStatus::Open);
      CHECK(t.deadline == 11);
      CHECK(t.due_at == 11);
      CHECK(task_queue::TaskInputs::get(rt.state(), 0) == std::optional(bazaar::runtime::to_bytes("input")));
      CHECK(task_queue::OpenTasks::get(rt.state(), 0) == std::optional(cc(5)));
      CHECK(task_queue::RequesterTasks::get(rt.state(), kAlice, 0) == std::optional<uint32_t>(1));
      CHECK(task_queue::NextTaskId::get(rt.state()) == 1);
      CHECK(rt.last_event<TQ>() == tq_event(task_queue::TaskPosted{0, kAlice, m.program, cc(5), 1000, 5, 11, 1}));
      check_invariants(rt.state());
    }
    AND_WHEN("she cancels it") {
      REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), task_queue::CancelTask{0}));
      THEN("the bounty is refunded and the task is Cancelled, unindexed") {
        CHECK(credits::free_balance(rt.state(), kAlice) == alice_free);
        CHECK(task(rt, 0).status == TaskStatus::Cancelled);
        CHECK_FALSE(task_queue::OpenTasks::contains(rt.state(), 0));
        CHECK_FALSE(task_queue::TaskInputs::contains(rt.state(), 0));
        CHECK(rt.last_event<TQ>() == tq_event(task_queue::TaskCancelled{0, kAlice, cc(5), 1}));
        check_invariants(rt.state());
      }
      THEN("it cannot be cancelled twice, nor claimed") {
        assert_noop(
            rt, [&] { return rt.dispatch<TQ>(signed_by(kAlice), task_queue::CancelTask{0}); },
            tq_error(Error::TaskNotOpen));
        assert_noop(
            rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{0}); },
            tq_error(Error::TaskNotOpen));
      }
    }
    AND_WHEN("someone else cancels it, or a missing task") {
      THEN("NotRequester, TaskNotFound") {
        assert_noop(
            rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::CancelTask{0}); },
            tq_error(Error::NotRequester));
        assert_noop(
            rt, [&] { return rt.dispatch<TQ>(signed_by(kAlice), task_queue::CancelTask{7}); },
            tq_error(Error::TaskNotFound));
      }
    }
  }
  WHEN("a post is invalid") {
    THEN("each check has its named error and changes nothing") {
      auto rejects = [&](task_queue::PostTask call, const DispatchError& e) {
        assert_noop(
            rt, [&] { return rt.dispatch<TQ>(signed_by(kAlice), call); }, e);
      };
      rejects(post(blake2b_256(bazaar::runtime::to_bytes("nope")), cc(5), 10), tq_error(Error::ProgramNotFound));
      rejects(post(m.program, cc(5), 10, Bytes(65, 1)), tq_error(Error::InputTooLarge));
      rejects(post(m.program, cc(5), 10, {}, 0), tq_error(Error::InvalidFuelLimit));
      rejects(post(m.program, cc(5), 10, {}, 1'000'001), tq_error(Error::InvalidFuelLimit));
      rejects(post(m.program, 0, 10), tq_error(Error::ZeroBounty));
      rejects(post(m.program, cc(5), 0), tq_error(Error::InvalidDeadline));
      rejects(post(m.program, cc(5), std::numeric_limits<uint32_t>::max()), tq_error(Error::InvalidDeadline));
      rejects(post(m.program, cc(2000), 10), credits_error(credits::Error::InsufficientBalance));
      CHECK(rt.dispatch<TQ>(signed_by(kAlice), post(m.program, cc(5), 10, Bytes(64, 1), 1'000'000)));
    }
  }
  WHEN("the task ids are exhausted") {
    task_queue::NextTaskId::put(rt.state(), std::numeric_limits<TaskId>::max());
    THEN("Arithmetic::Overflow") {
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kAlice), post(m.program, cc(5), 10)); },
          DispatchError::arithmetic(ArithmeticError::Overflow));
    }
  }
  THEN("post_task's weight grows with the input") {
    CHECK(post(m.program, 1, 1, Bytes(1000)).weight().ref_time > post(m.program, 1, 1, Bytes(1)).weight().ref_time);
  }
}

SCENARIO("a provider claims a task, submits a result and the requester accepts it") {
  Market m;
  auto& rt = m.rt;
  REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), post(m.program, cc(5), 10)));
  const Balance bob_free = credits::free_balance(rt.state(), kBob);
  const Balance treasury_free = credits::free_balance(rt.state(), kTreasury);
  rt.run_to_block(2);
  WHEN("Bob claims it at block 2") {
    REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{0}));
    THEN("it is Claimed, due at block 5 (claim timeout 3), and in flight for Bob") {
      auto t = task(rt, 0);
      CHECK(t.status == TaskStatus::Claimed);
      CHECK(t.provider == kBob);
      CHECK(t.claimed_at == 2);
      CHECK(t.due_at == 5);
      CHECK(provider(rt, kBob).stats.in_flight == 1);
      CHECK(task_queue::ProviderTasks::contains(rt.state(), kBob, 0));
      CHECK(rt.last_event<TQ>() == tq_event(task_queue::TaskClaimed{0, kBob, kAlice, cc(5), 5, 2}));
      check_invariants(rt.state());
    }
    THEN("nobody else can claim it, Alice cannot cancel it, Bob cannot unregister") {
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kCharlie), task_queue::ClaimTask{0}); },
          tq_error(Error::TaskNotOpen));
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kAlice), task_queue::CancelTask{0}); },
          tq_error(Error::TaskNotOpen));
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::UnregisterProvider{}); },
          tq_error(Error::TasksInFlight));
    }
    AND_WHEN("Bob submits an Ok result at block 3") {
      rt.run_to_block(3);
      const Bytes output = bazaar::runtime::to_bytes("output");
      REQUIRE(
          rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{0, task_queue::ResultStatus::Ok, output, {700}}));
      THEN("the result is recorded with the output's hash; acceptance is due at block 8") {
        auto t = task(rt, 0);
        CHECK(t.status == TaskStatus::Submitted);
        REQUIRE(t.result);
        CHECK(t.result->output_hash == blake2b_256(output));
        CHECK(t.result->output_size == output.size());
        CHECK(t.result->fuel_used == 700);
        CHECK(t.due_at == 8);
        CHECK(task_queue::TaskOutputs::get(rt.state(), 0) == std::optional(output));
        CHECK(rt.last_event<TQ>() == tq_event(task_queue::ResultSubmitted{0, kBob, kAlice, task_queue::ResultStatus::Ok,
                                                                          blake2b_256(output), 700, 8, 3}));
        check_invariants(rt.state());
      }
      THEN("Bob still cannot unregister, and cannot submit twice") {
        assert_noop(
            rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::UnregisterProvider{}); },
            tq_error(Error::TasksInFlight));
        assert_noop(
            rt,
            [&] {
              return rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{0, {}, {}, {1}});
            },
            tq_error(Error::TaskNotClaimed));
      }
      AND_WHEN("Alice accepts at block 4") {
        rt.run_to_block(4);
        REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), task_queue::AcceptResult{0}));
        THEN("Bob gets 99% of the bounty, the treasury 1%, Bob's stake stays") {
          CHECK(credits::free_balance(rt.state(), kBob) == bob_free + cc(5) - cc(5) / 100);
          CHECK(credits::free_balance(rt.state(), kTreasury) == treasury_free + cc(5) / 100);
          CHECK(credits::held(rt.state(), credits::HoldReason::TaskEscrow, kAlice) == 0);
          CHECK(provider(rt, kBob).stake == cc(20));
          CHECK(provider(rt, kBob).stats == task_queue::ProviderStats{1, 0, 0, 0});
          auto t = task(rt, 0);
          CHECK(t.status == TaskStatus::Completed);
          CHECK(t.due_at == 0);
          CHECK_FALSE(task_queue::TaskInputs::contains(rt.state(), 0));
          CHECK(task_queue::TaskOutputs::contains(rt.state(), 0));
          CHECK(rt.last_event<TQ>() ==
                tq_event(task_queue::TaskCompleted{0, kAlice, kBob, cc(5) - cc(5) / 100, cc(5) / 100, false, 4}));
          check_invariants(rt.state());
        }
        THEN("it cannot be accepted twice") {
          assert_noop(
              rt, [&] { return rt.dispatch<TQ>(signed_by(kAlice), task_queue::AcceptResult{0}); },
              tq_error(Error::ResultNotSubmitted));
        }
        AND_WHEN("the acceptance window would have ended") {
          rt.run_to_block(8);
          THEN("nothing more happens") {
            CHECK(rt.events_of<TQ>().empty());
            check_invariants(rt.state());
          }
        }
      }
      AND_WHEN("someone else accepts") {
        THEN("NotRequester") {
          assert_noop(
              rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::AcceptResult{0}); },
              tq_error(Error::NotRequester));
        }
      }
      AND_WHEN("Alice stays silent until block 8") {
        rt.run_to_block(7);
        CHECK(task(rt, 0).status == TaskStatus::Submitted);
        rt.run_to_block(8);
        THEN("the result is accepted automatically") {
          CHECK(task(rt, 0).status == TaskStatus::Completed);
          CHECK(rt.last_event<TQ>() ==
                tq_event(task_queue::TaskCompleted{0, kAlice, kBob, cc(5) - cc(5) / 100, cc(5) / 100, true, 8}));
          CHECK(provider(rt, kBob).stats.completed == 1);
          check_invariants(rt.state());
        }
      }
    }
    AND_WHEN("Bob submits a trapped run and Alice accepts") {
      REQUIRE(
          rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{0, task_queue::ResultStatus::Trapped, {}, {1000}}));
      REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), task_queue::AcceptResult{0}));
      THEN("Bob is paid and the run counts as failed") {
        CHECK(provider(rt, kBob).stats == task_queue::ProviderStats{0, 1, 0, 0});
        check_invariants(rt.state());
      }
    }
    AND_WHEN("a submission is invalid") {
      THEN("NotClaimant, OutputTooLarge, FuelUsedExceedsLimit, TaskNotFound") {
        assert_noop(
            rt,
            [&] {
              return rt.dispatch<TQ>(signed_by(kCharlie), task_queue::SubmitResult{0, {}, {}, {1}});
            },
            tq_error(Error::NotClaimant));
        assert_noop(
            rt,
            [&] {
              return rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{0, {}, Bytes(65), {1}});
            },
            tq_error(Error::OutputTooLarge));
        assert_noop(
            rt,
            [&] {
              return rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{0, {}, {}, {1001}});
            },
            tq_error(Error::FuelUsedExceedsLimit));
        assert_noop(
            rt,
            [&] {
              return rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{9, {}, {}, {1}});
            },
            tq_error(Error::TaskNotFound));
        CHECK(rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{0, {}, Bytes(64), {1000}}));
      }
    }
  }
  WHEN("results are submitted or accepted for an open task") {
    THEN("TaskNotClaimed and ResultNotSubmitted") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<TQ>(signed_by(kBob), task_queue::SubmitResult{0, {}, {}, {1}});
          },
          tq_error(Error::TaskNotClaimed));
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kAlice), task_queue::AcceptResult{0}); },
          tq_error(Error::ResultNotSubmitted));
    }
  }
}

SCENARIO("only an eligible provider can claim") {
  Market m;
  auto& rt = m.rt;
  REQUIRE(rt.dispatch<TQ>(signed_by(kAlice), post(m.program, cc(5), 10)));
  WHEN("the claimer is not a provider, unbonding, or the task is missing") {
    THEN("NotRegistered, ProviderNotActive, TaskNotFound") {
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kDave), task_queue::ClaimTask{0}); },
          tq_error(Error::NotRegistered));
      REQUIRE(rt.dispatch<TQ>(signed_by(kCharlie), task_queue::UnregisterProvider{}));
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kCharlie), task_queue::ClaimTask{0}); },
          tq_error(Error::ProviderNotActive));
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{3}); },
          tq_error(Error::TaskNotFound));
    }
  }
  WHEN("the provider asks more than the bounty") {
    REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::UpdateProvider{{cc(6)}, {}, {}, {}}));
    THEN("PriceAboveBounty") {
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{0}); },
          tq_error(Error::PriceAboveBounty));
    }
  }
  WHEN("the provider's stake fell below the minimum") {
    auto params = task_queue::params(rt.state());
    params.minimum_stake = cc(21);
    task_queue::ParamsItem::put(rt.state(), params);
    THEN("StakeTooLow until it tops up") {
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{0}); }, tq_error(Error::StakeTooLow));
      REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::UpdateProvider{{cc(1)}, {}, {}, {{cc(1)}}}));
      CHECK(rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{0}));
    }
  }
  WHEN("a provider posts a task and tries to claim it") {
    REQUIRE(rt.dispatch<TQ>(signed_by(kBob), post(m.program, cc(5), 10)));
    THEN("OwnTask") {
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::ClaimTask{1}); }, tq_error(Error::OwnTask));
    }
  }
}
