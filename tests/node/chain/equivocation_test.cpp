// Two blocks sealed by one authority in one Aura slot are an equivocation:
// both are imported (fork choice decides between them), and the import
// reports the evidence to its listeners and keeps it.

#include "tests/node/chain/chain_fixture.hpp"

using namespace bazaar;
using namespace bazaar::test;

SCENARIO("an authority that seals two blocks in one slot is reported") {
  GIVEN("a dev chain whose only authority (Alice) seals #2 on #1 and another #1 on genesis in the same slot") {
    TempDir dir;
    auto node = TestNode::open(dir.path());
    node.clock->set(kStartMs + 60'000);
    Chain& chain = *node.chain;
    const auto alice = dev_key("//Alice");
    std::vector<node::chain::EquivocationEvent> seen;
    chain.subscribe({.on_equivocation = [&](const auto& e) { seen.push_back(e); }});

    const BlockInfo a1 = import_ok(chain, build_block(chain, chain.genesis(), kStartSlot + 1, alice));
    const Block a2 = build_block(chain, a1, kStartSlot + 3, alice);
    import_ok(chain, a2);
    CHECK(seen.empty());
    const Block b1 = build_block(chain, chain.genesis(), kStartSlot + 3, alice);
    WHEN("the second block of slot S+3 is imported") {
      import_ok(chain, b1);
      THEN("it is stored, and the equivocation names the slot, the offender and both headers") {
        REQUIRE(seen.size() == 1);
        CHECK(seen[0].slot == kStartSlot + 3);
        CHECK(seen[0].offender == alice.public_key());
        CHECK(runtime::header_hash(seen[0].first) == runtime::header_hash(a2.header));
        CHECK(runtime::header_hash(seen[0].second) == runtime::header_hash(b1.header));
        auto kept = chain.importer().equivocations();
        REQUIRE(kept.size() == 1);
        CHECK(kept[0].slot == kStartSlot + 3);
      }
      THEN("blocks in distinct slots are not equivocations") {
        import_ok(chain, build_block(chain, info_of(b1), kStartSlot + 4, alice));
        CHECK(seen.size() == 1);
      }
    }
  }
}
