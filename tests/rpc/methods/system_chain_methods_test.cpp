#include "rpc/methods/json_format.hpp"
#include "tests/rpc/methods/harness.hpp"
#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using bazaar::test::MethodsHarness;
using nlohmann::json;

SCENARIO("system methods answer the node's identity and health") {
  GIVEN("a node") {
    MethodsHarness h;
    THEN("system_* have Substrate's shapes") {
      CHECK(h.result("system_name") == "bazaar-node");
      CHECK(h.result("system_version") == "0.1.0");
      CHECK(h.result("system_chain") == "Development");
      CHECK(h.result("system_chainType") == "Development");
      CHECK(h.result("system_properties") == json{{"ss58Format", 42}, {"tokenDecimals", 12}, {"tokenSymbol", "CC"}});
      CHECK(h.result("system_health") == json{{"peers", 0}, {"isSyncing", false}, {"shouldHavePeers", false}});
    }
    WHEN("Alice's next index is asked by SS58, by hex and by name") {
      const auto& alice = test::vectors()["ecdsa_dev_accounts"]["accounts"][0];
      auto id = runtime::fixed_from_hex<runtime::AccountId32>(alice["account_id"].get<std::string>());
      REQUIRE(id);
      h.system.nonces[*id] = 7;
      THEN("each gives the port's nonce") {
        CHECK(h.result("system_accountNextIndex", {alice["ss58_prefix42"]}) == 7);
        CHECK(h.result("system_accountNextIndex", {alice["ss58_prefix0"]}) == 7);
        CHECK(h.result("system_accountNextIndex", {alice["account_id"]}) == 7);
        CHECK(h.result("system_accountNextIndex", {{"account", alice["ss58_prefix42"]}}) == 7);
        CHECK(h.result("system_accountNextIndex", {"0x" + std::string(64, '0')}) == 0);
      }
    }
    WHEN("the account is malformed or missing") {
      THEN("-32602 names the problem") {
        auto bad = h.error("system_accountNextIndex", {"5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9Y"});
        CHECK(bad["code"] == -32602);
        CHECK(bad["message"].get<std::string>().find("invalid account") != std::string::npos);
        CHECK(h.error("system_accountNextIndex", {"0x1234"})["code"] == -32602);
        CHECK(h.error("system_accountNextIndex")["code"] == -32602);
        CHECK(h.error("system_accountNextIndex", {42})["code"] == -32602);
      }
    }
  }
}

SCENARIO("header JSON matches the polkadot.js vector") {
  GIVEN("the header vector") {
    const auto& v = test::vectors()["header"];
    auto bytes = runtime::from_hex(v["encoded"].get<std::string>());
    REQUIRE(bytes);
    auto header = runtime::codec::decode<runtime::Header>(*bytes);
    REQUIRE(header);
    THEN("header_to_json gives the vector's JSON with a hex number") {
      CHECK(rpc::header_to_json(header.value()) == v["json"]);
      CHECK(runtime::to_hex(runtime::header_hash(header.value())) == v["hash"]);
    }
    THEN("numbers are hex without leading zeros") {
      CHECK(rpc::number_to_hex(0) == "0x0");
      CHECK(rpc::number_to_hex(42) == "0x2a");
      CHECK(rpc::number_to_hex(4096) == "0x1000");
    }
  }
}

