// A provider's life cycle through the wallet: register (stake held), info,
// update the price, unregister (Unbonding until the unbonding period ends,
// then the stake is released and the record removed).

#include "runtime/primitives/units.hpp"
#include "tests/integration/market/market_env.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::market;
namespace tq = modules::task_queue;
using namespace std::chrono_literals;

namespace {

/// `bazaar --json provider info //Charlie`, parsed (null when it fails).
nlohmann::json provider_info(const WalletCli& wallet) {
  auto r = wallet({"--json", "provider", "info", "//Charlie"});
  auto lines = json_lines(r.out);
  if (r.exit_code != 0 || lines.size() != 1) return nullptr;
  return lines[0];
}

}  // namespace

SCENARIO("a provider registers, updates its price and unregisters through the wallet", "[integration][market]") {
  GIVEN("a dev chain and //Charlie, not a provider") {
    TempDir dir;
    DevNode node;
    INFO("node log:\n" << tail(node.log()));
    REQUIRE(node.started());
    auto& chain = node.chain();
    WalletCli wallet(node.rpc_url(), dir.path());
    const auto charlie = account_of("//Charlie");
    auto not_yet = wallet({"provider", "info", "//Charlie"});
    REQUIRE(not_yet.exit_code == 1);
    REQUIRE(not_yet.err.find("is not a registered provider") != std::string::npos);
    auto free_before = free_balance(chain, charlie);

    WHEN("//Charlie registers with a 20 CC stake, a 0.5 CC price, a capability and an endpoint") {
      auto r = wallet({"--signer", "//Charlie", "--json", "provider", "register", "--stake", "20", "--price", "0.5",
                       "--capability", "wasm32-wasi", "--capability", "gpu-none", "--endpoint",
                       "https://charlie.example/bazaar"});
      INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
      REQUIRE(r.exit_code == 0);
      auto report = json_lines(r.out);
      REQUIRE(report.size() == 1);
      auto fee = json_u128(report[0]["fee"]);

      THEN("provider info shows it Active with its stake, price, capabilities and endpoint; the stake is held") {
        auto info = provider_info(wallet);
        REQUIRE(info.is_object());
        CHECK(info["provider"] == address_of("//Charlie"));
        CHECK(info["record"]["status"] == "Active");
        CHECK(json_u128(info["record"]["stake"]) == 20 * runtime::kUnitsPerCC);
        CHECK(json_u128(info["record"]["pricePerTask"]) == runtime::kUnitsPerCC / 2);
        CHECK(info["capabilities"] == nlohmann::json::array({"wasm32-wasi", "gpu-none"}));
        CHECK(info["endpoint"] == "https://charlie.example/bazaar");
        auto balance = json_lines(wallet({"--json", "balance", "//Charlie"}).out);
        REQUIRE(balance.size() == 1);
        CHECK(json_u128(balance[0]["holds"]["ProviderStake"]) == 20 * runtime::kUnitsPerCC);
        CHECK(free_balance(chain, charlie) == free_before - fee - 20 * runtime::kUnitsPerCC);

        AND_WHEN("it registers a second time") {
          auto again = wallet({"--signer", "//Charlie", "provider", "register", "--stake", "20", "--price", "1"});
          THEN("the chain says TaskQueue.AlreadyRegistered") {
            CHECK(again.exit_code == 1);
            CHECK(again.err.find("TaskQueue.AlreadyRegistered") != std::string::npos);
          }
        }

        AND_WHEN("it updates its price to 0.75 CC") {
          auto upd = wallet({"--signer", "//Charlie", "provider", "update", "--price", "0.75"});
          INFO("stdout:\n" << upd.out << "\nstderr:\n" << upd.err);
          REQUIRE(upd.exit_code == 0);

          THEN("info shows the new price and keeps the rest") {
            auto info2 = provider_info(wallet);
            REQUIRE(info2.is_object());
            CHECK(json_u128(info2["record"]["pricePerTask"]) == 750'000'000'000);
            CHECK(json_u128(info2["record"]["stake"]) == 20 * runtime::kUnitsPerCC);
            CHECK(info2["endpoint"] == "https://charlie.example/bazaar");

            AND_WHEN("it unregisters") {
              auto un = wallet({"--signer", "//Charlie", "--json", "provider", "unregister"});
              INFO("stdout:\n" << un.out << "\nstderr:\n" << un.err);
              REQUIRE(un.exit_code == 0);
              auto un_report = json_lines(un.out);
              REQUIRE(un_report.size() == 1);
              auto unregistered_at = un_report[0]["blockNumber"].get<runtime::BlockNumber>();
              auto period = market_params(chain).unbonding_period;

              THEN("it is Unbonding until the unbonding period ends, then removed with its stake released") {
                auto info3 = provider_info(wallet);
                REQUIRE(info3.is_object());
                CHECK(info3["record"]["status"] == "Unbonding");
                CHECK(info3["record"]["unbondingUntil"] == unregistered_at + period);
                auto human = wallet({"provider", "info", "//Charlie"});
                CHECK(human.out.find("Unbonding until block #" + std::to_string(unregistered_at + period)) !=
                      std::string::npos);

                bool released = eventually([&] { return !read_provider(chain, charlie).has_value(); },
                                           std::chrono::seconds(period + 30));
                REQUIRE(released);
                auto gone = wallet({"provider", "info", "//Charlie"});
                CHECK(gone.exit_code == 1);
                auto balance2 = json_lines(wallet({"--json", "balance", "//Charlie"}).out);
                REQUIRE(balance2.size() == 1);
                CHECK(!balance2[0]["holds"].contains("ProviderStake"));
                auto events = events_in(chain, unregistered_at, best_block(chain).number);
                auto done = select_events(events, "TaskQueue", "ProviderUnregistered", "provider",
                                          address_of("//Charlie"));
                REQUIRE(done.size() == 1);
                CHECK(json_u128(done[0]["fields"]["stake"]) == 20 * runtime::kUnitsPerCC);
                CHECK(done[0]["block"] == unregistered_at + period);
              }
            }
          }
        }
      }
    }
  }
}
