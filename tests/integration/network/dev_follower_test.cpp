// A full node following a single-authority dev node (--chain dev --alice):
// the dev node's finality voter finalizes each block once its child is
// authored and stores a justification with it; the follower gets the
// justifications (sync, commits) and its finalized head advances.

#include "tests/integration/network/net_env.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using bazaar::test::eventually;
using bazaar::test::NetEnv;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// The justifications of block `hash` on node i as chain_getBlock returns them (null if none).
json justifications(NetEnv& env, std::size_t i, const std::string& hash) {
  auto block = env.rpc(i, "chain_getBlock", json::array({hash}));
  return block.is_object() ? block["justifications"] : json();
}

}  // namespace

SCENARIO("a full node following a dev node finalizes what the dev node finalized") {
  GIVEN("a dev node (the only authority) that has authored a few blocks") {
    NetEnv env("dev", {"alice"});
    env.start(0);
    const bool authored = eventually([&] { return env.finalized(0).value_or(0) >= 3; }, 30s);
    INFO(env.tail_logs());
    REQUIRE(authored);

    THEN("it finalizes one block behind its best, each finalized block with a justification") {
      // At each of the next few blocks: finality never reaches the best block itself.
      for (int k = 0; k < 4; ++k) {
        auto fin = env.finalized(0);
        auto best = env.best(0);
        REQUIRE(fin);
        REQUIRE(best);
        CHECK(*fin < *best);
        REQUIRE(eventually([&] { return env.best(0).value_or(0) > *best; }, 10s));
      }
      auto hash = env.block_hash(0, 2);
      REQUIRE(hash);
      auto just = justifications(env, 0, *hash);
      REQUIRE(just.is_array());
      REQUIRE(just.size() == 1);
      CHECK(just[0][0] == json::array({'F', 'R', 'N', 'K'}));
    }

    WHEN("a full node starts with the dev node as its bootnode") {
      const auto full = env.add("");
      env.start(full);
      THEN("it syncs, and its finalized head advances with the dev node's") {
        const bool synced = eventually(
            [&] {
              auto fin = env.finalized(full), theirs = env.finalized(0);
              return fin && theirs && *fin >= 3 && *fin + 2 >= *theirs;
            },
            60s);
        INFO(env.tail_logs());
        REQUIRE(synced);
        const uint32_t first = env.finalized(full).value();
        CHECK(env.block_hash(full, first) == env.block_hash(0, first));
        // It keeps advancing while following the tip.
        CHECK(eventually([&] { return env.finalized(full).value_or(0) >= first + 3; }, 30s));
        auto fin_hash = env.rpc(full, "chain_getFinalizedHead");
        REQUIRE(fin_hash.is_string());
        CHECK(env.rpc(0, "chain_getHeader", json::array({fin_hash})).is_object());  // on the dev node's chain
      }
    }
  }
}
