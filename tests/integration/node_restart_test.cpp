// kill -9 of a node with a persistent --base-path in the middle of block
// production: the restarted node resumes from the same best block or the one
// before, on the same chain, and keeps producing.

#include "tests/integration/node_process.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace bazaar;
using bazaar::test::eventually;
using bazaar::test::http_rpc;
using bazaar::test::NodeProcess;
using nlohmann::json;

namespace {

std::optional<uint64_t> best_number(uint16_t port) {
  auto h = http_rpc(port, "chain_getHeader");
  if (!h.contains("result") || !h["result"].is_object()) return std::nullopt;
  return std::stoull(h["result"]["number"].get<std::string>(), nullptr, 16);
}

std::vector<std::string> args(const test::ScopedDir& dir) {
  return {"--dev", "--base-path", dir.path().string(), "--rpc-port", "0"};
}

}  // namespace

SCENARIO("kill -9 during block production never corrupts the database", "[integration]") {
  GIVEN("a dev node with a persistent base path") {
    test::ScopedDir dir;
    WHEN("it is killed with SIGKILL at random moments and restarted, three times") {
      std::string genesis;
      uint64_t seen = 0;
      std::mt19937 rng(std::random_device{}());
      for (int round = 0; round < 3; ++round) {
        INFO("round " << round);
        NodeProcess node(args(dir));
        auto port = node.wait_for_port();
        INFO(node.output());
        REQUIRE(port);
        // Resumed at the best block seen before the kill (or the one before), on the same chain.
        auto resumed = best_number(*port);
        REQUIRE(resumed);
        CHECK(*resumed + 1 >= seen);
        auto g = http_rpc(*port, "chain_getBlockHash", json::array({0}))["result"].get<std::string>();
        if (genesis.empty()) genesis = g;
        CHECK(g == genesis);
        // Let it produce a couple of blocks, then kill it at a random moment within a slot.
        REQUIRE(eventually([&] {
          auto n = best_number(*port);
          return n && *n >= seen + 2;
        }));
        std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 1000));
        seen = best_number(*port).value_or(seen);
        node.kill();
      }
      THEN("the last restart resumes and still produces blocks") {
        NodeProcess node(args(dir));
        auto port = node.wait_for_port();
        INFO(node.output());
        REQUIRE(port);
        auto resumed = best_number(*port);
        REQUIRE(resumed);
        CHECK(*resumed + 1 >= seen);
        REQUIRE(eventually([&] {
          auto n = best_number(*port);
          return n && *n > seen;
        }));
        CHECK(node.terminate() == std::optional<int>(0));
      }
    }
  }
}
