// Credits: genesis, transfers, existential deposit and reaping, root calls.

#include "tests/modules/credits/fixture.hpp"

#include <limits>

using namespace bazaar::test;
using namespace bazaar::test::credits_fixture;
using bazaar::runtime::framework::ArithmeticError;
namespace framework = bazaar::runtime::framework;

namespace {
using CM = credits::Module;

std::string system_event(const system::Event& e) { return event_string<system::Module>(e); }
std::string credits_event(const credits::Event& e) { return event_string<CM>(e); }

DispatchError cannot_lookup() { return DispatchError{framework::dispatch_error::CannotLookup{}}; }
}  // namespace

SCENARIO("genesis endows the listed accounts and the treasury") {
  GIVEN("Alice with 1000 CC and Bob with 100 CC") {
    MockRuntime rt(genesis());
    THEN("their balances, the treasury's existential deposit and the issuance are set") {
      CHECK(credits::free_balance(rt.state(), kAlice) == cc(1000));
      CHECK(credits::free_balance(rt.state(), kBob) == cc(100));
      CHECK(credits::free_balance(rt.state(), credits::treasury_account()) == kEd);
      CHECK(credits::total_issuance(rt.state()) == cc(1100) + kEd);
      CHECK(system::Account::get(rt.state(), kAlice).providers == 1);
      CHECK(system::Account::get(rt.state(), kAlice).data.flags == Balance{1} << 127);
      CHECK_FALSE(system::Account::contains(rt.state(), kCharlie));
      check_credits_invariants(rt.state());
    }
  }
  GIVEN("the treasury account id") {
    THEN("it is \"modl\" ++ \"bz/trsry\" zero-padded") {
      auto t = credits::treasury_account();
      CHECK(std::string(t.bytes.begin(), t.bytes.begin() + 12) == "modlbz/trsry");
      CHECK(std::all_of(t.bytes.begin() + 12, t.bytes.end(), [](uint8_t b) { return b == 0; }));
    }
  }
  GIVEN("genesis JSON") {
    // Bob's entry uses an SS58 address, Alice's 0x-hex; amounts as a decimal string and as a number.
    using nlohmann::json;
    json j = {{"balances", json::array({json::array({bazaar::runtime::to_hex(kAlice), "1000000000000000"}),
                                        json::array({bazaar::runtime::crypto::ss58_encode(kBob), 5000000000000ULL})})}};
    credits::GenesisConfig config;
    THEN("it maps onto the described config") {
      auto r = framework::json::from_json(j, config, "credits");
      INFO((r ? std::string() : r.error()));
      REQUIRE(r);
      REQUIRE(config.balances.size() == 2);
      CHECK(std::get<0>(config.balances[0]) == kAlice);
      CHECK(std::get<1>(config.balances[0]) == cc(1000));
      CHECK(std::get<1>(config.balances[1]) == cc(5));
    }
  }
  GIVEN("invalid configs") {
    credits::GenesisConfig below, twice, overflow;
    below.balances = {{kAlice, kEd - 1}};
    twice.balances = {{kAlice, cc(1)}, {kAlice, cc(1)}};
    overflow.balances = {{kAlice, std::numeric_limits<Balance>::max() - 1}, {kBob, cc(1)}};
    THEN("each is rejected with the entry named") {
      CHECK(CM::validate_genesis(below).error() == "balances[0][1]: below the existential deposit (10000000000)");
      CHECK(CM::validate_genesis(twice).error() == "balances[1][0]: account listed twice");
      CHECK(CM::validate_genesis(overflow).error().find("overflows") != std::string::npos);
    }
  }
}

