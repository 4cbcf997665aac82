#include "runtime/primitives/block.hpp"
#include "runtime/primitives/header.hpp"

#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::runtime;

namespace {
std::string str(const nlohmann::json& j) { return j.get<std::string>(); }
Bytes hex(const nlohmann::json& j) { return *from_hex(str(j)); }

Header vector_header() {
  const auto& j = bazaar::test::vectors()["header"]["json"];
  Header h;
  h.parent_hash = *fixed_from_hex<H256>(str(j["parentHash"]));
  h.number.value = static_cast<BlockNumber>(std::stoul(str(j["number"]), nullptr, 16));
  h.state_root = *fixed_from_hex<H256>(str(j["stateRoot"]));
  h.extrinsics_root = *fixed_from_hex<H256>(str(j["extrinsicsRoot"]));
  Bytes seal(64, 0xab);  // compact(64) = 0x0101 in the vector
  h.digest.logs = {DigestPreRuntime{kAuraEngineId, {0x12, 0x04, 0, 0, 0, 0, 0, 0}},
                   DigestSeal{kAuraEngineId, seal}};
  return h;
}
}  // namespace

SCENARIO("the header vector encodes and hashes as polkadot.js computes") {
  const auto& v = bazaar::test::vectors()["header"];
  GIVEN("the vector's header with an Aura PreRuntime and Seal") {
    auto h = vector_header();
    THEN("each digest item encodes to the JSON log") {
      REQUIRE(h.digest.logs.size() == v["json"]["digest"]["logs"].size());
      for (std::size_t i = 0; i < h.digest.logs.size(); ++i)
        CHECK(to_hex(codec::encode(h.digest.logs[i])) == str(v["json"]["digest"]["logs"][i]));
    }
    THEN("the header encodes to the vector and hashes to its hash") {
      CHECK(to_hex(codec::encode(h)) == str(v["encoded"]));
      CHECK(to_hex(header_hash(h)) == str(v["hash"]));
    }
    THEN("the encoding decodes back to the same header") {
      auto decoded = codec::decode<Header>(hex(v["encoded"]));
      REQUIRE(decoded);
      CHECK(decoded.value() == h);
      CHECK(decoded.value().number.value == 42);
    }
  }
}

SCENARIO("every digest item kind round-trips with Substrate's index") {
  const std::pair<DigestItem, const char*> cases[] = {
      {DigestOther{{0xde, 0xad}}, "0x0008dead"},
      {DigestConsensus{kAuraEngineId, {0x01}}, "0x04617572610401"},
      {DigestSeal{{'B', 'A', 'B', 'E'}, {}}, "0x054241424500"},
      {DigestPreRuntime{kAuraEngineId, {}}, "0x066175726100"},
      {DigestRuntimeEnvironmentUpdated{}, "0x08"},
  };
  for (const auto& [item, encoded] : cases) {
    CHECK(to_hex(codec::encode(item)) == encoded);
    CHECK(codec::decode<DigestItem>(*from_hex(encoded)).value() == item);
  }
  THEN("unknown indices are rejected") {
    for (uint8_t index : {1, 2, 3, 7, 9, 255})
      CHECK(codec::decode<DigestItem>(Bytes{index, 0x00}).error() == codec::CodecError::InvalidEnumIndex);
  }
}

SCENARIO("blocks carry opaque extrinsics with their length prefix") {
  const auto& items = bazaar::test::vectors()["extrinsics"]["items"];
  Block block;
  block.header = vector_header();
  for (const auto& item : items) block.extrinsics.push_back(OpaqueExtrinsic{hex(item["extrinsic"])});
  WHEN("the block is encoded") {
    auto encoded = codec::encode(block);
    THEN("it is header ++ compact(count) ++ each extrinsic as submitted") {
      Bytes expected = codec::encode(block.header);
      expected.push_back(static_cast<uint8_t>(items.size() << 2));
      for (const auto& x : block.extrinsics) expected.insert(expected.end(), x.encoded.begin(), x.encoded.end());
      CHECK(encoded == expected);
    }
    THEN("it decodes back to the same block, extrinsics byte for byte") {
      auto decoded = codec::decode<Block>(encoded);
      REQUIRE(decoded);
      CHECK(decoded.value() == block);
    }
    THEN("a truncated encoding is rejected") {
      encoded.pop_back();
      CHECK(codec::decode<Block>(encoded).error() == codec::CodecError::NotEnoughData);
    }
  }
  THEN("an opaque extrinsic with a non-canonical length prefix is rejected") {
    CHECK(codec::decode<OpaqueExtrinsic>(Bytes{0x01, 0x00}).error() == codec::CodecError::NonCanonicalCompact);
  }
}
