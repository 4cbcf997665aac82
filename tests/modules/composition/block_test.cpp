// Block-level rules of the executive: the timestamp inherent (present, first,
// once, not too early), Aura slots, block length limits, and import
// (execute_block) agreeing with building, and refusing tampered blocks.

#include "tests/modules/composition/harness.hpp"

#include "runtime/crypto/hash.hpp"

namespace bazaar::test::composition {
namespace {

namespace credits = modules::credits;
namespace system = modules::system;
namespace timestamp = modules::timestamp;
using Catch::Matchers::Contains;
using runtime::InvalidTransaction;
using runtime::MultiAddressId;

comp::RuntimeCall transfer(std::string_view to, Balance amount) {
  return comp::make_call<credits::Module>(credits::TransferKeepAlive{MultiAddressId{dev_account(to)}, {amount}});
}

SCENARIO("every block carries exactly one timestamp inherent, before the signed extrinsics") {
  GIVEN("the test chain") {
    TestChain chain;
    const uint64_t slot = kFirstSlot;
    const Moment now = slot * kSlotDurationMs;

    WHEN("a block is built without the timestamp inherent") {
      const auto run = chain.run_block({}, {.timestamp_inherent = false});
      THEN("finalize fails saying so") {
        REQUIRE(run.finalize_error.has_value());
        CHECK_THAT(*run.finalize_error, Contains("timestamp"));
      }
      AND_THEN("importing such a block fails with the same message") {
        runtime::Block block{chain.next_header(slot), {}};
        auto r = chain.execute(block);
        REQUIRE_FALSE(r.has_value());
        CHECK_THAT(r.error(), Contains("timestamp"));
      }
    }
    WHEN("the inherent comes after a signed extrinsic") {
      const Bytes signed_xt = chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC));
      auto executor = chain.begin_block(slot);
      const auto first = executor->apply_extrinsic(signed_xt);
      const auto inherent = executor->apply_extrinsic(timestamp_inherent(now));
      THEN("the inherent is refused and the block cannot be finalized") {
        CHECK(outcome_text(first) == "Ok");
        CHECK(std::holds_alternative<runtime::TransactionValidityError>(inherent));
        auto finalized = executor->finalize();
        REQUIRE_FALSE(finalized.has_value());
        CHECK_THAT(finalized.error(), Contains("timestamp"));
      }
      AND_THEN("importing a block in that order fails naming extrinsic 1") {
        runtime::Block block{chain.next_header(slot), {{signed_xt}, {timestamp_inherent(now)}}};
        auto r = chain.execute(block);
        REQUIRE_FALSE(r.has_value());
        CHECK_THAT(r.error(), Contains("extrinsic 1 is invalid"));
      }
    }
    WHEN("a second timestamp inherent is offered") {
      const auto run = chain.run_block({timestamp_inherent(now + 1000)});
      THEN("it is refused (BadMandatory), the first time stays, the block is fine") {
        CHECK(outcome_text(run.results[0]) == invalid_text(InvalidTransaction::BadMandatory));
        REQUIRE_FALSE(run.finalize_error.has_value());
        CHECK(run.block.extrinsics.size() == 1);
        MemoryState after = chain.state();
        after.apply(run.changes);
        CHECK(timestamp::Now::get(after) == now);
      }
      AND_THEN("importing a block with both fails naming extrinsic 1") {
        runtime::Block block{chain.next_header(slot), {{timestamp_inherent(now)}, {timestamp_inherent(now + 1000)}}};
        auto r = chain.execute(block);
        REQUIRE_FALSE(r.has_value());
        CHECK_THAT(r.error(), Contains("extrinsic 1 is invalid"));
      }
    }
    WHEN("block 2's timestamp is less than the minimum period after block 1's") {
      // Block 1 late in its slot, block 2 early in the next: both times are in their slots.
      const Moment late = now + kSlotDurationMs - 100;
      REQUIRE(chain.produce_block({}, late, slot).has_value());
      auto executor = chain.begin_block(slot + 1);
      const auto r = executor->apply_extrinsic(timestamp_inherent(late + kSlotDurationMs / 2 - 1));
      THEN("the inherent is refused and the block cannot be finalized") {
        CHECK(outcome_text(r) == invalid_text(InvalidTransaction::BadMandatory));
        CHECK_FALSE(executor->finalize().has_value());
      }
      AND_THEN("exactly the minimum period later is accepted") {
        auto ok = chain.produce_block({}, late + kSlotDurationMs / 2, slot + 1);
        REQUIRE(ok.has_value());
        CHECK(timestamp::Now::get(chain.state()) == late + kSlotDurationMs / 2);
      }
    }
    require_issuance_invariant(chain.state());
  }
}