SCENARIO("transfer_allow_death and transfer_keep_alive move free balance") {
  MockRuntime rt(genesis());
  WHEN("Alice sends 10 CC to Bob") {
    REQUIRE(rt.dispatch<CM>(signed_by(kAlice), credits::TransferAllowDeath{id(kBob), {cc(10)}}));
    THEN("the balances change and Transfer is emitted") {
      CHECK(credits::free_balance(rt.state(), kAlice) == cc(990));
      CHECK(credits::free_balance(rt.state(), kBob) == cc(110));
      CHECK(rt.last_event<CM>() == credits_event(credits::Transfer{kAlice, kBob, cc(10)}));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("Alice sends 1 CC to Charlie, who does not exist") {
    REQUIRE(rt.dispatch<CM>(signed_by(kAlice), credits::TransferKeepAlive{id(kCharlie), {cc(1)}}));
    THEN("Charlie's account is created: NewAccount, Endowed, Transfer") {
      CHECK(rt.events_of<system::Module>() == std::vector{system_event(system::NewAccount{kCharlie})});
      CHECK(rt.events_of<CM>() == std::vector{credits_event(credits::Endowed{kCharlie, cc(1)}),
                                              credits_event(credits::Transfer{kAlice, kCharlie, cc(1)})});
      CHECK(system::Account::get(rt.state(), kCharlie).providers == 1);
      check_credits_invariants(rt.state());
    }
  }
  WHEN("Alice sends Charlie less than the existential deposit") {
    THEN("ExistentialDeposit, nothing changed") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kAlice), credits::TransferAllowDeath{id(kCharlie), {kEd - 1}});
          },
          module_error<CM>(credits::Error::ExistentialDeposit));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("Bob sends more than he has") {
    THEN("InsufficientBalance, nothing changed") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::TransferAllowDeath{id(kAlice), {cc(101)}});
          },
          module_error<CM>(credits::Error::InsufficientBalance));
    }
  }
  WHEN("Bob sends all but half the existential deposit with allow-death") {
    const Balance dust = kEd / 2;
    const Balance issuance = credits::total_issuance(rt.state());
    REQUIRE(rt.dispatch<CM>(signed_by(kBob), credits::TransferAllowDeath{id(kAlice), {cc(100) - dust}}));
    THEN("Bob is reaped and his dust burned") {
      CHECK_FALSE(system::Account::contains(rt.state(), kBob));
      CHECK(credits::total_issuance(rt.state()) == issuance - dust);
      CHECK(rt.events_of<CM>() == std::vector{credits_event(credits::DustLost{kBob, dust}),
                                              credits_event(credits::Transfer{kBob, kAlice, cc(100) - dust})});
      CHECK(rt.last_event<system::Module>() == system_event(system::KilledAccount{kBob}));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("Bob does the same with keep-alive") {
    THEN("Expendability, nothing changed") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::TransferKeepAlive{id(kAlice), {cc(100) - kEd / 2}});
          },
          module_error<CM>(credits::Error::Expendability));
    }
  }
  WHEN("Bob, with funds on hold, would fall below the existential deposit even with allow-death") {
    REQUIRE(credits::hold(rt.ctx(), credits::HoldReason::TaskEscrow, kBob, cc(50)));
    THEN("Expendability: an account with holds is never reaped") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::TransferAllowDeath{id(kAlice), {cc(50)}});
          },
          module_error<CM>(credits::Error::Expendability));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("part of Bob's balance is frozen") {
    system::Account::mutate(rt.state(), kBob, [](system::AccountInfo& a) { a.data.frozen = cc(60); });
    THEN("spending into the frozen part is LiquidityRestrictions; above it works") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kBob), credits::TransferAllowDeath{id(kAlice), {cc(41)}});
          },
          module_error<CM>(credits::Error::LiquidityRestrictions));
      CHECK(rt.dispatch<CM>(signed_by(kBob), credits::TransferAllowDeath{id(kAlice), {cc(40)}}));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("Alice sends to herself, or sends zero") {
    const ChangeSet before = rt.state().changes();
    REQUIRE(rt.dispatch<CM>(signed_by(kAlice), credits::TransferAllowDeath{id(kAlice), {cc(5)}}));
    REQUIRE(rt.dispatch<CM>(signed_by(kAlice), credits::TransferKeepAlive{id(kBob), {0}}));
    THEN("both succeed without effect, as in Substrate") {
      CHECK(rt.state().changes() == before);
      CHECK(rt.events_of<CM>().empty());
    }
  }
  WHEN("the destination is not a MultiAddress::Id, or the origin is not signed") {
    THEN("CannotLookup and BadOrigin") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kAlice),
                                   credits::TransferAllowDeath{bazaar::runtime::MultiAddressIndex{{7}}, {cc(1)}});
          },
          cannot_lookup());
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(Origin::none(), credits::TransferAllowDeath{id(kBob), {cc(1)}});
          },
          DispatchError::bad_origin());
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(Origin::root(), credits::TransferKeepAlive{id(kBob), {cc(1)}});
          },
          DispatchError::bad_origin());
    }
  }
}

