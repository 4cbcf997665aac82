// TaskQueue: register_provider, update_provider, unregister_provider and the unbonding release.

#include "tests/modules/task_queue/fixture.hpp"

#include <limits>

using namespace bazaar::test;
using namespace bazaar::test::task_fixture;
using bazaar::runtime::framework::ArithmeticError;
namespace framework = bazaar::runtime::framework;

namespace {
task_queue::Capabilities caps(std::initializer_list<const char*> tags) {
  task_queue::Capabilities out;
  for (const char* t : tags) out.items.push_back({bazaar::runtime::to_bytes(t)});
  return out;
}
}  // namespace

SCENARIO("a provider registers with a stake, updates its offer and unregisters") {
  MockRuntime rt(genesis());
  WHEN("Bob registers with 20 CC stake at 2 CC per task") {
    REQUIRE(rt.dispatch<TQ>(signed_by(kBob),
                            task_queue::RegisterProvider{
                                {cc(20)}, {cc(2)}, caps({"wasm32-wasi"}), {bazaar::runtime::to_bytes("ws://bob")}}));
    THEN("the stake is held, the record stored, the account pinned, ProviderRegistered emitted") {
      auto p = provider(rt, kBob);
      CHECK(p.stake == cc(20));
      CHECK(p.price_per_task == cc(2));
      CHECK(p.capabilities == caps({"wasm32-wasi"}));
      CHECK(p.endpoint.items == bazaar::runtime::to_bytes("ws://bob"));
      CHECK(p.status == task_queue::ProviderStatus::Active);
      CHECK(p.registered_at == 1);
      CHECK(credits::held(rt.state(), credits::HoldReason::ProviderStake, kBob) == cc(20));
      CHECK(system::Account::get(rt.state(), kBob).consumers == 2);  // the hold and the registration
      CHECK(rt.last_event<TQ>() == tq_event(task_queue::ProviderRegistered{kBob, cc(20), cc(2), 1}));
      check_invariants(rt.state());
    }
    AND_WHEN("he registers again") {
      THEN("AlreadyRegistered") {
        assert_noop(
            rt, [&] { return register_provider(rt, kBob, cc(20), cc(1)); },
            tq_error(task_queue::Error::AlreadyRegistered));
      }
    }
    AND_WHEN("he updates price, capabilities and endpoint and tops up 5 CC") {
      REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::UpdateProvider{{cc(3)}, caps({"a", "b"}), {}, {{cc(5)}}}));
      THEN("the record and the hold follow, ProviderUpdated emitted") {
        auto p = provider(rt, kBob);
        CHECK(p.stake == cc(25));
        CHECK(p.price_per_task == cc(3));
        CHECK(p.capabilities == caps({"a", "b"}));
        CHECK(p.endpoint.items.empty());
        CHECK(rt.last_event<TQ>() == tq_event(task_queue::ProviderUpdated{kBob, cc(25), cc(3), 1}));
        check_invariants(rt.state());
      }
    }
    AND_WHEN("a top-up is more than he has") {
      THEN("the credits error") {
        assert_noop(
            rt,
            [&] {
              return rt.dispatch<TQ>(signed_by(kBob), task_queue::UpdateProvider{{cc(3)}, {}, {}, {{cc(80)}}});
            },
            credits_error(credits::Error::Expendability));
      }
    }
    AND_WHEN("he unregisters at block 2") {
      rt.run_to_block(2);
      REQUIRE(rt.dispatch<TQ>(signed_by(kBob), task_queue::UnregisterProvider{}));
      THEN("he is unbonding until block 6, still holding the stake") {
        CHECK(rt.last_event<TQ>() == tq_event(task_queue::ProviderUnbonding{kBob, cc(20), 6, 2}));
        CHECK(provider(rt, kBob).status == task_queue::ProviderStatus::Unbonding);
        CHECK(provider(rt, kBob).unbonding_until == 6);
        check_invariants(rt.state());
      }
      THEN("he can neither update, unregister again, nor register") {
        assert_noop(
            rt,
            [&] {
              return rt.dispatch<TQ>(signed_by(kBob), task_queue::UpdateProvider{{cc(3)}, {}, {}, {}});
            },
            tq_error(task_queue::Error::ProviderNotActive));
        assert_noop(
            rt, [&] { return rt.dispatch<TQ>(signed_by(kBob), task_queue::UnregisterProvider{}); },
            tq_error(task_queue::Error::ProviderNotActive));
        assert_noop(
            rt, [&] { return register_provider(rt, kBob, cc(20), cc(1)); },
            tq_error(task_queue::Error::AlreadyRegistered));
      }
      AND_WHEN("block 5 starts") {
        rt.run_to_block(5);
        THEN("the stake is still held") {
          CHECK(credits::held(rt.state(), credits::HoldReason::ProviderStake, kBob) == cc(20));
          CHECK(rt.events_of<TQ>().empty());
        }
      }
      AND_WHEN("block 6 starts") {
        rt.run_to_block(6);
        THEN("the stake is released, the record and the consumer references gone") {
          CHECK(rt.last_event<TQ>() == tq_event(task_queue::ProviderUnregistered{kBob, cc(20), 6}));
          CHECK_FALSE(task_queue::Providers::contains(rt.state(), kBob));
          CHECK(credits::free_balance(rt.state(), kBob) == cc(100));
          CHECK(system::Account::get(rt.state(), kBob).consumers == 0);
          CHECK_FALSE(task_queue::Unbonding::contains(rt.state(), 6, kBob));
          check_invariants(rt.state());
        }
      }
    }
  }
  WHEN("the stake is below the minimum, unaffordable, or the account does not exist") {
    THEN("StakeTooLow, the credits error, NoProviders") {
      assert_noop(
          rt, [&] { return register_provider(rt, kBob, cc(10) - 1, 0); }, tq_error(task_queue::Error::StakeTooLow));
      assert_noop(
          rt, [&] { return register_provider(rt, kDave, cc(10), 0); },
          credits_error(credits::Error::InsufficientBalance));
      assert_noop(
          rt, [&] { return register_provider(rt, kBob, cc(100), 0); }, credits_error(credits::Error::Expendability));
      auto free_stake = test_params();
      free_stake.minimum_stake = 0;
      MockRuntime zero(genesis(free_stake));
      assert_noop(
          zero, [&] { return register_provider(zero, kNobody, 0, 0); },
          DispatchError{framework::dispatch_error::NoProviders{}});
    }
  }
  WHEN("someone who is not a provider updates or unregisters") {
    THEN("NotRegistered") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<TQ>(signed_by(kAlice), task_queue::UpdateProvider{{0}, {}, {}, {}});
          },
          tq_error(task_queue::Error::NotRegistered));
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(signed_by(kAlice), task_queue::UnregisterProvider{}); },
          tq_error(task_queue::Error::NotRegistered));
    }
  }
  WHEN("the unbonding period is zero") {
    auto params = test_params();
    params.unbonding_period = 0;
    MockRuntime instant(genesis(params));
    REQUIRE(register_provider(instant, kBob, cc(20), 0));
    REQUIRE(instant.dispatch<TQ>(signed_by(kBob), task_queue::UnregisterProvider{}));
    THEN("the stake is released at once") {
      CHECK(instant.events_of<TQ>() == std::vector{tq_event(task_queue::ProviderRegistered{kBob, cc(20), 0, 1}),
                                                   tq_event(task_queue::ProviderUnbonding{kBob, cc(20), 1, 1}),
                                                   tq_event(task_queue::ProviderUnregistered{kBob, cc(20), 1})});
      CHECK(credits::free_balance(instant.state(), kBob) == cc(100));
      check_invariants(instant.state());
    }
  }
}
