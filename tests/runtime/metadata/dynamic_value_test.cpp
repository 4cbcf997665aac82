// The dynamic codec's values: every TypeDef kind decodes to the documented
// JSON form and encodes back to the same bytes; friendly inputs (SS58, //URI,
// decimal strings, "12.5 CC", plain strings) encode as expected; bad input is
// an error naming the field, never a crash.

#include "tests/support/hex.hpp"
#include <catch2/catch.hpp>
#include <random>

#include "runtime/crypto/ss58.hpp"
#include "runtime/metadata/dynamic.hpp"
#include "tests/runtime/metadata/dynamic_fixture.hpp"
#include "tests/support/vectors.hpp"

using namespace bazaar;
using namespace bazaar::runtime;
using namespace bazaar::runtime::metadata;
using nlohmann::json;

namespace {

const std::string kAliceHex = "0x01e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed";
const std::string kAliceSs58 = "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X";
const std::string kBobHex = "0x3f6eaf1be5add88d84ca8b02d350074935dbf04f53f4287cb6abfd6b33413f8f";

using bazaar::test::hex;

/// Encodes `j` as `type`, expecting success.
Bytes enc(const Registry& r, uint32_t type, const json& j) {
  auto b = encode_value(r, type, j);
  INFO(j.dump() << " -> " << (b ? "" : b.error().what()));
  REQUIRE(b);
  return b.value();
}
json dec(const Registry& r, uint32_t type, const Bytes& bytes, DecodeOptions o = {}) {
  auto v = decode_value(r, type, bytes, o);
  INFO(to_hex(bytes) << " -> " << (v ? "" : v.error().what()));
  REQUIRE(v);
  return v.value();
}

}  // namespace

SCENARIO("primitive values round-trip in their JSON forms", "[metadata][dynamic]") {
  auto t = test::dynamic::mini_runtime();
  Registry r(t.metadata);

  GIVEN("integers of every width") {
    CHECK(dec(r, t.u32, hex("0x39300000")) == json(12345));
    CHECK(enc(r, t.u32, 12345) == hex("0x39300000"));
    CHECK(enc(r, t.u32, "12345") == hex("0x39300000"));
    CHECK(enc(r, t.u32, "0x3039") == hex("0x39300000"));
    THEN("u64 is a number up to 2^53 and a decimal string beyond") {
      CHECK(dec(r, t.u64, hex("0x0000000000002000")) == json(uint64_t{1} << 53));
      CHECK(dec(r, t.u64, hex("0xffffffffffffffff")) == json("18446744073709551615"));
      CHECK(enc(r, t.u64, "18446744073709551615") == hex("0xffffffffffffffff"));
    }
    THEN("u128 is always a decimal string and accepts CC amounts") {
      CHECK(dec(r, t.u128, enc(r, t.u128, 5)) == json("5"));
      CHECK(enc(r, t.u128, "12.5 CC") == enc(r, t.u128, "12500000000000"));
      CHECK(enc(r, t.u128, "3CC") == enc(r, t.u128, 3'000'000'000'000ull));
      CHECK(dec(r, t.u128, Bytes(16, 0xff)) == json("340282366920938463463374607431768211455"));
    }
    THEN("signed integers keep their sign") {
      CHECK(dec(r, t.i32, enc(r, t.i32, -5)) == json(-5));
      CHECK(enc(r, t.i32, -1) == hex("0xffffffff"));
      CHECK(dec(r, t.i32, hex("0x00000080")) == json(-2147483648));
      CHECK(dec(r, t.i128, enc(r, t.i128, "-170141183460469231731687303715884105728")) ==
            json("-170141183460469231731687303715884105728"));
      CHECK(dec(r, t.i128, enc(r, t.i128, "42")) == json("42"));
    }
    THEN("out-of-range and malformed integers are errors naming the field") {
      auto e = encode_value(r, t.u32, 4294967296ull, "fee");
      REQUIRE_FALSE(e);
      CHECK(e.error().error == DynamicError::BadArgument);
      CHECK(e.error().message.find("fee") == 0);
      CHECK_FALSE(encode_value(r, t.u32, -1));
      CHECK_FALSE(encode_value(r, t.u32, 1.5));
      CHECK_FALSE(encode_value(r, t.u32, "12x"));
      CHECK_FALSE(encode_value(r, t.i32, 2147483648ll));
      CHECK(encode_value(r, t.i32, -2147483648ll));
      CHECK_FALSE(encode_value(r, t.u128, "1.5 CC extra"));
    }
  }
  GIVEN("compact integers") {
    CHECK(enc(r, t.compact_u128, 12345) == hex("0xe5c0"));
    CHECK(dec(r, t.compact_u128, hex("0xe5c0")) == json("12345"));
    CHECK(dec(r, t.compact_u32, hex("0xe5c0")) == json(12345));
    THEN("a compact value too big for its type is an error") {
      CHECK_FALSE(encode_value(r, t.compact_u32, 4294967296ull));
      CHECK_FALSE(decode_value(r, t.compact_u32, hex("0x130000000001")));
    }
  }
  GIVEN("bool, str and bytes") {
    CHECK(enc(r, t.boolean, true) == hex("0x01"));
    CHECK(dec(r, t.boolean, hex("0x00")) == json(false));
    CHECK_FALSE(decode_value(r, t.boolean, hex("0x02")));
    CHECK(dec(r, t.str, enc(r, t.str, "héllo")) == json("héllo"));
    CHECK(enc(r, t.bytes, "0xdead") == hex("0x08dead"));
    CHECK(enc(r, t.bytes, "hi") == hex("0x086869"));
    CHECK(enc(r, t.bytes, json::array({1, 2})) == hex("0x080102"));
    CHECK(dec(r, t.bytes, hex("0x08dead")) == json("0xdead"));
    CHECK_FALSE(encode_value(r, t.bytes32, "0xdead"));
  }
}

