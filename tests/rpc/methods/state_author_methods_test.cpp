#include "tests/support/hex.hpp"
#include "rpc/methods/json_format.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/primitives/extrinsic.hpp"
#include "tests/rpc/methods/harness.hpp"
#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using bazaar::test::MethodsHarness;
using nlohmann::json;
using runtime::Bytes;
using runtime::to_hex;

namespace {

using bazaar::test::hex;

/// A transfer_keep_alive signed by //Alice (the pool is faked: only the format matters).
Bytes signed_transfer(uint32_t nonce) {
  auto alice = runtime::crypto::keypair_from_suri("//Alice");
  REQUIRE(alice);
  Bytes call{4, 3, 0};
  call.resize(35, 0x11);
  call.push_back(0x04);
  auto xt = runtime::sign_extrinsic(alice.value(), call, {runtime::Era::immortal(), {nonce}, {0}},
                                    {100, 1, runtime::H256{}, runtime::H256{}});
  return runtime::encode_extrinsic(xt);
}

}  // namespace

SCENARIO("state_getStorage and state_queryStorageAt read values at a block") {
  GIVEN("storage at genesis and a changed value at block 1") {
    MethodsHarness h;
    auto key = hex(test::vectors()["storage_keys"]["items"][0]["key"].get<std::string>());
    auto other = hex("0x26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac");
    auto genesis = h.chain.genesis_hash();
    h.state.set_state(genesis, {{key, {1, 2, 3}}});
    auto b1 = h.chain.add_block({});
    h.state.set_state(b1, {{key, {4, 5}}, {other, {9}}});
    THEN("the best block is read when no block is given") {
      CHECK(h.result("state_getStorage", {to_hex(key)}) == "0x0405");
      CHECK(h.result("state_getStorage", {to_hex(key), to_hex(genesis)}) == "0x010203");
      CHECK(h.result("state_getStorageAt", {{"key", to_hex(key)}, {"hash", to_hex(genesis)}}) == "0x010203");
      CHECK(h.result("state_getStorage", {to_hex(other), to_hex(genesis)}) == nullptr);
    }
    THEN("state_queryStorageAt answers [{block, changes}] with null for absent keys") {
      auto r = h.result("state_queryStorageAt", {json::array({to_hex(key), to_hex(other)}), to_hex(genesis)});
      CHECK(r == json::array({{{"block", to_hex(genesis)},
                               {"changes", json::array({json::array({to_hex(key), "0x010203"}),
                                                        json::array({to_hex(other), nullptr})})}}}));
      CHECK(h.result("state_queryStorageAt", {json::array({to_hex(other)})})[0]["block"] == to_hex(b1));
    }
    THEN("bad input is -32602 and an unknown block is 4003") {
      CHECK(h.error("state_getStorage", {"0xzz"})["code"] == -32602);
      CHECK(h.error("state_getStorage", {"0x123"})["code"] == -32602);
      CHECK(h.error("state_getStorage")["code"] == -32602);
      CHECK(h.error("state_getStorage", {to_hex(key), "0x00"})["code"] == -32602);
      auto unknown = h.error("state_getStorage", {to_hex(key), "0x" + std::string(64, 'e')});
      CHECK(unknown["code"] == 4003);
      CHECK(unknown["message"].get<std::string>().rfind("Client error: ", 0) == 0);
      CHECK(h.error("state_queryStorageAt", {to_hex(key)})["code"] == -32602);
      CHECK(h.error("state_queryStorageAt", {json::array({to_hex(key)}), "0x" + std::string(64, 'e')})["code"] ==
            4003);
    }
  }
}

SCENARIO("state_getKeysPaged pages through the keys under a prefix") {
  GIVEN("five keys under prefix 0xaa and one outside") {
    MethodsHarness h;
    test::FakeState::Storage s;
    for (uint8_t i = 1; i <= 5; ++i) s[Bytes{0xaa, i}] = Bytes{i};
    s[Bytes{0xab}] = Bytes{0};
    h.state.set_state(h.chain.genesis_hash(), s);
    THEN("pages of two, continued from the last key, end with a short page") {
      CHECK(h.result("state_getKeysPaged", {"0xaa", 2}) == json::array({"0xaa01", "0xaa02"}));
      CHECK(h.result("state_getKeysPaged", {"0xaa", 2, "0xaa02"}) == json::array({"0xaa03", "0xaa04"}));
      CHECK(h.result("state_getKeysPaged", {"0xaa", 2, "0xaa04"}) == json::array({"0xaa05"}));
      CHECK(h.result("state_getKeysPagedAt", {{"prefix", "0xaa"}, {"count", 10}, {"start_key", "0xaa"}}).size() == 5);
      CHECK(h.result("state_getKeysPaged", {nullptr, 10}).size() == 6);
    }
    THEN("a count over 1000 is 4002, a missing count -32602") {
      auto e = h.error("state_getKeysPaged", {"0xaa", 1001});
      CHECK(e["code"] == 4002);
      CHECK(e["message"] == "count exceeds maximum value. value: 1001, max: 1000");
      CHECK(h.error("state_getKeysPaged", {"0xaa"})["code"] == -32602);
      CHECK(h.error("state_getKeysPaged", {"0xaa", "ten"})["code"] == -32602);
      CHECK(h.error("state_getKeysPaged", {"0xaa", 1, nullptr, "0x" + std::string(64, 'e')})["code"] == 4003);
    }
  }
}

