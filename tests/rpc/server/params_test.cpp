#include "rpc/server/params.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::rpc;
using nlohmann::json;

SCENARIO("integer parameters are range-checked") {
  GIVEN("a u32 parameter") {
    THEN("in-range numbers decode and others are rejected") {
      CHECK(ParamTraits<uint32_t>::from_json(json(7)) == 7u);
      CHECK(ParamTraits<uint32_t>::from_json(json(4294967295ull)) == 4294967295u);
      CHECK_FALSE(ParamTraits<uint32_t>::from_json(json(4294967296ull)));
      CHECK_FALSE(ParamTraits<uint32_t>::from_json(json(-1)));
      CHECK_FALSE(ParamTraits<uint32_t>::from_json(json(1.5)));
      CHECK_FALSE(ParamTraits<uint32_t>::from_json(json("7")));
      CHECK(ParamTraits<uint32_t>::type_name() == "unsigned 32-bit integer");
    }
  }
  GIVEN("an i8 parameter") {
    THEN("negative values within range decode") {
      CHECK(ParamTraits<int8_t>::from_json(json(-128)) == int8_t{-128});
      CHECK_FALSE(ParamTraits<int8_t>::from_json(json(128)));
      CHECK_FALSE(ParamTraits<int8_t>::from_json(json(true)));
    }
  }
}

SCENARIO("block numbers come as numbers or hex strings") {
  WHEN("decoding NumberOrHex") {
    THEN("numbers and 0x strings are accepted, the rest refused") {
      CHECK(ParamTraits<NumberOrHex>::from_json(json(42))->value == 42);
      CHECK(ParamTraits<NumberOrHex>::from_json(json("0x2a"))->value == 42);
      CHECK(ParamTraits<NumberOrHex>::from_json(json("0X2A"))->value == 42);
      CHECK(ParamTraits<NumberOrHex>::from_json(json("0xffffffffffffffff"))->value == UINT64_MAX);
      CHECK_FALSE(ParamTraits<NumberOrHex>::from_json(json("0x1ffffffffffffffff")));
      CHECK_FALSE(ParamTraits<NumberOrHex>::from_json(json("42")));
      CHECK_FALSE(ParamTraits<NumberOrHex>::from_json(json("0x")));
      CHECK_FALSE(ParamTraits<NumberOrHex>::from_json(json("0xzz")));
      CHECK_FALSE(ParamTraits<NumberOrHex>::from_json(json(-1)));
    }
  }
  WHEN("decoding ListOrValue<NumberOrHex>") {
    auto one = ParamTraits<ListOrValue<NumberOrHex>>::from_json(json(5));
    auto many = ParamTraits<ListOrValue<NumberOrHex>>::from_json(json::array({1, "0x2"}));
    THEN("the shape is remembered") {
      REQUIRE(one);
      CHECK_FALSE(one->is_list);
      CHECK(one->items == std::vector<NumberOrHex>{{5}});
      REQUIRE(many);
      CHECK(many->is_list);
      CHECK(many->items == std::vector<NumberOrHex>{{1}, {2}});
      CHECK_FALSE(ParamTraits<ListOrValue<NumberOrHex>>::from_json(json::array({1, "x"})));
    }
  }
}

SCENARIO("containers, optionals, bytes and hashes decode by type") {
  THEN("vectors need every element to decode") {
    CHECK(ParamTraits<std::vector<std::string>>::from_json(json::array({"a", "b"})) ==
          std::vector<std::string>{"a", "b"});
    CHECK_FALSE(ParamTraits<std::vector<std::string>>::from_json(json::array({"a", 1})));
    CHECK(ParamTraits<std::vector<std::string>>::type_name() == "array of string");
  }
  THEN("optionals take null as absent") {
    auto none = ParamTraits<std::optional<bool>>::from_json(json(nullptr));
    REQUIRE(none);
    CHECK_FALSE(none->has_value());
    CHECK(ParamTraits<std::optional<bool>>::from_json(json(true)) == std::optional<bool>(true));
    CHECK_FALSE(ParamTraits<std::optional<bool>>::from_json(json(1)));
  }
  THEN("hex bytes and fixed-size hashes are checked") {
    CHECK(ParamTraits<HexBytes>::from_json(json("0x0102"))->bytes == bazaar::runtime::Bytes{1, 2});
    CHECK_FALSE(ParamTraits<HexBytes>::from_json(json("0x012")));
    std::string h(66, 'a');
    h[0] = '0';
    h[1] = 'x';
    CHECK(ParamTraits<bazaar::runtime::H256>::from_json(json(h)));
    CHECK_FALSE(ParamTraits<bazaar::runtime::H256>::from_json(json("0x0102")));
    CHECK(ParamTraits<bazaar::runtime::H256>::type_name() == "hex string of 32 bytes");
  }
}
