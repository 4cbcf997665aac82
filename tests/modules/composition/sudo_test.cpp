// Sudo through the executive: Root calls by the key holder, RequireSudo for
// others, the inner call's failure reported in Sudid, nesting, and nesting
// beyond the decoder's depth limit refused as an invalid call.

#include "tests/modules/composition/harness.hpp"

namespace bazaar::test::composition {
namespace {

namespace credits = modules::credits;
namespace sudo = modules::sudo;
namespace system = modules::system;
using runtime::InvalidTransaction;
using runtime::MultiAddressId;
using runtime::codec::Box;

comp::RuntimeCall force_set_balance(std::string_view who, Balance free) {
  return comp::make_call<credits::Module>(credits::ForceSetBalance{MultiAddressId{dev_account(who)}, {free}});
}

comp::RuntimeCall sudo_of(comp::RuntimeCall inner) {
  return comp::make_call<sudo::Module>(sudo::Sudo{Box<comp::RuntimeCall>(std::move(inner))});
}

/// The Err of a Sudid event as describe_error, or "Ok".
std::string sudid_text(const sudo::Sudid& e) {
  if (e.sudo_result.is_ok()) return "Ok";
  return "Err(" + comp::describe_error(std::get<1>(e.sudo_result.value)) + ")";
}

SCENARIO("sudo dispatches a call with Root origin for the sudo key only") {
  GIVEN("the test chain, whose sudo key is Alice") {
    TestChain chain;
    const Balance issuance = chain.total_issuance();
    const Balance new_free = 5 * runtime::kUnitsPerCC;

    WHEN("Alice sends sudo(force_set_balance(Bob, 5 CC))") {
      auto block = chain.produce_block({chain.sign("Alice", sudo_of(force_set_balance("Bob", new_free)))});
      REQUIRE(block.has_value());
      const auto& events = block.value().events;
      THEN("it succeeds with Sudid(Ok) and Bob's balance is set, minting or burning the difference") {
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        const std::vector<std::string> names = {"Credits.Withdraw",
                                                "Credits.BalanceSet",
                                                "Sudo.Sudid",
                                                "Credits.Deposit",
                                                "TransactionPayment.TransactionFeePaid",
                                                "System.ExtrinsicSuccess"};
        CHECK(event_names_of_extrinsic(events, 1) == names);
        auto sudid = events_of<sudo::Sudid>(events, 1);
        REQUIRE(sudid.size() == 1);
        CHECK(sudid_text(sudid[0]) == "Ok");
        auto set = events_of<credits::BalanceSet>(events, 1);
        REQUIRE(set.size() == 1);
        CHECK(set[0].who == dev_account("Bob"));
        CHECK(set[0].free == new_free);
        CHECK(chain.free("Bob") == new_free);
        // Alice pays her fee to herself as the author: only the burn shows in the issuance.
        CHECK(chain.free("Alice") == kEndowment);
        CHECK(chain.total_issuance() == issuance - (kEndowment - new_free));
        require_issuance_invariant(chain.state());
      }
    }
    WHEN("Bob sends the same sudo call") {
      const Bytes xt = chain.sign("Bob", sudo_of(force_set_balance("Bob", 1'000'000 * runtime::kUnitsPerCC)));
      const Balance fee = comp::query_info(chain.state(), xt).value().partial_fee;
      auto block = chain.produce_block({xt});
      REQUIRE(block.has_value());
      THEN("it is included as failed with Sudo.RequireSudo, and only the fee moved") {
        CHECK(outcome_text(block.value().results[0]) == "Err(Sudo.RequireSudo)");
        CHECK(events_of<sudo::Sudid>(block.value().events).empty());
        CHECK(events_of<credits::BalanceSet>(block.value().events).empty());
        CHECK(chain.free("Bob") == kEndowment - fee);
        CHECK(chain.nonce("Bob") == 1);
        CHECK(chain.total_issuance() == issuance);
        require_issuance_invariant(chain.state());
      }
    }
    WHEN("Alice calls force_set_balance without sudo") {
      auto block = chain.produce_block({chain.sign("Alice", force_set_balance("Bob", new_free))});
      REQUIRE(block.has_value());
      THEN("it fails with BadOrigin") {
        CHECK(outcome_text(block.value().results[0]) == "Err(BadOrigin)");
        CHECK(chain.free("Bob") == kEndowment);
        require_issuance_invariant(chain.state());
      }
    }
    WHEN("Alice hands the key to Bob with set_key, and Bob then uses sudo") {
      const Bytes set_key =
          chain.sign("Alice", comp::make_call<sudo::Module>(sudo::SetKey{MultiAddressId{dev_account("Bob")}}));
      REQUIRE(chain.produce_block({set_key}).has_value());
      auto block = chain.produce_block({chain.sign("Bob", sudo_of(force_set_balance("Charlie", new_free))),
                                        chain.sign("Alice", sudo_of(force_set_balance("Dave", new_free)))});
      REQUIRE(block.has_value());
      THEN("Bob's sudo works and Alice's fails") {
        CHECK(sudo::Key::get(chain.state()) == std::optional<AccountId32>(dev_account("Bob")));
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        CHECK(outcome_text(block.value().results[1]) == "Err(Sudo.RequireSudo)");
        CHECK(chain.free("Charlie") == new_free);
        CHECK(chain.free("Dave") == kEndowment);
        require_issuance_invariant(chain.state());
      }
    }
  }
}

SCENARIO("a failing call under sudo is reported in Sudid while the sudo extrinsic succeeds") {
  GIVEN("the test chain") {
    TestChain chain;
    const Balance issuance = chain.total_issuance();
    WHEN("Alice sudoes a force_transfer of more than Charlie has, and a signed-only call") {
      const auto too_much = comp::make_call<credits::Module>(credits::ForceTransfer{
          MultiAddressId{dev_account("Charlie")}, MultiAddressId{dev_account("Dave")}, {2 * kEndowment}});
      const auto signed_only = comp::make_call<credits::Module>(
          credits::TransferKeepAlive{MultiAddressId{dev_account("Dave")}, {runtime::kUnitsPerCC}});
      auto block = chain.produce_block(
          {chain.sign("Alice", sudo_of(too_much)), chain.sign("Alice", sudo_of(signed_only), {.nonce = 1})});
      REQUIRE(block.has_value());
      const auto& events = block.value().events;
      THEN("both extrinsics succeed and their Sudid events carry the inner errors") {
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        CHECK(outcome_text(block.value().results[1]) == "Ok");
        auto first = events_of<sudo::Sudid>(events, 1);
        auto second = events_of<sudo::Sudid>(events, 2);
        REQUIRE(first.size() == 1);
        REQUIRE(second.size() == 1);
        CHECK(sudid_text(first[0]) == "Err(Credits.InsufficientBalance)");
        CHECK(sudid_text(second[0]) == "Err(BadOrigin)");
        CHECK(event_names_of_extrinsic(events, 1).back() == "System.ExtrinsicSuccess");
        CHECK(events_of<credits::Transfer>(events).empty());
      }
      AND_THEN("no balance moved besides Alice's fees, which she collected as author") {
        CHECK(chain.free("Charlie") == kEndowment);
        CHECK(chain.free("Dave") == kEndowment);
        CHECK(chain.free("Alice") == kEndowment);
        CHECK(chain.nonce("Alice") == 2);
        CHECK(chain.total_issuance() == issuance);
        require_issuance_invariant(chain.state());
      }
    }
  }
}

SCENARIO("nested sudo decodes up to the decoder's depth limit; deeper nesting is an invalid call") {
  GIVEN("the test chain") {
    TestChain chain;
    WHEN("Alice sends sudo(sudo(sudo(force_set_balance(Dave, 7 CC))))") {
      const auto call = sudo_of(sudo_of(sudo_of(force_set_balance("Dave", 7 * runtime::kUnitsPerCC))));
      CHECK(comp::call_name(call) == "Sudo.sudo");
      auto block = chain.produce_block({chain.sign("Alice", call)});
      REQUIRE(block.has_value());
      THEN("as in pallet_sudo the inner sudo gets Root, not the key, so the outer Sudid reports BadOrigin") {
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        auto sudid = events_of<sudo::Sudid>(block.value().events, 1);
        REQUIRE(sudid.size() == 1);
        CHECK(sudid_text(sudid[0]) == "Err(BadOrigin)");
        CHECK(chain.free("Dave") == kEndowment);
      }
      AND_THEN("the weight adds the sudo base per level") {
        auto success = events_of<system::ExtrinsicSuccess>(block.value().events, 1);
        REQUIRE(success.size() == 1);
        CHECK(success[0].dispatch_info.weight == runtime::Weight{30'000'000, 0} + credits::ForceSetBalance::kWeight);
        require_issuance_invariant(chain.state());
      }
    }
    WHEN("the nesting is 30 levels deep (beyond Decoder::kMaxDepth)") {
      auto call = force_set_balance("Dave", 7 * runtime::kUnitsPerCC);
      for (int i = 0; i < 30; ++i) call = sudo_of(std::move(call));
      const Bytes xt = chain.sign("Alice", call);
      THEN("the pool and the block refuse it as Call and nothing changes") {
        CHECK(validity_text(chain.validate(xt)) == validity_text(InvalidTransaction::Call));
        const auto with = chain.run_block({xt});
        CHECK(outcome_text(with.results[0]) == invalid_text(InvalidTransaction::Call));
        CHECK(with.changes == chain.run_block({}).changes);
        CHECK_FALSE(comp::query_info(chain.state(), xt).has_value());
      }
    }
    WHEN("the nesting is 200,000 levels deep (raw bytes: 0x03 0x00 repeated)") {
      Bytes call;
      for (int i = 0; i < 200'000; ++i) {
        call.push_back(sudo::Module::kIndex);
        call.push_back(sudo::Sudo::kIndex);
      }
      const Bytes remark = runtime::codec::encode(comp::make_call<system::Module>(system::Remark{{1}}));
      call.insert(call.end(), remark.begin(), remark.end());
      const Bytes xt = chain.sign_raw(dev_key("Alice"), call);
      THEN("it is refused as Call without exhausting the stack") {
        CHECK(validity_text(chain.validate(xt)) == validity_text(InvalidTransaction::Call));
        const auto with = chain.run_block({xt});
        CHECK(outcome_text(with.results[0]) == invalid_text(InvalidTransaction::Call));
        CHECK(with.changes == chain.run_block({}).changes);
      }
    }
    require_issuance_invariant(chain.state());
  }
}

}  // namespace
}  // namespace bazaar::test::composition
