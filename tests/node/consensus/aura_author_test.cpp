// Aura authoring: whose slot it is, pool transactions in blocks, invalid ones
// removed, dev finality, the worker thread driven by a manual clock.

#include "tests/node/chain/chain_fixture.hpp"

#include "modules/composition/executive.hpp"
#include "modules/composition/runtime.hpp"
#include "node/consensus/aura_author.hpp"
#include "runtime/primitives/extrinsic.hpp"

using namespace bazaar;
using namespace bazaar::test;
using node::consensus::AuraAuthor;
using node::consensus::ManualClock;
using node::consensus::SystemClock;

namespace {

namespace composition = modules::composition;

/// A signed Credits.transfer_keep_alive(dest, amount) from `from` with `nonce`.
runtime::Bytes transfer(const Chain& chain, const runtime::crypto::Keypair& from, const runtime::AccountId32& dest,
                        runtime::Balance amount, runtime::Nonce nonce) {
  const auto call = runtime::codec::encode(composition::make_call<modules::credits::Module>(
      modules::credits::TransferKeepAlive{runtime::MultiAddress{runtime::MultiAddressId{dest}}, {amount}}));
  runtime::SignedExtra extra{runtime::Era::immortal(), {nonce}, {0}};
  const auto& version = composition::runtime_version();
  runtime::AdditionalSigned additional{version.spec_version, version.transaction_version, chain.genesis().hash,
                                       chain.genesis().hash};
  return runtime::encode_extrinsic(runtime::sign_extrinsic(from, call, extra, additional));
}

/// The pool's validator on the chain's best state (what the node service wires).
node::txpool::Validator validator_for(const Chain& chain) {
  return [&chain](node::txpool::TransactionSource source, runtime::ByteSpan xt) {
    const auto best = chain.best();
    auto state = chain.state_at(best.hash).value();
    auto validity = composition::validate_transaction(
        *state, static_cast<composition::TransactionSource>(source), xt, best.hash);
    return node::txpool::ValidationResult{std::move(validity)};
  };
}

runtime::Balance balance_at(const Chain& chain, const BlockInfo& block, const runtime::AccountId32& who) {
  return modules::credits::free_balance(*chain.state_at(block.hash).value(), who);
}

}  // namespace

SCENARIO("an author builds blocks only in its own slots") {
  GIVEN("the local chain (Alice, Bob, Charlie) and an author holding only Alice's key") {
    TempDir dir;
    auto node = TestNode::open(dir.path(), "local");
    AuraAuthor author(*node.chain, nullptr, *node.clock, {.keys = {dev_key("//Alice")}});
    const Slot alice_slot = kStartSlot + (3 - kStartSlot % 3) % 3;  // slot % 3 == 0: Alice's turn

    THEN("Bob's slot gives no block") {
      auto made = author.author_slot(alice_slot + 1);
      REQUIRE(made.has_value());
      CHECK_FALSE(made.value().has_value());
      CHECK(node.chain->best() == node.chain->genesis());
    }
    THEN("Alice's slot gives a block with the slot in its digest, not finalized (three authorities)") {
      auto made = author.author_slot(alice_slot);
      REQUIRE(made.has_value());
      REQUIRE(made.value().has_value());
      CHECK(made.value()->slot == alice_slot);
      CHECK_FALSE(made.value()->finalized_parent);
      CHECK(node.chain->best() == made.value()->block);
      CHECK(node.chain->finalized() == node.chain->genesis());
      auto header = node.chain->blocks().header(made.value()->block.hash).value();
      CHECK(node::chain::aura_slot(*header) == alice_slot);

      AND_THEN("a slot that is not after the best block's slot gives no block") {
        auto again = author.author_slot(alice_slot);
        REQUIRE(again.has_value());
        CHECK_FALSE(again.value().has_value());
      }
    }
  }
}

