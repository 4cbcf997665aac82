#include "runtime/crypto/hash.hpp"
#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::runtime;
using namespace bazaar::runtime::crypto;

SCENARIO("blake2b and twox match the vectors") {
  for (const auto& item : bazaar::test::vectors()["hashes"]["items"]) {
    auto input = *from_hex(item["input_hex"].get<std::string>());
    CHECK(to_hex(blake2b_256(input)) == item["blake2_256"].get<std::string>());
    CHECK(to_hex(blake2b_128(input)) == item["blake2_128"].get<std::string>());
    CHECK(to_hex(blake2b_64(input)) == item["blake2_64"].get<std::string>());
    CHECK(to_hex(twox_64(input)) == item["twox64"].get<std::string>());
    CHECK(to_hex(twox_128(input)) == item["twox128"].get<std::string>());
    CHECK(to_hex(twox_256(input)) == item["twox256"].get<std::string>());
  }
  CHECK(blake2b_256_concat({as_bytes("ab"), as_bytes("c")}) == blake2b_256(as_bytes("abc")));
}
