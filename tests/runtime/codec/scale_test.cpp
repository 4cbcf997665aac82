#include "runtime/codec/scale.hpp"
#include "tests/support/vectors.hpp"

#include <boost/describe.hpp>
#include <catch2/catch.hpp>

using namespace bazaar::runtime;
using namespace bazaar::runtime::codec;

namespace {
struct Point {
  uint32_t x;
  Compact<uint64_t> y;
  std::optional<bool> flag;
};
BOOST_DESCRIBE_STRUCT(Point, (), (x, y, flag))
bool operator==(const Point& a, const Point& b) { return a.x == b.x && a.y == b.y && a.flag == b.flag; }

enum class Color : uint8_t { Red = 0, Green = 1, Blue = 5 };
BOOST_DESCRIBE_ENUM(Color, Red, Green, Blue)

struct Ping {
  static constexpr uint8_t kIndex = 3;
  uint8_t n;
};
BOOST_DESCRIBE_STRUCT(Ping, (), (n))
struct Pong {
  static constexpr uint8_t kIndex = 7;
};
BOOST_DESCRIBE_STRUCT(Pong, (), ())

template <class T>
void round_trip(const T& v) {
  auto bytes = encode(v);
  auto back = decode<T>(bytes);
  REQUIRE(back.has_value());
  CHECK(back.value() == v);
}

u128 parse_u128(const std::string& s) { return *u128_from_string(s); }
}  // namespace

SCENARIO("compact integers match the polkadot.js vectors") {
  for (const auto& item : bazaar::test::vectors()["scale_compact"]["items"]) {
    u128 v = parse_u128(item["value"].get<std::string>());
    auto expected = *from_hex(item["encoded"].get<std::string>());
    Encoder e;
    encode_compact(e, v);
    CHECK(to_hex(e.bytes()) == to_hex(expected));
    Decoder d(expected);
    auto back = decode_compact(d);
    REQUIRE(back.has_value());
    CHECK(back.value() == v);
    CHECK(d.at_end());
  }
}

SCENARIO("non-canonical and truncated compacts are rejected") {
  Bytes two_byte_small = {0x05, 0x00};  // 1 in two-byte mode
  Decoder d1(two_byte_small);
  CHECK(decode_compact(d1).error() == CodecError::NonCanonicalCompact);
  Bytes truncated = {0x02, 0x00};
  Decoder d2(truncated);
  CHECK(decode_compact(d2).error() == CodecError::NotEnoughData);
  CHECK(decode<Compact<uint8_t>>(encode(Compact<uint32_t>{300})).error() == CodecError::CompactOutOfRange);
}

SCENARIO("composite values round-trip") {
  round_trip(uint8_t{7});
  round_trip(int32_t{-5});
  round_trip(u128{1} << 100);
  round_trip(std::vector<uint16_t>{1, 2, 3});
  round_trip(std::string("héllo"));
  round_trip(std::optional<uint32_t>{});
  round_trip(std::optional<uint32_t>{9});
  round_trip(std::tuple<uint8_t, std::string>{1, "x"});
  round_trip(std::array<uint8_t, 3>{1, 2, 3});
  round_trip(Point{1, {2}, true});
  round_trip(Color::Blue);
  round_trip(ScaleResult<uint8_t, std::string>{std::string("err")});
  CHECK(to_hex(encode(Point{1, {2}, std::nullopt})) == "0x010000000800");
}

SCENARIO("variants encode the alternative's declared index") {
  using V = std::variant<Ping, Pong>;
  CHECK(to_hex(encode(V{Ping{9}})) == "0x0309");
  CHECK(to_hex(encode(V{Pong{}})) == "0x07");
  auto back = decode<V>(*from_hex("0x07"));
  REQUIRE(back.has_value());
  CHECK(back.value().index() == 1);
  CHECK(decode<V>(*from_hex("0x04")).error() == CodecError::InvalidEnumIndex);
}

SCENARIO("malformed input is rejected with a named error") {
  CHECK(decode<bool>(Bytes{2}).error() == CodecError::InvalidBool);
  CHECK(decode<std::optional<uint8_t>>(Bytes{2, 0}).error() == CodecError::InvalidOptionTag);
  CHECK(decode<Color>(Bytes{2}).error() == CodecError::InvalidEnumIndex);
  CHECK(decode<uint32_t>(Bytes{1, 2}).error() == CodecError::NotEnoughData);
  CHECK(decode<uint8_t>(Bytes{1, 2}).error() == CodecError::TrailingBytes);
  CHECK((decode<BoundedVec<uint8_t, 2>>(Bytes{0x0c, 1, 2, 3}).error() == CodecError::BoundExceeded));
  CHECK(decode<std::string>(Bytes{0x04, 0xff}).error() == CodecError::InvalidUtf8);
  // A length prefix promising 2^30 elements on a tiny input fails without allocating.
  CHECK(decode<std::vector<uint64_t>>(*from_hex("0x03000000400102")).error() == CodecError::NotEnoughData);
}