SCENARIO("chain_getBlockHash accepts numbers, hex, lists and nothing") {
  GIVEN("a chain of three blocks after genesis") {
    MethodsHarness h;
    auto b1 = h.chain.add_block({});
    h.chain.add_block({});
    auto b3 = h.chain.add_block({});
    auto genesis = runtime::to_hex(h.chain.genesis_hash());
    THEN("each form answers") {
      CHECK(h.result("chain_getBlockHash", {0}) == genesis);
      CHECK(h.result("chain_getBlockHash") == runtime::to_hex(b3));
      CHECK(h.result("chain_getBlockHash", {nullptr}) == runtime::to_hex(b3));
      CHECK(h.result("chain_getBlockHash", {"0x1"}) == runtime::to_hex(b1));
      CHECK(h.result("chain_getBlockHash", {{"number", 1}}) == runtime::to_hex(b1));
      CHECK(h.result("chain_getBlockHash", {99}) == nullptr);
      CHECK(h.result("chain_getBlockHash", {json::array({0, "0x3", 99})}) ==
            json::array({genesis, runtime::to_hex(b3), nullptr}));
      CHECK(h.result("chain_getHead", {0}) == genesis);
    }
    THEN("malformed numbers are -32602") {
      CHECK(h.error("chain_getBlockHash", {"zz"})["code"] == -32602);
      CHECK(h.error("chain_getBlockHash", {-1})["code"] == -32602);
      CHECK(h.error("chain_getBlockHash", {8589934592ULL})["code"] == -32602);
      CHECK(h.error("chain_getBlockHash", {json::array({0, "x"})})["code"] == -32602);
      CHECK(h.error("chain_getBlockHash", {0, 1})["code"] == -32602);
      CHECK(h.error("chain_getBlockHash", {{"height", 1}})["code"] == -32602);
    }
  }
}

SCENARIO("chain_getHeader, chain_getBlock and chain_getFinalizedHead") {
  GIVEN("a chain whose block 1 has two extrinsics and a justification") {
    MethodsHarness h;
    runtime::Bytes xt1{0x08, 0x04, 0x00}, xt2{0x0c, 0x04, 0x01, 0x02};
    auto b1 = h.chain.add_block({xt1, xt2});
    h.chain.set_justification(b1, {{'F', 'R', 'N', 'K'}, {0xaa, 0xbb}});
    auto b2 = h.chain.add_block({});
    h.chain.finalize(1);
    THEN("chain_getHeader answers the best header or the one asked, null if unknown") {
      auto best = h.result("chain_getHeader");
      CHECK(best["number"] == "0x2");
      CHECK(best["parentHash"] == runtime::to_hex(b1));
      CHECK(best["digest"]["logs"].size() == 1);
      CHECK(h.result("chain_getHeader", {runtime::to_hex(b1)})["number"] == "0x1");
      CHECK(h.result("chain_getHeader", {{"hash", runtime::to_hex(b2)}})["number"] == "0x2");
      CHECK(h.result("chain_getHeader", {"0x" + std::string(64, '7')}) == nullptr);
      CHECK(h.error("chain_getHeader", {"0x1234"})["code"] == -32602);
    }
    THEN("chain_getBlock serves the extrinsics as submitted and the justifications") {
      auto block = h.result("chain_getBlock", {runtime::to_hex(b1)});
      CHECK(block["block"]["header"]["number"] == "0x1");
      CHECK(block["block"]["extrinsics"] == json::array({"0x080400", "0x0c040102"}));
      CHECK(block["justifications"] == json::array({json::array({json::array({70, 82, 78, 75}), "0xaabb"})}));
      auto best = h.result("chain_getBlock");
      CHECK(best["block"]["extrinsics"] == json::array());
      CHECK(best["justifications"] == nullptr);
      CHECK(h.result("chain_getBlock", {"0x" + std::string(64, '7')}) == nullptr);
      CHECK(h.error("chain_getBlock", {"not hex"})["code"] == -32602);
    }
    THEN("the finalized head is block 1 under both spellings") {
      CHECK(h.result("chain_getFinalizedHead") == runtime::to_hex(b1));
      CHECK(h.result("chain_getFinalisedHead") == runtime::to_hex(b1));
    }
  }
}

