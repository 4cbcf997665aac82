// Fork choice (longest chain containing the last finalized block), reorgs,
// finality and the listeners' view of them.

#include "tests/node/chain/chain_fixture.hpp"

using namespace bazaar;
using namespace bazaar::test;
using node::chain::ChainError;
using node::chain::ImportError;

namespace {

struct Recorder {
  std::vector<node::chain::NewBestEvent> best;
  std::vector<node::chain::FinalizedEvent> finalized;
  std::vector<node::chain::BlockImportedEvent> imported;

  node::chain::ChainListener listener() {
    return {.on_imported = [this](const auto& e) { imported.push_back(e); },
            .on_new_best = [this](const auto& e) { best.push_back(e); },
            .on_finalized = [this](const auto& e) { finalized.push_back(e); }};
  }
};

std::vector<BlockInfo> canonical_chain(const Chain& chain) {
  std::vector<BlockInfo> out;
  for (runtime::BlockNumber n = 0;; ++n) {
    auto hash = chain.blocks().canonical_hash(n).value();
    if (!hash) return out;
    out.push_back({*hash, n});
  }
}

}  // namespace

SCENARIO("the best block is the longest chain containing the finalized block") {
  GIVEN("fork A (2 blocks) imported before fork B (3 blocks), both on genesis") {
    TempDir dir;
    auto node = TestNode::open(dir.path());
    node.clock->set(kStartMs + 60'000);
    Chain& chain = *node.chain;
    const auto alice = dev_key("//Alice");
    const BlockInfo g = chain.genesis();
    Recorder events;
    chain.subscribe(events.listener());

    const BlockInfo a1 = import_ok(chain, build_block(chain, g, kStartSlot + 1, alice));
    const BlockInfo a2 = import_ok(chain, build_block(chain, a1, kStartSlot + 3, alice));
    const BlockInfo b1 = import_ok(chain, build_block(chain, g, kStartSlot + 2, alice));
    const BlockInfo b2 = import_ok(chain, build_block(chain, b1, kStartSlot + 4, alice));

    THEN("a shorter or equally long fork does not take over: first seen wins") {
      CHECK(chain.best() == a2);
      CHECK(canonical_chain(chain) == std::vector<BlockInfo>{g, a1, a2});
      CHECK(events.imported.size() == 4);
      CHECK_FALSE(events.imported[3].is_new_best);
      CHECK(events.best.size() == 2);
    }

    WHEN("fork B grows longer") {
      const BlockInfo b3 = import_ok(chain, build_block(chain, b2, kStartSlot + 5, alice));

      THEN("it becomes best: A is retracted, B enacted, the number index follows") {
        CHECK(chain.best() == b3);
        CHECK(canonical_chain(chain) == std::vector<BlockInfo>{g, b1, b2, b3});
        REQUIRE(events.best.size() == 3);
        CHECK(events.best.back().best == b3);
        CHECK(events.best.back().retracted == std::vector<BlockInfo>{a2, a1});
        CHECK(events.best.back().enacted == std::vector<BlockInfo>{b1, b2, b3});
        auto leaves = chain.blocks().head().leaves;
        CHECK(leaves.size() == 2);
        CHECK(std::count(leaves.begin(), leaves.end(), a2) == 1);
        CHECK(std::count(leaves.begin(), leaves.end(), b3) == 1);
      }

      AND_WHEN("block A1 of the shorter fork is finalized") {
        REQUIRE(chain.finalize(a1.hash).has_value());

        THEN("the best block becomes the longest chain containing A1, even though it is shorter") {
          CHECK(chain.finalized() == a1);
          CHECK(chain.best() == a2);
          CHECK(canonical_chain(chain) == std::vector<BlockInfo>{g, a1, a2});
          CHECK(chain.blocks().head().leaves == std::vector<BlockInfo>{a2});
          REQUIRE(events.best.size() == 4);
          CHECK(events.best.back().retracted == std::vector<BlockInfo>{b3, b2, b1});
          CHECK(events.best.back().enacted == std::vector<BlockInfo>{a1, a2});
          REQUIRE(events.finalized.size() == 1);
          CHECK(events.finalized.back().newly_finalized == std::vector<BlockInfo>{a1});
        }
        THEN("blocks of the excluded fork are NotInFinalizedChain and cannot be finalized") {
          auto b4 = build_block(chain, b3, kStartSlot + 6, alice);
          auto imported = chain.import_block(b4);
          REQUIRE_FALSE(imported.has_value());
          CHECK(imported.error().reason == ImportError::NotInFinalizedChain);
          auto c1 = build_block(chain, g, kStartSlot + 7, alice);
          CHECK(chain.import_block(c1).error().reason == ImportError::NotInFinalizedChain);
          CHECK(chain.finalize(b2.hash).error() == ChainError::NotInFinalizedChain);
          CHECK(chain.finalize(g.hash).error() == ChainError::NotInFinalizedChain);
          CHECK(chain.finalize(H256{}).error() == ChainError::UnknownBlock);
          CHECK(chain.finalized() == a1);
          CHECK(chain.best() == a2);
        }
        THEN("finalizing A1 again only adds a justification") {
          const runtime::Bytes justification{1, 2, 3};
          REQUIRE(chain.finalize(a1.hash, justification).has_value());
          CHECK(chain.blocks().justification(a1.hash).value() == justification);
          CHECK(events.finalized.size() == 1);
        }

        AND_WHEN("a longer fork grows from A1 and then several blocks are finalized at once") {
          const BlockInfo c2 = import_ok(chain, build_block(chain, a1, kStartSlot + 8, alice));
          const BlockInfo c3 = import_ok(chain, build_block(chain, c2, kStartSlot + 9, alice));
          REQUIRE(chain.finalize(c3.hash, runtime::Bytes{9}).has_value());

          THEN("the reorg to it kept the finalized block and the finality covers C2 and C3") {
            CHECK(canonical_chain(chain) == std::vector<BlockInfo>{g, a1, c2, c3});
            CHECK(events.best.back().best == c3);
            CHECK(events.best.back().retracted == std::vector<BlockInfo>{a2});
            CHECK(events.finalized.back().newly_finalized == std::vector<BlockInfo>{c2, c3});
            CHECK(chain.blocks().justification(c3.hash).value() == runtime::Bytes{9});
            CHECK(chain.blocks().head().leaves == std::vector<BlockInfo>{c3});
          }
        }
      }
    }
  }
}

SCENARIO("tree routes and ancestry across forks") {
  GIVEN("two forks from block 1") {
    TempDir dir;
    auto node = TestNode::open(dir.path());
    node.clock->set(kStartMs + 60'000);
    Chain& chain = *node.chain;
    const auto alice = dev_key("//Alice");
    const BlockInfo b1 = import_ok(chain, build_block(chain, chain.genesis(), kStartSlot + 1, alice));
    const BlockInfo x2 = import_ok(chain, build_block(chain, b1, kStartSlot + 2, alice));
    const BlockInfo y2 = import_ok(chain, build_block(chain, b1, kStartSlot + 3, alice));
    const BlockInfo y3 = import_ok(chain, build_block(chain, y2, kStartSlot + 4, alice));
    THEN("the route from X2 to Y3 goes through B1") {
      auto route = chain.blocks().tree_route(x2, y3).value();
      CHECK(route.common == b1);
      CHECK(route.retracted == std::vector<BlockInfo>{x2});
      CHECK(route.enacted == std::vector<BlockInfo>{y2, y3});
      CHECK(chain.blocks().is_descendant(y3, b1).value());
      CHECK_FALSE(chain.blocks().is_descendant(x2, y2).value());
      CHECK(chain.blocks().ancestor_at(x2, 0).value()->hash == chain.genesis().hash);
      CHECK_FALSE(chain.blocks().ancestor_at(x2, 3).value().has_value());
    }
  }
}
