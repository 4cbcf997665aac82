// Signed extrinsics in blocks: balances, fees to the author, events with
// their phases, transactional dispatch of failing calls, and remarks.

#include "tests/modules/composition/harness.hpp"

#include "runtime/crypto/hash.hpp"

namespace bazaar::test::composition {
namespace {

namespace credits = modules::credits;
namespace system = modules::system;
namespace task_queue = modules::task_queue;
namespace timestamp = modules::timestamp;
namespace transaction_payment = modules::transaction_payment;
using runtime::MultiAddressId;
using runtime::framework::DispatchClass;
using runtime::framework::Pays;

comp::RuntimeCall transfer_keep_alive(std::string_view to, Balance amount) {
  return comp::make_call<credits::Module>(credits::TransferKeepAlive{MultiAddressId{dev_account(to)}, {amount}});
}

/// The fee of an extrinsic by the test chain's parameters (base 0.001 CC, 10^6 per byte, 2·10^6 per 10^6 ref_time).
Balance expected_fee(std::size_t length, uint64_t ref_time) {
  return Balance{1'000'000'000} + Balance{1'000'000} * length + Balance{2'000'000} * ref_time / 1'000'000;
}

SCENARIO("a signed transfer in a block moves exactly the amount and the fee") {
  GIVEN("the test chain and Bob's signed transfer of 10 CC to Charlie with a tip") {
    TestChain chain;
    const Balance amount = 10 * runtime::kUnitsPerCC;
    const Balance tip = 7'000'000;
    const Bytes xt = chain.sign("Bob", transfer_keep_alive("Charlie", amount), {.tip = tip});
    auto info = comp::query_info(chain.state(), xt);
    REQUIRE(info.has_value());
    const Balance fee = info.value().partial_fee + tip;
    const MemoryState before = chain.state();
    const Balance issuance = chain.total_issuance();

    THEN("query_info reports the call's weight and the fee formula without the tip") {
      CHECK(info.value().weight == credits::TransferKeepAlive::kWeight);
      CHECK(info.value().dispatch_class == DispatchClass::Normal);
      CHECK(info.value().partial_fee == expected_fee(xt.size(), credits::TransferKeepAlive::kWeight.ref_time));
    }

    WHEN("Alice's block 1 includes it") {
      auto block = chain.produce_block({xt});
      REQUIRE(block.has_value());
      const auto& run = block.value();

      THEN("it succeeds and is included after the timestamp inherent") {
        REQUIRE(run.results.size() == 1);
        CHECK(outcome_text(run.results[0]) == "Ok");
        REQUIRE(run.block.extrinsics.size() == 2);
        CHECK(run.block.extrinsics[0].encoded == timestamp_inherent(kFirstSlot * kSlotDurationMs));
        CHECK(run.block.extrinsics[1].encoded == xt);
      }
      AND_THEN("Bob pays amount + fee, Charlie gets the amount, Alice as author gets the fee") {
        CHECK(chain.free("Bob") == kEndowment - amount - fee);
        CHECK(chain.free("Charlie") == kEndowment + amount);
        CHECK(chain.free("Alice") == kEndowment + fee);
        CHECK(chain.nonce("Bob") == 1);
        CHECK(chain.nonce("Alice") == 0);
        const std::set<Bytes> expected = {system::Account::key(dev_account("Alice")),
                                          system::Account::key(dev_account("Bob")),
                                          system::Account::key(dev_account("Charlie"))};
        CHECK(changed_keys_besides_bookkeeping(before, chain.state()) == expected);
      }
      AND_THEN("the events of ApplyExtrinsic(1) come in Substrate's order with the right fields") {
        // The inherent: ExtrinsicSuccess, Mandatory, free.
        CHECK(event_names_of_extrinsic(run.events, 0) == std::vector<std::string>{"System.ExtrinsicSuccess"});
        auto inherent = events_of<system::ExtrinsicSuccess>(run.events, 0);
        REQUIRE(inherent.size() == 1);
        CHECK(inherent[0].dispatch_info.weight == timestamp::Set::kWeight);
        CHECK(inherent[0].dispatch_info.class_ == DispatchClass::Mandatory);
        CHECK(inherent[0].dispatch_info.pays_fee == Pays::No);
        const std::vector<std::string> names = {"Credits.Withdraw", "Credits.Transfer", "Credits.Deposit",
                                                "TransactionPayment.TransactionFeePaid", "System.ExtrinsicSuccess"};
        CHECK(event_names_of_extrinsic(run.events, 1) == names);
        CHECK(run.events.size() == 1 + names.size());
        for (const auto& record : run.events) CHECK(record.topics.empty());

        auto withdraw = events_of<credits::Withdraw>(run.events, 1);
        REQUIRE(withdraw.size() == 1);
        CHECK(withdraw[0].who == dev_account("Bob"));
        CHECK(withdraw[0].amount == fee);
        auto transfer = events_of<credits::Transfer>(run.events, 1);
        REQUIRE(transfer.size() == 1);
        CHECK(transfer[0].from == dev_account("Bob"));
        CHECK(transfer[0].to == dev_account("Charlie"));
        CHECK(transfer[0].amount == amount);
        auto deposit = events_of<credits::Deposit>(run.events, 1);
        REQUIRE(deposit.size() == 1);
        CHECK(deposit[0].who == dev_account("Alice"));
        CHECK(deposit[0].amount == fee);
        auto paid = events_of<transaction_payment::TransactionFeePaid>(run.events, 1);
        REQUIRE(paid.size() == 1);
        CHECK(paid[0].who == dev_account("Bob"));
        CHECK(paid[0].actual_fee == fee);
        CHECK(paid[0].tip == tip);
        auto success = events_of<system::ExtrinsicSuccess>(run.events, 1);
        REQUIRE(success.size() == 1);
        CHECK(success[0].dispatch_info.weight == credits::TransferKeepAlive::kWeight);
        CHECK(success[0].dispatch_info.class_ == DispatchClass::Normal);
        CHECK(success[0].dispatch_info.pays_fee == Pays::Yes);
      }
      AND_THEN("the block's bookkeeping is in the state and total issuance is unchanged") {
        CHECK(system::Number::get(chain.state()) == 1);
        CHECK(system::ParentHash::get(chain.state()) == chain.genesis_hash());
        CHECK(system::BlockHash::get(chain.state(), 0) == chain.genesis_hash());
        CHECK(timestamp::Now::get(chain.state()) == kFirstSlot * kSlotDurationMs);
        CHECK_FALSE(timestamp::DidUpdate::get(chain.state()));
        CHECK_FALSE(system::ExtrinsicCount::get(chain.state()).has_value());
        CHECK(events_in(chain.state()).size() == run.events.size());
        CHECK(chain.total_issuance() == issuance);
        require_issuance_invariant(chain.state());
      }
    }
  }
}

SCENARIO("a transfer to a new account creates it with the existential deposit") {
  GIVEN("the test chain and Bob's transfer of the ED to Eve, who has no account") {
    TestChain chain;
    const Bytes xt = chain.sign("Bob", transfer_keep_alive("Eve", credits::kExistentialDeposit));
    const Balance issuance = chain.total_issuance();
    WHEN("it is included") {
      auto block = chain.produce_block({xt});
      REQUIRE(block.has_value());
      THEN("Eve exists with the ED and the account events come between Withdraw and Deposit") {
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        CHECK(chain.free("Eve") == credits::kExistentialDeposit);
        const auto names = event_names_of_extrinsic(block.value().events, 1);
        REQUIRE(names.size() >= 5);
        CHECK(names.front() == "Credits.Withdraw");
        CHECK(std::count(names.begin(), names.end(), "System.NewAccount") == 1);
        CHECK(std::count(names.begin(), names.end(), "Credits.Transfer") == 1);
        CHECK(names[names.size() - 3] == "Credits.Deposit");
        CHECK(names[names.size() - 2] == "TransactionPayment.TransactionFeePaid");
        CHECK(names.back() == "System.ExtrinsicSuccess");
        CHECK(chain.total_issuance() == issuance);
        require_issuance_invariant(chain.state());
      }
    }
  }
}

SCENARIO("a sender that transfers everything is reaped after paying its fee") {
  GIVEN("the test chain and Dave's transfer_all (allow death) to Charlie") {
    TestChain chain;
    const Bytes xt = chain.sign(
        "Dave", comp::make_call<credits::Module>(credits::TransferAll{MultiAddressId{dev_account("Charlie")}, false}));
    const Balance fee = comp::query_info(chain.state(), xt).value().partial_fee;
    const Balance issuance = chain.total_issuance();
    WHEN("it is included") {
      auto block = chain.produce_block({xt});
      REQUIRE(block.has_value());
      THEN("Charlie gets all of Dave's balance after the fee and Dave's account is gone") {
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        CHECK(chain.free("Charlie") == 2 * kEndowment - fee);
        CHECK_FALSE(system::Account::contains(chain.state(), dev_account("Dave")));
        const auto names = event_names_of_extrinsic(block.value().events, 1);
        CHECK(std::count(names.begin(), names.end(), "System.KilledAccount") == 1);
        CHECK(names.back() == "System.ExtrinsicSuccess");
        CHECK(chain.total_issuance() == issuance);
        require_issuance_invariant(chain.state());
      }
      AND_THEN("the replayed extrinsic (nonce 0 again) is refused: Dave cannot pay") {
        CHECK(chain.nonce("Dave") == 0);
        CHECK(validity_text(chain.validate(xt)) == validity_text(runtime::InvalidTransaction::Payment));
      }
    }
  }
}

SCENARIO("a failing call is included: its writes are reverted, the fee and nonce stay") {
  GIVEN("the test chain") {
    TestChain chain;
    const MemoryState before = chain.state();
    const Balance issuance = chain.total_issuance();

    WHEN("Bob transfers (keep-alive) more than his balance") {
      const Bytes xt = chain.sign("Bob", transfer_keep_alive("Charlie", 2 * kEndowment));
      auto info = comp::query_info(chain.state(), xt);
      REQUIRE(info.has_value());
      const Balance fee = info.value().partial_fee;
      auto block = chain.produce_block({xt});
      REQUIRE(block.has_value());
      const auto& run = block.value();
      THEN("it is included as failed with the named module error") {
        REQUIRE(run.results.size() == 1);
        CHECK(outcome_text(run.results[0]) == "Err(Credits.InsufficientBalance)");
        CHECK(run.block.extrinsics.size() == 2);
        const std::vector<std::string> names = {"Credits.Withdraw", "Credits.Deposit",
                                                "TransactionPayment.TransactionFeePaid", "System.ExtrinsicFailed"};
        CHECK(event_names_of_extrinsic(run.events, 1) == names);
        auto failed = events_of<system::ExtrinsicFailed>(run.events, 1);
        REQUIRE(failed.size() == 1);
        CHECK(comp::describe_error(failed[0].dispatch_error) == "Credits.InsufficientBalance");
        CHECK(failed[0].dispatch_error ==
              runtime::framework::DispatchError::module(credits::Module::kIndex,
                                                        static_cast<uint8_t>(credits::Error::InsufficientBalance)));
        CHECK(failed[0].dispatch_info.weight == credits::TransferKeepAlive::kWeight);
      }
      AND_THEN("only Bob's fee and nonce changed (and Alice's fee income)") {
        CHECK(chain.free("Bob") == kEndowment - fee);
        CHECK(chain.nonce("Bob") == 1);
        CHECK(chain.free("Charlie") == kEndowment);
        CHECK(chain.free("Alice") == kEndowment + fee);
        const std::set<Bytes> expected = {system::Account::key(dev_account("Alice")),
                                          system::Account::key(dev_account("Bob"))};
        CHECK(changed_keys_besides_bookkeeping(before, chain.state()) == expected);
        CHECK(chain.total_issuance() == issuance);
        require_issuance_invariant(chain.state());
      }
    }

    WHEN("Charlie cancels a task that does not exist and posts one for an unknown program") {
      const Bytes cancel = chain.sign("Charlie", comp::make_call<task_queue::Module>(task_queue::CancelTask{42}));
      task_queue::PostTask post;
      post.program_hash = runtime::crypto::blake2b_256(runtime::crypto::as_bytes("no such program"));
      post.input = {1, 2, 3};
      post.fuel_limit.value = 1000;
      post.bounty.value = runtime::kUnitsPerCC;
      post.deadline_blocks = 10;
      const Bytes post_xt = chain.sign("Charlie", comp::make_call<task_queue::Module>(post), {.nonce = 1});
      auto cancel_fee = comp::query_info(chain.state(), cancel);
      auto post_fee = comp::query_info(chain.state(), post_xt);
      REQUIRE(cancel_fee.has_value());
      REQUIRE(post_fee.has_value());
      auto block = chain.produce_block({cancel, post_xt});
      REQUIRE(block.has_value());
      THEN("both are included as failed with TaskQueue's named errors") {
        REQUIRE(block.value().results.size() == 2);
        CHECK(outcome_text(block.value().results[0]) == "Err(TaskQueue.TaskNotFound)");
        CHECK(outcome_text(block.value().results[1]) == "Err(TaskQueue.ProgramNotFound)");
        CHECK(event_names_of_extrinsic(block.value().events, 1).back() == "System.ExtrinsicFailed");
        CHECK(event_names_of_extrinsic(block.value().events, 2).back() == "System.ExtrinsicFailed");
      }
      AND_THEN("nothing is held, no task exists, and only the fees and nonce moved") {
        CHECK(chain.nonce("Charlie") == 2);
        CHECK(chain.free("Charlie") == kEndowment - cancel_fee.value().partial_fee - post_fee.value().partial_fee);
        CHECK(credits::reserved_balance(chain.state(), dev_account("Charlie")) == 0);
        CHECK(task_queue::NextTaskId::get(chain.state()) == 0);
        const std::set<Bytes> expected = {system::Account::key(dev_account("Alice")),
                                          system::Account::key(dev_account("Charlie"))};
        CHECK(changed_keys_besides_bookkeeping(before, chain.state()) == expected);
        CHECK(chain.total_issuance() == issuance);
        require_issuance_invariant(chain.state());
      }
    }
  }
}

SCENARIO("System.remark_with_event emits Remarked with the blake2b-256 of the remark") {
  GIVEN("the test chain and Dave's remark") {
    TestChain chain;
    const Bytes remark = {'h', 'e', 'l', 'l', 'o', ' ', 'b', 'a', 'z', 'a', 'a', 'r'};
    const Bytes xt = chain.sign("Dave", comp::make_call<system::Module>(system::RemarkWithEvent{remark}));
    WHEN("it is included") {
      auto block = chain.produce_block({xt});
      REQUIRE(block.has_value());
      THEN("Remarked names Dave and the remark's hash, between the fee events") {
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        const std::vector<std::string> names = {"Credits.Withdraw", "System.Remarked", "Credits.Deposit",
                                                "TransactionPayment.TransactionFeePaid", "System.ExtrinsicSuccess"};
        CHECK(event_names_of_extrinsic(block.value().events, 1) == names);
        auto remarked = events_of<system::Remarked>(block.value().events, 1);
        REQUIRE(remarked.size() == 1);
        CHECK(remarked[0].sender == dev_account("Dave"));
        CHECK(remarked[0].hash == runtime::crypto::blake2b_256(remark));
        auto success = events_of<system::ExtrinsicSuccess>(block.value().events, 1);
        REQUIRE(success.size() == 1);
        CHECK(success[0].dispatch_info.weight == system::RemarkWithEvent{remark}.weight());
        require_issuance_invariant(chain.state());
      }
    }
    WHEN("the plain remark is sent instead") {
      const Bytes plain = chain.sign("Dave", comp::make_call<system::Module>(system::Remark{remark}));
      auto block = chain.produce_block({plain});
      REQUIRE(block.has_value());
      THEN("it succeeds without a Remarked event") {
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        CHECK(events_of<system::Remarked>(block.value().events).empty());
        CHECK(chain.nonce("Dave") == 1);
        require_issuance_invariant(chain.state());
      }
    }
  }
}

SCENARIO("transactions across several blocks keep nonces, fees and events per block") {
  GIVEN("the test chain") {
    TestChain chain;
    WHEN("Bob sends one transfer in each of three blocks") {
      Balance fees = 0;
      for (int i = 0; i < 3; ++i) {
        const Bytes xt = chain.sign("Bob", transfer_keep_alive("Dave", runtime::kUnitsPerCC));
        fees += comp::query_info(chain.state(), xt).value().partial_fee;
        auto block = chain.produce_block({xt});
        REQUIRE(block.has_value());
        CHECK(outcome_text(block.value().results[0]) == "Ok");
        // System.Events holds only the current block's events: the inherent's and the transfer's.
        CHECK(events_in(chain.state()).size() == 1 + 5);
      }
      THEN("the nonce counts the transactions and the balances add up") {
        CHECK(chain.best_number() == 3);
        CHECK(chain.nonce("Bob") == 3);
        CHECK(chain.free("Bob") == kEndowment - 3 * runtime::kUnitsPerCC - fees);
        CHECK(chain.free("Dave") == kEndowment + 3 * runtime::kUnitsPerCC);
        CHECK(chain.free("Alice") == kEndowment + fees);
        for (BlockNumber n = 0; n < 3; ++n) CHECK(system::BlockHash::get(chain.state(), n) == chain.block_hash(n));
        require_issuance_invariant(chain.state());
      }
    }
  }
}

}  // namespace
}  // namespace bazaar::test::composition
