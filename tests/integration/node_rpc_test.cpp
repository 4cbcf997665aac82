// Starts the real bazaar-node (--dev --tmp --rpc-port 0) and talks to it over
// HTTP and WebSocket like a wallet would.

#include "modules/system/system.hpp"
#include "rpc/client/rpc_client.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/primitives/extrinsic.hpp"
#include "tests/integration/node_process.hpp"
#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <regex>

using namespace bazaar;
using bazaar::test::eventually;
using bazaar::test::http_rpc;
using bazaar::test::NodeProcess;
using nlohmann::json;

namespace {

uint64_t hex_number(const json& j) { return std::stoull(j.get<std::string>(), nullptr, 16); }

/// Alice's endowment in genesis/dev.json.
runtime::Balance alice_endowment() {
  std::ifstream in(std::string(BAZAAR_SOURCE_DIR) + "/genesis/dev.json");
  auto spec = json::parse(in);
  auto alice = test::vectors()["ecdsa_dev_accounts"]["accounts"][0]["ss58_prefix42"];
  for (const auto& entry : spec["genesis"]["runtime"]["credits"]["balances"])
    if (entry[0] == alice) return *runtime::u128_from_string(entry[1].get<std::string>());
  FAIL("Alice is not endowed in dev.json");
  return 0;
}

/// A signed Credits.transfer_keep_alive(Id(Bob), value) from //Alice, immortal.
runtime::Bytes signed_transfer(const json& version, const runtime::H256& genesis, uint32_t nonce,
                               runtime::Balance value, const runtime::H256* wrong_genesis = nullptr) {
  auto alice = runtime::crypto::keypair_from_suri("//Alice").value();
  auto bob = runtime::crypto::keypair_from_suri("//Bob").value();
  auto dest = bob.account_id();
  runtime::Bytes call{4, 3, 0};  // Credits.transfer_keep_alive(MultiAddress::Id(dest), Compact(value))
  call.insert(call.end(), dest.begin(), dest.end());
  runtime::codec::Encoder e;
  runtime::codec::encode_compact(e, value);
  auto v = e.take();
  call.insert(call.end(), v.begin(), v.end());
  const auto& g = wrong_genesis ? *wrong_genesis : genesis;
  runtime::AdditionalSigned additional{version["specVersion"].get<uint32_t>(),
                                       version["transactionVersion"].get<uint32_t>(), g, g};
  auto xt = runtime::sign_extrinsic(alice, call, {runtime::Era::immortal(), {nonce}, {0}}, additional);
  return runtime::encode_extrinsic(xt);
}

/// One dev node shared by the sections below (Catch re-enters the scenario once
/// per section); killed when the test binary exits.
NodeProcess& dev_node() {
  static auto node = std::make_unique<NodeProcess>(std::vector<std::string>{"--dev", "--tmp", "--rpc-port", "0"});
  return *node;
}

}  // namespace

