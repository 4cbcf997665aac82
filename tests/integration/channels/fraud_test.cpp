// Fraud both ways (issue 5): a party closes unilaterally with an older
// co-signed state than the latest; the other party's watcher (the provider's
// worker, or the requester's `bazaar channel watch`) challenges within the
// period with the latest state and takes the cheater's whole deposit.

#include "modules/composition/runtime.hpp"
#include "runtime/crypto/derive.hpp"
#include "tests/integration/channels/channel_env.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::channels;
using namespace std::chrono_literals;
using market::account_of;
using market::address_of;
using market::eventually;
using market::tail;
namespace ch = node::offchain::channels;

namespace {

constexpr runtime::Balance kCc = 1'000'000'000'000;

/// `cheater` closes with `old` (a co-signed state) through its own client.
rpc::ExtrinsicReport close_with(rpc::ChainClient& chain, const std::string& cheater, const ch::SignedState& old) {
  auto key = runtime::crypto::keypair_from_suri(cheater).value();
  auto report = chain.submit(key, modules::composition::make_call<pc::Module>(
                                      pc::CloseUnilateral{old.state, old.sig_a, old.sig_b}));
  if (!report) throw std::runtime_error("close_unilateral: " + report.error());
  return report.value();
}

/// Waits until the channel is gone from storage, then its ChannelChallenged event (null if none).
nlohmann::json wait_for_challenge(rpc::ChainClient& chain, const pc::ChannelId& id, runtime::BlockNumber from) {
  bool gone = eventually([&] { return !chain.read<pc::Channels>(id).value().has_value(); }, 60s);
  if (!gone) return nullptr;
  auto events = market::events_in(chain, from, market::best_block(chain).number);
  auto challenged = market::select_events(events, "PaymentChannel", "ChannelChallenged");
  return challenged.empty() ? nlohmann::json(nullptr) : challenged.front()["fields"];
}

}  // namespace

SCENARIO("the requester closes with an old state and the provider's worker challenges", "[integration][channels]") {
  GIVEN("a channel //Alice -> //Bob (2 CC + 1 CC, challenge period 10 blocks) with 10 co-signed updates") {
    ChannelWorld world;
    INFO("node log:\n" << tail(world.node().log()));
    REQUIRE(world.node().started());
    REQUIRE(world.provider_ready());
    auto& chain = world.chain();
    auto id = world.open_and_fund("2", "1", 10);
    REQUIRE(world.run_tasks(id, 5).exit_code == 0);
    auto old = world.stored(id).latest;
    REQUIRE(old.has_value());
    REQUIRE(old->state.version == 5);
    auto more = world.run_tasks(id, 5, 5);
    INFO("task run stderr:\n" << more.err);
    REQUIRE(more.exit_code == 0);
    REQUIRE(world.stored(id).latest->state.version == 10);

    WHEN("//Alice publishes version 5 with close_unilateral") {
      auto report = close_with(chain, "//Alice", *old);
      REQUIRE(report.success);
      auto challenge = wait_for_challenge(chain, id, report.block_number);
      INFO("worker log:\n" << tail(world.worker()->log()));

      THEN("//Bob's worker challenges with version 10 and takes Alice's whole deposit") {
        REQUIRE(!challenge.is_null());
        CHECK(challenge["challenger"] == address_of("//Bob"));
        CHECK(challenge["closer"] == address_of("//Alice"));
        CHECK(challenge["closedVersion"] == 5);
        CHECK(challenge["version"] == 10);
        CHECK(market::json_u128(challenge["penalty"]) == 2 * kCc);
        // Alice earned nothing beyond her deposit: she gets nothing back; Bob gets all 3 CC.
        CHECK(market::json_u128(challenge["payoutA"]) == 0);
        CHECK(market::json_u128(challenge["payoutB"]) == 3 * kCc);
        CHECK(world.worker()->log().find("challenged with version 10") != std::string::npos);
      }
    }
  }
}

SCENARIO("the provider closes with an old state and `bazaar channel watch` challenges", "[integration][channels]") {
  GIVEN("a channel //Alice -> //Bob with 10 co-signed updates and Alice running `bazaar channel watch`") {
    ChannelWorld world;
    INFO("node log:\n" << tail(world.node().log()));
    REQUIRE(world.node().started());
    REQUIRE(world.provider_ready());
    auto& chain = world.chain();
    auto id = world.open_and_fund("2", "1", 10);
    REQUIRE(world.run_tasks(id, 5).exit_code == 0);
    auto old = world.stored(id).latest;
    REQUIRE(old.has_value());
    REQUIRE(world.run_tasks(id, 5, 5).exit_code == 0);
    Process watch(market::binary("bazaar"),
                  {"--rpc", world.node().rpc_url(), "--signer", "//Alice", "channel", "watch", "--store",
                   world.store().string()},
                  world.dir() / "watch.log");
    REQUIRE(watch.wait_for_log(std::regex("watching the channels"), 30s).has_value());

    WHEN("//Bob publishes version 5 with close_unilateral") {
      auto report = close_with(chain, "//Bob", *old);
      REQUIRE(report.success);
      auto challenge = wait_for_challenge(chain, id, report.block_number);
      INFO("watch log:\n" << tail(watch.log()));

      THEN("Alice's watcher challenges with version 10 and takes Bob's whole deposit") {
        REQUIRE(!challenge.is_null());
        CHECK(challenge["challenger"] == address_of("//Alice"));
        CHECK(challenge["closer"] == address_of("//Bob"));
        CHECK(challenge["closedVersion"] == 5);
        CHECK(challenge["version"] == 10);
        CHECK(market::json_u128(challenge["penalty"]) == 1 * kCc);
        // Bob keeps only what version 10 says he earned beyond his deposit: 10 task prices.
        CHECK(market::json_u128(challenge["payoutB"]) == 10 * ChannelWorld::kPriceUnits);
        CHECK(market::json_u128(challenge["payoutA"]) == 3 * kCc - 10 * ChannelWorld::kPriceUnits);
        REQUIRE(watch.wait_for_log(std::regex("challenged with version 10"), 10s).has_value());
      }
    }
  }
}
