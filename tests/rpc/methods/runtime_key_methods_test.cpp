// state_call and the methods built on runtime API calls, the new state_*
// reads, system_* additions, keystore and offchain methods, over the fake ports.

#include "tests/support/hex.hpp"
#include "rpc/methods/json_format.hpp"
#include "runtime/codec/scale.hpp"
#include "tests/rpc/methods/harness.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using bazaar::test::MethodsHarness;
using nlohmann::json;
using runtime::Bytes;
using runtime::to_hex;

namespace {

using bazaar::test::hex;

}  // namespace

SCENARIO("state_call forwards to the runtime and reports its failures") {
  MethodsHarness h;
  h.state.set_state(h.chain.genesis_hash(), {});
  h.state.runtime_calls["Metadata_metadata_versions"] = {0x04, 0x0e, 0, 0, 0};
  THEN("the SCALE result comes back as hex, at the best block by default") {
    CHECK(h.result("state_call", {"Metadata_metadata_versions", "0x"}) == "0x040e000000");
    CHECK(h.state.last_call == std::pair<std::string, Bytes>{"Metadata_metadata_versions", {}});
    CHECK(h.result("state_callAt", {"Metadata_metadata_versions", "0x0102", to_hex(h.chain.genesis_hash())}) ==
          "0x040e000000");
    CHECK(h.state.last_call.second == Bytes{1, 2});
  }
  THEN("an unknown runtime method is 4003 with the runtime's message") {
    auto e = h.error("state_call", {"Nope_nothing", "0x"});
    CHECK(e["code"] == rpc::kStateClientError);
    CHECK(e["message"] == "Client error: Execution failed: exported method Nope_nothing is not found");
  }
  THEN("malformed hex or a missing name is -32602, an unknown block 4003") {
    CHECK(h.error("state_call", {"Core_version", "0xabc"})["code"] == -32602);
    CHECK(h.error("state_call", {"Core_version"})["code"] == -32602);
    CHECK(h.error("state_call", {"Core_version", "0x", to_hex(runtime::H256{})})["code"] == rpc::kStateClientError);
  }
  THEN("state_getMetadata serves the metadata bytes unwrapped") {
    CHECK(h.result("state_getMetadata") == "0x6d6574610e");
  }
}

