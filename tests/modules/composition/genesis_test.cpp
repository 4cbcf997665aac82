// build_genesis: the test chain's genesis storage, its determinism, and the
// error messages for bad genesis JSON (each names the JSON path at fault).

#include "tests/modules/composition/harness.hpp"

#include "runtime/crypto/ss58.hpp"

namespace bazaar::test::composition {
namespace {

namespace credits = modules::credits;
namespace system = modules::system;
namespace aura = modules::aura;
namespace sudo = modules::sudo;
namespace timestamp = modules::timestamp;
namespace task_queue = modules::task_queue;
namespace transaction_payment = modules::transaction_payment;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

/// The error build_genesis reports for `genesis`, or "<no error>".
std::string genesis_error(const nlohmann::json& genesis) {
  auto r = comp::build_genesis(genesis);
  return r ? std::string("<no error>") : r.error();
}

SCENARIO("the test chain's genesis storage is deterministic and holds every module's config") {
  GIVEN("the test chain's genesis JSON") {
    const auto genesis = test_genesis();
    WHEN("it is built twice") {
      auto first = comp::build_genesis(genesis);
      auto second = comp::build_genesis(genesis);
      THEN("both runs give the same ChangeSet, with no deletions") {
        REQUIRE(first.has_value());
        REQUIRE(second.has_value());
        CHECK(first.value() == second.value());
        for (const auto& [key, value] : first.value()) CHECK(value.has_value());
      }
      AND_THEN("the state holds the configured accounts, authority, sudo key and parameters") {
        REQUIRE(first.has_value());
        MemoryState state;
        state.apply(first.value());
        CHECK(system::Number::get(state) == 0);
        for (const char* name : {"Alice", "Bob", "Charlie", "Dave"}) {
          INFO(name);
          const auto info = system::Account::get(state, dev_account(name));
          CHECK(info.data.free == kEndowment);
          CHECK(info.data.reserved == 0);
          CHECK(info.nonce == 0);
          CHECK(info.providers == 1);
        }
        CHECK_FALSE(system::Account::contains(state, dev_account("Eve")));
        // The treasury exists with exactly the existential deposit.
        CHECK(credits::free_balance(state, credits::treasury_account()) == credits::kExistentialDeposit);
        CHECK(credits::total_issuance(state) == 4 * kEndowment + credits::kExistentialDeposit);
        require_issuance_invariant(state);

        const auto authorities = aura::Authorities::get(state);
        REQUIRE(authorities.size() == 1);
        CHECK(authorities[0] == dev_key("Alice").public_key());
        CHECK(comp::aura_authorities(state) == authorities);
        CHECK(comp::slot_duration_ms(state) == kSlotDurationMs);
        CHECK(sudo::Key::get(state) == std::optional<AccountId32>(dev_account("Alice")));
        CHECK(timestamp::MinimumPeriod::get(state) == kSlotDurationMs / 2);
        CHECK(transaction_payment::Params::get(state) ==
              transaction_payment::FeeParams{1'000'000'000, 1'000'000, 2'000'000});
        const auto params = task_queue::params(state);
        CHECK(params.minimum_stake == 10 * runtime::kUnitsPerCC);
        CHECK(params.protocol_fee == 10'000);
        CHECK(params.max_fuel == 10'000'000'000ull);
      }
    }
  }
}

SCENARIO("bad genesis JSON gives a message naming the path at fault") {
  GIVEN("the test chain's genesis JSON") {
    auto genesis = test_genesis();
    WHEN("the runtime genesis is not an object") {
      THEN("the message names genesis.runtime") {
        CHECK_THAT(genesis_error(nlohmann::json::array()), StartsWith("genesis.runtime"));
      }
    }
    WHEN("it names a module the runtime does not have") {
      genesis["payments"] = nlohmann::json::object();
      THEN("the message names that module") {
        CHECK(genesis_error(genesis) == "genesis.runtime.payments: unknown module");
      }
    }
    WHEN("a module's config lacks a field") {
      genesis["aura"].erase("slotDurationMs");
      THEN("the message names the missing field") {
        CHECK_THAT(genesis_error(genesis), Contains("genesis.runtime.aura.slotDurationMs"));
        CHECK_THAT(genesis_error(genesis), Contains("missing"));
      }
    }
    WHEN("a nested config lacks a field") {
      genesis["transactionPayment"]["fees"].erase("byteFee");
      THEN("the message names the nested path") {
        CHECK_THAT(genesis_error(genesis), Contains("genesis.runtime.transactionPayment.fees.byteFee"));
      }
    }
    WHEN("a module's config has a field it does not know") {
      genesis["aura"]["slotDuration"] = 6000u;
      THEN("the message names the unknown field") {
        CHECK_THAT(genesis_error(genesis), Contains("genesis.runtime.aura.slotDuration"));
      }
    }
    WHEN("a field has the wrong type") {
      genesis["timestamp"]["minimumPeriodMs"] = "soon";
      THEN("the message names the field and the expected type") {
        const auto error = genesis_error(genesis);
        CHECK_THAT(error, StartsWith("genesis.runtime.timestamp.minimumPeriodMs: expected"));
      }
    }
    WHEN("a number does not fit its field") {
      genesis["taskQueue"]["params"]["protocolFee"] = 5'000'000'000u;
      THEN("the message names the field") {
        CHECK_THAT(genesis_error(genesis), StartsWith("genesis.runtime.taskQueue.params.protocolFee: expected"));
      }
    }
    WHEN("the sudo key is not an account") {
      genesis["sudo"]["key"] = "5NotAnAddress";
      THEN("the message names the sudo key") {
        CHECK_THAT(genesis_error(genesis), StartsWith("genesis.runtime.sudo.key: expected an SS58 address"));
      }
    }
    WHEN("an endowed account is not an account") {
      genesis["credits"]["balances"][1][0] = "0x1234";
      THEN("the message names the entry") {
        CHECK_THAT(genesis_error(genesis), StartsWith("genesis.runtime.credits.balances[1][0]: expected"));
      }
    }
    WHEN("an endowed balance is negative") {
      genesis["credits"]["balances"][2][1] = -5;
      THEN("the message names the amount") {
        CHECK_THAT(genesis_error(genesis), StartsWith("genesis.runtime.credits.balances[2][1]: expected"));
      }
    }
    WHEN("an authority is not a 33-byte key") {
      genesis["aura"]["authorities"][0] = "0x0102";
      THEN("the message names the authority") {
        CHECK_THAT(genesis_error(genesis), StartsWith("genesis.runtime.aura.authorities[0]: expected"));
      }
    }
  }
}

// The modules' own genesis checks (credits and task_queue declare validate_genesis, whose
// preconditions their build_genesis relies on) are reached through build_genesis.
SCENARIO("genesis values that a module rejects are reported with their path") {
  GIVEN("the test chain's genesis JSON") {
    auto genesis = test_genesis();
    WHEN("an endowment is below the existential deposit") {
      genesis["credits"]["balances"][0][1] = "5";
      THEN("build_genesis fails naming the entry (not a silently unfunded Alice)") {
        const auto error = genesis_error(genesis);
        CHECK_THAT(error, StartsWith("genesis.runtime.credits"));
        CHECK_THAT(error, Contains("balances[0][1]: below the existential deposit"));
      }
    }
    WHEN("an account is endowed twice") {
      genesis["credits"]["balances"][1][0] = genesis["credits"]["balances"][0][0];
      THEN("build_genesis fails naming the second entry") {
        const auto error = genesis_error(genesis);
        CHECK_THAT(error, StartsWith("genesis.runtime.credits"));
        CHECK_THAT(error, Contains("balances[1][0]: account listed twice"));
      }
    }
    WHEN("the protocol fee is above 100%") {
      genesis["taskQueue"]["params"]["protocolFee"] = 2'000'000u;
      THEN("build_genesis fails naming the field") {
        const auto error = genesis_error(genesis);
        CHECK_THAT(error, StartsWith("genesis.runtime.taskQueue"));
        CHECK_THAT(error, Contains("params.protocolFee: above"));
      }
    }
  }
}

// nlohmann::json stores a C++ int as a signed number (number_integer) and parsed text "500" as
// unsigned; both must be accepted.
SCENARIO("genesis JSON built from C++ signed integers is accepted") {
  GIVEN("the test chain's genesis with minimumPeriodMs set from an int") {
    auto genesis = test_genesis();
    genesis["timestamp"]["minimumPeriodMs"] = 500;
    REQUIRE(genesis["timestamp"]["minimumPeriodMs"].is_number_integer());
    WHEN("it is built") {
      auto r = comp::build_genesis(genesis);
      THEN("it succeeds like the same JSON parsed from text") {
        INFO((r ? std::string() : r.error()));
        REQUIRE(r.has_value());
        auto parsed = comp::build_genesis(nlohmann::json::parse(genesis.dump()));
        REQUIRE(parsed.has_value());
        CHECK(r.value() == parsed.value());
      }
    }
  }
}

}  // namespace
}  // namespace bazaar::test::composition
