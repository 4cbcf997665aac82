// Equivocation: Alice's authority key used by two nodes at once. While apart,
// both author in Alice's slots on different chains; when they meet, the first
// Alice node imports blocks of the other sealed with its key in slots it has
// sealed itself and reports them (the chain's equivocation record, logged by
// the node). (On one chain two such nodes build byte-identical blocks: Aura
// blocks are deterministic, the signatures too.)

#include "runtime/crypto/derive.hpp"
#include "tests/integration/network/net_env.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using bazaar::test::eventually;
using bazaar::test::NetEnv;
using nlohmann::json;
using namespace std::chrono_literals;

SCENARIO("an authority key used by two nodes at once is detected and reported") {
  GIVEN("Alice alone, and Bob, Charlie and a second node with Alice's key among themselves") {
    NetEnv env("local", {"alice", "bob", "charlie", "alice"});
    env.start(0);  // its bootnodes are not up yet: it authors its own fork in Alice's slots
    for (std::size_t i = 1; i < 4; ++i) {
      std::vector<std::string> args{"--reserved-only"};
      for (std::size_t j = 1; j < 4; ++j)
        if (j != i) args.insert(args.end(), {"--reserved-nodes", env.address(j)});
      env.start(i, args);
    }
    REQUIRE(eventually([&] { return env.best(0).value_or(0) >= 2 && env.best(1).value_or(0) >= 6; }, 60s));

    WHEN("the two groups meet") {
      for (std::size_t i = 1; i < 4; ++i) env.kill(i);
      for (std::size_t i = 1; i < 4; ++i) env.start(i);
      THEN("the first Alice node finds blocks of the other sealed with its key in its own slots and reports them") {
        const bool reported = eventually(
            [&] { return env.node(0).process->output().find("equivocation: authority") != std::string::npos; }, 30s);
        if (!reported) WARN(env.tail_logs(20));
        CHECK(reported);
        const auto alice = runtime::crypto::keypair_from_suri("//Alice").value().public_key();
        CHECK(env.node(0).process->output().find(runtime::to_hex(alice.span())) != std::string::npos);
        AND_THEN("it follows the longer chain anyway") {
          CHECK(eventually([&] { return env.best(0).value_or(0) + 1 >= env.best(1).value_or(0) && env.best(0) > 6u; }, 30s));
        }
      }
    }
  }
}
