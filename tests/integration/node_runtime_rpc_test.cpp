// The runtime APIs through state_call, state_getMetadata and the RPC methods
// added for @polkadot/api completeness, against a real `bazaar-node --dev`.

#include "node/trie/proof.hpp"
#include "runtime/codec/scale.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/primitives/extrinsic.hpp"
#include "tests/integration/node_process.hpp"
#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

#include <memory>

using namespace bazaar;
using bazaar::test::eventually;
using bazaar::test::http_rpc;
using bazaar::test::NodeProcess;
using nlohmann::json;
using runtime::Bytes;

namespace {

uint64_t hex_number(const json& j) { return std::stoull(j.get<std::string>(), nullptr, 16); }

Bytes hex(const json& j) {
  auto b = runtime::from_hex(j.get<std::string>());
  REQUIRE(b);
  return *b;
}

NodeProcess& dev_node() {
  static auto node = std::make_unique<NodeProcess>(std::vector<std::string>{"--dev", "--tmp", "--rpc-port", "0"});
  return *node;
}

/// A signed, immortal Credits.transfer_keep_alive(//Bob, value) from //Alice with `nonce`.
Bytes signed_transfer(uint16_t port, uint32_t nonce, runtime::Balance value) {
  auto version = http_rpc(port, "state_getRuntimeVersion")["result"];
  auto genesis = *runtime::fixed_from_hex<runtime::H256>(
      http_rpc(port, "chain_getBlockHash", json::array({0}))["result"].get<std::string>());
  auto alice = runtime::crypto::keypair_from_suri("//Alice").value();
  auto dest = runtime::crypto::keypair_from_suri("//Bob").value().account_id();
  Bytes call{4, 3, 0};
  call.insert(call.end(), dest.begin(), dest.end());
  runtime::codec::Encoder e;
  runtime::codec::encode_compact(e, value);
  auto v = e.take();
  call.insert(call.end(), v.begin(), v.end());
  runtime::AdditionalSigned additional{version["specVersion"].get<uint32_t>(),
                                       version["transactionVersion"].get<uint32_t>(), genesis, genesis};
  return runtime::encode_extrinsic(
      runtime::sign_extrinsic(alice, call, {runtime::Era::immortal(), {nonce}, {0}}, additional));
}

json state_call(uint16_t port, const std::string& method, const Bytes& args) {
  return http_rpc(port, "state_call", json::array({method, runtime::to_hex(args)}));
}

}  // namespace