SCENARIO("authored blocks carry the pool's transactions") {
  GIVEN("the dev chain, a pool told about imported blocks, and a signed transfer Alice -> Bob in it") {
    TempDir dir;
    auto node = TestNode::open(dir.path());
    Chain& chain = *node.chain;
    node::txpool::TxPool pool({}, validator_for(chain));
    chain.subscribe({.on_imported = [&](const node::chain::BlockImportedEvent& e) {
      pool.on_block_imported(e.block.number, e.block.hash, e.extrinsic_hashes, validator_for(chain));
    }});
    const auto alice = dev_key("//Alice");
    const auto bob = dev_key("//Bob").account_id();
    const runtime::Balance amount = 5 * runtime::kUnitsPerCC;
    const auto before = balance_at(chain, chain.genesis(), bob);
    auto submitted = pool.submit(node::txpool::TransactionSource::External, transfer(chain, alice, bob, amount, 0));
    REQUIRE(submitted.has_value());
    AuraAuthor author(chain, &pool, *node.clock, {.keys = {alice}});

    WHEN("Alice authors the next slot") {
      auto made = author.author_slot(kStartSlot);
      REQUIRE(made.has_value());
      REQUIRE(made.value().has_value());
      THEN("the block includes the transfer, Bob got the amount, the pool is empty") {
        CHECK(made.value()->transactions == 1);
        auto body = chain.blocks().body(made.value()->block.hash).value();
        REQUIRE(body.has_value());
        CHECK(body->size() == 2);  // timestamp inherent + transfer
        CHECK(balance_at(chain, made.value()->block, bob) == before + amount);
        CHECK(pool.status().ready == 0);
        CHECK_FALSE(pool.contains(submitted.value()));
      }
      THEN("with one authority finality stays one block behind: the first block finalizes nothing") {
        CHECK_FALSE(made.value()->finalized_parent);
        CHECK(chain.finalized() == chain.genesis());
      }
      AND_WHEN("Alice authors the following slot") {
        const BlockInfo first = made.value()->block;
        auto next = author.author_slot(kStartSlot + 1);
        REQUIRE(next.has_value());
        REQUIRE(next.value().has_value());
        THEN("the first block is finalized, not the new one") {
          CHECK(next.value()->finalized_parent);
          CHECK(chain.finalized() == first);
          CHECK(chain.best() == next.value()->block);
        }
      }
    }
  }
  GIVEN("a pool that accepted bytes the runtime rejects") {
    TempDir dir;
    auto node = TestNode::open(dir.path());
    Chain& chain = *node.chain;
    uint8_t tag = 0;
    node::txpool::TxPool pool({}, [&](node::txpool::TransactionSource, runtime::ByteSpan) {
      runtime::ValidTransaction valid;
      valid.provides_tags.push_back({tag++});
      return node::txpool::ValidationResult::valid(valid);
    });
    // Well-formed framing, but a bare call to a module that does not exist.
    auto garbage = pool.submit(node::txpool::TransactionSource::External, runtime::Bytes{0x0c, 0x04, 0xee, 0x00});
    REQUIRE(garbage.has_value());
    AuraAuthor author(chain, &pool, *node.clock, {.keys = {dev_key("//Alice")}});
    WHEN("a block is authored") {
      auto made = author.author_slot(kStartSlot);
      REQUIRE(made.has_value());
      REQUIRE(made.value().has_value());
      THEN("the invalid transaction is left out and removed from the pool") {
        CHECK(made.value()->transactions == 0);
        CHECK(made.value()->invalid == 1);
        CHECK_FALSE(pool.contains(garbage.value()));
        CHECK(chain.blocks().body(made.value()->block.hash).value()->size() == 1);
      }
    }
  }
}

SCENARIO("the authoring worker follows the slot clock") {
  GIVEN("a dev chain and a running author on a manual clock") {
    TempDir dir;
    auto node = TestNode::open(dir.path());
    AuraAuthor author(*node.chain, nullptr, *node.clock, {.keys = {dev_key("//Alice")}});
    author.start();
    WHEN("the clock moves one slot at a time") {
      bool progressed = true;
      for (runtime::BlockNumber n = 1; n <= 3 && progressed; ++n) {
        progressed = eventually([&] { return node.chain->best().number >= n; });
        node.clock->advance(1000);
      }
      author.stop();
      THEN("a block is authored in each slot and finality follows one block behind") {
        CHECK(progressed);
        CHECK(node.chain->best().number >= 3);
        CHECK(node.chain->finalized().number + 1 == node.chain->best().number);
      }
    }
  }
}

SCENARIO("slot clocks") {
  GIVEN("a manual clock") {
    ManualClock clock(5000);
    CHECK(node::consensus::slot_at(clock.now_ms(), 1000) == 5);
    CHECK(node::consensus::slot_start(6, 1000) == 6000);
    THEN("wait_until returns once another thread moves the clock past the deadline") {
      std::jthread mover([&] { clock.advance(1000); });
      CHECK(clock.wait_until(6000, std::stop_token{}));
      CHECK(clock.now_ms() >= 6000);
    }
    THEN("wait_until returns false when stop is requested") {
      std::stop_source stop;
      std::jthread stopper([&] { stop.request_stop(); });
      CHECK_FALSE(clock.wait_until(1'000'000, stop.get_token()));
    }
  }
  GIVEN("the system clock") {
    SystemClock clock;
    THEN("a deadline in the past returns at once, and a stop request ends a long wait") {
      CHECK(clock.wait_until(clock.now_ms() - 1, std::stop_token{}));
      std::stop_source stop;
      std::jthread stopper([&] { stop.request_stop(); });
      CHECK_FALSE(clock.wait_until(clock.now_ms() + 60'000, stop.get_token()));
    }
  }
}