SCENARIO("state_subscribeStorage sends current values, then only the changes") {
  GIVEN("two keys at genesis") {
    MethodsHarness h;
    Bytes k1{0x01}, k2{0x02};
    h.state.set_state(h.chain.genesis_hash(), {{k1, {1}}});
    WHEN("a client subscribes to both") {
      auto id = h.result("state_subscribeStorage", json::array({json::array({"0x01", "0x02"})})).get<std::string>();
      THEN("the initial notification holds every key at once") {
        auto got = h.host->notifications(id, "state_storage");
        REQUIRE(got.size() == 1);
        CHECK(got[0] == json{{"block", to_hex(h.chain.genesis_hash())},
                             {"changes", json::array({json::array({"0x01", "0x01"}), json::array({"0x02", nullptr})})}});
      }
      AND_WHEN("block 1 changes k2 only and block 2 changes nothing") {
        auto b1 = h.chain.add_block({});
        h.state.set_state(b1, {{k1, {1}}, {k2, {7}}});
        h.chain.best_listeners.fire(b1, *h.chain.header(b1));
        auto b2 = h.chain.add_block({});
        h.state.set_state(b2, {{k1, {1}}, {k2, {7}}});
        h.chain.best_listeners.fire(b2, *h.chain.header(b2));
        THEN("one notification carries k2 alone") {
          auto got = h.host->notifications(id, "state_storage");
          REQUIRE(got.size() == 2);
          CHECK(got[1] == json{{"block", to_hex(b1)}, {"changes", json::array({json::array({"0x02", "0x07"})})}});
        }
        AND_WHEN("block 3 deletes k1") {
          auto b3 = h.chain.add_block({});
          h.state.set_state(b3, {{k2, {7}}});
          h.chain.best_listeners.fire(b3, *h.chain.header(b3));
          THEN("k1 is reported as null") {
            auto got = h.host->notifications(id, "state_storage");
            REQUIRE(got.size() == 3);
            CHECK(got[2]["changes"] == json::array({json::array({"0x01", nullptr})}));
          }
        }
      }
      AND_WHEN("the client unsubscribes") {
        CHECK(h.result("state_unsubscribeStorage", {id}) == true);
        THEN("the head callback is released") { CHECK(h.chain.best_listeners.size() == 0); }
      }
    }
    THEN("bad keys are -32602") {
      CHECK(h.error("state_subscribeStorage", {json::array({"0xq1"})})["code"] == -32602);
      CHECK(h.chain.best_listeners.size() == 0);
    }
  }
}

SCENARIO("state_getRuntimeVersion and its subscription") {
  GIVEN("a node") {
    MethodsHarness h;
    h.state.set_state(h.chain.genesis_hash(), {});
    THEN("the JSON has Substrate's fields, the state version under both names") {
      auto v = h.result("state_getRuntimeVersion");
      CHECK(v == json{{"specName", "bazaar"},
                      {"implName", "bazaar-node"},
                      {"authoringVersion", 1},
                      {"specVersion", 100},
                      {"implVersion", 1},
                      {"apis", json::array({json::array({"0xdf6acb689907609b", 5})})},
                      {"transactionVersion", 1},
                      {"systemVersion", 0},
                      {"stateVersion", 0}});
      CHECK(h.result("chain_getRuntimeVersion", {to_hex(h.chain.genesis_hash())}) == v);
      CHECK(h.error("state_getRuntimeVersion", {"0x" + std::string(64, 'e')})["code"] == 4003);
    }
    WHEN("a client subscribes and a later block upgrades the spec version") {
      auto id = h.result("state_subscribeRuntimeVersion").get<std::string>();
      auto b1 = h.chain.add_block({});
      h.state.set_state(b1, {});
      h.chain.best_listeners.fire(b1, *h.chain.header(b1));
      auto b2 = h.chain.add_block({});
      h.state.set_state(b2, {});
      auto upgraded = h.state.version;
      upgraded.spec_version = 101;
      h.state.set_version(b2, upgraded);
      h.chain.best_listeners.fire(b2, *h.chain.header(b2));
      THEN("the initial version, then only the upgrade") {
        auto got = h.host->notifications(id, "state_runtimeVersion");
        REQUIRE(got.size() == 2);
        CHECK(got[0]["specVersion"] == 100);
        CHECK(got[1]["specVersion"] == 101);
      }
    }
  }
}

