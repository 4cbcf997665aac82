// The runtime APIs by name (state_call): byte layouts of each answer, the
// agreement of every answer with the executive's own functions, and the
// errors for unknown methods and malformed SCALE arguments.

#include "modules/composition/metadata.hpp"
#include "modules/composition/runtime_api.hpp"
#include "runtime/crypto/hash.hpp"
#include "tests/modules/composition/harness.hpp"
#include "tests/support/vectors.hpp"

#include <set>

namespace bazaar::test::composition {
namespace {

namespace credits = modules::credits;
using comp::RuntimeApiError;

comp::RuntimeCall transfer(std::string_view to, Balance amount) {
  return comp::make_call<credits::Module>(
      credits::TransferKeepAlive{runtime::MultiAddressId{dev_account(to)}, {amount}});
}

struct Api {
  const TestChain& chain;
  runtime::Header header;
  explicit Api(const TestChain& c) : chain(c) { header.number.value = c.best_number(); }
  comp::RuntimeApiResult<Bytes> call(std::string_view method, const Bytes& args = {}) const {
    return comp::call_runtime_api({chain.state(), chain.best_hash(), header}, method, args);
  }
  Bytes ok(std::string_view method, const Bytes& args = {}) const {
    auto r = call(method, args);
    INFO(method << ": " << (r ? std::string("ok") : r.error().message));
    REQUIRE(r.has_value());
    return r.value();
  }
};

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

SCENARIO("Core and Metadata answer with Substrate's layouts") {
  TestChain chain;
  Api api(chain);
  THEN("Core_version is the SCALE RuntimeVersion of runtime_version()") {
    CHECK(api.ok("Core_version") == comp::encode_runtime_version(comp::runtime_version()));
  }
  THEN("Metadata_metadata_versions is [14], and version 14 is Option<OpaqueMetadata> of the V14 bytes") {
    CHECK(api.ok("Metadata_metadata_versions") == Bytes{0x04, 0x0e, 0, 0, 0});
    const auto& meta = comp::metadata_v14_bytes();
    auto opaque = runtime::codec::encode(meta);
    CHECK(api.ok("Metadata_metadata") == opaque);
    CHECK(api.ok("Metadata_metadata_at_version", {0x0e, 0, 0, 0}) == concat({0x01}, opaque));
    REQUIRE(meta.size() > 5);
    CHECK(Bytes(meta.begin(), meta.begin() + 5) == Bytes{0x6d, 0x65, 0x74, 0x61, 0x0e});
  }
  THEN("a metadata version the runtime does not have is None, not an error") {
    for (uint8_t v : {15, 16, 13, 0xff}) CHECK(api.ok("Metadata_metadata_at_version", {v, 0, 0, 0}) == Bytes{0x00});
  }
}

SCENARIO("every API in the runtime version's apis has its methods served, ids are BLAKE2b-64") {
  std::set<std::string> apis;
  for (const auto& name : comp::runtime_api_methods()) apis.insert(name.substr(0, name.find('_')));
  const auto& ids = vectors()["runtime_api_ids"]["ids"];
  for (const auto& [id, version] : comp::runtime_version().apis) {
    std::string hex = runtime::to_hex(runtime::ByteSpan(id.data(), id.size()));
    std::string name;
    for (const auto& [n, h] : ids.items())
      if (h == hex) name = n;
    INFO(hex);
    REQUIRE_FALSE(name.empty());  // a known id
    CHECK(apis.count(name) == 1);
  }
  CHECK(apis.size() == comp::runtime_version().apis.size());
}

SCENARIO("account nonce, fees and validity agree with the executive") {
  TestChain chain;
  REQUIRE(chain.produce_block({chain.sign("Bob", transfer("Charlie", runtime::kUnitsPerCC))}).has_value());
  Api api(chain);
  const Bytes xt = chain.sign("Bob", transfer("Charlie", 2 * runtime::kUnitsPerCC), {.tip = 5});
  THEN("AccountNonceApi_account_nonce is the u32 nonce") {
    CHECK(api.ok("AccountNonceApi_account_nonce", runtime::codec::encode(dev_account("Bob"))) ==
          runtime::codec::encode(Nonce{1}));
  }
  THEN("query_info is weight v2 ++ class ++ partial_fee for the given length") {
    auto len = static_cast<uint32_t>(xt.size());
    auto info = comp::query_info(chain.state(), xt, len);
    REQUIRE(info);
    runtime::codec::Encoder e;
    runtime::codec::encode_to(e, info.value().weight);
    e.push(0);
    runtime::codec::encode_to(e, info.value().partial_fee);
    CHECK(api.ok("TransactionPaymentApi_query_info", concat(xt, runtime::codec::encode(len))) == e.take());
  }
  THEN("query_fee_details' parts add up to query_info's fee, and the tip is the extrinsic's") {
    auto len = static_cast<uint32_t>(xt.size());
    auto details = comp::query_fee_details(chain.state(), xt, len);
    REQUIRE(details);
    REQUIRE(details.value().inclusion_fee);
    const auto& f = *details.value().inclusion_fee;
    CHECK(f.base_fee + f.len_fee + f.adjusted_weight_fee == comp::query_info(chain.state(), xt, len).value().partial_fee);
    CHECK(details.value().tip == 5);
    auto bytes = api.ok("TransactionPaymentApi_query_fee_details", concat(xt, runtime::codec::encode(len)));
    REQUIRE(bytes.size() == 1 + 16 * 4);
    CHECK(bytes[0] == 0x01);
    CHECK(Bytes(bytes.end() - 16, bytes.end()) == runtime::codec::encode(Balance{5}));
    CHECK(api.ok("TransactionPaymentApi_query_length_to_fee", runtime::codec::encode(len)) ==
          runtime::codec::encode(f.len_fee));
  }
  THEN("validate_transaction is Ok(ValidTransaction) with the pool's tags; a stale nonce is Err(Invalid(Stale))") {
    Bytes args = concat({2}, concat(xt, runtime::codec::encode(chain.best_hash())));
    CHECK(api.ok("TaggedTransactionQueue_validate_transaction", args) ==
          comp::encode_validity(chain.validate(xt)));
    CHECK(api.ok("TaggedTransactionQueue_validate_transaction", args)[0] == 0x00);
    const Bytes stale = chain.sign("Bob", transfer("Charlie", 1), {.nonce = 0});
    CHECK(api.ok("TaggedTransactionQueue_validate_transaction",
                 concat({2}, concat(stale, runtime::codec::encode(chain.best_hash())))) ==
          Bytes{0x01, 0x00, static_cast<uint8_t>(runtime::InvalidTransaction::Stale)});
  }
  THEN("BlockBuilder_apply_extrinsic dry-runs: Ok(Ok(())) for a good transfer, nothing kept") {
    auto before = chain.state().entries();
    CHECK(api.ok("BlockBuilder_apply_extrinsic", xt) == Bytes{0x00, 0x00});
    CHECK(chain.state().entries() == before);
    const Bytes broke = chain.sign("Dave", transfer("Charlie", 10'000 * runtime::kUnitsPerCC));
    auto failed = api.ok("BlockBuilder_apply_extrinsic", broke);
    REQUIRE(failed.size() >= 3);
    CHECK(Bytes(failed.begin(), failed.begin() + 2) == Bytes{0x00, 0x01});  // Ok(Err(DispatchError))
  }
  THEN("BlockBuilder_inherent_extrinsics builds the timestamp inherent from InherentData") {
    Bytes data{0x04, 't', 'i', 'm', 's', 't', 'a', 'p', '0', 0x20};
    auto now = runtime::codec::encode(Moment{123'456});
    data.insert(data.end(), now.begin(), now.end());
    auto out = api.ok("BlockBuilder_inherent_extrinsics", data);
    CHECK(out == runtime::codec::encode(std::vector<runtime::OpaqueExtrinsic>{{timestamp_inherent(123'456)}}));
  }
  THEN("AuraApi answers the slot duration and the authorities") {
    CHECK(api.ok("AuraApi_slot_duration") == runtime::codec::encode(comp::slot_duration_ms(chain.state())));
    CHECK(api.ok("AuraApi_authorities") == runtime::codec::encode(comp::aura_authorities(chain.state())));
  }
}

SCENARIO("bad calls fail with a message") {
  TestChain chain;
  Api api(chain);
  THEN("an unknown method is UnknownMethod naming it") {
    auto r = api.call("Foo_bar");
    REQUIRE_FALSE(r);
    CHECK(r.error().error == RuntimeApiError::UnknownMethod);
    CHECK(r.error().message.find("Foo_bar") != std::string::npos);
  }
  THEN("malformed or surplus SCALE arguments are BadArguments naming the method") {
    for (auto [method, args] : std::vector<std::pair<std::string, Bytes>>{
             {"Metadata_metadata_at_version", {0x0e}},
             {"Metadata_metadata_versions", {0x00}},
             {"AccountNonceApi_account_nonce", Bytes(31, 0)},
             {"TransactionPaymentApi_query_info", {0xff, 0xff}},
             {"TaggedTransactionQueue_validate_transaction", {0x07}},
             {"BlockBuilder_apply_extrinsic", {0x10, 0x01}},
             {"BlockBuilder_inherent_extrinsics", {0x04, 't'}}}) {
      INFO(method);
      auto r = api.call(method, args);
      REQUIRE_FALSE(r);
      CHECK(r.error().error == RuntimeApiError::BadArguments);
      CHECK(r.error().message.find(method) != std::string::npos);
    }
  }
  THEN("an undecodable extrinsic given whole is an execution failure with the reason") {
    Bytes junk{0x08, 0x01, 0x02};
    auto r = api.call("TransactionPaymentApi_query_info", concat(junk, {3, 0, 0, 0}));
    REQUIRE_FALSE(r);
    CHECK(r.error().error == RuntimeApiError::ExecutionFailed);
  }
}

}  // namespace
}  // namespace bazaar::test::composition