SCENARIO("accounts, addresses, options and enums use polkadot.js-like forms", "[metadata][dynamic]") {
  auto t = test::dynamic::mini_runtime();
  Registry r(t.metadata);

  WHEN("an AccountId32 is given as hex, SS58 or a dev URI") {
    Bytes from_hex_form = enc(r, t.account, kAliceHex);
    THEN("all give the same 32 bytes") {
      CHECK(from_hex_form == hex(kAliceHex));
      CHECK(enc(r, t.account, kAliceSs58) == from_hex_form);
      CHECK(enc(r, t.account, "//Alice") == from_hex_form);
      CHECK(dec(r, t.account, from_hex_form) == json(kAliceHex));
      CHECK(dec(r, t.account, from_hex_form, DecodeOptions{true, 42}) == json(kAliceSs58));
    }
    THEN("a malformed account names what was expected") {
      auto e = encode_value(r, t.account, "5NotAnAddress", "who");
      REQUIRE_FALSE(e);
      CHECK(e.error().message.find("who: expected an SS58 address") == 0);
    }
  }
  WHEN("a MultiAddress is given as a bare account or as a variant") {
    Bytes id = hex("0x00" + kBobHex.substr(2));
    CHECK(enc(r, t.multi_address, "//Bob") == id);
    CHECK(enc(r, t.multi_address, json{{"Id", kBobHex}}) == id);
    CHECK(enc(r, t.multi_address, json{{"id", "//Bob"}}) == id);
    CHECK(dec(r, t.multi_address, id) == json{{"Id", kBobHex}});
    CHECK(enc(r, t.multi_address, json{{"Raw", "0x0102"}}) == hex("0x02080102"));
    CHECK(enc(r, t.multi_address, json{{"Index", nullptr}}) == hex("0x01"));
    THEN("an unknown variant lists the known ones") {
      auto e = encode_value(r, t.multi_address, json{{"Nope", 1}});
      REQUIRE_FALSE(e);
      CHECK(e.error().message.find("Id, Index, Raw, Address32, Address20") != std::string::npos);
    }
  }
  WHEN("an Option is null or a value") {
    CHECK(enc(r, t.option_u32, nullptr) == hex("0x00"));
    CHECK(enc(r, t.option_u32, 7) == hex("0x0107000000"));
    CHECK(dec(r, t.option_u32, hex("0x0107000000")) == json(7));
    CHECK(dec(r, t.option_u32, hex("0x00")).is_null());
    CHECK_FALSE(decode_value(r, t.option_u32, hex("0x02")));
  }
  WHEN("fieldless and field-carrying enum variants") {
    CHECK(enc(r, t.phase, "Finalization") == hex("0x01"));
    CHECK(enc(r, t.phase, json{{"ApplyExtrinsic", 3}}) == hex("0x0003000000"));
    CHECK(dec(r, t.phase, hex("0x0003000000")) == json{{"ApplyExtrinsic", 3}});
    CHECK(dec(r, t.phase, hex("0x02")) == json("Initialization"));
    CHECK_FALSE(encode_value(r, t.phase, "ApplyExtrinsic"));
    CHECK_FALSE(decode_value(r, t.phase, hex("0x09")));
  }
  WHEN("a struct is given by field names in any case, or positionally") {
    json info{{"weight", {{"refTime", 1000000}, {"proofSize", 4096}}}, {"class", "Normal"}, {"paysFee", "Yes"}};
    Bytes b = enc(r, t.dispatch_info, info);
    CHECK(b == hex("0x02093d0001400000"));
    CHECK(dec(r, t.dispatch_info, b) == info);
    CHECK(enc(r, t.dispatch_info,
              json{{"weight", {{"ref_time", 1000000}, {"proof_size", 4096}}},
                   {"class", "normal"},
                   {"pays_fee", "yes"}}) == b);
    CHECK(enc(r, t.dispatch_info, json::array({json::array({1000000, 4096}), "Normal", "Yes"})) == b);
    THEN("a missing or unknown field is named") {
      auto missing =
          encode_value(r, t.dispatch_info, json{{"weight", {{"refTime", 1}, {"proofSize", 1}}}, {"class", "Normal"}});
      REQUIRE_FALSE(missing);
      CHECK(missing.error().message.find("value.paysFee: missing") != std::string::npos);
      auto unknown =
          encode_value(r, t.dispatch_info, json{{"weight", 1}, {"class", "Normal"}, {"paysFee", "Yes"}, {"x", 1}});
      REQUIRE_FALSE(unknown);
      CHECK(unknown.error().message.find("unknown field 'x'") != std::string::npos);
    }
  }
  WHEN("tuples and unit") {
    CHECK(enc(r, t.pair, json::array({1, "0x05"})) == hex("0x01000000"
                                                          "0405"));
    CHECK(dec(r, t.pair, hex("0x010000000405")) == json::array({1, "0x05"}));
    CHECK(enc(r, t.unit, nullptr).empty());
    CHECK(dec(r, t.unit, {}).is_null());
    CHECK_FALSE(encode_value(r, t.pair, json::array({1})));
  }
  WHEN("a composite or enum is given as raw 0x-hex SCALE bytes") {
    CHECK(enc(r, t.dispatch_info, "0x02093d0001400000") == hex("0x02093d0001400000"));
    THEN("the bytes are checked against the type") {
      CHECK_FALSE(encode_value(r, t.dispatch_info, "0x02093d00"));
      CHECK_FALSE(encode_value(r, t.phase, "0x07"));
    }
  }
}

