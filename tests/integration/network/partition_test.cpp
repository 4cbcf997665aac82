// A network partition: four validators split two and two (each side
// restarted with --reserved-only and only its partner as reserved node).
// Neither side has the three votes finality needs, so neither finalizes; both
// keep authoring their own fork. Healed (restarted with everyone as
// bootnodes), one chain wins everywhere, finality resumes, no finalized block
// reverts, and a transaction that was only in a block of one side ends up in
// the common chain.

#include "tests/integration/network/net_env.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using bazaar::test::eventually;
using bazaar::test::NetEnv;
using nlohmann::json;
using namespace std::chrono_literals;

SCENARIO("a partitioned network finalizes nothing, and heals onto one chain") {
  GIVEN("four validators on local4, finalizing") {
    NetEnv env("local4", {"alice", "bob", "charlie", "dave"});
    env.start_all();
    REQUIRE(eventually(
        [&] {
          for (std::size_t i = 0; i < 4; ++i)
            if (env.finalized(i).value_or(0) < 2) return false;
          return true;
        },
        60s));

    WHEN("they are split into {Alice, Bob} and {Charlie, Dave}") {
      const std::vector<std::pair<std::size_t, std::size_t>> sides = {{0, 1}, {2, 3}};
      for (std::size_t i = 0; i < 4; ++i) env.kill(i);
      for (auto [a, b] : sides) {
        env.start(a, {"--reserved-only", "--reserved-nodes", env.address(b)});
        env.start(b, {"--reserved-only", "--reserved-nodes", env.address(a)});
      }
      const uint32_t f0 = env.finalized(0).value();
      const auto finalized_hash = env.block_hash(0, f0).value();
      const uint32_t start = env.best(0).value();
      // A transfer that only the {Charlie, Dave} side sees.
      auto xt = env.alice_transfer(2, 2'000'000'000'000);
      const std::string xt_hex = runtime::to_hex(xt);
      REQUIRE(env.rpc(2, "author_submitExtrinsic", json::array({xt_hex})).is_string());

      THEN("both sides author their own fork and neither finalizes") {
        REQUIRE(eventually([&] { return env.best(0).value_or(0) >= start + 4 && env.best(2).value_or(0) >= start + 4; },
                           40s));
        REQUIRE(eventually([&] { return env.find_inclusion(2, start, xt_hex).has_value(); }, 20s));
        CHECK(env.best(0) >= start + 4);
        const auto top = std::min(env.best(0).value(), env.best(2).value());
        CHECK(env.block_hash(0, top) != env.block_hash(2, top));
        for (std::size_t i = 0; i < 4; ++i) CHECK(env.finalized(i).value_or(0) <= f0 + 1);

        AND_WHEN("the partition heals") {
          for (std::size_t i = 0; i < 4; ++i) env.kill(i);
          for (std::size_t i = 0; i < 4; ++i) env.start(i);
          THEN("everyone is on one chain, finality resumes above the fork, and the transfer is in that chain") {
            const bool converged = eventually(
                [&] {
                  auto fin = env.finalized(0).value_or(0);
                  if (fin <= top) return false;
                  auto hash = env.block_hash(0, fin);
                  for (std::size_t i = 1; i < 4; ++i)
                    if (env.finalized(i).value_or(0) < fin || env.block_hash(i, fin) != hash) return false;
                  return true;
                },
                90s);
            if (!converged) WARN(env.tail_logs(40));
            REQUIRE(converged);
            for (std::size_t i = 0; i < 4; ++i) CHECK(env.block_hash(i, f0) == finalized_hash);
            std::optional<std::string> block;
            CHECK(eventually([&] { return (block = env.find_inclusion(0, start, xt_hex)).has_value(); }, 30s));
            for (std::size_t i = 1; i < 4; ++i)
              CHECK(eventually([&] { return env.find_inclusion(i, start, xt_hex) == block; }, 20s));
          }
        }
      }
    }
  }
}
