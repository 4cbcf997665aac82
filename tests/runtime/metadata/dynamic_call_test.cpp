// The dynamic codec's calls, events and storage: name lookups (any case),
// calls built from positional or named JSON arguments equal polkadot.js's
// bytes (tests/fixtures/vectors.json), storage keys equal the vectors' keys,
// absent values read as the entry's default or null, and every mistake is a
// named error that lists what exists.

#include "tests/support/hex.hpp"
#include <catch2/catch.hpp>

#include "runtime/metadata/dynamic.hpp"
#include "tests/runtime/metadata/dynamic_fixture.hpp"
#include "tests/support/vectors.hpp"

using namespace bazaar;
using namespace bazaar::runtime;
using namespace bazaar::runtime::metadata;
using nlohmann::json;

namespace {

const std::string kAliceHex = "0x01e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed";
const std::string kBobSs58 = "5DVskgSC9ncWQpxFMeUn45NU43RUq93ByEge6ApbnLk6BR9N";

using bazaar::test::hex;

std::string vector_key(const std::string& item) {
  for (const auto& k : test::vectors()["storage_keys"]["items"])
    if (k["item"] == item) return k["key"].get<std::string>();
  FAIL("no storage key vector " << item);
  return {};
}

}  // namespace

SCENARIO("pallets, calls and storage items are found by any spelling of their names", "[metadata][dynamic]") {
  auto t = test::dynamic::mini_runtime();
  Registry r(t.metadata);

  THEN("pallets match case-insensitively, and by index") {
    CHECK(r.pallet("Balances").value()->index == 1);
    CHECK(r.pallet("balances").value()->index == 1);
    CHECK(r.pallet("1").value()->name == "Balances");
    CHECK(r.pallet_by_index(0)->name == "System");
  }
  THEN("calls match in snake_case and camelCase") {
    const auto* balances = r.pallet("balances").value();
    CHECK(r.call(*balances, "transfer_keep_alive").value()->index == 3);
    CHECK(r.call(*balances, "transferKeepAlive").value()->index == 3);
    CHECK(r.storage(*balances, "totalIssuance").value()->name == "TotalIssuance");
  }
  THEN("unknown names are errors listing the known ones") {
    auto p = r.pallet("Staking");
    REQUIRE_FALSE(p);
    CHECK(p.error().error == DynamicError::UnknownPallet);
    CHECK(p.error().message.find("System, Balances") != std::string::npos);
    const auto* balances = r.pallet("Balances").value();
    auto c = r.call(*balances, "teleport");
    REQUIRE_FALSE(c);
    CHECK(c.error().error == DynamicError::UnknownCall);
    CHECK(c.error().message.find("transfer_allow_death, transfer_keep_alive, set_flags") != std::string::npos);
    auto s = r.storage(*balances, "Nope");
    REQUIRE_FALSE(s);
    CHECK(s.error().error == DynamicError::UnknownStorage);
    CHECK(s.error().message.find("TotalIssuance, Debts, Blobs") != std::string::npos);
  }
  THEN("the runtime's outer types and the SS58 prefix are found") {
    CHECK(r.runtime_event_type() == t.runtime_event);
    CHECK(r.runtime_call_type() == t.runtime_call);
    CHECK(r.ss58_prefix() == 42);
    CHECK(r.constant(*r.pallet("system").value(), "ss58Prefix").value()->value == Bytes{42, 0});
  }
}

