// Chain start-up: the genesis block from a chain spec, and its determinism.

#include "tests/node/chain/chain_fixture.hpp"

#include "modules/composition/runtime.hpp"
#include "node/trie/root.hpp"

using namespace bazaar;
using namespace bazaar::test;

SCENARIO("an empty database gets the genesis block of the chain spec") {
  GIVEN("a fresh database opened with the dev spec") {
    TempDir dir;
    auto node = TestNode::open(dir.path());
    const Chain& chain = *node.chain;

    THEN("genesis is best and finalized, block 0 of the number index") {
      CHECK(chain.genesis().number == 0);
      CHECK(chain.best() == chain.genesis());
      CHECK(chain.finalized() == chain.genesis());
      CHECK(chain.blocks().canonical_hash(0).value() == chain.genesis().hash);
      CHECK(chain.blocks().head().leaves == std::vector<BlockInfo>{chain.genesis()});
    }
    THEN("its header is Substrate's genesis header over the spec's state") {
      auto header = chain.blocks().require_header(chain.genesis().hash).value();
      CHECK(header.parent_hash.is_zero());
      CHECK(header.number.value == 0);
      CHECK(header.digest.logs.empty());
      CHECK(header.extrinsics_root == node::trie::ordered_trie_root({}));
      CHECK(header.state_root == node::chain::genesis_state_root(spec("dev").genesis_storage));
      CHECK(runtime::header_hash(header) == chain.genesis().hash);
      CHECK(chain.blocks().body(chain.genesis().hash).value()->empty());
    }
    THEN("the genesis state holds the spec's runtime genesis: Alice is the one authority") {
      auto state = chain.state_at(chain.genesis().hash);
      REQUIRE(state.has_value());
      auto authorities = modules::aura::Authorities::get(*state.value());
      REQUIRE(authorities.size() == 1);
      CHECK(authorities[0] == dev_key("//Alice").public_key());
      CHECK(modules::credits::free_balance(*state.value(), dev_key("//Ferdie").account_id()) ==
            runtime::Balance(1'000'000) * runtime::kUnitsPerCC);
    }
    THEN("state_at an unknown block is an error") {
      auto state = chain.state_at(H256{});
      REQUIRE_FALSE(state.has_value());
      CHECK(state.error() == node::chain::ChainError::UnknownBlock);
    }
  }
}

SCENARIO("genesis is deterministic") {
  GIVEN("two fresh databases opened with the same spec") {
    TempDir a, b;
    auto node_a = TestNode::open(a.path());
    auto node_b = TestNode::open(b.path());
    THEN("they have the same genesis hash, which is the spec's") {
      CHECK(node_a.chain->genesis().hash == node_b.chain->genesis().hash);
      const auto expected = runtime::header_hash(
          node::chain::genesis_header(node::chain::genesis_state_root(spec("dev").genesis_storage)));
      CHECK(node_a.chain->genesis().hash == expected);
    }
    THEN("another spec gives another genesis") {
      TempDir c;
      auto node_c = TestNode::open(c.path(), "local");
      CHECK(node_c.chain->genesis().hash != node_a.chain->genesis().hash);
    }
  }
}