SCENARIO("a dev node serves a wallet over HTTP and WebSocket", "[integration]") {
  GIVEN("bazaar-node --dev --tmp --rpc-port 0 producing blocks") {
    auto& node = dev_node();
    auto port = node.wait_for_port();
    INFO(node.output());
    REQUIRE(port);
    REQUIRE(eventually([&] {
      auto h = http_rpc(*port, "chain_getHeader");
      return h.contains("result") && hex_number(h["result"]["number"]) >= 2;
    }));

    THEN("system_* answer with Substrate's shapes") {
      CHECK(http_rpc(*port, "system_name")["result"] == "bazaar-node");
      CHECK(http_rpc(*port, "system_version")["result"].is_string());
      CHECK(http_rpc(*port, "system_chain")["result"] == "Development");
      CHECK(http_rpc(*port, "system_chainType")["result"] == "Development");
      CHECK(http_rpc(*port, "system_properties")["result"] ==
            json{{"ss58Format", 42}, {"tokenDecimals", 12}, {"tokenSymbol", "CC"}});
      CHECK(http_rpc(*port, "system_health")["result"] ==
            json{{"peers", 0}, {"isSyncing", false}, {"shouldHavePeers", false}});
      auto methods = http_rpc(*port, "rpc_methods")["result"]["methods"];
      CHECK(std::find(methods.begin(), methods.end(), "author_submitAndWatchExtrinsic") != methods.end());
    }

    THEN("chain_getBlockHash(0) is stable and chain_getHeader has the JSON shape") {
      auto g1 = http_rpc(*port, "chain_getBlockHash", json::array({0}))["result"];
      auto header = http_rpc(*port, "chain_getHeader")["result"];
      auto g2 = http_rpc(*port, "chain_getBlockHash", json::array({0}))["result"];
      CHECK(g1 == g2);
      CHECK(g1.get<std::string>().size() == 66);
      for (const char* field : {"parentHash", "number", "stateRoot", "extrinsicsRoot", "digest"}) {
        INFO(field);
        CHECK(header.contains(field));
      }
      CHECK(header["number"].get<std::string>().rfind("0x", 0) == 0);
      CHECK(header["digest"]["logs"].size() == 2);  // Aura PreRuntime slot + Seal
      auto block1 = http_rpc(*port, "chain_getHeader", json::array({http_rpc(*port, "chain_getBlockHash", {1})["result"]}));
      CHECK(block1["result"]["parentHash"] == g1);
      CHECK(http_rpc(*port, "chain_getFinalizedHead")["result"].is_string());
    }

    THEN("System.Account(Alice) at genesis decodes to the endowed balance") {
      auto genesis = http_rpc(*port, "chain_getBlockHash", json::array({0}))["result"];
      auto key = test::vectors()["storage_keys"]["items"][0]["key"];
      auto value = http_rpc(*port, "state_getStorage", json::array({key, genesis}))["result"];
      REQUIRE(value.is_string());
      auto bytes = runtime::from_hex(value.get<std::string>());
      REQUIRE(bytes);
      auto info = runtime::codec::decode<modules::system::AccountInfo>(*bytes);
      REQUIRE(info);
      CHECK(info.value().data.free == alice_endowment());
    }

    THEN("a new-heads subscription over WebSocket sees increasing numbers") {
      auto client = rpc::RpcClient::connect("ws://127.0.0.1:" + std::to_string(*port));
      REQUIRE(client);
      auto sub = client.value().subscribe("chain_subscribeNewHeads", json::array(), "chain_unsubscribeNewHeads");
      REQUIRE(sub);
      std::vector<uint64_t> numbers;
      for (int i = 0; i < 3; ++i) {
        auto head = sub.value().next(std::chrono::seconds(10));
        REQUIRE(head);
        numbers.push_back(hex_number(head.value()["number"]));
      }
      CHECK(numbers[0] < numbers[1]);
      CHECK(numbers[1] < numbers[2]);
      CHECK(sub.value().unsubscribe().value() == true);
    }

    THEN("a signed transfer goes ready -> inBlock -> finalized; bad ones are refused") {
      auto client = rpc::RpcClient::connect("ws://127.0.0.1:" + std::to_string(*port));
      REQUIRE(client);
      auto& c = client.value();
      auto genesis = runtime::fixed_from_hex<runtime::H256>(c.call("chain_getBlockHash", json::array({0})).value().get<std::string>());
      REQUIRE(genesis);
      auto version = c.call("state_getRuntimeVersion").value();
      auto alice_ss58 = test::vectors()["ecdsa_dev_accounts"]["accounts"][0]["ss58_prefix42"];
      auto nonce = c.call("system_accountNextIndex", json::array({alice_ss58})).value().get<uint32_t>();

      auto xt = signed_transfer(version, *genesis, nonce, 5 * runtime::kUnitsPerCC);
      rpc::RpcCallError submit_error;
      auto sub = c.subscribe("author_submitAndWatchExtrinsic", json::array({runtime::to_hex(xt)}),
                             "author_unwatchExtrinsic", &submit_error);
      INFO(submit_error.to_string());
      REQUIRE(sub);
      std::vector<json> statuses;
      for (;;) {
        auto status = sub.value().next(std::chrono::seconds(20));
        REQUIRE(status);
        statuses.push_back(status.value());
        if (status.value().is_object() && status.value().contains("finalized")) break;
      }
      REQUIRE(statuses.size() >= 3);
      CHECK(statuses.front() == "ready");
      REQUIRE(statuses[statuses.size() - 2].contains("inBlock"));
      auto in_block = statuses[statuses.size() - 2]["inBlock"];
      CHECK(statuses.back()["finalized"] == in_block);
      auto block = c.call("chain_getBlock", json::array({in_block})).value();
      auto xts = block["block"]["extrinsics"];
      CHECK(std::find(xts.begin(), xts.end(), runtime::to_hex(xt)) != xts.end());
      CHECK(c.call("system_accountNextIndex", json::array({alice_ss58})).value() == nonce + 1);

      runtime::H256 wrong;
      wrong.bytes[0] = 1;
      auto bad = signed_transfer(version, *genesis, nonce + 1, 1, &wrong);
      rpc::RpcCallError err;
      CHECK(c.call("author_submitExtrinsic", json::array({runtime::to_hex(bad)}), &err).has_error());
      CHECK(err.code == 1010);
      CHECK(err.data == "Transaction has a bad signature");
      // The same bytes again are banned for a while (1012); another bad transaction is refused as invalid.
      CHECK(c.call("author_submitExtrinsic", json::array({runtime::to_hex(bad)}), &err).has_error());
      CHECK(err.code == 1012);
      auto bad2 = signed_transfer(version, *genesis, nonce + 1, 2, &wrong);
      CHECK(c.subscribe("author_submitAndWatchExtrinsic", json::array({runtime::to_hex(bad2)}),
                        "author_unwatchExtrinsic", &err)
                .has_error());
      CHECK(err.code == 1010);

      CHECK(c.call("author_submitExtrinsic", json::array({"0xdeadbeef"}), &err).has_error());
      CHECK(err.code == 1001);
      CHECK(c.call("author_submitExtrinsic", json::array({"0xnothex"}), &err).has_error());
      CHECK(err.code == -32602);
    }

    THEN("malformed and oversized requests get JSON-RPC errors and the node lives on") {
      auto not_json = test::http_post(*port, "{not json");
      CHECK(not_json.status == 200);
      CHECK(json::parse(not_json.body)["error"]["code"] == -32700);
      auto not_rpc = json::parse(test::http_post(*port, R"({"id":1,"method":"system_name"})").body);
      CHECK(not_rpc["error"]["code"] == -32600);
      CHECK(http_rpc(*port, "no_suchMethod")["error"]["code"] == -32601);
      CHECK(http_rpc(*port, "chain_getBlockHash", json::array({"0xzz"}))["error"]["code"] == -32602);
      std::string huge(16 * 1024 * 1024, ' ');
      huge += "{}";
      CHECK(test::http_post(*port, huge).status == 413);
      json batch = json::array();
      for (int i = 0; i < 101; ++i) batch.push_back({{"jsonrpc", "2.0"}, {"id", i}, {"method", "system_name"}});
      auto too_long = json::parse(test::http_post(*port, batch.dump()).body);
      CHECK(too_long["error"]["code"] == -32010);
      CHECK(http_rpc(*port, "system_name")["result"] == "bazaar-node");
      CHECK(node.running());
    }
  }
}

SCENARIO("SIGTERM stops a node cleanly and removes its --tmp directory", "[integration]") {
  NodeProcess node({"--dev", "--tmp", "--rpc-port", "0", "-l", "service=info"});
  auto port = node.wait_for_port();
  INFO(node.output());
  REQUIRE(port);
  CHECK(node.terminate() == std::optional<int>(0));
  std::smatch m;
  auto out = node.output();
  REQUIRE(std::regex_search(out, m, std::regex(R"(data directory (\S+))")));
  CHECK_FALSE(std::filesystem::exists(m[1].str()));
}

SCENARIO("bad command lines fail with a message and exit code 2", "[integration]") {
  NodeProcess node({"--rpc-port", "99999"});
  CHECK(node.wait_exit() == std::optional<int>(2));
  CHECK(node.output().find("--rpc-port") != std::string::npos);
}