SCENARIO("calls are built from JSON arguments exactly as polkadot.js builds them", "[metadata][dynamic]") {
  auto t = test::dynamic::mini_runtime();
  Registry r(t.metadata);
  const auto& xt = test::vectors()["extrinsics"]["items"][0];
  REQUIRE(xt["label"].get<std::string>().find("transfer_keep_alive(dest=//Bob, value=12345)") == 0);
  Bytes expected = hex(xt["call"].get<std::string>());

  WHEN("arguments are positional, with friendly forms") {
    auto call = encode_call(r, "balances", "transferKeepAlive", json::array({"//Bob", 12345}));
    REQUIRE(call);
    THEN("the bytes are the vector's") { CHECK(call.value() == expected); }
  }
  WHEN("arguments are named, in polkadot.js's JSON form") {
    auto call =
        encode_call(r, "Balances", "transfer_keep_alive", json{{"dest", {{"Id", kBobSs58}}}, {"value", "12345"}});
    REQUIRE(call);
    CHECK(call.value() == expected);
    THEN("decode_call gives the arguments back by name") {
      auto decoded = decode_call(r, call.value(), DecodeOptions{true, 42});
      REQUIRE(decoded);
      CHECK(decoded.value() == json{{"module", "Balances"},
                                    {"call", "transfer_keep_alive"},
                                    {"args", {{"dest", {{"Id", kBobSs58}}}, {"value", "12345"}}}});
    }
  }
  WHEN("the runtime's outer call enum is used as a value") {
    auto bytes = encode_value(r, t.runtime_call,
                              json{{"Balances", {{"transfer_keep_alive", {{"dest", "//Bob"}, {"value", 12345}}}}}});
    REQUIRE(bytes);
    CHECK(bytes.value() == expected);
  }
  WHEN("a call has every kind of argument") {
    json args{{"limit", nullptr}, {"delta", -3},  {"big", "-1"},
              {"on", true},       {"label", "x"}, {"nonce", "9007199254740993"}};
    auto call = encode_call(r, "Balances", "set_flags", args);
    REQUIRE(call);
    auto back = decode_call(r, call.value());
    REQUIRE(back);
    CHECK(back.value()["args"] == args);
  }
  WHEN("the argument count is wrong") {
    auto few = encode_call(r, "Balances", "transfer_keep_alive", json::array({"//Bob"}));
    auto named = encode_call(r, "Balances", "transfer_keep_alive", json{{"dest", "//Bob"}});
    auto extra = encode_call(r, "Balances", "transfer_keep_alive", json{{"dest", "//Bob"}, {"value", 1}, {"tip", 1}});
    THEN("the error says what the call takes") {
      REQUIRE_FALSE(few);
      CHECK(few.error().error == DynamicError::WrongArgumentCount);
      CHECK(few.error().message.find(
                "Balances.transfer_keep_alive(dest: AccountIdLookupOf<T>, value: T::Balance) takes 2 "
                "arguments, got 1") != std::string::npos);
      REQUIRE_FALSE(named);
      CHECK(named.error().message.find("missing argument 'value'") != std::string::npos);
      REQUIRE_FALSE(extra);
      CHECK(extra.error().message.find("no argument 'tip'") != std::string::npos);
    }
  }
  WHEN("an argument has the wrong form") {
    auto bad = encode_call(r, "Balances", "transfer_keep_alive", json::array({"//Bob", "lots"}));
    THEN("the error names the argument and what was expected") {
      REQUIRE_FALSE(bad);
      CHECK(bad.error().error == DynamicError::BadArgument);
      CHECK(bad.error().message.find("value: expected an unsigned 128-bit integer") == 0);
      CHECK(bad.error().what().find("bad argument: value:") == 0);
    }
  }
}

SCENARIO("events decode by module and name", "[metadata][dynamic]") {
  auto t = test::dynamic::mini_runtime();
  Registry r(t.metadata);
  Bytes records = hex(test::vectors()["system_events"]["encoded"].get<std::string>());
  // Skip the vector's compact count and the first record's phase (00 00000000).
  codec::Decoder d(ByteSpan(records).subspan(1 + 5));
  auto e = decode_event(r, d, DecodeOptions{true, 42});
  REQUIRE(e);
  CHECK(e.value()["module"] == "Balances");
  CHECK(e.value()["event"] == "Transfer");
  CHECK(e.value()["fields"]["to"] == kBobSs58);
  CHECK(e.value()["fields"]["amount"] == "12345");
}

