// Block import: authored blocks re-import elsewhere with the same hashes, and
// every kind of tampered block is rejected with its reason and changes nothing.

#include "tests/node/chain/chain_fixture.hpp"

#include "modules/composition/executive.hpp"
#include "modules/composition/runtime.hpp"
#include "node/consensus/aura_author.hpp"
#include "node/trie/root.hpp"
#include "runtime/primitives/extrinsic.hpp"

using namespace bazaar;
using namespace bazaar::test;
using node::chain::ImportError;

namespace {

/// Imports `block` and returns the rejection reason (REQUIREs a rejection).
ImportError rejection(Chain& chain, const Block& block) {
  auto imported = chain.import_block(block);
  REQUIRE_FALSE(imported.has_value());
  INFO(imported.error().message);
  CHECK_FALSE(imported.error().message.empty());
  return imported.error().reason;
}

std::vector<runtime::Bytes> extrinsic_bytes(const Block& block) {
  std::vector<runtime::Bytes> out;
  for (const auto& x : block.extrinsics) out.push_back(x.encoded);
  return out;
}

namespace composition = modules::composition;

/// A sealed block on `parent` at `slot` (by //Alice): the timestamp inherent,
/// then `count` transfers of `amount` CC from //Alice to `to` with the next
/// nonces of the parent state.
Block transfer_block(const Chain& chain, const BlockInfo& parent, Slot slot, const runtime::AccountId32& to,
                     runtime::Balance amount, std::size_t count) {
  const auto alice = dev_key("//Alice");
  auto state = chain.state_at(parent.hash).value();
  const auto& version = composition::runtime_version();
  const runtime::AdditionalSigned additional{version.spec_version, version.transaction_version, chain.genesis().hash,
                                             chain.genesis().hash};
  const runtime::Nonce first = composition::account_nonce(*state, alice.account_id());
  std::vector<runtime::Bytes> transfers;
  for (std::size_t i = 0; i < count; ++i) {
    auto call = runtime::codec::encode(composition::make_call<modules::credits::Module>(
        modules::credits::TransferKeepAlive{runtime::MultiAddress{runtime::MultiAddressId{to}}, {amount * runtime::kUnitsPerCC}}));
    runtime::SignedExtra extra{runtime::Era::immortal(), {static_cast<runtime::Nonce>(first + i)}, {0}};
    transfers.push_back(runtime::encode_extrinsic(runtime::sign_extrinsic(alice, std::move(call), extra, additional)));
  }
  return block_with_extrinsics(chain, parent, slot, alice, transfers);
}

}  // namespace

SCENARIO("blocks authored on one node import into a fresh database with identical hashes") {
  GIVEN("an authoring node that made 5 blocks and a fresh node of the same chain") {
    TempDir dir_a, dir_b;
    auto a = TestNode::open(dir_a.path());
    auto b = TestNode::open(dir_b.path());
    node::consensus::AuraAuthor author(*a.chain, nullptr, *a.clock, {.keys = {dev_key("//Alice")}});
    std::vector<BlockInfo> authored;
    for (Slot slot = kStartSlot; slot < kStartSlot + 5; ++slot) {
      a.clock->set(node::consensus::slot_start(slot, 1000));
      auto made = author.author_slot(slot);
      REQUIRE(made.has_value());
      REQUIRE(made.value().has_value());
      CHECK(made.value()->finalized_parent == (slot > kStartSlot));
      authored.push_back(made.value()->block);
    }
    REQUIRE(a.chain->best() == authored.back());
    REQUIRE(a.chain->finalized() == authored[authored.size() - 2]);  // dev finality: one block behind

    std::vector<node::chain::BlockImportedEvent> events;
    b.chain->subscribe({.on_imported = [&](const auto& e) { events.push_back(e); }});

    WHEN("node B imports them in order") {
      b.clock->set(a.clock->now_ms());
      for (const auto& info : authored) {
        auto block = a.chain->blocks().block(info.hash).value();
        REQUIRE(block.has_value());
        auto imported = b.chain->import_block(*block);
        REQUIRE(imported.has_value());
        CHECK(imported.value().block == info);
        CHECK(imported.value().is_new_best);
      }
      THEN("both have the same best chain, block for block, with the same states") {
        CHECK(b.chain->best() == a.chain->best());
        for (const auto& info : authored) {
          CHECK(b.chain->blocks().canonical_hash(info.number).value() == info.hash);
          CHECK(b.chain->blocks().header(info.hash).value() == a.chain->blocks().header(info.hash).value());
        }
        REQUIRE(events.size() == authored.size());
        CHECK(events.back().block == authored.back());
        CHECK(events.back().extrinsic_hashes.size() == 1);  // the timestamp inherent
      }
      THEN("importing a block again is AlreadyKnown") {
        auto block = a.chain->blocks().block(authored[2].hash).value();
        CHECK(rejection(*b.chain, *block) == ImportError::AlreadyKnown);
      }
    }
  }
}