SCENARIO("transfer_all sends everything spendable") {
  MockRuntime rt(genesis());
  WHEN("Bob sends all with keep_alive false") {
    REQUIRE(rt.dispatch<CM>(signed_by(kBob), credits::TransferAll{id(kCharlie), false}));
    THEN("Charlie has 100 CC and Bob is reaped without dust") {
      CHECK(credits::free_balance(rt.state(), kCharlie) == cc(100));
      CHECK_FALSE(system::Account::contains(rt.state(), kBob));
      CHECK(rt.last_event<CM>() == credits_event(credits::Transfer{kBob, kCharlie, cc(100)}));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("Bob sends all with keep_alive true") {
    REQUIRE(rt.dispatch<CM>(signed_by(kBob), credits::TransferAll{id(kAlice), true}));
    THEN("the existential deposit stays") {
      CHECK(credits::free_balance(rt.state(), kBob) == kEd);
      CHECK(credits::free_balance(rt.state(), kAlice) == cc(1100) - kEd);
      check_credits_invariants(rt.state());
    }
  }
  WHEN("Bob has a hold and sends all with keep_alive false") {
    REQUIRE(credits::hold(rt.ctx(), credits::HoldReason::ProviderStake, kBob, cc(30)));
    REQUIRE(rt.dispatch<CM>(signed_by(kBob), credits::TransferAll{id(kAlice), false}));
    THEN("the existential deposit stays free and the hold is untouched") {
      CHECK(credits::free_balance(rt.state(), kBob) == kEd);
      CHECK(credits::reserved_balance(rt.state(), kBob) == cc(30));
      check_credits_invariants(rt.state());
    }
  }
}

SCENARIO("force_transfer and force_set_balance are root-only") {
  MockRuntime rt(genesis());
  WHEN("root moves 20 CC from Alice to Charlie") {
    REQUIRE(rt.dispatch<CM>(Origin::root(), credits::ForceTransfer{id(kAlice), id(kCharlie), {cc(20)}}));
    THEN("it is a transfer") {
      CHECK(credits::free_balance(rt.state(), kCharlie) == cc(20));
      CHECK(rt.last_event<CM>() == credits_event(credits::Transfer{kAlice, kCharlie, cc(20)}));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("a signed account tries either") {
    THEN("BadOrigin") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kAlice), credits::ForceTransfer{id(kBob), id(kAlice), {cc(1)}});
          },
          DispatchError::bad_origin());
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(signed_by(kAlice), credits::ForceSetBalance{id(kAlice), {cc(1)}});
          },
          DispatchError::bad_origin());
    }
  }
  WHEN("root raises Bob to 500 CC and lowers Alice to 1 CC") {
    const Balance issuance = credits::total_issuance(rt.state());
    REQUIRE(rt.dispatch<CM>(Origin::root(), credits::ForceSetBalance{id(kBob), {cc(500)}}));
    REQUIRE(rt.dispatch<CM>(Origin::root(), credits::ForceSetBalance{id(kAlice), {cc(1)}}));
    THEN("the issuance follows and BalanceSet is emitted") {
      CHECK(credits::total_issuance(rt.state()) == issuance + cc(400) - cc(999));
      CHECK(rt.last_event<CM>() == credits_event(credits::BalanceSet{kAlice, cc(1)}));
      check_credits_invariants(rt.state());
    }
  }
  WHEN("root sets Bob below the existential deposit and endows Charlie") {
    REQUIRE(rt.dispatch<CM>(Origin::root(), credits::ForceSetBalance{id(kBob), {kEd - 1}}));
    REQUIRE(rt.dispatch<CM>(Origin::root(), credits::ForceSetBalance{id(kCharlie), {cc(3)}}));
    THEN("Bob is reaped (his balance counts as 0) and Charlie created") {
      CHECK_FALSE(system::Account::contains(rt.state(), kBob));
      CHECK(credits::free_balance(rt.state(), kCharlie) == cc(3));
      CHECK(rt.events_of<CM>() == std::vector{credits_event(credits::BalanceSet{kBob, 0}),
                                              credits_event(credits::Endowed{kCharlie, cc(3)}),
                                              credits_event(credits::BalanceSet{kCharlie, cc(3)})});
      check_credits_invariants(rt.state());
    }
  }
  WHEN("root would reap an account with holds") {
    REQUIRE(credits::hold(rt.ctx(), credits::HoldReason::TaskEscrow, kBob, cc(1)));
    THEN("Expendability") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(Origin::root(), credits::ForceSetBalance{id(kBob), {0}});
          },
          module_error<CM>(credits::Error::Expendability));
    }
  }
  WHEN("root would push the issuance past u128") {
    THEN("Arithmetic::Overflow") {
      assert_noop(
          rt,
          [&] {
            return rt.dispatch<CM>(Origin::root(),
                                   credits::ForceSetBalance{id(kCharlie), {std::numeric_limits<Balance>::max()}});
          },
          DispatchError::arithmetic(ArithmeticError::Overflow));
    }
  }
}
