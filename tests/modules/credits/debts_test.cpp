// Credits: the IOU ledger (record_debt, settle_debt, net positions).

#include "tests/modules/credits/fixture.hpp"

#include <limits>

using namespace bazaar::test;
using namespace bazaar::test::credits_fixture;
using bazaar::runtime::framework::ArithmeticError;

namespace {
using CM = credits::Module;
std::string credits_event(const credits::Event& e) { return event_string<CM>(e); }
DispatchError error(credits::Error e) { return module_error<CM>(e); }
}  // namespace

SCENARIO("an account records debts and settles them") {
  MockRuntime rt(genesis());
  WHEN("Bob records owing Alice 30 CC, then 20 CC more") {
    REQUIRE(rt.dispatch<CM>(signed_by(kBob), credits::RecordDebt{id(kAlice), {cc(30)}}));
    REQUIRE(rt.dispatch<CM>(signed_by(kBob), credits::RecordDebt{id(kAlice), {cc(20)}}));
    THEN("the debt and both net positions add up, and no money moved") {
      CHECK(credits::Debts::get(rt.state(), kBob, kAlice) == std::optional(cc(50)));
      CHECK(credits::NetPositions::get(rt.state(), kBob) == credits::NetPosition{cc(50), 0});
      CHECK(credits::NetPositions::get(rt.state(), kAlice) == credits::NetPosition{0, cc(50)});
      CHECK(credits::free_balance(rt.state(), kBob) == cc(100));
      CHECK(rt.last_event<CM>() == credits_event(credits::DebtRecorded{kBob, kAlice, cc(20), cc(50)}));
      check_credits_invariants(rt.state());
    }
    AND_WHEN("Bob settles 15 CC") {
      REQUIRE(rt.dispatch<CM>(signed_by(kBob), credits::SettleDebt{id(kAlice), {cc(15)}}));
      THEN("15 CC moved, the debt is 35 CC: Transfer then DebtSettled") {
        CHECK(credits::free_balance(rt.state(), kBob) == cc(85));
        CHECK(credits::free_balance(rt.state(), kAlice) == cc(1015));
        CHECK(credits::Debts::get(rt.state(), kBob, kAlice) == std::optional(cc(35)));
        CHECK(credits::NetPositions::get(rt.state(), kAlice) == credits::NetPosition{0, cc(35)});
        CHECK(rt.events_of<CM>().back() == credits_event(credits::DebtSettled{kBob, kAlice, cc(15), cc(35)}));
        CHECK(rt.events_of<CM>().end()[-2] == credits_event(credits::Transfer{kBob, kAlice, cc(15)}));
        check_credits_invariants(rt.state());
      }
      AND_WHEN("he settles the remaining 35 CC") {
        REQUIRE(rt.dispatch<CM>(signed_by(kBob), credits::SettleDebt{id(kAlice), {cc(35)}}));
        THEN("the debt and the net positions are removed") {
          CHECK_FALSE(credits::Debts::contains(rt.state(), kBob, kAlice));
          CHECK_FALSE(credits::NetPositions::contains(rt.state(), kBob));
          CHECK_FALSE(credits::NetPositions::contains(rt.state(), kAlice));
          check_credits_invariants(rt.state());
        }
      }
    }
    AND_WHEN("Bob tries to settle more than he owes") {
      THEN("SettleExceedsDebt, nothing changed") {
        assert_noop(
            rt,
            [&] {
              return rt.dispatch<CM>(signed_by(kBob), credits::SettleDebt{id(kAlice), {cc(51)}});
            },
            error(credits::Error::SettleExceedsDebt));
      }
    }
  }
  WHEN("there is no debt, or a zero amount, or a debt to oneself") {
    THEN("DebtNotFound, ZeroAmount, SelfDebt") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::SettleDebt{id(kAlice), {cc(1)}});
          },
          error(credits::Error::DebtNotFound));
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::RecordDebt{id(kAlice), {0}});
          },
          error(credits::Error::ZeroAmount));
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::SettleDebt{id(kAlice), {0}});
          },
          error(credits::Error::ZeroAmount));
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::RecordDebt{id(kBob), {cc(1)}});
          },
          error(credits::Error::SelfDebt));
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(Origin::root(), credits::RecordDebt{id(kBob), {cc(1)}});
          },
          DispatchError::bad_origin());
    }
  }
  WHEN("the debtor cannot pay the settlement") {
    REQUIRE(rt.dispatch<CM>(signed_by(kBob), credits::RecordDebt{id(kAlice), {cc(500)}}));
    THEN("the transfer's error: InsufficientBalance, or Expendability (settlement keeps the debtor alive)") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::SettleDebt{id(kAlice), {cc(200)}});
          },
          error(credits::Error::InsufficientBalance));
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::SettleDebt{id(kAlice), {cc(100)}});
          },
          error(credits::Error::Expendability));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("a debt would overflow u128") {
    REQUIRE(rt.dispatch<CM>(signed_by(kBob), credits::RecordDebt{id(kAlice), {std::numeric_limits<Balance>::max()}}));
    THEN("Arithmetic::Overflow") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::RecordDebt{id(kAlice), {1}});
          },
          DispatchError::arithmetic(ArithmeticError::Overflow));
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kCharlie), credits::RecordDebt{id(kAlice), {1}});
          },
          DispatchError::arithmetic(ArithmeticError::Overflow));
    }
  }
}