SCENARIO("tampered blocks are rejected with the right reason") {
  GIVEN("a valid block #1 built on another node, and a fresh node at genesis") {
    TempDir dir_a, dir_b;
    auto a = TestNode::open(dir_a.path());
    auto b = TestNode::open(dir_b.path());
    const auto alice = dev_key("//Alice");
    const Block good = build_block(*a.chain, a.chain->genesis(), kStartSlot, alice);
    Chain& chain = *b.chain;
    const BlockInfo genesis = chain.genesis();

    THEN("a flipped signature byte is BadSeal") {
      Block bad = good;
      auto& seal = std::get<runtime::DigestSeal>(bad.header.digest.logs.back());
      seal.data[10] ^= 0x01;
      CHECK(rejection(chain, bad) == ImportError::BadSeal);
    }
    THEN("a block without a seal is BadSeal") {
      Block bad = good;
      bad.header.digest.logs.pop_back();
      CHECK(rejection(chain, bad) == ImportError::BadSeal);
    }
    THEN("a block sealed by a key that is no authority is BadSeal") {
      CHECK(rejection(chain, reseal(good, dev_key("//Bob"), [](Header&) {})) == ImportError::BadSeal);
    }
    THEN("a wrong state root is StateRootMismatch") {
      auto bad = reseal(good, alice, [](Header& h) { h.state_root.bytes[0] ^= 0xff; });
      CHECK(rejection(chain, bad) == ImportError::StateRootMismatch);
    }
    THEN("a wrong extrinsics root is ExtrinsicsRootMismatch") {
      auto bad = reseal(good, alice, [](Header& h) { h.extrinsics_root = node::trie::ordered_trie_root({}); });
      CHECK(rejection(chain, bad) == ImportError::ExtrinsicsRootMismatch);
    }
    THEN("a garbage extrinsic (with a matching extrinsics root) is ExecutionFailed") {
      Block bad = good;
      bad.extrinsics.push_back(runtime::OpaqueExtrinsic{{0x0c, 0xde, 0xad, 0x42}});
      const auto root = node::trie::ordered_trie_root(extrinsic_bytes(bad));
      bad = reseal(bad, alice, [&](Header& h) { h.extrinsics_root = root; });
      CHECK(rejection(chain, bad) == ImportError::ExecutionFailed);
    }
    THEN("an unknown parent is UnknownParent") {
      auto bad = reseal(good, alice, [](Header& h) { h.parent_hash.bytes[31] ^= 0x01; });
      CHECK(rejection(chain, bad) == ImportError::UnknownParent);
    }
    THEN("a number that is not parent + 1 is BadNumber") {
      auto bad = reseal(good, alice, [](Header& h) { h.number.value = 2; });
      CHECK(rejection(chain, bad) == ImportError::BadNumber);
    }
    THEN("a header without the Aura slot is MissingSlot") {
      auto bad = reseal(good, alice, [](Header& h) { h.digest.logs.erase(h.digest.logs.begin()); });
      CHECK(rejection(chain, bad) == ImportError::MissingSlot);
    }
    THEN("a slot far ahead of the local clock is FutureSlot, and imports once the clock gets there") {
      const Block ahead = build_block(*a.chain, a.chain->genesis(), kStartSlot + 10, alice);
      CHECK(rejection(chain, ahead) == ImportError::FutureSlot);
      b.clock->advance(10'000);
      import_ok(chain, ahead);
    }
    THEN("bytes that are not a block are Corrupt") {
      const runtime::Bytes garbage{0x01, 0x02, 0x03};
      auto imported = chain.importer().import_encoded(garbage);
      REQUIRE_FALSE(imported.has_value());
      CHECK(imported.error().reason == ImportError::Corrupt);
      CHECK(node::chain::is_bad_block(ImportError::Corrupt));
    }
    THEN("none of the rejections changed the chain, and the untouched block still imports") {
      CHECK(rejection(chain, reseal(good, alice, [](Header& h) { h.state_root.bytes[0] ^= 1; })) ==
            ImportError::StateRootMismatch);
      CHECK(chain.best() == genesis);
      CHECK(chain.blocks().head().leaves == std::vector<BlockInfo>{genesis});
      auto encoded = runtime::codec::encode(good);
      auto imported = chain.importer().import_encoded(encoded);
      REQUIRE(imported.has_value());
      CHECK(imported.value().block == info_of(good));
      CHECK(chain.best() == info_of(good));
    }
  }
  GIVEN("a chain with block #1 at slot s") {
    TempDir dir;
    auto node = TestNode::open(dir.path());
    const auto alice = dev_key("//Alice");
    const Block first = build_block(*node.chain, node.chain->genesis(), kStartSlot, alice);
    const BlockInfo one = import_ok(*node.chain, first);
    THEN("a block #2 that repeats slot s is SlotNotIncreasing") {
      const Block second = build_block(*node.chain, one, kStartSlot + 1, alice);
      auto bad = reseal(second, alice, [](Header& h) { h.digest.logs.front() = node::chain::aura_pre_digest(kStartSlot); });
      CHECK(rejection(*node.chain, bad) == ImportError::SlotNotIncreasing);
      import_ok(*node.chain, second);
    }
  }
}

SCENARIO("with several authorities, each slot belongs to one of them") {
  GIVEN("the local chain (authorities Alice, Bob, Charlie) at genesis") {
    TempDir dir;
    auto node = TestNode::open(dir.path(), "local");
    const Slot alice_slot = kStartSlot + (3 - kStartSlot % 3) % 3;  // slot % 3 == 0: Alice
    const BlockInfo genesis = node.chain->genesis();
    THEN("a block sealed by Bob in Alice's slot is WrongAuthor") {
      const Block bad = build_block(*node.chain, genesis, alice_slot, dev_key("//Bob"));
      CHECK(rejection(*node.chain, bad) == ImportError::WrongAuthor);
      CHECK(node::chain::is_bad_block(ImportError::WrongAuthor));
    }
    THEN("Alice's block in her slot and Bob's in the next one import") {
      node.clock->set(node::consensus::slot_start(alice_slot + 1, 1000));
      const BlockInfo one = import_ok(*node.chain, build_block(*node.chain, genesis, alice_slot, dev_key("//Alice")));
      import_ok(*node.chain, build_block(*node.chain, one, alice_slot + 1, dev_key("//Bob")));
      CHECK(node.chain->best().number == 2);
    }
  }
}

SCENARIO("imports read through the value cache across forks, re-orgs and failed imports") {
  // Execution reads its parent state through a value cache that follows the
  // imported chain (node/state/value_cache.hpp). On fork A //Alice pays //Bob,
  // on fork B //Charlie, different amounts, with her nonces of that fork: a
  // stale nonce or balance read through the cache would fail the import.
  GIVEN("two forks from genesis authored on one node, imported interleaved on another") {
    TempDir builder_dir, importer_dir;
    auto builder = TestNode::open(builder_dir.path());
    auto importer = TestNode::open(importer_dir.path());
    builder.clock->set(kStartMs + 120'000);
    importer.clock->set(kStartMs + 120'000);
    Chain& b = *builder.chain;
    Chain& chain = *importer.chain;
    const auto alice = dev_key("//Alice");
    const auto bob = dev_key("//Bob").account_id(), charlie = dev_key("//Charlie").account_id();
    // Fork A pays Bob 1 CC per transfer, fork B pays Charlie 2 CC.
    auto author = [&](const BlockInfo& parent, Slot slot, bool fork_a) {
      Block block = transfer_block(b, parent, kStartSlot + slot, fork_a ? bob : charlie, fork_a ? 1 : 2, 3);
      import_ok(b, block);
      return block;
    };
    const BlockInfo g = b.genesis();
    const Block a1 = author(g, 1, true), b1 = author(g, 2, false);
    const Block a2 = author(info_of(a1), 3, true), b2 = author(info_of(b1), 4, false);
    const Block a3 = author(info_of(a2), 5, true), b3 = author(info_of(b2), 6, false);
    const Block b4 = author(info_of(b3), 8, false), b5 = author(info_of(b4), 9, false);
    const Block a4 = author(info_of(a3), 10, true), a5 = author(info_of(a4), 11, true);
    const Block a6 = author(info_of(a5), 12, true);

    WHEN("they are imported in an interleaved order with a tampered block among them") {
      import_ok(chain, a1);
      import_ok(chain, b1);  // a fork block: its parent is not the cache's state
      import_ok(chain, a2);
      import_ok(chain, b2);
      // Fails after executing on a2's state through the cache.
      const auto tampered = reseal(a3, alice, [](Header& h) { h.state_root.bytes[0] ^= 0xff; });
      CHECK(rejection(chain, tampered) == ImportError::StateRootMismatch);
      import_ok(chain, a3);
      import_ok(chain, b3);
      CHECK(chain.best() == info_of(a3));  // a tie: first seen stays best
      import_ok(chain, b4);                  // re-org to fork B
      CHECK(chain.best() == info_of(b4));
      import_ok(chain, b5);  // on the best block while the cache is at a3's state
      import_ok(chain, a4);
      import_ok(chain, a5);
      import_ok(chain, a6);  // re-org back to fork A
      THEN("every block imported with the state root its author computed, and fork A is best") {
        CHECK(chain.best() == info_of(a6));
        for (const Block* block : {&a1, &a2, &a3, &a4, &a5, &a6, &b1, &b2, &b3, &b4, &b5}) {
          auto header = chain.blocks().header(info_of(*block).hash).value();
          REQUIRE(header);
          CHECK(header->state_root == block->header.state_root);
        }
      }
    }
  }
}
