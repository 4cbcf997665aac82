// `bazaar tx` and `bazaar query` against a real dev node: the wallet reads the
// node's metadata, builds any call from JSON-like arguments, signs and submits
// it, prints the events decoded through the metadata, and decodes any storage
// item — here a transfer from //Alice to //Bob seen through `query system account`.

#include <catch2/catch.hpp>

#include "tests/integration/market/market_env.hpp"

using namespace bazaar;
using namespace bazaar::test::market;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// The whole stdout as one JSON value (null when it is not JSON).
json stdout_json(const CommandResult& r) { return json::parse(r.out, nullptr, false); }

/// `bazaar --json query system account WHO [--at HASH]`: the free balance it prints.
runtime::u128 queried_free(const WalletCli& wallet, const std::string& who, const std::string& at = "") {
  std::vector<std::string> args{"--json", "query", "system", "account", who};
  if (!at.empty()) args.insert(args.end(), {"--at", at});
  auto r = wallet(args);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  json value = stdout_json(r);
  REQUIRE(value.is_object());
  return json_u128(value["data"]["free"]);
}

}  // namespace

SCENARIO("the wallet builds, signs and decodes any call and storage item from the node's metadata",
         "[integration][wallet]") {
  GIVEN("a dev chain and the wallet CLI") {
    TempDir dir;
    DevNode node;
    INFO("node log:\n" << tail(node.log()));
    REQUIRE(node.started());
    auto& chain = node.chain();
    WalletCli wallet(node.rpc_url(), dir.path());
    const auto bob = account_of("//Bob");
    const runtime::Balance amount = 1'000'000'000'000;

    WHEN("//Alice sends 1 CC to //Bob with `bazaar tx credits transfer_keep_alive //Bob 1000000000000`") {
      runtime::u128 before = queried_free(wallet, "//Bob");
      CHECK(before == free_balance(chain, bob));
      auto before_block = best_block(chain);
      auto r =
          wallet({"--json", "--signer", "//Alice", "tx", "credits", "transfer_keep_alive", "//Bob", "1000000000000"});
      INFO("stdout: " << r.out << "\nstderr: " << r.err);
      REQUIRE(r.exit_code == 0);
      auto reports = json_lines(r.out);
      REQUIRE(reports.size() == 1);
      const auto& report = reports[0];

      THEN("it succeeds and prints the events decoded by name") {
        CHECK(report["success"] == true);
        bool transfer = false;
        for (const auto& e : report["events"]) {
          if (e["module"] == "Credits" && e["event"] == "Transfer") {
            transfer = true;
            CHECK(e["fields"]["to"] == runtime::to_hex(bob));
            CHECK(json_u128(e["fields"]["amount"]) == amount);
          }
        }
        CHECK(transfer);
      }
      THEN("`bazaar query system account //Bob` shows the balance moved, and --at shows the old one") {
        CHECK(queried_free(wallet, "//Bob") == before + amount);
        CHECK(free_balance(chain, bob) == before + amount);
        CHECK(queried_free(wallet, address_of("//Bob"), runtime::to_hex(before_block.hash)) == before);
      }
    }

    WHEN("a call is only encoded") {
      auto r = wallet({"tx", "Credits", "transferKeepAlive", address_of("//Bob"), "12.5 CC", "--encode-only"});
      INFO("stdout: " << r.out << "\nstderr: " << r.err);
      REQUIRE(r.exit_code == 0);
      THEN("it prints the same bytes as the wallet's static codec, without signing") {
        auto expected = runtime::codec::encode(modules::composition::make_call<modules::credits::Module>(
            modules::credits::TransferKeepAlive{runtime::MultiAddressId{bob}, {12'500'000'000'000}}));
        CHECK(r.out == runtime::to_hex(expected) + "\n");
      }
    }

    WHEN("a map is queried without its key") {
      auto r = wallet({"--json", "query", "System", "Account"});
      INFO("stdout: " << r.out << "\nstderr: " << r.err);
      REQUIRE(r.exit_code == 0);
      json entries = stdout_json(r);
      THEN("every entry is printed with its decoded key") {
        REQUIRE(entries.is_array());
        bool found_alice = false;
        for (const auto& e : entries)
          found_alice = found_alice || e["keys"] == json::array({runtime::to_hex(account_of("//Alice"))});
        CHECK(found_alice);
        CHECK(entries.size() >= 2);
      }
    }

    WHEN("the module, call or item does not exist") {
      auto no_module = wallet({"tx", "Staking", "bond", "1"});
      auto no_call = wallet({"tx", "credits", "teleport", "//Bob", "1"});
      auto no_item = wallet({"query", "credits", "Nope"});
      auto bad_arg = wallet({"tx", "credits", "transfer_keep_alive", "//Bob", "lots", "--encode-only"});
      auto few = wallet({"tx", "credits", "transfer_keep_alive", "//Bob", "--encode-only"});
      THEN("each fails with a message listing what exists or what was expected") {
        CHECK(no_module.exit_code == 1);
        CHECK(no_module.err.find("unknown module: 'Staking' (modules: System,") != std::string::npos);
        CHECK(no_call.exit_code == 1);
        CHECK(no_call.err.find("transfer_keep_alive") != std::string::npos);
        CHECK(no_item.exit_code == 1);
        CHECK(no_item.err.find("TotalIssuance") != std::string::npos);
        CHECK(bad_arg.exit_code == 1);
        CHECK(bad_arg.err.find("bad argument: value: expected an unsigned 128-bit integer") != std::string::npos);
        CHECK(few.exit_code == 1);
        CHECK(few.err.find("takes 2 arguments, got 1") != std::string::npos);
      }
    }
  }
}
