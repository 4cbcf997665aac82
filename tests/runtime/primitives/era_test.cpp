#include "runtime/primitives/era.hpp"

#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace bazaar::runtime;

SCENARIO("mortal eras match the polkadot.js vectors") {
  for (const auto& item : bazaar::test::vectors()["era"]["items"]) {
    auto current = item["current"].get<uint64_t>();
    auto requested = item["period_requested"].get<uint64_t>();
    GIVEN("period " + std::to_string(requested) + " at block " + std::to_string(current)) {
      auto era = Era::mortal(requested, current);
      THEN("encoding, period, phase, birth and death match") {
        CHECK(to_hex(codec::encode(era)) == item["encoded"].get<std::string>());
        CHECK(era.period() == item["period"].get<uint64_t>());
        CHECK(era.phase() == item["phase"].get<uint64_t>());
        CHECK(era.birth(current) == item["birth_if_checked_at_current"].get<uint64_t>());
        CHECK(era.death(current) == item["death"].get<uint64_t>());
        CHECK_FALSE(era.is_immortal());
      }
      THEN("the encoding decodes back to the same era") {
        auto decoded = codec::decode<Era>(*from_hex(item["encoded"].get<std::string>()));
        REQUIRE(decoded);
        CHECK(decoded.value() == era);
      }
    }
  }
}

SCENARIO("the immortal era") {
  auto era = Era::immortal();
  CHECK(era.is_immortal());
  CHECK(codec::encode(era) == Bytes{0x00});
  CHECK(codec::decode<Era>(Bytes{0x00}).value() == era);
  CHECK(era.birth(12345) == 0);
  CHECK(era.death(12345) == std::numeric_limits<uint64_t>::max());
}

SCENARIO("Substrate's rounding of mortal eras") {
  THEN("periods round up to a power of two within [4, 65536]") {
    CHECK(Era::mortal(0, 10).period() == 4);
    CHECK(Era::mortal(5, 10).period() == 8);
    CHECK(Era::mortal(64, 10).period() == 64);
    CHECK(Era::mortal(65, 10).period() == 128);
    CHECK(Era::mortal(100000, 10).period() == 65536);
    CHECK(Era::mortal(std::numeric_limits<uint64_t>::max(), 10).period() == 65536);
  }
  THEN("birth and death bracket any block inside the era") {
    auto era = Era::mortal(64, 1000);  // phase 40, born at 1000
    for (uint64_t n = 1000; n < 1064; ++n) {
      CHECK(era.birth(n) == 1000);
      CHECK(era.death(n) == 1064);
    }
    CHECK(era.birth(1064) == 1064);
    CHECK(era.birth(5) == 40);  // before the phase: the first block with that phase
  }
  THEN("every encodable mortal era round-trips") {
    for (uint64_t period = 4; period <= 65536; period <<= 1)
      for (uint64_t current : {0ull, 1ull, 77ull, 4095ull, 65535ull, 1234567ull}) {
        auto era = Era::mortal(period, current);
        CHECK(codec::decode<Era>(codec::encode(era)).value() == era);
      }
  }
}

SCENARIO("invalid era encodings are rejected") {
  // Low nibble 0 gives period 2 (< 4).
  CHECK(codec::decode<Era>(Bytes{0x10, 0x00}).error() == ExtrinsicError::InvalidEra);
  // period 4 with phase 0xfff >= 4.
  CHECK(codec::decode<Era>(Bytes{0xf1, 0xff}).error() == ExtrinsicError::InvalidEra);
  // A mortal era needs two bytes.
  CHECK(codec::decode<Era>(Bytes{0x35}).error() == codec::CodecError::NotEnoughData);
  CHECK(codec::decode<Era>(Bytes{}).error() == codec::CodecError::NotEnoughData);
}
