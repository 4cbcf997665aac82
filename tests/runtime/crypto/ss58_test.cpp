#include "runtime/crypto/ss58.hpp"

#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::runtime;
using namespace bazaar::runtime::crypto;

namespace {
std::string str(const nlohmann::json& j) { return j.get<std::string>(); }
AccountId32 account(const nlohmann::json& j) { return *fixed_from_hex<AccountId32>(str(j)); }
}  // namespace

SCENARIO("base58btc matches Bitcoin Core's encode/decode vectors") {
  // src/test/data/base58_encode_decode.json of Bitcoin Core.
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},
      {"61", "2g"},
      {"626262", "a3gV"},
      {"636363", "aPEr"},
      {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
      {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
      {"516b6fcd0f", "ABnLTmg"},
      {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
      {"572e4794", "3EFU7m"},
      {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
      {"10c8511e", "Rt5zm"},
      {"00000000000000000000", "1111111111"},
  };
  for (auto [hex, text] : cases) {
    auto bytes = *from_hex(hex);
    CHECK(base58_encode(bytes) == text);
    CHECK(base58_decode(text).value() == bytes);
  }
  CHECK(base58_decode("0OIl").error() == Ss58Error::BadBase58);
}

SCENARIO("SS58 addresses of the dev accounts match polkadot.js for prefixes 0, 2 and 42") {
  for (const auto& acc : bazaar::test::vectors()["ecdsa_dev_accounts"]["accounts"]) {
    auto id = account(acc["account_id"]);
    for (auto [prefix, key] : {std::pair{uint16_t{0}, "ss58_prefix0"}, {uint16_t{2}, "ss58_prefix2"},
                               {uint16_t{42}, "ss58_prefix42"}}) {
      GIVEN(str(acc["suri"]) + " under prefix " + std::to_string(prefix)) {
        THEN("encoding gives the vector and decoding gives back account and prefix") {
          CHECK(ss58_encode(id, prefix) == str(acc[key]));
          auto decoded = ss58_decode(str(acc[key]));
          REQUIRE(decoded);
          CHECK(decoded.value().account == id);
          CHECK(decoded.value().prefix == prefix);
          CHECK(parse_account(str(acc[key])).value() == id);
        }
      }
    }
  }
  CHECK(ss58_encode(account(bazaar::test::vectors()["ss58"]["account_id"])) ==
        str(bazaar::test::vectors()["ss58"]["address"]));
}

SCENARIO("two-byte prefixes") {
  const auto& v = bazaar::test::vectors()["ss58"];
  auto id = account(v["account_id"]);
  GIVEN("the polkadot.js example with prefix 1234") {
    uint16_t prefix = v["two_byte_prefix_example"]["prefix"].get<uint16_t>();
    auto address = str(v["two_byte_prefix_example"]["address"]);
    THEN("encoding and decoding agree with it") {
      CHECK(ss58_encode(id, prefix) == address);
      auto raw = base58_decode(address).value();
      CHECK(to_hex(ByteSpan(raw).first(2)) == str(v["two_byte_prefix_example"]["first_two_bytes"]));
      CHECK(ss58_decode(address).value() == Ss58Address{id, prefix});
    }
  }
  THEN("every boundary prefix round-trips") {
    for (uint16_t prefix : {0, 1, 45, 48, 63, 64, 65, 255, 256, 4095, 16383}) {
      auto decoded = ss58_decode(ss58_encode(id, prefix));
      REQUIRE(decoded);
      CHECK(decoded.value().prefix == prefix);
      CHECK(decoded.value().account == id);
    }
  }
}

SCENARIO("malformed SS58 addresses are rejected with a named error") {
  std::string good = str(bazaar::test::vectors()["ss58"]["address"]);  // 5C7C2Z5s...5S9X
  AccountId32 id = account(bazaar::test::vectors()["ss58"]["account_id"]);
  WHEN("a character is changed") {
    std::string bad = good;
    bad.back() = bad.back() == 'X' ? 'Y' : 'X';
    THEN("the checksum fails") { CHECK(ss58_decode(bad).error() == Ss58Error::BadChecksum); }
  }
  WHEN("a character outside the alphabet appears") {
    for (char c : {'0', 'O', 'I', 'l', ' ', '+'}) {
      std::string bad = good;
      bad[5] = c;
      CHECK(ss58_decode(bad).error() == Ss58Error::BadBase58);
    }
  }
  WHEN("the address is too short or too long") {
    Bytes short_data(34, 0x11), long_data(36, 0x11);
    short_data[0] = long_data[0] = 42;
    CHECK(ss58_decode(base58_encode(short_data)).error() == Ss58Error::BadLength);
    CHECK(ss58_decode(base58_encode(long_data)).error() == Ss58Error::BadLength);
    CHECK(ss58_decode(good + "1").error() == Ss58Error::BadLength);
    CHECK(ss58_decode("").error() == Ss58Error::BadLength);
    CHECK(ss58_decode(std::string(200, 'z')).error() == Ss58Error::BadLength);
  }
  WHEN("the first byte is >= 128 or names a reserved prefix") {
    auto with_first = [&](Bytes data) {
      data.insert(data.end(), id.begin(), id.end());
      data.push_back(0);
      data.push_back(0);
      return base58_encode(data);
    };
    CHECK(ss58_decode(with_first({0x80, 0x00})).error() == Ss58Error::BadPrefix);
    CHECK(ss58_decode(with_first({0xff})).error() == Ss58Error::BadPrefix);
    CHECK(ss58_decode(with_first({46})).error() == Ss58Error::BadPrefix);
    CHECK(ss58_decode(with_first({47})).error() == Ss58Error::BadPrefix);
  }
}

SCENARIO("parse_account takes SS58 or 0x-hex") {
  const auto& v = bazaar::test::vectors()["ss58"];
  auto id = account(v["account_id"]);
  CHECK(parse_account(str(v["account_id"])).value() == id);
  CHECK(parse_account(str(v["address"])).value() == id);
  CHECK(parse_account("0x1234").error() == Ss58Error::BadLength);
  CHECK(parse_account("0xzz").error() == Ss58Error::BadHex);
  CHECK(parse_account("not an address").error() == Ss58Error::BadBase58);
}