SCENARIO("stored values of the polkadot.js vectors decode and re-encode exactly", "[metadata][dynamic]") {
  auto t = test::dynamic::mini_runtime();
  Registry r(t.metadata);
  const auto& v = test::vectors();

  GIVEN("the AccountInfo vector") {
    Bytes bytes = hex(v["account_info_value"]["encoded"].get<std::string>());
    json info = dec(r, t.account_info, bytes);
    CHECK(info["nonce"] == 5);
    CHECK(info["providers"] == 1);
    CHECK(info["data"]["free"] == "1000000000000000000");
    CHECK(enc(r, t.account_info, info) == bytes);
  }
  GIVEN("the System.Events vector") {
    Bytes bytes = hex(v["system_events"]["encoded"].get<std::string>());
    json events = dec(r, t.events, bytes);
    REQUIRE(events.size() == 2);
    CHECK(events[0]["phase"] == json{{"ApplyExtrinsic", 0}});
    CHECK(events[0]["event"]["Balances"]["Transfer"]["from"] == kAliceHex);
    CHECK(events[0]["event"]["Balances"]["Transfer"]["amount"] == "12345");
    CHECK(events[1]["event"]["System"]["ExtrinsicSuccess"]["dispatchInfo"]["weight"]["refTime"] == 1000000);
    CHECK(events[1]["event"]["System"]["ExtrinsicSuccess"]["dispatchInfo"]["class"] == "Normal");
    CHECK(events[0]["topics"] == json::array());
    CHECK(enc(r, t.events, events) == bytes);
  }
}

SCENARIO("hostile bytes and JSON never crash the codec", "[metadata][dynamic]") {
  auto t = test::dynamic::mini_runtime();
  Registry r(t.metadata);

  WHEN("a sequence claims more elements than the input holds") {
    auto e = decode_value(r, t.events, hex("0xfeffffff"));
    THEN("it is an error, without allocating for the claim") {
      REQUIRE_FALSE(e);
      CHECK(e.error().error == DynamicError::BadValue);
    }
  }
  WHEN("a type refers to itself through newtypes") {
    test::dynamic::MetaBuilder b;
    auto self = b.composite({"Loop"}, {test::dynamic::MetaBuilder::unnamed(0)});
    Registry loop(b.meta());
    auto d = decode_value(loop, self, Bytes{1, 2, 3});
    auto e = encode_value(loop, self, 1);
    THEN("the depth limit stops both directions") {
      REQUIRE_FALSE(d);
      CHECK(d.error().error == DynamicError::DepthLimit);
      REQUIRE_FALSE(e);
      CHECK(e.error().error == DynamicError::DepthLimit);
    }
  }
  WHEN("a type id is unknown") {
    auto e = decode_value(r, 9999, Bytes{});
    REQUIRE_FALSE(e);
    CHECK(e.error().error == DynamicError::UnknownType);
  }
  WHEN("random bytes are decoded as every type of the registry") {
    std::mt19937 rng(7);
    std::size_t decoded = 0;
    for (int round = 0; round < 300; ++round) {
      Bytes junk(rng() % 64);
      for (auto& x : junk) x = static_cast<uint8_t>(rng());
      for (const auto& pt : r.metadata().types) {
        auto v = decode_value(r, pt.id.value, junk);
        if (!v) continue;
        ++decoded;
        // What decodes re-encodes to the same bytes.
        auto back = encode_value(r, pt.id.value, v.value());
        INFO(to_hex(junk) << " as type " << pt.id.value << ": " << v.value().dump());
        REQUIRE(back);
        CHECK(back.value() == junk);
      }
    }
    THEN("some decoded, and all of those round-tripped") { CHECK(decoded > 0); }
  }
}