SCENARIO("Aura: each block needs a slot in its digest, later than its parent's") {
  GIVEN("the test chain with block 1 at slot kFirstSlot") {
    TestChain chain;
    REQUIRE(chain.produce_block({}).has_value());
    REQUIRE(modules::aura::CurrentSlot::get(chain.state()) == kFirstSlot);

    WHEN("block 2 uses the same slot") {
      auto r = chain.produce_block({}, (kFirstSlot + 1) * kSlotDurationMs, kFirstSlot);
      THEN("it fails with Aura's SlotNotIncreasing and the chain stays at block 1") {
        REQUIRE_FALSE(r.has_value());
        CHECK_THAT(r.error(), Contains("Aura.SlotNotIncreasing"));
        CHECK(chain.best_number() == 1);
      }
    }
    WHEN("block 2 uses an earlier slot") {
      auto r = chain.produce_block({}, (kFirstSlot + 1) * kSlotDurationMs, kFirstSlot - 1);
      THEN("it fails with SlotNotIncreasing") {
        REQUIRE_FALSE(r.has_value());
        CHECK_THAT(r.error(), Contains("Aura.SlotNotIncreasing"));
      }
    }
    WHEN("block 2 skips slots") {
      auto r = chain.produce_block({}, std::nullopt, kFirstSlot + 7);
      THEN("it is fine and the slot is recorded") {
        REQUIRE(r.has_value());
        CHECK(modules::aura::CurrentSlot::get(chain.state()) == kFirstSlot + 7);
      }
    }
    WHEN("block 2's header has no Aura pre-runtime digest") {
      runtime::Header header = chain.next_header(kFirstSlot + 1);
      header.digest.logs.clear();
      comp::BlockExecutor executor(chain.state(), header);
      auto inherent = executor.apply_extrinsic(timestamp_inherent((kFirstSlot + 1) * kSlotDurationMs));
      THEN("the block fails to finalize with Aura's MissingSlot") {
        CHECK(outcome_text(inherent) == "Ok");
        auto finalized = executor.finalize();
        REQUIRE_FALSE(finalized.has_value());
        CHECK_THAT(finalized.error(), Contains("Aura.MissingSlot"));
      }
    }
    require_issuance_invariant(chain.state());
  }
}

// pallet_aura checks on Timestamp.set that the timestamp's slot (now / slot duration) is the
// header's slot, so an author cannot claim a slot that is not its time (DESIGN.md: slot = unix time
// / slot duration).
SCENARIO("a block whose timestamp is not in its slot is refused") {
  GIVEN("the test chain") {
    TestChain chain;
    WHEN("block 1 claims slot kFirstSlot with a timestamp 100 slots later") {
      const auto run = chain.run_block(
          {}, {.slot = kFirstSlot, .timestamp = (kFirstSlot + 100) * kSlotDurationMs, .timestamp_inherent = true});
      THEN("the block is invalid") { CHECK(run.finalize_error.has_value()); }
    }
  }
}

SCENARIO("a block stops taking extrinsics at its length limit") {
  GIVEN("the test chain and three signed 2 MiB remarks by Bob") {
    TestChain chain;
    const Bytes remark(2 * 1024 * 1024, 0x5a);
    std::vector<Bytes> xts;
    for (Nonce n = 0; n < 3; ++n)
      xts.push_back(chain.sign("Bob", comp::make_call<system::Module>(system::Remark{remark}), {.nonce = n}));
    for (const auto& xt : xts)
      CHECK(validity_text(chain.validate(xt)) != validity_text(InvalidTransaction::ExhaustsResources));

    WHEN("they are offered to one block") {
      auto executor = chain.begin_block();
      const Bytes inherent = timestamp_inherent(kFirstSlot * kSlotDurationMs);
      REQUIRE(outcome_text(executor->apply_extrinsic(inherent)) == "Ok");
      std::vector<comp::ApplyExtrinsicResult> results;
      for (const auto& xt : xts) results.push_back(executor->apply_extrinsic(xt));
      THEN("the first two fit, the third exhausts the block's length") {
        CHECK(outcome_text(results[0]) == "Ok");
        CHECK(outcome_text(results[1]) == "Ok");
        CHECK(outcome_text(results[2]) == invalid_text(InvalidTransaction::ExhaustsResources));
        CHECK(executor->consumed_length() == inherent.size() + xts[0].size() + xts[1].size());
        CHECK(executor->consumed_length() + xts[2].size() > comp::block_limits().max_length);
        const auto remark_weight = system::Remark{remark}.weight();
        CHECK(executor->consumed_weight() == timestamp::Set::kWeight + remark_weight + remark_weight);
        CHECK(executor->finalize().has_value());
      }
    }
    WHEN("they are offered to two consecutive blocks") {
      auto first = chain.produce_block(xts);
      REQUIRE(first.has_value());
      auto second = chain.produce_block({xts[2]});
      REQUIRE(second.has_value());
      THEN("the next block takes the one left over") {
        CHECK(first.value().block.extrinsics.size() == 3);
        CHECK(outcome_text(second.value().results[0]) == "Ok");
        CHECK(chain.nonce("Bob") == 3);
        require_issuance_invariant(chain.state());
      }
    }
  }
}