SCENARIO("author_submitExtrinsic and author_pendingExtrinsics") {
  GIVEN("a node") {
    MethodsHarness h;
    auto xt = signed_transfer(0);
    WHEN("a well-formed extrinsic is submitted") {
      auto hash = h.result("author_submitExtrinsic", {to_hex(xt)});
      THEN("its blake2b-256 hash comes back and it is pending") {
        CHECK(hash == to_hex(runtime::extrinsic_hash(xt)));
        CHECK(h.result("author_pendingExtrinsics") == json::array({to_hex(xt)}));
      }
    }
    WHEN("the pool rejects it") {
      h.author.reject = rpc::SubmitRejection{1010, "Invalid Transaction", "Transaction has a bad signature"};
      auto e = h.error("author_submitExtrinsic", {{"extrinsic", to_hex(xt)}});
      THEN("the pool's code, message and data are answered") {
        CHECK(e == json{{"code", 1010}, {"message", "Invalid Transaction"}, {"data", "Transaction has a bad signature"}});
      }
    }
    THEN("garbage bytes are 1001 and never reach the pool") {
      for (const char* garbage : {"0x00", "0xdeadbeef", "0x", "0x0c84ff"}) {
        INFO(garbage);
        auto e = h.error("author_submitExtrinsic", {garbage});
        CHECK(e["code"] == 1001);
        CHECK(e["message"] == "Extrinsic has invalid format");
        CHECK(e.contains("data"));
      }
      auto truncated = xt;
      truncated.pop_back();
      CHECK(h.error("author_submitExtrinsic", {to_hex(truncated)})["code"] == 1001);
      CHECK(h.author.pending.empty());
    }
    THEN("malformed hex and wrong params are -32602") {
      CHECK(h.error("author_submitExtrinsic", {"0xabc"})["code"] == -32602);
      CHECK(h.error("author_submitExtrinsic", {12})["code"] == -32602);
      CHECK(h.error("author_submitExtrinsic")["code"] == -32602);
      CHECK(h.error("author_submitExtrinsic", {to_hex(xt), 1})["code"] == -32602);
    }
  }
}

SCENARIO("author_submitAndWatchExtrinsic reports ready, inBlock and finalized") {
  GIVEN("a node") {
    MethodsHarness h;
    auto xt = signed_transfer(0);
    WHEN("a transaction is watched until finalized") {
      auto id = h.result("author_submitAndWatchExtrinsic", {to_hex(xt)}).get<std::string>();
      runtime::H256 block;
      block.bytes[0] = 0x42;
      h.author.emit({rpc::TxStatus::Kind::InBlock, block, {}});
      h.author.emit({rpc::TxStatus::Kind::Finalized, block, {}});
      THEN("the statuses arrive in order and the subscription ends") {
        auto got = h.host->notifications(id, "author_extrinsicUpdate");
        REQUIRE(got.size() == 3);
        CHECK(got[0] == "ready");
        CHECK(got[1] == json{{"inBlock", to_hex(block)}});
        CHECK(got[2] == json{{"finalized", to_hex(block)}});
        CHECK(h.author.watchers.size() == 0);
        CHECK(h.host->subscription_count() == 0);
      }
    }
    WHEN("the client unwatches") {
      auto id = h.result("author_submitAndWatchExtrinsic", {to_hex(xt)}).get<std::string>();
      CHECK(h.result("author_unwatchExtrinsic", {id}) == true);
      THEN("the pool watcher is released") { CHECK(h.author.watchers.size() == 0); }
    }
    WHEN("the pool rejects the transaction or the bytes are garbage") {
      h.author.reject = rpc::SubmitRejection{1010, "Invalid Transaction", "Transaction is outdated"};
      auto e = h.error("author_submitAndWatchExtrinsic", {to_hex(xt)});
      auto g = h.error("author_submitAndWatchExtrinsic", {"0x1234"});
      THEN("the call fails with the code and no subscription stays") {
        CHECK(e["code"] == 1010);
        CHECK(e["data"] == "Transaction is outdated");
        CHECK(g["code"] == 1001);
        CHECK(h.host->subscription_count() == 0);
      }
    }
  }
}

SCENARIO("every TxStatus has Substrate's JSON form") {
  using K = rpc::TxStatus::Kind;
  runtime::H256 hsh;
  hsh.bytes[31] = 1;
  auto hx = to_hex(hsh);
  CHECK(rpc::tx_status_to_json({K::Future, {}, {}}) == "future");
  CHECK(rpc::tx_status_to_json({K::Ready, {}, {}}) == "ready");
  CHECK(rpc::tx_status_to_json({K::Broadcast, {}, {"p1"}}) == json{{"broadcast", {"p1"}}});
  CHECK(rpc::tx_status_to_json({K::InBlock, hsh, {}}) == json{{"inBlock", hx}});
  CHECK(rpc::tx_status_to_json({K::Retracted, hsh, {}}) == json{{"retracted", hx}});
  CHECK(rpc::tx_status_to_json({K::FinalityTimeout, hsh, {}}) == json{{"finalityTimeout", hx}});
  CHECK(rpc::tx_status_to_json({K::Finalized, hsh, {}}) == json{{"finalized", hx}});
  CHECK(rpc::tx_status_to_json({K::Usurped, hsh, {}}) == json{{"usurped", hx}});
  CHECK(rpc::tx_status_to_json({K::Dropped, {}, {}}) == "dropped");
  CHECK(rpc::tx_status_to_json({K::Invalid, {}, {}}) == "invalid");
}