SCENARIO("head subscriptions send the current head at once, then each new one") {
  GIVEN("a node") {
    MethodsHarness h;
    auto sub_name = GENERATE(std::string("chain_subscribeNewHeads"), std::string("chain_subscribeNewHead"),
                             std::string("subscribe_newHead"));
    WHEN("a client subscribes to new heads with " + sub_name) {
      auto id = h.result(sub_name).get<std::string>();
      THEN("the genesis header arrives at once") {
        auto got = h.host->notifications(id, "chain_newHead");
        REQUIRE(got.size() == 1);
        CHECK(got[0]["number"] == "0x0");
      }
      AND_WHEN("two blocks are imported") {
        h.chain.push_block();
        h.chain.push_block();
        THEN("their headers follow in order") {
          auto got = h.host->notifications(id, "chain_newHead");
          REQUIRE(got.size() == 3);
          CHECK(got[1]["number"] == "0x1");
          CHECK(got[2]["number"] == "0x2");
        }
      }
      AND_WHEN("the client unsubscribes") {
        CHECK(h.result("chain_unsubscribeNewHeads", {id}) == true);
        h.chain.push_block();
        THEN("the port callback is gone and nothing more is sent") {
          CHECK(h.chain.best_listeners.size() == 0);
          CHECK(h.host->notifications(id, "chain_newHead").size() == 1);
          CHECK(h.result("chain_unsubscribeNewHead", {id}) == false);
        }
      }
    }
  }
  GIVEN("a node with blocks 1 and 2, block 1 finalized") {
    MethodsHarness h;
    h.chain.add_block({});
    h.chain.add_block({});
    h.chain.finalize(1);
    WHEN("a client subscribes to finalized heads") {
      auto id = h.result("chain_subscribeFinalisedHeads").get<std::string>();
      h.chain.finalize(2);
      THEN("block 1 comes first, then block 2") {
        auto got = h.host->notifications(id, "chain_finalizedHead");
        REQUIRE(got.size() == 2);
        CHECK(got[0]["number"] == "0x1");
        CHECK(got[1]["number"] == "0x2");
        CHECK(h.result("chain_unsubscribeFinalizedHeads", {id}) == true);
        CHECK(h.chain.finalized_listeners.size() == 0);
      }
    }
    WHEN("a client subscribes to all heads") {
      auto id = h.result("chain_subscribeAllHeads").get<std::string>();
      h.chain.push_block();
      THEN("the best header, then the imported one") {
        auto got = h.host->notifications(id, "chain_allHead");
        REQUIRE(got.size() == 2);
        CHECK(got[0]["number"] == "0x2");
        CHECK(got[1]["number"] == "0x3");
      }
    }
  }
}

SCENARIO("rpc_methods lists every method and alias") {
  GIVEN("a node") {
    MethodsHarness h;
    auto methods = h.result("rpc_methods")["methods"];
    THEN("the canonical names polkadot.js needs and the aliases are all there") {
      for (const char* name :
           {"system_name", "system_version", "system_chain", "system_chainType", "system_properties",
            "system_health", "system_accountNextIndex", "rpc_methods", "chain_getBlockHash", "chain_getHeader",
            "chain_getBlock", "chain_getFinalizedHead", "chain_getFinalisedHead", "chain_subscribeNewHeads",
            "chain_subscribeNewHead", "subscribe_newHead", "chain_unsubscribeNewHeads", "chain_unsubscribeNewHead",
            "chain_subscribeFinalizedHeads", "chain_subscribeFinalisedHeads", "chain_unsubscribeFinalizedHeads",
            "chain_subscribeAllHeads", "chain_unsubscribeAllHeads", "state_getStorage", "state_getStorageAt",
            "state_getKeysPaged", "state_getKeysPagedAt", "state_queryStorageAt", "state_subscribeStorage",
            "state_unsubscribeStorage", "state_getRuntimeVersion", "chain_getRuntimeVersion",
            "state_subscribeRuntimeVersion", "state_unsubscribeRuntimeVersion", "author_submitExtrinsic",
            "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", "author_pendingExtrinsics",
            "state_call", "state_callAt", "state_getMetadata", "state_getStorageHash", "state_getStorageSize",
            "state_getReadProof", "state_queryStorage", "payment_queryInfo", "payment_queryFeeDetails",
            "system_dryRun", "system_nodeRoles", "system_syncState", "system_localPeerId", "system_peers",
            "author_insertKey", "author_hasKey", "author_rotateKeys", "author_hasSessionKeys",
            "offchain_localStorageGet", "offchain_localStorageSet"}) {
        INFO(name);
        CHECK(std::find(methods.begin(), methods.end(), name) != methods.end());
      }
    }
    THEN("every listed name is served: none answers -32601, and an unlisted name does") {
      for (const auto& name : methods) {
        INFO(name);
        auto r = h.call(name.get<std::string>());
        if (r.contains("error")) CHECK(r["error"]["code"] != -32601);
      }
      CHECK(h.error("state_notAMethod")["code"] == -32601);
    }
  }
}