SCENARIO("storage keys and values follow the metadata's hashers and modifiers", "[metadata][dynamic]") {
  auto t = test::dynamic::mini_runtime();
  Registry r(t.metadata);

  THEN("keys equal the vectors' keys") {
    CHECK(to_hex(storage_key(r, "system", "account", "//Alice").value()) ==
          vector_key("System.Account(//Alice ecdsa)"));
    CHECK(to_hex(storage_key(r, "System", "Account", json::array({kAliceHex})).value()) ==
          vector_key("System.Account(//Alice ecdsa)"));
    CHECK(to_hex(storage_key(r, "System", "Number", nullptr).value()) == vector_key("System.Number"));
    CHECK(to_hex(storage_key(r, "System", "Events", json::array()).value()) == vector_key("System.Events"));
    CHECK(to_hex(storage_key(r, "System", "BlockHash", 0).value()) == vector_key("System.BlockHash(0u32)"));
    CHECK(to_hex(storage_key(r, "Balances", "TotalIssuance", nullptr).value()) == vector_key("Balances.TotalIssuance"));
  }
  THEN("a double map takes one key per hasher, and a partial key gives the prefix") {
    auto full = storage_key(r, "Balances", "Debts", json::array({"//Alice", 7}));
    auto partial = storage_key(r, "Balances", "Debts", json::array({"//Alice"}));
    auto none = storage_key(r, "Balances", "Debts", nullptr);
    REQUIRE(full);
    REQUIRE(partial);
    REQUIRE(none);
    CHECK(none.value().size() == 32);
    CHECK(partial.value().size() == 32 + 16 + 32);
    CHECK(full.value().size() == 32 + 16 + 32 + 8 + 4);
    CHECK(std::equal(partial.value().begin(), partial.value().end(), full.value().begin()));
    const auto* debts = r.storage(*r.pallet("Balances").value(), "Debts").value();
    auto keys = decode_storage_keys(r, *debts, full.value());
    REQUIRE(keys);
    CHECK(keys.value() == json::array({kAliceHex, 7}));
    CHECK(storage_key_count(*debts) == 2);
  }
  THEN("a map whose single key is a tuple takes the tuple as one array, and a hashed key is shown as its hash") {
    auto key = storage_key(r, "Balances", "Blobs", json::array({1, "0x05"}));
    REQUIRE(key);
    CHECK(key.value().size() == 32 + 32);
    const auto* blobs = r.storage(*r.pallet("Balances").value(), "Blobs").value();
    auto keys = decode_storage_keys(r, *blobs, key.value());
    REQUIRE(keys);
    CHECK(keys.value()[0].get<std::string>().size() == 2 + 64);
  }
  THEN("too many keys, or keys for a plain value, are errors") {
    auto many = storage_key(r, "Balances", "Debts", json::array({"//Alice", 1, 2}));
    REQUIRE_FALSE(many);
    CHECK(many.error().error == DynamicError::WrongArgumentCount);
    auto plain = storage_key(r, "System", "Number", 5);
    REQUIRE_FALSE(plain);
    CHECK(plain.error().error == DynamicError::WrongArgumentCount);
  }
  THEN("an absent Default value reads as the default, an absent Optional value as null") {
    auto account = decode_storage_value(r, "System", "Account", std::nullopt);
    REQUIRE(account);
    CHECK(account.value()["nonce"] == 0);
    CHECK(account.value()["data"]["free"] == "0");
    auto debt = decode_storage_value(r, "Balances", "Debts", std::nullopt);
    REQUIRE(debt);
    CHECK(debt.value().is_null());
    auto number = decode_storage_value(r, "System", "Number", Bytes{7, 0, 0, 0});
    REQUIRE(number);
    CHECK(number.value() == 7);
    CHECK_FALSE(decode_storage_value(r, "System", "Number", Bytes{7, 0, 0}));
    CHECK_FALSE(decode_storage_value(r, "System", "Number", Bytes{7, 0, 0, 0, 0}));
  }
}

SCENARIO("metadata bytes are read through RuntimeMetadataPrefixed", "[metadata][dynamic]") {
  auto t = test::dynamic::mini_runtime();
  Bytes bytes = codec::encode(RuntimeMetadataPrefixed{t.metadata});
  auto r = Registry::from_bytes(bytes);
  REQUIRE(r);
  CHECK(r.value().metadata().pallets.size() == 2);
  bytes[0] ^= 1;
  auto bad = Registry::from_bytes(bytes);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().error == DynamicError::BadValue);
}
