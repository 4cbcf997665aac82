// Four validators (genesis/local4.json: Alice, Bob, Charlie, Dave; finality
// needs 3): crashes and restarts. With one down, authoring goes on with gaps
// and finality goes on; with two down finality stalls while authoring goes on;
// when one comes back finality resumes on its own and the returning node
// catches up.

#include "tests/integration/network/net_env.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using bazaar::test::eventually;
using bazaar::test::NetEnv;
using namespace std::chrono_literals;

namespace {

/// Waits until node i's best block is at least `number`.
bool reach(NetEnv& env, std::size_t i, uint32_t number, std::chrono::milliseconds deadline = 40s) {
  return eventually([&] { return env.best(i).value_or(0) >= number; }, deadline);
}

}  // namespace

SCENARIO("four validators survive crashes; finality stalls without a supermajority and resumes by itself") {
  GIVEN("Alice, Bob, Charlie and Dave on the local4 chain, finalizing") {
    NetEnv env("local4", {"alice", "bob", "charlie", "dave"});
    env.start_all();
    const bool started = eventually(
        [&] {
          for (std::size_t i = 0; i < 4; ++i)
            if (env.finalized(i).value_or(0) < 3) return false;
          return true;
        },
        60s);
    INFO(env.tail_logs());
    REQUIRE(started);

    WHEN("Dave is killed (SIGKILL)") {
      env.kill(3);
      const uint32_t b0 = env.best(0).value();
      THEN("the others keep authoring, skipping Dave's slots, and keep finalizing") {
        REQUIRE(reach(env, 0, b0 + 7));
        const bool finalizing = eventually([&] { return env.finalized(0).value_or(0) >= b0 + 4; }, 30s);
        INFO(env.tail_logs());
        CHECK(finalizing);
        bool gap = false;
        std::optional<uint64_t> previous;
        for (uint32_t n = b0 + 2; n <= b0 + 7; ++n) {
          auto slot = env.slot_of(0, env.block_hash(0, n).value());
          REQUIRE(slot);
          CHECK(*slot % 4 != 3);  // none of Dave's
          if (previous && *slot > *previous + 1) gap = true;
          previous = slot;
        }
        CHECK(gap);

        AND_WHEN("Charlie is killed too") {
          env.kill(2);
          const uint32_t b1 = env.best(0).value();
          // Let a round that was already under way finish.
          REQUIRE(reach(env, 0, b1 + 2));
          const uint32_t f1 = env.finalized(0).value();
          const uint32_t b2 = env.best(0).value();
          THEN("authoring goes on but nothing more is finalized") {
            REQUIRE(reach(env, 0, b2 + 5));
            CHECK(env.finalized(0).value() == f1);
            CHECK(env.finalized(1).value() == f1);

            AND_WHEN("Charlie is started again on his database") {
              env.start(2);
              const uint32_t b3 = env.best(0).value();
              THEN("finality resumes on its own and Charlie catches up") {
                const bool resumed = eventually(
                    [&] {
                      return env.finalized(0).value_or(0) >= b3 && env.finalized(1).value_or(0) >= b3 &&
                             env.finalized(2).value_or(0) >= b3;
                    },
                    60s);
                if (!resumed) WARN(env.tail_logs(40));
                CHECK(resumed);
                CHECK(env.block_hash(2, b3) == env.block_hash(0, b3));
                CHECK(env.block_hash(2, f1) == env.block_hash(0, f1));
              }
            }
          }
        }
      }
    }
  }
}
