// Closing without the provider (issue 5): `bazaar channel close` tries the
// cooperative close first; when the provider does not answer it closes
// unilaterally with the latest co-signed state and says when the funds are
// free; after the challenge period `bazaar channel settle` pays out by that
// state. And the in-node provider (`bazaar-node --provider --direct-port`).

#include "tests/integration/channels/channel_env.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::channels;
using namespace std::chrono_literals;
using market::tail;

namespace {
constexpr runtime::Balance kCc = 1'000'000'000'000;
}

SCENARIO("the provider is gone: the wallet closes unilaterally and settles after the period",
         "[integration][channels]") {
  GIVEN("a channel //Alice -> //Bob (2 CC + 1 CC, challenge period 4 blocks) with 20 tasks paid") {
    ChannelWorld world;
    INFO("node log:\n" << tail(world.node().log()));
    REQUIRE(world.node().started());
    REQUIRE(world.provider_ready());
    auto& chain = world.chain();
    auto id = world.open_and_fund("2", "1", 4);
    REQUIRE(world.run_tasks(id, 20).exit_code == 0);

    WHEN("the worker is killed and Alice runs `bazaar channel close --timeout 5`") {
      world.kill_worker();
      auto close = world.alice({"channel", "close", runtime::to_hex(id), "--timeout", "5"});
      INFO("close stdout:\n" << close.out << "\nstderr:\n" << close.err);

      THEN("it closes unilaterally with version 20 and tells when the funds are free") {
        REQUIRE(close.exit_code == 0);
        auto line = line_with(close, "until");
        REQUIRE(!line.is_null());
        CHECK(line["closing"] == 20);
        const auto until = line["until"].get<runtime::BlockNumber>();
        CHECK(line["freeAt"].get<std::string>().find("block #" + std::to_string(until)) == 0);
        auto on_chain = chain.read<pc::Channels>(id).value();
        REQUIRE(on_chain.has_value());
        REQUIRE(std::holds_alternative<pc::channel_status::Closing>(on_chain->status));
        CHECK(std::get<pc::channel_status::Closing>(on_chain->status).state.version == 20);

        AND_THEN("settle is refused before the period ends and pays out by version 20 after it") {
          auto early = world.alice({"channel", "settle", runtime::to_hex(id)});
          if (market::best_block(chain).number < until) {
            CHECK(early.exit_code == 1);
            CHECK(early.err.find("ChallengePeriodNotOver") != std::string::npos);
          }
          REQUIRE(market::wait_for_block(chain, until, 60s));
          auto settle = world.alice({"channel", "settle", runtime::to_hex(id)});
          INFO("settle stdout:\n" << settle.out << "\nstderr:\n" << settle.err);
          REQUIRE(settle.exit_code == 0);
          auto settled = line_with(settle, "closed");
          REQUIRE(settled.value("closed", "") == "settled");
          CHECK(settled["version"] == 20);
          CHECK(market::json_u128(settled["payoutA"]) == 2 * kCc - 20 * ChannelWorld::kPriceUnits);
          CHECK(market::json_u128(settled["payoutB"]) == 1 * kCc + 20 * ChannelWorld::kPriceUnits);
          CHECK(!chain.read<pc::Channels>(id).value().has_value());
        }
      }
    }
  }
}

SCENARIO("the in-node provider serves direct tasks", "[integration][channels]") {
  GIVEN("bazaar-node --dev --provider --provider-key //Bob --direct-port PORT") {
    ChannelWorld world(true);
    INFO("node log:\n" << tail(world.node().log()));
    REQUIRE(world.node().started());
    REQUIRE(world.provider_ready());
    auto provider = market::read_provider(world.chain(), market::account_of("//Bob"));
    REQUIRE(provider.has_value());
    CHECK(std::string(provider->endpoint.items.begin(), provider->endpoint.items.end()) == world.endpoint());

    WHEN("Alice opens a channel, runs 10 tasks and closes") {
      auto id = world.open_and_fund("1", "1", 4);
      auto run = world.run_tasks(id, 10);
      INFO("run stdout:\n" << tail(run.out) << "\nstderr:\n" << run.err);
      REQUIRE(run.exit_code == 0);
      auto close = world.alice({"channel", "close", runtime::to_hex(id)});
      INFO("close stdout:\n" << close.out << "\nstderr:\n" << close.err);

      THEN("the channel closes cooperatively at version 11 (the price is 0: the deposits come back)") {
        REQUIRE(close.exit_code == 0);
        auto closed = line_with(close, "closed");
        REQUIRE(closed.value("closed", "") == "cooperatively");
        CHECK(closed["version"] == 11);
        CHECK(market::json_u128(closed["payoutA"]) == kCc);
        CHECK(market::json_u128(closed["payoutB"]) == kCc);
      }
    }
  }
}