SCENARIO("importing a block gives exactly the writes of building it; a tampered block is refused") {
  GIVEN("the test chain after block 1 and a block 2 with a transfer, a remark and a failing transfer") {
    TestChain chain;
    REQUIRE(chain.produce_block({chain.sign("Dave", transfer("Alice", runtime::kUnitsPerCC))}).has_value());
    const std::vector<Bytes> xts = {
        chain.sign("Bob", transfer("Charlie", 3 * runtime::kUnitsPerCC), {.tip = 1000}),
        chain.sign("Charlie", comp::make_call<system::Module>(system::RemarkWithEvent{{7, 7, 7}})),
        chain.sign("Dave", transfer("Bob", 5 * kEndowment)),
        chain.sign("Bob", transfer("Dave", runtime::kUnitsPerCC), {.nonce = 1}),
    };
    const auto run = chain.run_block(xts);
    REQUIRE_FALSE(run.finalize_error.has_value());
    REQUIRE(run.block.extrinsics.size() == 5);

    WHEN("the block is built again and imported with execute_block") {
      const auto again = chain.run_block(xts);
      auto imported = chain.execute(run.block);
      THEN("all three give the same ChangeSet") {
        CHECK(again.changes == run.changes);
        REQUIRE(imported.has_value());
        CHECK(imported.value() == run.changes);
        CHECK(outcome_text(run.results[2]) == "Err(Credits.InsufficientBalance)");
      }
    }
    WHEN("the block is imported and the next block built on it") {
      auto produced = chain.produce_block(xts);
      REQUIRE(produced.has_value());
      const auto next = chain.run_block({chain.sign("Charlie", transfer("Bob", runtime::kUnitsPerCC), {.nonce = 1})});
      auto imported = chain.execute(next.block);
      THEN("building and importing block 3 agree too") {
        REQUIRE(imported.has_value());
        CHECK(imported.value() == next.changes);
        require_issuance_invariant(chain.state());
      }
    }
    WHEN("extrinsic 1 is replaced by one whose signed content was altered") {
      runtime::Block tampered = run.block;
      auto decoded = runtime::decode_extrinsic(tampered.extrinsics[1].encoded);
      REQUIRE(decoded.has_value());
      auto xt = decoded.value();
      xt.call = runtime::codec::encode(transfer("Charlie", 300 * runtime::kUnitsPerCC));
      tampered.extrinsics[1].encoded = runtime::encode_extrinsic(xt);
      auto r = chain.execute(tampered);
      THEN("import fails naming the extrinsic and the bad signature") {
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == "extrinsic 1 is invalid: " + validity_text(InvalidTransaction::BadProof));
      }
    }
    WHEN("extrinsic 2 is replaced by garbage") {
      runtime::Block tampered = run.block;
      tampered.extrinsics[2].encoded = {0x08, 0x84, 0x00};
      auto r = chain.execute(tampered);
      THEN("import fails naming the extrinsic") {
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == "extrinsic 2 is invalid: " + validity_text(InvalidTransaction::Call));
      }
    }
    WHEN("extrinsic 4 is replaced by a replay of block 1's transfer") {
      runtime::Block tampered = run.block;
      tampered.extrinsics[4].encoded = chain.sign("Dave", transfer("Alice", runtime::kUnitsPerCC), {.nonce = 0});
      auto r = chain.execute(tampered);
      THEN("import fails with Stale") {
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == "extrinsic 4 is invalid: " + validity_text(InvalidTransaction::Stale));
      }
    }
    WHEN("Bob's two transfers are swapped") {
      runtime::Block tampered = run.block;
      std::swap(tampered.extrinsics[1], tampered.extrinsics[4]);
      auto r = chain.execute(tampered);
      THEN("import fails with Future at the first of them") {
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == "extrinsic 1 is invalid: " + validity_text(InvalidTransaction::Future));
      }
    }
    WHEN("the header's slot is changed to its parent's") {
      runtime::Block tampered = run.block;
      tampered.header.digest = aura_digest(chain.last_slot());
      auto r = chain.execute(tampered);
      THEN("import fails with Aura's error") {
        REQUIRE_FALSE(r.has_value());
        CHECK_THAT(r.error(), Contains("Aura.SlotNotIncreasing"));
      }
    }
    WHEN("Dave's failing transfer is replaced by a valid remark of his with the same nonce") {
      runtime::Block tampered = run.block;
      tampered.extrinsics[3].encoded = chain.sign("Dave", comp::make_call<system::Module>(system::Remark{{1}}));
      auto r = chain.execute(tampered);
      THEN("execute_block runs it (the extrinsics root is the node's check) with different writes") {
        INFO((r ? std::string() : r.error()));
        REQUIRE(r.has_value());
        CHECK(r.value() != run.changes);
      }
    }
    require_issuance_invariant(chain.state());
  }
}

}  // namespace
}  // namespace bazaar::test::composition
