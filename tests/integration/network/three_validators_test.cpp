// Three validators (Alice, Bob, Charlie of genesis/local.json, one-second
// slots) as real processes on loopback: round-robin authoring, finality close
// behind the best block, transaction gossip, and full nodes that sync from
// genesis (also after losing their database).

#include "tests/integration/network/net_env.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace bazaar;
using bazaar::test::eventually;
using bazaar::test::NetEnv;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

uint64_t now_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}


}  // namespace

SCENARIO("three validators author in turn, finalize, gossip transactions and serve late nodes") {
  GIVEN("Alice, Bob and Charlie on the local chain, each knowing the others as bootnodes") {
    NetEnv env("local", {"alice", "bob", "charlie"});
    env.start_all();

    THEN("blocks come from all three in slot order and finality follows the best block") {
      const bool grew = eventually(
          [&] {
            for (std::size_t i = 0; i < 3; ++i)
              if (env.best(i).value_or(0) < 7) return false;
            return true;
          },
          60s);
      INFO(env.tail_logs());
      REQUIRE(grew);
      std::set<uint64_t> authors;
      for (uint32_t n = 1; n <= 6; ++n) {
        auto hash = env.block_hash(0, n);
        REQUIRE(hash);
        auto slot = env.slot_of(0, *hash);
        REQUIRE(slot);
        authors.insert(*slot % 3);
        // Every node has the same block at that height (one chain).
        CHECK(env.block_hash(1, n) == hash);
        CHECK(env.block_hash(2, n) == hash);
      }
      CHECK(authors == std::set<uint64_t>{0, 1, 2});
      const bool close = eventually(
          [&] {
            for (std::size_t i = 0; i < 3; ++i) {
              auto best = env.best(i), fin = env.finalized(i);
              if (!best || !fin || *fin < 5 || *fin + 3 < *best) return false;
            }
            return true;
          },
          30s);
      CHECK(close);

      AND_WHEN("a transfer is submitted to Charlie's node just after his slot") {
        // Submit early in a slot of Charlie's (slot % 3 == 2): he has built his
        // block already, and the next slot is Alice's.
        REQUIRE(eventually([] { const auto t = now_ms(); return (t / 1000) % 3 == 2 && t % 1000 > 400 && t % 1000 < 600; },
                           10s));
        const uint32_t from = env.best(2).value_or(1);
        auto xt = env.alice_transfer(2, 1'000'000'000'000);
        const std::string xt_hex = runtime::to_hex(xt);
        auto submitted = env.rpc(2, "author_submitExtrinsic", json::array({xt_hex}));
        REQUIRE(submitted.is_string());
        THEN("it is included by another validator, and every node has it in the same block") {
          std::optional<std::string> block;
          REQUIRE(eventually([&] { return (block = env.find_inclusion(0, from, xt_hex)).has_value(); }, 20s));
          auto slot = env.slot_of(0, *block);
          REQUIRE(slot);
          CHECK(*slot % 3 != 2);
          CHECK(eventually([&] { return env.find_inclusion(1, from, xt_hex) == block; }, 10s));
          CHECK(eventually([&] { return env.find_inclusion(2, from, xt_hex) == block; }, 10s));

          AND_WHEN("a full node starts later with the validators as bootnodes") {
            const auto full = env.add("");
            env.start(full);
            THEN("it syncs from genesis, follows the tip and finality, and reports it over RPC") {
              const bool synced = eventually(
                  [&] {
                    auto ours = env.best(full), theirs = env.best(0);
                    auto fin = env.finalized(full);
                    return ours && theirs && fin && *ours + 1 >= *theirs && *fin + 3 >= *ours && *fin > 0;
                  },
                  60s);
              INFO(env.tail_logs());
              CHECK(synced);
              CHECK(env.find_inclusion(full, from, xt_hex) == block);
              auto health = env.rpc(full, "system_health");
              CHECK(health["peers"].get<int>() >= 1);
              CHECK(health["isSyncing"] == false);
              auto state = env.rpc(full, "system_syncState");
              CHECK(state["startingBlock"] == 0);
              CHECK(state["highestBlock"].get<uint32_t>() >= state["currentBlock"].get<uint32_t>());
              auto roles = env.rpc(full, "system_nodeRoles");
              CHECK(roles == json::array({"Full"}));

              AND_WHEN("it is killed, its database deleted, and started again") {
                env.kill(full);
                env.wipe(full);
                env.start(full);
                THEN("it syncs everything again from genesis") {
                  auto state2 = env.rpc(full, "system_syncState");
                  CHECK(state2["startingBlock"] == 0);
                  const bool again = eventually(
                      [&] {
                        auto ours = env.best(full), theirs = env.best(0);
                        return ours && theirs && *ours + 1 >= *theirs && *ours > 10;
                      },
                      60s);
                  INFO(env.tail_logs());
                  CHECK(again);
                  CHECK(env.block_hash(full, 3) == env.block_hash(0, 3));
                }
              }
            }
          }
        }
      }
    }
  }
}
