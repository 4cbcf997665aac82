// Credits: the API other modules and the executive use: holds, release,
// transfer on hold, slashing, mint and burn, transaction fees.

#include "tests/modules/credits/fixture.hpp"

#include <limits>

using namespace bazaar::test;
using namespace bazaar::test::credits_fixture;
using bazaar::runtime::framework::ArithmeticError;
using credits::HoldReason;

namespace {
using CM = credits::Module;
std::string credits_event(const credits::Event& e) { return event_string<CM>(e); }
DispatchError error(credits::Error e) { return module_error<CM>(e); }
}  // namespace

SCENARIO("hold and release move funds between free and reserved") {
  MockRuntime rt(genesis());
  WHEN("Bob holds 30 CC as stake") {
    REQUIRE(credits::hold(rt.ctx(), HoldReason::ProviderStake, kBob, cc(30)));
    THEN("30 CC are reserved under that reason and the account gets a consumer") {
      CHECK(credits::free_balance(rt.state(), kBob) == cc(70));
      CHECK(credits::held(rt.state(), HoldReason::ProviderStake, kBob) == cc(30));
      CHECK(credits::held(rt.state(), HoldReason::TaskEscrow, kBob) == 0);
      CHECK(system::Account::get(rt.state(), kBob).consumers == 1);
      CHECK(rt.last_event<CM>() == credits_event(credits::Held{HoldReason::ProviderStake, kBob, cc(30)}));
      check_credits_invariants(rt.state());
    }
    AND_WHEN("he holds more for another reason and releases everything") {
      REQUIRE(credits::hold(rt.ctx(), HoldReason::TaskEscrow, kBob, cc(5)));
      REQUIRE(credits::release(rt.ctx(), HoldReason::ProviderStake, kBob, cc(30)));
      REQUIRE(credits::release(rt.ctx(), HoldReason::TaskEscrow, kBob, cc(5)));
      THEN("the holds are gone, the consumer dropped and Released emitted") {
        CHECK(credits::free_balance(rt.state(), kBob) == cc(100));
        CHECK_FALSE(credits::HoldsOf::contains(rt.state(), kBob));
        CHECK(system::Account::get(rt.state(), kBob).consumers == 0);
        CHECK(rt.last_event<CM>() == credits_event(credits::Released{HoldReason::TaskEscrow, kBob, cc(5)}));
        check_credits_invariants(rt.state());
      }
    }
    AND_WHEN("he releases more than is held") {
      THEN("InsufficientHeld") {
        assert_noop(
            rt, [&] { return credits::release(rt.ctx(), HoldReason::ProviderStake, kBob, cc(31)); },
            error(credits::Error::InsufficientHeld));
        assert_noop(
            rt, [&] { return credits::release(rt.ctx(), HoldReason::ProgramDeposit, kBob, 1); },
            error(credits::Error::InsufficientHeld));
      }
    }
  }
  WHEN("a hold asks for too much") {
    THEN("more than free is InsufficientBalance; leaving less than the ED free is Expendability") {
      assert_noop(
          rt, [&] { return credits::hold(rt.ctx(), HoldReason::TaskEscrow, kBob, cc(101)); },
          error(credits::Error::InsufficientBalance));
      assert_noop(
          rt, [&] { return credits::hold(rt.ctx(), HoldReason::TaskEscrow, kBob, cc(100) - kEd + 1); },
          error(credits::Error::Expendability));
      assert_noop(
          rt, [&] { return credits::hold(rt.ctx(), HoldReason::TaskEscrow, kCharlie, cc(1)); },
          error(credits::Error::InsufficientBalance));
      CHECK(credits::hold(rt.ctx(), HoldReason::TaskEscrow, kBob, cc(100) - kEd));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("part of the balance is frozen") {
    system::Account::mutate(rt.state(), kBob, [](system::AccountInfo& a) { a.data.frozen = cc(90); });
    THEN("holding into it is LiquidityRestrictions") {
      assert_noop(
          rt, [&] { return credits::hold(rt.ctx(), HoldReason::TaskEscrow, kBob, cc(11)); },
          error(credits::Error::LiquidityRestrictions));
    }
  }
  WHEN("the account already has MaxHolds distinct holds") {
    // Only reachable once more hold reasons exist than MaxHolds; the state is written directly.
    credits::Holds full;
    for (uint32_t i = 0; i < credits::kMaxHolds; ++i) full.items.push_back({HoldReason::TaskEscrow, 1});
    credits::HoldsOf::put(rt.state(), kBob, full);
    THEN("a hold for a new reason is TooManyHolds") {
      assert_noop(
          rt, [&] { return credits::hold(rt.ctx(), HoldReason::ProgramDeposit, kBob, cc(1)); },
          error(credits::Error::TooManyHolds));
    }
  }
}

SCENARIO("held funds are paid out with transfer_on_hold and slash_held") {
  MockRuntime rt(genesis());
  REQUIRE(credits::hold(rt.ctx(), HoldReason::TaskEscrow, kAlice, cc(50)));
  WHEN("20 CC of Alice's escrow are paid to Bob") {
    REQUIRE(credits::transfer_on_hold(rt.ctx(), HoldReason::TaskEscrow, kAlice, kBob, cc(20)));
    THEN("Bob's free balance grows and TransferOnHold is emitted") {
      CHECK(credits::held(rt.state(), HoldReason::TaskEscrow, kAlice) == cc(30));
      CHECK(credits::free_balance(rt.state(), kBob) == cc(120));
      CHECK(rt.last_event<CM>() ==
            credits_event(credits::TransferOnHold{HoldReason::TaskEscrow, kAlice, kBob, cc(20)}));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("the escrow is paid to Alice herself") {
    REQUIRE(credits::transfer_on_hold(rt.ctx(), HoldReason::TaskEscrow, kAlice, kAlice, cc(50)));
    THEN("it is a release") {
      CHECK(credits::free_balance(rt.state(), kAlice) == cc(1000));
      CHECK(rt.last_event<CM>() == credits_event(credits::Released{HoldReason::TaskEscrow, kAlice, cc(50)}));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("more than held, or to an account that does not exist") {
    THEN("InsufficientHeld and DeadAccount") {
      assert_noop(
          rt, [&] { return credits::transfer_on_hold(rt.ctx(), HoldReason::TaskEscrow, kAlice, kBob, cc(51)); },
          error(credits::Error::InsufficientHeld));
      assert_noop(
          rt, [&] { return credits::transfer_on_hold(rt.ctx(), HoldReason::TaskEscrow, kAlice, kCharlie, cc(1)); },
          error(credits::Error::DeadAccount));
    }
  }
  WHEN("up to 80 CC are slashed to the treasury, then 10 more") {
    auto first = credits::slash_held(rt.ctx(), HoldReason::TaskEscrow, kAlice, cc(80), credits::treasury_account());
    THEN("only the 50 held are taken, then nothing") {
      REQUIRE(first);
      CHECK(first.value() == cc(50));
      CHECK(credits::free_balance(rt.state(), credits::treasury_account()) == kEd + cc(50));
      CHECK(rt.last_event<CM>() ==
            credits_event(credits::Slashed{kAlice, cc(50), HoldReason::TaskEscrow, credits::treasury_account()}));
      auto second = credits::slash_held(rt.ctx(), HoldReason::TaskEscrow, kAlice, cc(10), credits::treasury_account());
      REQUIRE(second);
      CHECK(second.value() == 0);
      check_credits_invariants(rt.state());
    }
  }
  WHEN("a slash is paid to an account that does not exist") {
    THEN("DeadAccount") {
      assert_noop(
          rt,
          [&]() -> DispatchResult {
            auto r = credits::slash_held(rt.ctx(), HoldReason::TaskEscrow, kAlice, cc(1), kCharlie);
            if (!r) return r.error();
            return bazaar::outcome::success();
          },
          error(credits::Error::DeadAccount));
    }
  }
}

SCENARIO("mint and burn are the explicit issuance changes") {
  MockRuntime rt(genesis());
  const Balance issuance = credits::total_issuance(rt.state());
  WHEN("5 CC are minted to Charlie and 3 CC burned from Bob") {
    REQUIRE(credits::mint(rt.ctx(), kCharlie, cc(5)));
    REQUIRE(credits::burn(rt.ctx(), kBob, cc(3)));
    THEN("the issuance moves by exactly that, with Minted and Burned") {
      CHECK(credits::total_issuance(rt.state()) == issuance + cc(5) - cc(3));
      CHECK(rt.events_of<CM>() == std::vector{credits_event(credits::Endowed{kCharlie, cc(5)}),
                                              credits_event(credits::Minted{kCharlie, cc(5)}),
                                              credits_event(credits::Burned{kBob, cc(3)})});
      check_credits_invariants(rt.state());
    }
  }
  WHEN("a mint is below the ED for a new account or overflows, a burn too large or reaping") {
    THEN("ExistentialDeposit, Overflow, InsufficientBalance, Expendability") {
      assert_noop(
          rt, [&] { return credits::mint(rt.ctx(), kCharlie, kEd - 1); }, error(credits::Error::ExistentialDeposit));
      assert_noop(
          rt, [&] { return credits::mint(rt.ctx(), kBob, std::numeric_limits<Balance>::max()); },
          DispatchError::arithmetic(ArithmeticError::Overflow));
      assert_noop(
          rt, [&] { return credits::burn(rt.ctx(), kBob, cc(101)); }, error(credits::Error::InsufficientBalance));
      assert_noop(
          rt, [&] { return credits::burn(rt.ctx(), kBob, cc(100)); }, error(credits::Error::Expendability));
    }
  }
}

SCENARIO("transaction fees are withdrawn keep-alive and paid to the author") {
  MockRuntime rt(genesis());
  const Balance issuance = credits::total_issuance(rt.state());
  WHEN("Bob pays a 1 CC fee that goes to Alice") {
    REQUIRE(credits::can_withdraw_fee(rt.state(), kBob, cc(1)));
    REQUIRE(credits::withdraw_fee(rt.ctx(), kBob, cc(1)));
    THEN("between the two steps the fee is out of circulation") {
      CHECK(credits::total_issuance(rt.state()) == issuance - cc(1));
      check_credits_invariants(rt.state());
    }
    credits::deposit_fee(rt.ctx(), kAlice, cc(1));
    THEN("afterwards the issuance is unchanged and Withdraw, Deposit were emitted") {
      CHECK(credits::total_issuance(rt.state()) == issuance);
      CHECK(credits::free_balance(rt.state(), kAlice) == cc(1001));
      CHECK(rt.events_of<CM>() ==
            std::vector{credits_event(credits::Withdraw{kBob, cc(1)}), credits_event(credits::Deposit{kAlice, cc(1)})});
      check_credits_invariants(rt.state());
    }
  }
  WHEN("the fee would reap Bob or exceeds his balance") {
    THEN("the fee cannot be withdrawn") {
      CHECK_FALSE(credits::can_withdraw_fee(rt.state(), kBob, cc(100)));
      CHECK_FALSE(credits::can_withdraw_fee(rt.state(), kBob, cc(200)));
      CHECK_FALSE(credits::can_withdraw_fee(rt.state(), kCharlie, 1));
      CHECK(credits::can_withdraw_fee(rt.state(), kCharlie, 0));
      assert_noop(
          rt, [&] { return credits::withdraw_fee(rt.ctx(), kBob, cc(100)); }, error(credits::Error::Expendability));
      assert_noop(
          rt, [&] { return credits::withdraw_fee(rt.ctx(), kBob, cc(200)); },
          error(credits::Error::InsufficientBalance));
    }
  }
  WHEN("the author does not exist") {
    REQUIRE(credits::withdraw_fee(rt.ctx(), kBob, cc(2)));
    credits::deposit_fee(rt.ctx(), kCharlie, kEd - 1);
    credits::deposit_fee(rt.ctx(), kCharlie, cc(2) - (kEd - 1));
    THEN("a fee below the ED is burned; one above creates the account") {
      CHECK(credits::total_issuance(rt.state()) == issuance - (kEd - 1));
      CHECK(credits::free_balance(rt.state(), kCharlie) == cc(2) - (kEd - 1));
      CHECK(rt.events_of<CM>() == std::vector{credits_event(credits::Withdraw{kBob, cc(2)}),
                                              credits_event(credits::Burned{kCharlie, kEd - 1}),
                                              credits_event(credits::Endowed{kCharlie, cc(2) - (kEd - 1)}),
                                              credits_event(credits::Deposit{kCharlie, cc(2) - (kEd - 1)})});
      check_credits_invariants(rt.state());
    }
  }
}