SCENARIO("payment_* and system_dryRun decode the runtime's answers into Substrate's JSON") {
  MethodsHarness h;
  h.state.set_state(h.chain.genesis_hash(), {});
  runtime::codec::Encoder info;
  runtime::codec::encode_to(info, runtime::Weight{1'000'000, 0});
  info.push(0);  // Normal
  runtime::codec::encode_to(info, runtime::u128{1'234'567'890'123});
  h.state.runtime_calls["TransactionPaymentApi_query_info"] = info.take();
  Bytes xt{0x10, 0x04, 0x00, 0x01, 0x02};
  THEN("payment_queryInfo passes extrinsic ++ u32 length and answers weight, class and a decimal fee") {
    auto r = h.result("payment_queryInfo", {to_hex(xt)});
    CHECK(r == json{{"weight", {{"ref_time", 1'000'000}, {"proof_size", 0}}},
                    {"class", "normal"},
                    {"partialFee", "1234567890123"}});
    CHECK(h.state.last_call.second == Bytes{0x10, 0x04, 0x00, 0x01, 0x02, 5, 0, 0, 0});
  }
  WHEN("the fee details have an inclusion fee") {
    runtime::codec::Encoder fd;
    fd.push(1);
    for (runtime::u128 v : {runtime::u128{1'000'000'000}, runtime::u128{5'000'000}, runtime::u128{0}, runtime::u128{7}})
      runtime::codec::encode_to(fd, v);
    h.state.runtime_calls["TransactionPaymentApi_query_fee_details"] = fd.take();
    THEN("payment_queryFeeDetails answers hex balances and no tip") {
      CHECK(h.result("payment_queryFeeDetails", {to_hex(xt)}) ==
            json{{"inclusionFee", {{"baseFee", "0x3b9aca00"}, {"lenFee", "0x4c4b40"}, {"adjustedWeightFee", "0x0"}}}});
    }
  }
  WHEN("the call pays no fee") {
    h.state.runtime_calls["TransactionPaymentApi_query_fee_details"] = Bytes(17, 0);
    THEN("inclusionFee is null") {
      CHECK(h.result("payment_queryFeeDetails", {to_hex(xt)}) == json{{"inclusionFee", nullptr}});
    }
  }
  WHEN("the runtime returns garbage") {
    h.state.runtime_calls["TransactionPaymentApi_query_info"] = Bytes{0xff};
    THEN("the answer is an internal error, not a crash") {
      CHECK(h.error("payment_queryInfo", {to_hex(xt)})["code"] == -32603);
    }
  }
  THEN("system_dryRun returns the ApplyExtrinsicResult bytes of BlockBuilder_apply_extrinsic") {
    h.state.runtime_calls["BlockBuilder_apply_extrinsic"] = {0x00, 0x00};
    CHECK(h.result("system_dryRun", {to_hex(xt)}) == "0x0000");
    CHECK(h.state.last_call == std::pair<std::string, Bytes>{"BlockBuilder_apply_extrinsic", xt});
  }
}

SCENARIO("storage hash, size, read proofs and ranges") {
  MethodsHarness h;
  auto g = h.chain.genesis_hash();
  h.state.set_state(g, {{{0x01}, {0xaa}}, {{0x02}, {0xbb, 0xcc}}});
  auto b1 = h.chain.add_block({});
  h.state.set_state(b1, {{{0x01}, {0xaa}}, {{0x02}, {0xdd}}});
  auto b2 = h.chain.add_block({});
  h.state.set_state(b2, {{{0x01}, {0xee}}, {{0x02}, {0xdd}}});
  THEN("state_getStorageHash is blake2b-256 of the value, state_getStorageSize its length, null when absent") {
    CHECK(h.result("state_getStorageHash", {"0x02", to_hex(g)}) == to_hex(runtime::crypto::blake2b_256(Bytes{0xbb, 0xcc})));
    CHECK(h.result("state_getStorageSize", {"0x02", to_hex(g)}) == 2);
    CHECK(h.result("state_getStorageSize", {"0x03"}) == nullptr);
    CHECK(h.result("state_getStorageHash", {"0x03"}) == nullptr);
  }
  THEN("state_getReadProof answers {at, proof}") {
    auto r = h.result("state_getReadProof", json::array({json::array({"0x01", "0x09"})}));
    CHECK(r == json{{"at", to_hex(b2)}, {"proof", json::array({"0x01"})}});
  }
  THEN("state_queryStorage gives the values at `from`, then only the blocks that changed them") {
    auto r = h.result("state_queryStorage", {json::array({"0x01", "0x02"}), to_hex(g)});
    auto pair = [](const char* k, const char* v) { return json::array({k, v}); };
    CHECK(r == json::array({json{{"block", to_hex(g)}, {"changes", json::array({pair("0x01", "0xaa"), pair("0x02", "0xbbcc")})}},
                            json{{"block", to_hex(b1)}, {"changes", json::array({pair("0x02", "0xdd")})}},
                            json{{"block", to_hex(b2)}, {"changes", json::array({pair("0x01", "0xee")})}}}));
    auto upto = h.result("state_queryStorage", {json::array({"0x01"}), to_hex(g), to_hex(b1)});
    CHECK(upto.size() == 1);
  }
  THEN("a range whose `from` is not an ancestor is 4001") {
    CHECK(h.error("state_queryStorage", {json::array({"0x01"}), to_hex(b2), to_hex(g)})["code"] ==
          rpc::kStateInvalidBlockRange);
    CHECK(h.error("state_queryStorage", {json::array({"0x01"}), to_hex(runtime::H256{})})["code"] ==
          rpc::kStateInvalidBlockRange);
  }
}

SCENARIO("state_subscribeStorage without keys reports every change") {
  MethodsHarness h;
  auto g = h.chain.genesis_hash();
  h.state.set_state(g, {{{0x01}, {0xaa}}});
  auto id = h.result("state_subscribeStorage").get<std::string>();
  THEN("the initial notification comes at once with no changes") {
    auto got = h.host->notifications(id, "state_storage");
    REQUIRE(got.size() == 1);
    CHECK(got[0] == json{{"block", to_hex(g)}, {"changes", json::array()}});
  }
  WHEN("a block changes one key and removes another") {
    auto b1 = h.chain.add_block({});
    h.state.set_parent(b1, g);
    h.state.set_state(b1, {{{0x02}, {0xbb}}});
    h.chain.best_listeners.fire(b1, *h.chain.header(b1));
    THEN("both come in one notification") {
      auto got = h.host->notifications(id, "state_storage");
      REQUIRE(got.size() == 2);
      CHECK(got[1] == json{{"block", to_hex(b1)},
                           {"changes", json::array({json::array({"0x01", nullptr}), json::array({"0x02", "0xbb"})})}});
    }
  }
}

SCENARIO("system_* additions") {
  MethodsHarness h;
  CHECK(h.result("system_nodeRoles") == json::array({"Authority"}));
  CHECK(h.result("system_syncState") == json{{"startingBlock", 3}, {"currentBlock", 7}, {"highestBlock", 7}});
  CHECK(h.result("system_peers") == json::array());
  auto e = h.error("system_localPeerId");
  CHECK(e["data"].get<std::string>().find("networking is not running") != std::string::npos);
  h.system.peer_id = "12D3Koo";
  CHECK(h.result("system_localPeerId") == "12D3Koo");
}

SCENARIO("keystore and offchain storage methods") {
  MethodsHarness h;
  THEN("author_insertKey then author_hasKey; a bad key type is -32602") {
    CHECK(h.result("author_hasKey", {"0x0102", "aura"}) == false);
    CHECK(h.result("author_insertKey", {"aura", "//Alice", "0x0102"}) == nullptr);
    CHECK(h.result("author_hasKey", {"0x0102", "aura"}) == true);
    CHECK(h.result("author_hasKey", {"0x0102", "gran"}) == false);
    CHECK(h.error("author_insertKey", {"toolong", "//Alice", "0x0102"})["code"] == -32602);
    CHECK(h.error("author_insertKey", {"aura", "", "0x0102"})["code"] == rpc::kStateClientError);
  }
  THEN("author_rotateKeys gives keys author_hasSessionKeys knows") {
    auto keys = h.result("author_rotateKeys").get<std::string>();
    CHECK(h.result("author_hasSessionKeys", {keys}) == true);
    CHECK(h.result("author_hasSessionKeys", {"0x00"}) == false);
  }
  THEN("offchain_localStorageSet / Get per kind; an unknown kind is -32602") {
    CHECK(h.result("offchain_localStorageGet", {"PERSISTENT", "0x01"}) == nullptr);
    CHECK(h.result("offchain_localStorageSet", {"PERSISTENT", "0x01", "0xbeef"}) == nullptr);
    CHECK(h.result("offchain_localStorageGet", {"PERSISTENT", "0x01"}) == "0xbeef");
    CHECK(h.result("offchain_localStorageGet", {"LOCAL", "0x01"}) == nullptr);
    CHECK(h.error("offchain_localStorageGet", {"REMOTE", "0x01"})["code"] == -32602);
  }
}

SCENARIO("unsafe methods are refused to remote peers") {
  MethodsHarness h;
  for (const char* name : {"author_insertKey", "author_hasKey", "author_rotateKeys", "author_hasSessionKeys",
                           "offchain_localStorageGet", "offchain_localStorageSet", "system_dryRun", "system_peers"}) {
    INFO(name);
    rpc::CallContext ctx;
    ctx.peer_is_loopback = false;
    auto out = h.dispatcher.handle(json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", name}, {"params", json::array()}}.dump(), ctx);
    REQUIRE(out);
    CHECK(json::parse(*out)["error"]["message"] == "RPC call is unsafe to be called externally");
  }
}