SCENARIO("a dev node serves the runtime APIs and metadata like a Substrate node", "[integration]") {
  auto& node = dev_node();
  auto port = node.wait_for_port();
  INFO(node.output());
  REQUIRE(port);
  REQUIRE(eventually([&] {
    auto h = http_rpc(*port, "chain_getHeader");
    return h.contains("result") && hex_number(h["result"]["number"]) >= 1;
  }));

  THEN("state_getMetadata is RuntimeMetadataPrefixed V14, and the Metadata API wraps the same bytes") {
    auto meta = hex(http_rpc(*port, "state_getMetadata")["result"]);
    REQUIRE(meta.size() > 100);
    CHECK(Bytes(meta.begin(), meta.begin() + 5) == Bytes{0x6d, 0x65, 0x74, 0x61, 0x0e});
    CHECK(state_call(*port, "Metadata_metadata_versions", {})["result"] == "0x040e000000");
    auto at14 = hex(state_call(*port, "Metadata_metadata_at_version", {0x0e, 0, 0, 0})["result"]);
    Bytes expected{0x01};
    auto opaque = runtime::codec::encode(meta);
    expected.insert(expected.end(), opaque.begin(), opaque.end());
    CHECK(at14 == expected);
    CHECK(state_call(*port, "Metadata_metadata_at_version", {0x0f, 0, 0, 0})["result"] == "0x00");
    auto genesis = http_rpc(*port, "chain_getBlockHash", json::array({0}))["result"];
    CHECK(hex(http_rpc(*port, "state_getMetadata", json::array({genesis}))["result"]) == meta);
  }

  THEN("state_getRuntimeVersion lists every API with its BLAKE2b-64 id, and Core_version agrees") {
    auto apis = http_rpc(*port, "state_getRuntimeVersion")["result"]["apis"];
    const auto& ids = test::vectors()["runtime_api_ids"]["ids"];
    for (const char* api : {"Core", "Metadata", "BlockBuilder", "TaggedTransactionQueue", "AccountNonceApi",
                            "TransactionPaymentApi", "AuraApi"}) {
      INFO(api);
      CHECK(std::any_of(apis.begin(), apis.end(), [&](const json& a) { return a[0] == ids[api]; }));
    }
    CHECK(std::any_of(apis.begin(), apis.end(), [&](const json& a) { return a == json::array({ids["Metadata"], 2}); }));
    auto core = hex(state_call(*port, "Core_version", {})["result"]);
    CHECK(runtime::codec::decode<std::string>(Bytes(core.begin(), core.begin() + 7)).value() == "bazaar");
  }

  THEN("bad runtime calls are errors with a message; the node lives on") {
    auto unknown = state_call(*port, "Nope_nothing", {});
    CHECK(unknown["error"]["code"] == 4003);
    CHECK(unknown["error"]["message"].get<std::string>().find("Nope_nothing") != std::string::npos);
    auto malformed = state_call(*port, "AccountNonceApi_account_nonce", {1, 2, 3});
    CHECK(malformed["error"]["code"] == 4003);
    CHECK(malformed["error"]["message"].get<std::string>().find("failed to decode argument") != std::string::npos);
    CHECK(http_rpc(*port, "state_call", json::array({"Core_version", "0xz"}))["error"]["code"] == -32602);
    CHECK(http_rpc(*port, "no_suchMethod")["error"]["code"] == -32601);
    CHECK(http_rpc(*port, "system_name")["result"] == "bazaar-node");
  }

  THEN("the nonce API, fees, dry runs and validation agree with the node's RPC") {
    auto alice = runtime::crypto::keypair_from_suri("//Alice").value().account_id();
    auto alice_ss58 = test::vectors()["ecdsa_dev_accounts"]["accounts"][0]["ss58_prefix42"];
    auto nonce = http_rpc(*port, "system_accountNextIndex", json::array({alice_ss58}))["result"].get<uint32_t>();
    auto api_nonce = hex(state_call(*port, "AccountNonceApi_account_nonce", runtime::codec::encode(alice))["result"]);
    CHECK(runtime::codec::decode<uint32_t>(api_nonce).value() <= nonce);

    auto xt = signed_transfer(*port, nonce, runtime::kUnitsPerCC);
    auto info = http_rpc(*port, "payment_queryInfo", json::array({runtime::to_hex(xt)}))["result"];
    CHECK(info["class"] == "normal");
    auto fee = runtime::u128_from_string(info["partialFee"].get<std::string>());
    REQUIRE(fee);
    auto details = http_rpc(*port, "payment_queryFeeDetails", json::array({runtime::to_hex(xt)}))["result"];
    runtime::u128 sum = 0;
    for (const char* part : {"baseFee", "lenFee", "adjustedWeightFee"})
      sum += std::stoull(details["inclusionFee"][part].get<std::string>(), nullptr, 16);
    CHECK(sum == *fee);
    CHECK(http_rpc(*port, "system_dryRun", json::array({runtime::to_hex(xt)}))["result"] == "0x0000");
    auto best = http_rpc(*port, "chain_getBlockHash")["result"];
    Bytes args{2};
    args.insert(args.end(), xt.begin(), xt.end());
    auto best_bytes = hex(best);
    args.insert(args.end(), best_bytes.begin(), best_bytes.end());
    auto validity = hex(state_call(*port, "TaggedTransactionQueue_validate_transaction", args)["result"]);
    CHECK(validity.at(0) == 0x00);  // Ok(ValidTransaction)
  }

  THEN("state_getReadProof proves System.Account(Alice) against the block's state root") {
    auto key = test::vectors()["storage_keys"]["items"][0]["key"];
    auto absent = "0x0102030405";
    auto best = http_rpc(*port, "chain_getBlockHash")["result"];
    auto proof = http_rpc(*port, "state_getReadProof", json::array({json::array({key, absent}), best}))["result"];
    CHECK(proof["at"] == best);
    std::vector<Bytes> nodes;
    for (const auto& n : proof["proof"]) nodes.push_back(hex(n));
    auto root = *runtime::fixed_from_hex<runtime::H256>(
        http_rpc(*port, "chain_getHeader", json::array({best}))["result"]["stateRoot"].get<std::string>());
    auto value = node::trie::verify_proof(root, nodes, hex(key));
    REQUIRE(value);
    REQUIRE(value.value());
    CHECK(runtime::to_hex(*value.value()) == http_rpc(*port, "state_getStorage", json::array({key, best}))["result"]);
    CHECK(node::trie::verify_proof(root, nodes, hex(json(absent))).value() == std::nullopt);
    runtime::H256 other_root = root;
    other_root.bytes[0] ^= 1;
    CHECK_FALSE(node::trie::verify_proof(other_root, nodes, hex(key)).has_value());
  }

  THEN("state_getKeysPaged pages through System.Account one key at a time") {
    std::string prefix = "0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9";
    auto best = http_rpc(*port, "chain_getBlockHash")["result"];
    auto all = http_rpc(*port, "state_getKeysPaged", json::array({prefix, 1000, prefix, best}))["result"];
    REQUIRE(all.size() >= 4);
    json paged = json::array();
    json start = prefix;
    for (;;) {
      auto page = http_rpc(*port, "state_getKeysPaged", json::array({prefix, 1, start, best}))["result"];
      if (page.empty()) break;
      paged.push_back(page[0]);
      start = page[0];
    }
    CHECK(paged == all);
    auto size = http_rpc(*port, "state_getStorageSize", json::array({all[0], best}))["result"];
    CHECK(size.get<std::size_t>() == hex(http_rpc(*port, "state_getStorage", json::array({all[0], best}))["result"]).size());
    CHECK(http_rpc(*port, "state_getStorageHash", json::array({all[0], best}))["result"].is_string());
  }

  THEN("system_* report the node truthfully") {
    CHECK(http_rpc(*port, "system_nodeRoles")["result"] == json::array({"Authority"}));
    CHECK(http_rpc(*port, "system_peers")["result"] == json::array());
    auto sync = http_rpc(*port, "system_syncState")["result"];
    CHECK(sync["startingBlock"] == 0);
    CHECK(sync["currentBlock"] == sync["highestBlock"]);
    CHECK(http_rpc(*port, "system_localPeerId")["result"].get<std::string>().size() > 40);  // the node key's peer id
  }

  THEN("the keystore and offchain storage answer loopback callers") {
    auto keys = http_rpc(*port, "author_rotateKeys")["result"];
    REQUIRE(keys.is_string());
    CHECK(hex(keys).size() == 33);
    CHECK(http_rpc(*port, "author_hasSessionKeys", json::array({keys}))["result"] == true);
    CHECK(http_rpc(*port, "author_hasKey", json::array({keys, "aura"}))["result"] == true);
    auto charlie = runtime::crypto::keypair_from_suri("//Charlie").value().public_key();
    CHECK(http_rpc(*port, "author_hasKey", json::array({runtime::to_hex(charlie), "aura"}))["result"] == false);
    CHECK(http_rpc(*port, "author_insertKey", json::array({"aura", "//Charlie", runtime::to_hex(charlie)}))["result"] ==
          nullptr);
    CHECK(http_rpc(*port, "author_hasKey", json::array({runtime::to_hex(charlie), "aura"}))["result"] == true);
    CHECK(http_rpc(*port, "author_insertKey", json::array({"aura", "//Dave", runtime::to_hex(charlie)}))["error"]
              ["code"] == 4003);
    CHECK(http_rpc(*port, "offchain_localStorageSet", json::array({"PERSISTENT", "0x6b6579", "0x76616c"}))["result"] ==
          nullptr);
    CHECK(http_rpc(*port, "offchain_localStorageGet", json::array({"PERSISTENT", "0x6b6579"}))["result"] ==
          "0x76616c");
    CHECK(http_rpc(*port, "offchain_localStorageGet", json::array({"LOCAL", "0x6b6579"}))["result"] == nullptr);
  }
}
